import { Help, type Argument, type Command, type Option } from 'commander';

/**
 * The CLI as completion sees it: commands, their options and arguments, and what kind of value
 * each takes. Read at run time from commander's own tree, so a command added to main.ts is
 * completed without touching the completion code; the shell scripts are generated from this.
 */

/** What a value is completed with. */
export type ValueKind =
  | { kind: 'none' } // a flag: takes no value
  | { kind: 'any' } // a value nothing is known about: no suggestions
  | { kind: 'choices'; values: string[] }
  | { kind: 'file' }
  | { kind: 'dir' }
  | { kind: 'machines' } // names under machines: in the declaration
  | { kind: 'users' } // names of users (on the machine given with --machine)
  | { kind: 'commands' }; // the commands beside it (`provision help COMMAND`)

export interface OptionSpec {
  /** Every spelling: ['-c', '--config']. */
  flags: string[];
  description: string;
  value: ValueKind;
  /** A value may follow but need not (`--x [value]`): only a word not starting with - is taken. */
  optionalValue: boolean;
}

export interface ArgumentSpec {
  name: string;
  value: ValueKind;
  variadic: boolean;
}

export interface CommandSpec {
  /** The words that lead to it from the program: [] for the program, ['schedule', 'install']. */
  path: string[];
  /** Its name and aliases. */
  names: string[];
  description: string;
  options: OptionSpec[];
  args: ArgumentSpec[];
  subcommands: CommandSpec[];
}

/**
 * Values known by the option's long name, whatever its placeholder says: the two names the
 * declaration defines. Everything else is told by its placeholder (below) or its choices.
 */
const BY_OPTION: Record<string, ValueKind> = {
  '--machine': { kind: 'machines' },
  '--user': { kind: 'users' },
};

/** Placeholders (`<file>`, `[dir]`) whose name says what the value is. */
const BY_PLACEHOLDER: Record<string, ValueKind> = {
  file: { kind: 'file' },
  planfile: { kind: 'file' },
  path: { kind: 'file' },
  dir: { kind: 'dir' },
  folder: { kind: 'dir' },
  machine: { kind: 'machines' },
  user: { kind: 'users' },
};

/**
 * Words a shell script can embed and compare as they are (the scripts join choices with commas
 * and split `--opt=value` at the =). A name or choice outside this set is left out rather than
 * risk breaking the generated script.
 */
const SAFE_WORD = /^[A-Za-z0-9_.:+@%/-]+$/;

export function commandTree(program: Command): CommandSpec {
  const help = program.createHelp();
  // Program options commander accepts after a subcommand too (--no-color), without the
  // version and help options, which make sense only where they are defined.
  const global = help
    .visibleOptions(program)
    .filter((o) => o.long !== '--help' && o.long !== '--version')
    .map(optionSpec);
  return walk(program, [], help, global);
}

function walk(cmd: Command, path: string[], help: Help, global: OptionSpec[]): CommandSpec {
  const own = help.visibleOptions(cmd).map(optionSpec);
  const seen = new Set(own.flatMap((o) => o.flags));
  const inherited = path.length === 0 ? [] : global.filter((g) => !g.flags.some((f) => seen.has(f)));
  return {
    path,
    names: [cmd.name(), ...cmd.aliases()].filter((n) => SAFE_WORD.test(n)),
    description: oneLine(cmd.description()),
    options: [...own, ...inherited],
    args: cmd.registeredArguments.map((a) => argumentSpec(a, cmd)),
    subcommands: help
      .visibleCommands(cmd)
      .filter((sub) => SAFE_WORD.test(sub.name()))
      .map((sub) => walk(sub, [...path, sub.name()], help, global)),
  };
}

function optionSpec(o: Option): OptionSpec {
  const flags = [o.short, o.long].filter((f): f is string => f !== undefined && SAFE_WORD.test(f));
  const takesValue = o.required || o.optional;
  return {
    flags,
    description: oneLine(o.description),
    value: takesValue ? valueOf(o.argChoices, o.long === undefined ? undefined : BY_OPTION[o.long], placeholder(o.flags)) : { kind: 'none' },
    optionalValue: o.optional,
  };
}

function argumentSpec(a: Argument, cmd: Command): ArgumentSpec {
  // `provision help COMMAND`, `provision schedule help COMMAND`: commander's own help command
  // takes the name of a command beside it.
  const isHelp = cmd.name() === 'help' && a.name() === 'command';
  return {
    name: a.name(),
    value: isHelp ? { kind: 'commands' } : valueOf(a.argChoices, undefined, a.name()),
    variadic: a.variadic,
  };
}

function valueOf(choices: readonly string[] | undefined, byName: ValueKind | undefined, name: string | undefined): ValueKind {
  if (choices !== undefined) return { kind: 'choices', values: choices.filter((c) => SAFE_WORD.test(c)) };
  if (byName !== undefined) return byName;
  return (name === undefined ? undefined : BY_PLACEHOLDER[name.toLowerCase()]) ?? { kind: 'any' };
}

/** The value's name in an option's flags: `-c, --config <file>` -> file. */
function placeholder(flags: string): string | undefined {
  return /[<[]([^>\]]+?)(\.\.\.)?[>\]]/.exec(flags)?.[1];
}

/** Descriptions are shown beside candidates: one line, and short. */
function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
}
