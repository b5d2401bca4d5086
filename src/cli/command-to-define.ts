/**
 * The command a run names, so that main defines only that one with commander, not all of them
 * (some sixty options with their help). Measured against defining all, the gain was within the
 * noise of alternating runs on Node 26 (commander's cost is mostly its first calls, whatever
 * their number); kept as it does no harm.
 *
 * undefined, and so every command defined, when commander needs them all: no command (help, the
 * version), a word that is no command (commander suggests the nearest), `help <command>`, and
 * `completion`, whose scripts list every command and option. Options before the command are the
 * program's own, which take no value, so the first word not starting with '-' is the command.
 */
export function commandToDefine(argv: readonly string[], commands: readonly string[]): string | undefined {
  const first = argv.slice(2).find((a) => !a.startsWith('-'));
  if (first === undefined || first === 'completion' || !commands.includes(first)) return undefined;
  return first;
}
