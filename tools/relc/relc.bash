# bash completion for relc                                  -*- shell-script -*-
#
# Installed as share/bash-completion/completions/relc, where bash-completion
# loads it the first time `relc <TAB>` is pressed. Completes subcommands, the
# options of each (test/lit/Driver/completion.test keeps the lists equal to
# `relc SUBCOMMAND --help`), option values, and plan, model and Markdown
# files. Works without bash-completion's helpers too.

_relc_options() {
  case $1 in
  check) echo "--emit= --no-locations --parse-only --stdin-filename= --format= --diagnostics-format= --diagnostics-output= --error-limit=" ;;
  fmt) echo "--check --write --stdout --stdin-filename= --skip-invalid --format= --diagnostics-format= --diagnostics-output= --error-limit=" ;;
  matrix) echo "--format= --channel= --where= --matrix= --explain= --diagnostics-format= --diagnostics-output= --error-limit=" ;;
  graph) echo "--format= --stage= --rc= --diagnostics-format= --diagnostics-output= --error-limit=" ;;
  emit) echo "-o --check --lock= --no-split --skip-invalid --format= --diagnostics-format= --diagnostics-output= --error-limit=" ;;
  run) echo "--stage= --execute --rc= --step= --leg= --built= --repo= --remote= --state-dir= --approve= --partner-remote= --today= --artifacts= --timeout= --format= --diagnostics-format= --diagnostics-output= --error-limit=" ;;
  calendar) echo "--format= --diagnostics-format= --diagnostics-output= --error-limit=" ;;
  docs) echo "--check --write --skip-invalid --diagnostics-format= --diagnostics-output= --error-limit=" ;;
  lsp) echo "--max-message-size=" ;;
  explain) echo "--all --format=" ;;
  init) echo "--dir= --force --today=" ;;
  esac
}

# Files whose names end in one of the suffixes, and directories.
_relc_files() {
  local cur=$1 suffix
  shift
  compopt -o filenames 2>/dev/null
  COMPREPLY=($(compgen -d -- "$cur"))
  for suffix in "$@"; do
    COMPREPLY+=($(compgen -f -X "!*$suffix" -- "$cur"))
  done
}

_relc() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
  local subcommands="init check fmt matrix graph emit run calendar docs lsp explain"
  COMPREPLY=()

  # `--format=js`: '=' breaks words, so the option is one or two words back.
  local option= value=
  if [[ $cur == = ]]; then
    option=$prev
  elif [[ $prev == = && $COMP_CWORD -ge 2 ]]; then
    option=${COMP_WORDS[COMP_CWORD - 2]} value=$cur
  fi

  local sub= i positional=0
  for ((i = 1; i < COMP_CWORD; i++)); do
    case ${COMP_WORDS[i]} in
    -* | =) ;;
    *)
      if [[ -z $sub ]]; then
        sub=${COMP_WORDS[i]}
      elif [[ ${COMP_WORDS[i - 1]} != = && ${COMP_WORDS[i - 1]} != -o ]]; then
        ((positional++))
      fi
      ;;
    esac
  done

  if [[ -z $sub ]]; then
    COMPREPLY=($(compgen -W "$subcommands --help --version" -- "$cur"))
    return
  fi

  if [[ -n $option ]]; then
    local values=
    case $sub:$option in
    check:--emit) values="none ast plan" ;;
    check:--format | fmt:--format | emit:--format | *:--diagnostics-format)
      values="text json sarif github" ;;
    explain:--format) values="text markdown" ;;
    matrix:--format) values="table json markdown include" ;;
    graph:--format) values="json dot mermaid" ;;
    run:--format) values="text json" ;;
    calendar:--format) values="ics markdown" ;;
    *:--repo | *:--state-dir | *:--artifacts | *:--built | init:--dir)
      compopt -o filenames 2>/dev/null
      COMPREPLY=($(compgen -d -- "$value"))
      return
      ;;
    *:--lock)
      _relc_files "$value" .yaml .yml
      return
      ;;
    esac
    COMPREPLY=($(compgen -W "$values" -- "$value"))
    return
  fi

  if [[ $prev == -o ]]; then
    compopt -o filenames 2>/dev/null
    COMPREPLY=($(compgen -f -- "$cur"))
    return
  fi

  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$(_relc_options "$sub") --help" -- "$cur"))
    # An option that takes a value: no space after its '='.
    [[ ${COMPREPLY[*]} == *= ]] && compopt -o nospace 2>/dev/null
    return
  fi

  case $sub in
  check) _relc_files "$cur" .relplan .yaml .yml ;;
  emit)
    if ((positional == 0)); then
      COMPREPLY=($(compgen -W "github gitlab" -- "$cur"))
    else
      _relc_files "$cur" .relplan
    fi
    ;;
  docs)
    if ((positional == 0)); then
      COMPREPLY=($(compgen -W "update" -- "$cur"))
    else
      _relc_files "$cur" .md .markdown
    fi
    ;;
  lsp | explain | init) ;;
  *) _relc_files "$cur" .relplan ;;
  esac
} && complete -F _relc relc
