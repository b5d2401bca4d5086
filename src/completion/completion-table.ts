import type { CommandSpec, ValueKind } from './command-tree.js';

/**
 * The command tree flattened for the shell scripts: one row per command, keyed by the words
 * that lead to it ("provision", "provision schedule install"), each value kind as one token
 * that needs no quoting. The three scripts look things up by key in `case`/`switch`
 * statements generated from these rows, and share the same walk over the command line.
 */
export interface CommandRow {
  key: string;
  subcommands: { name: string; aliases: string[]; description: string }[];
  options: { flag: string; description: string; value: string; optionalValue: boolean }[];
  /** One token per positional argument; the last ends in "..." when it takes many words. */
  args: string[];
}

export function commandRows(program: CommandSpec, programName: string): CommandRow[] {
  const rows: CommandRow[] = [];
  const visit = (c: CommandSpec): void => {
    rows.push({
      key: keyOf(programName, c.path),
      subcommands: c.subcommands.flatMap((s) => {
        const [name, ...aliases] = s.names;
        return name === undefined ? [] : [{ name, aliases, description: s.description }];
      }),
      options: c.options.flatMap((o) => o.flags.map((flag) => ({ flag, description: o.description, value: valueToken(o.value), optionalValue: o.optionalValue }))),
      args: c.args.map((a, i) => valueToken(a.value) + (a.variadic && i === c.args.length - 1 ? '...' : '')),
    });
    c.subcommands.forEach(visit);
  };
  visit(program);
  return rows;
}

export function keyOf(programName: string, path: readonly string[]): string {
  return [programName, ...path].join(' ');
}

/** none, any, file, dir, machines, users, commands, or choices:a,b,c. */
export function valueToken(v: ValueKind): string {
  return v.kind === 'choices' ? `choices:${v.values.join(',')}` : v.kind;
}
