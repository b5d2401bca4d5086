import type { CommandRow } from './completion-table.js';
import { posixQuote as q } from '../text/shell-quote.js';

/**
 * The lookups the bash and zsh scripts share, as functions valid in both shells (only `case`
 * and plain assignments). Each answers in REPLY (or returns 1) for a command's key, which is
 * what lets one walk over the command line serve every command, present and future.
 */
export function posixLookups(fn: string, rows: readonly CommandRow[]): string {
  const out: string[] = [];
  const caseFn = (name: string, comment: string, subject: string, arms: string[], otherwise: string): void => {
    out.push(`# ${comment}`, `${fn}_${name}() {`, `  case ${subject} in`, ...arms.map((a) => `    ${a}`), `    *) ${otherwise} ;;`, '  esac', '}', '');
  };

  caseFn(
    'resolve',
    'A word that names a subcommand of command $1 (by name or alias): REPLY is that subcommand\'s key.',
    '"$1|$2"',
    rows.flatMap((r) => r.subcommands.flatMap((s) => [s.name, ...s.aliases].map((w) => `${q(`${r.key}|${w}`)}) REPLY=${q(`${r.key} ${s.name}`)} ;;`))),
    'return 1',
  );
  caseFn(
    'subcommands',
    'The subcommands of command $1, separated by spaces.',
    '"$1"',
    rows.filter((r) => r.subcommands.length > 0).map((r) => `${q(r.key)}) REPLY=${q(r.subcommands.map((s) => s.name).join(' '))} ;;`),
    "REPLY=''",
  );
  caseFn(
    'options',
    'The options of command $1, separated by spaces.',
    '"$1"',
    rows.filter((r) => r.options.length > 0).map((r) => `${q(r.key)}) REPLY=${q(r.options.map((o) => o.flag).join(' '))} ;;`),
    "REPLY=''",
  );
  caseFn(
    'option_value',
    'What option $2 of command $1 takes: none, any, file, dir, machines, users, commands or choices:A,B.',
    '"$1|$2"',
    rows.flatMap((r) => r.options.filter((o) => o.value !== 'none').map((o) => `${q(`${r.key}|${o.flag}`)}) REPLY=${q(o.value)} ;;`)),
    'REPLY=none',
  );
  caseFn(
    'option_optional',
    'Whether option $2 of command $1 may go without its value (then only a word not starting with - is its value).',
    '"$1|$2"',
    rows.flatMap((r) => r.options.filter((o) => o.optionalValue).map((o) => `${q(`${r.key}|${o.flag}`)}) return 0 ;;`)),
    'return 1',
  );
  caseFn(
    'argument',
    'What positional argument $2 (from 0) of command $1 takes; the last of a command may repeat.',
    '"$1|$2"',
    rows.flatMap((r) =>
      r.args.flatMap((token, i) => {
        const repeats = token.endsWith('...');
        const kind = repeats ? token.slice(0, -3) : token;
        return [`${q(`${r.key}|${i}`)}) REPLY=${q(kind)} ;;`, ...(repeats ? [`${q(`${r.key}|`)}*) REPLY=${q(kind)} ;;`] : [])];
      }),
    ),
    'REPLY=none',
  );
  caseFn(
    'note',
    'Remembers the declaration and the machine given on the line, for the names completed.',
    '"$1"',
    ['-c|--config) config=$2 ;;', '--machine) machine=$2 ;;'],
    ':',
  );
  return out.join('\n');
}
