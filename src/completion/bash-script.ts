import type { CommandRow } from './completion-table.js';
import { posixLookups } from './posix-lookups.js';

/**
 * The bash completion script. It needs no bash-completion package (only `complete` and
 * `compgen`, and `compopt` where bash has it: not the 3.2 macOS ships), so it also works when
 * sourced from ~/.bashrc. Bash splits `--verify=content` into three words at the `=` (it is in
 * COMP_WORDBREAKS); the walk takes both spellings.
 */
export function bashScript(program: string, rows: readonly CommandRow[], header: string): string {
  const id = program.replace(/[^A-Za-z0-9_]/g, '_');
  const fn = `__${id}`;
  return `# bash completion for ${program}
${header}

${posixLookups(fn, rows)}
# Machine or user names from the declaration, one a line; nothing on any error.
${fn}_names() {
  local cmd=\${words[0]}
  case $cmd in '~/'*) cmd=$HOME/\${cmd#'~/'} ;; esac
  local -a args=(__complete "$1")
  [ -n "$config" ] && args+=(-c "$config")
  [ -n "$machine" ] && args+=(--machine "$machine")
  "$cmd" "\${args[@]}" 2>/dev/null </dev/null
}

# Fills COMPREPLY with the values of kind $1 that start with $2, each after prefix $3.
${fn}_values() {
  local kind=$1 cur=$2 prefix=$3 name quoted
  local IFS=$'\\n'
  case $kind in
    file)
      compopt -o filenames 2>/dev/null
      COMPREPLY=($(compgen -f -- "$cur")) ;;
    dir)
      compopt -o filenames 2>/dev/null
      COMPREPLY=($(compgen -d -- "$cur")) ;;
    choices:*)
      IFS=$',\\n'
      COMPREPLY=($(compgen -W "\${kind#choices:}" -- "$cur")) ;;
    machines|users)
      COMPREPLY=()
      for name in $(${fn}_names "$kind"); do
        case $name in "$cur"*) printf -v quoted '%q' "$name"; COMPREPLY+=("$quoted") ;; esac
      done ;;
    commands)
      ${fn}_subcommands "\${cmdpath% *}"
      IFS=$' \\n'
      COMPREPLY=($(compgen -W "$REPLY" -- "$cur")) ;;
    *) COMPREPLY=() ;;
  esac
  if [ -n "$prefix" ] && [ \${#COMPREPLY[@]} -gt 0 ]; then
    COMPREPLY=("\${COMPREPLY[@]/#/$prefix}")
  fi
}

_${id}() {
  local -a words=("\${COMP_WORDS[@]}")
  local cword=$COMP_CWORD
  local cur=\${words[cword]} cmdpath='${program}' n=0 i=1 w value_of='' prefix='' config='' machine='' REPLY
  COMPREPLY=()
  # Which command the words so far lead to, how many arguments it has been given, and whether
  # the word being completed is an option's value.
  while [ $i -lt $cword ]; do
    w=\${words[i]}
    case $w in
      --)
        n=$((n + cword - i - 1))
        break ;;
      --*=*)
        ${fn}_note "\${w%%=*}" "\${w#*=}" ;;
      -?*)
        ${fn}_option_value "$cmdpath" "$w"
        if [ "$REPLY" != none ]; then
          if [ "\${words[i+1]}" = '=' ]; then
            if [ $((i + 2)) -ge $cword ]; then
              value_of=$w
              [ "$cur" = '=' ] && cur=''
              break
            fi
            ${fn}_note "$w" "\${words[i+2]}"
            i=$((i + 2))
          elif [ $((i + 1)) -ge $cword ]; then
            if ! ${fn}_option_optional "$cmdpath" "$w" || [ "\${cur#-}" = "$cur" ]; then value_of=$w; fi
            break
          elif ! ${fn}_option_optional "$cmdpath" "$w" || [ "\${words[i+1]#-}" = "\${words[i+1]}" ]; then
            ${fn}_note "$w" "\${words[i+1]}"
            i=$((i + 1))
          fi
        fi ;;
      *)
        if [ $n -eq 0 ] && ${fn}_resolve "$cmdpath" "$w"; then cmdpath=$REPLY; else n=$((n + 1)); fi ;;
    esac
    i=$((i + 1))
  done
  if [ -z "$value_of" ]; then
    case $cur in
      --*=*)
        value_of=\${cur%%=*}
        prefix="$value_of="
        cur=\${cur#*=} ;;
    esac
  fi
  if [ -n "$value_of" ]; then
    ${fn}_option_value "$cmdpath" "$value_of"
    ${fn}_values "$REPLY" "$cur" "$prefix"
    return 0
  fi
  case $cur in
    -*)
      ${fn}_options "$cmdpath"
      COMPREPLY=($(compgen -W "$REPLY" -- "$cur"))
      return 0 ;;
  esac
  ${fn}_argument "$cmdpath" "$n"
  ${fn}_values "$REPLY" "$cur" ''
  if [ $n -eq 0 ]; then
    ${fn}_subcommands "$cmdpath"
    COMPREPLY+=($(compgen -W "$REPLY" -- "$cur"))
  fi
  return 0
}

complete -F _${id} ${program}
`;
}
