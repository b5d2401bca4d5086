import type { CommandRow } from './completion-table.js';
import { posixLookups } from './posix-lookups.js';
import { plainText, posixQuote as q } from '../text/shell-quote.js';

/**
 * The zsh completion script: a `#compdef` file that works both autoloaded from fpath (as
 * `_provision`) and sourced (`source <(provision completion zsh)` after compinit). Commands and
 * options are offered with their descriptions through _describe; files through _files.
 */
export function zshScript(program: string, rows: readonly CommandRow[], header: string): string {
  const id = program.replace(/[^A-Za-z0-9_]/g, '_');
  const fn = `__${id}`;
  // _describe reads "word:description"; a colon in the word must be escaped.
  const described = (word: string, description: string): string => q(`${word.replace(/:/g, '\\:')}:${plainText(description)}`);
  const describedFn = (name: string, comment: string, arms: string[]): string =>
    [`# ${comment}`, `${fn}_${name}() {`, '  case "$1" in', ...arms.map((a) => `    ${a}`), `    *) ${fn}_items=() ;;`, '  esac', '}', ''].join('\n');
  return `#compdef ${program}
# zsh completion for ${program}
${header}

${posixLookups(fn, rows)}
${describedFn(
  'described_subcommands',
  `The subcommands of command $1 with their descriptions, in ${fn}_items.`,
  rows.filter((r) => r.subcommands.length > 0).map((r) => `${q(r.key)}) ${fn}_items=(${r.subcommands.map((s) => described(s.name, s.description)).join(' ')}) ;;`),
)}
${describedFn(
  'described_options',
  `The options of command $1 with their descriptions, in ${fn}_items.`,
  rows.filter((r) => r.options.length > 0).map((r) => `${q(r.key)}) ${fn}_items=(${r.options.map((o) => described(o.flag, o.description)).join(' ')}) ;;`),
)}
# Machine or user names from the declaration, one a line; nothing on any error.
${fn}_names() {
  local cmd=$words[1]
  case $cmd in '~/'*) cmd=$HOME/\${cmd#\\~/} ;; esac
  local -a args
  args=(__complete "$1")
  [[ -n $config ]] && args+=(-c "$config")
  [[ -n $machine ]] && args+=(--machine "$machine")
  "$cmd" "\${args[@]}" 2>/dev/null </dev/null
}

# Offers the values of kind $1.
${fn}_values() {
  local -a values
  case $1 in
    file) _files ;;
    dir) _files -/ ;;
    choices:*)
      values=(\${(s:,:)\${1#choices:}})
      compadd -a values ;;
    machines|users)
      values=(\${(f)"$(${fn}_names "$1")"})
      compadd -a values ;;
    commands)
      ${fn}_described_subcommands "\${cmdpath% *}"
      _describe -t commands 'command' ${fn}_items ;;
  esac
}

_${id}() {
  local cur=$words[CURRENT] cmdpath='${program}' n=0 i=2 w value_of='' config='' machine='' REPLY
  local -a ${fn}_items
  # Which command the words so far lead to, how many arguments it has been given, and whether
  # the word being completed is an option's value.
  while (( i < CURRENT )); do
    w=$words[i]
    case $w in
      --)
        n=$(( n + CURRENT - i - 1 ))
        break ;;
      --*=*)
        ${fn}_note "\${w%%=*}" "\${w#*=}" ;;
      -?*)
        ${fn}_option_value "$cmdpath" "$w"
        if [[ $REPLY != none ]]; then
          if (( i + 1 >= CURRENT )); then
            if ! ${fn}_option_optional "$cmdpath" "$w" || [[ $cur != -* ]]; then value_of=$w; fi
            break
          elif ! ${fn}_option_optional "$cmdpath" "$w" || [[ $words[i+1] != -* ]]; then
            ${fn}_note "$w" "$words[i+1]"
            i=$(( i + 1 ))
          fi
        fi ;;
      *)
        if (( n == 0 )) && ${fn}_resolve "$cmdpath" "$w"; then cmdpath=$REPLY; else n=$(( n + 1 )); fi ;;
    esac
    i=$(( i + 1 ))
  done
  if [[ -z $value_of && $cur == --*=* ]]; then
    value_of=\${cur%%=*}
    compset -P '*='
  fi
  if [[ -n $value_of ]]; then
    ${fn}_option_value "$cmdpath" "$value_of"
    ${fn}_values "$REPLY"
    return
  fi
  if [[ $cur == -* ]]; then
    ${fn}_described_options "$cmdpath"
    _describe -t options 'option' ${fn}_items
    return
  fi
  if (( n == 0 )); then
    ${fn}_described_subcommands "$cmdpath"
    (( \${#${fn}_items} > 0 )) && _describe -t commands 'command' ${fn}_items
  fi
  ${fn}_argument "$cmdpath" "$n"
  ${fn}_values "$REPLY"
}

if [[ \${zsh_eval_context[-1]} == loadautofunc ]]; then
  _${id} "$@"
else
  compdef _${id} ${program}
fi
`;
}
