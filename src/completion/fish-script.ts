import type { CommandRow } from './completion-table.js';
import { fishQuote as q, plainText } from '../text/shell-quote.js';

/**
 * The fish completion script: one function that walks the command line (the same walk as the
 * bash and zsh scripts) and prints the candidates, each with its description after a tab;
 * fish itself keeps those that fit the word being completed. File completion is off (-f) and
 * given back only where a file or folder is expected.
 */
export function fishScript(program: string, rows: readonly CommandRow[], header: string): string {
  const id = program.replace(/[^A-Za-z0-9_]/g, '_');
  const fn = `__${id}`;
  const switchFn = (name: string, comment: string, args: string, subject: string, arms: [string, string][], otherwise: string): string =>
    [
      `# ${comment}`,
      `function ${fn}_${name} --argument-names ${args}`,
      `    switch ${subject}`,
      ...arms.flatMap(([pattern, body]) => [`        case ${q(pattern)}`, `            ${body}`]),
      `        case '*'`,
      `            ${otherwise}`,
      '    end',
      'end',
      '',
    ].join('\n');
  const lines = (items: [string, string][]): string => `printf '%s\\t%s\\n' ${items.map(([w, d]) => `${q(w)} ${q(plainText(d))}`).join(' ')}`;

  return `# fish completion for ${program}
${header}

${switchFn(
  'resolve',
  'A word that names a subcommand of command key (by name or alias): prints that subcommand\'s key.',
  'key word',
  '"$key|$word"',
  rows.flatMap((r) => r.subcommands.flatMap((s) => [s.name, ...s.aliases].map((w): [string, string] => [`${r.key}|${w}`, `echo ${q(`${r.key} ${s.name}`)}`]))),
  'return 1',
)}
${switchFn(
  'subcommands',
  'The subcommands of command key, with their descriptions.',
  'key',
  '$key',
  rows.filter((r) => r.subcommands.length > 0).map((r): [string, string] => [r.key, lines(r.subcommands.map((s) => [s.name, s.description]))]),
  'return 0',
)}
${switchFn(
  'options',
  'The options of command key, with their descriptions.',
  'key',
  '$key',
  rows.filter((r) => r.options.length > 0).map((r): [string, string] => [r.key, lines(r.options.map((o) => [o.flag, o.description]))]),
  'return 0',
)}
${switchFn(
  'option_value',
  'What an option of command key takes: none, any, file, dir, machines, users, commands or choices:A,B.',
  'key flag',
  '"$key|$flag"',
  rows.flatMap((r) => r.options.filter((o) => o.value !== 'none').map((o): [string, string] => [`${r.key}|${o.flag}`, `echo ${q(o.value)}`])),
  'echo none',
)}
${switchFn(
  'option_optional',
  'Whether an option of command key may go without its value.',
  'key flag',
  '"$key|$flag"',
  rows.flatMap((r) => r.options.filter((o) => o.optionalValue).map((o): [string, string] => [`${r.key}|${o.flag}`, 'return 0'])),
  'return 1',
)}
${switchFn(
  'argument',
  'What positional argument index (from 0) of command key takes; the last of a command may repeat.',
  'key index',
  '"$key|$index"',
  rows.flatMap((r) =>
    r.args.flatMap((token, i): [string, string][] => {
      const repeats = token.endsWith('...');
      const kind = repeats ? token.slice(0, -3) : token;
      return [[`${r.key}|${i}`, `echo ${q(kind)}`], ...(repeats ? [[`${r.key}|*`, `echo ${q(kind)}`] as [string, string]] : [])];
    }),
  ),
  'echo none',
)}
# Prints the values of a kind, each after prefix (for --option=value).
function ${fn}_values --argument-names kind cur prefix cmd config machine key
    switch $kind
        case file
            for p in (__fish_complete_path $cur)
                echo $prefix$p
            end
        case dir
            for p in (__fish_complete_directories $cur)
                echo $prefix$p
            end
        case 'choices:*'
            for v in (string split , -- (string replace 'choices:' '' -- $kind))
                echo $prefix$v
            end
        case machines users
            # Names from the declaration named on the line; nothing on any error.
            set -l args __complete $kind
            test -n "$config"; and set -a args -c $config
            test -n "$machine"; and set -a args --machine $machine
            for v in ($cmd $args 2>/dev/null </dev/null)
                echo $prefix$v
            end
        case commands
            # The commands beside this one (help COMMAND).
            ${fn}_subcommands (string replace -r ' [^ ]*$' '' -- $key)
    end
end

function ${fn}_complete
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    set -l cmdpath ${q(program)}
    set -l n 0
    set -l value_of
    set -l prefix
    set -l config
    set -l machine
    set -l count (count $tokens)
    set -l i 2
    # Which command the words so far lead to, how many arguments it has been given, and
    # whether the word being completed is an option's value.
    while test $i -le $count
        set -l w $tokens[$i]
        switch $w
            case '--'
                set n (math $n + $count - $i)
                break
            case '--*=*'
                set -l parts (string split -m 1 = -- $w)
                switch $parts[1]
                    case -c --config
                        set config $parts[2]
                    case --machine
                        set machine $parts[2]
                end
            case '-?*'
                if test (${fn}_option_value $cmdpath $w) != none
                    if test $i -eq $count
                        if not ${fn}_option_optional $cmdpath $w; or not string match -q -- '-*' "$cur"
                            set value_of $w
                        end
                        break
                    else if not ${fn}_option_optional $cmdpath $w; or not string match -q -- '-*' $tokens[(math $i + 1)]
                        set i (math $i + 1)
                        switch $w
                            case -c --config
                                set config $tokens[$i]
                            case --machine
                                set machine $tokens[$i]
                        end
                    end
                end
            case '*'
                set -l next (${fn}_resolve $cmdpath $w)
                if test $n -eq 0; and test -n "$next"
                    set cmdpath $next
                else
                    set n (math $n + 1)
                end
        end
        set i (math $i + 1)
    end
    if test -z "$value_of"; and string match -q -- '--*=*' "$cur"
        set -l parts (string split -m 1 = -- $cur)
        set value_of $parts[1]
        set prefix "$parts[1]="
        set cur $parts[2]
    end
    set -l cmd (string replace -r '^~/' "$HOME/" -- $tokens[1])
    if test -n "$value_of"
        ${fn}_values (${fn}_option_value $cmdpath $value_of) "$cur" "$prefix" $cmd "$config" "$machine" $cmdpath
        return 0
    end
    if string match -q -- '-*' "$cur"
        ${fn}_options $cmdpath
        return 0
    end
    if test $n -eq 0
        ${fn}_subcommands $cmdpath
    end
    ${fn}_values (${fn}_argument $cmdpath $n) "$cur" '' $cmd "$config" "$machine" $cmdpath
end

complete -c ${program} -e
complete -c ${program} -f -a '(${fn}_complete)'
`;
}
