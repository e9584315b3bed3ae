#!/usr/bin/env bash
# usage: check_completion.sh RELC COMPLETION_FILE
# Sources the bash completion of relc and compares, for every subcommand
# `RELC --help` lists, the options `relc SUB --<TAB>` offers, and the values
# `relc SUB --opt=<TAB>` offers, with what `RELC SUB --help` lists. Prints
# each difference and a summary line; exits 1 if there is any.
set -uo pipefail
relc=$1
source "$2"

# Completes the words given, the last being the one under the cursor (as
# bash splits them: `--format=` is `--format`, `=`, and what follows).
comp() {
  COMP_WORDS=("$@")
  COMP_CWORD=$(($# - 1))
  COMPREPLY=()
  _relc 2>/dev/null
  printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort
}

problems=0 subs=0 opts=0
differ() {
  echo "$1:"
  diff <(echo "$2") <(echo "$3") | sed -n 's/^[<>]/  &/p'
  problems=$((problems + 1))
}

want=$("$relc" --help | sed -n '/^SUBCOMMANDS:/,/^  Type/s/^  \([a-z]*\) .*- .*/\1/p' | sort)
have=$(comp relc '' | grep -v '^--')
[ "$want" = "$have" ] || differ "subcommands (< relc --help, > completion)" "$want" "$have"

for sub in $want; do
  subs=$((subs + 1))
  help=$("$relc" "$sub" --help | sed -n '/^relc options:/,$p')
  want_opts=$(echo "$help" | sed -n 's/^  \(--*[a-z-]*\).*/\1/p' | sort)
  have_opts=$(comp relc "$sub" - | grep -vx -- --help | sed 's/=$//')
  [ "$want_opts" = "$have_opts" ] ||
    differ "relc $sub options (< --help, > completion)" "$want_opts" "$have_opts"
  opts=$((opts + $(echo "$want_opts" | wc -l)))
  # Options with listed values: `  --format=<value>` then `    =json  - ...`.
  for opt in $(echo "$help" | sed -n 's/^  \(--[a-z-]*\)=<value>.*/\1/p'); do
    want_values=$(echo "$help" | sed -n "/^  $opt=/,/^  -/s/^    =\([a-z]*\) .*/\1/p" | sort)
    have_values=$(comp relc "$sub" "$opt" = '')
    [ "$want_values" = "$have_values" ] ||
      differ "relc $sub $opt values (< --help, > completion)" "$want_values" "$have_values"
  done
done
echo "$subs subcommands, $opts options, $problems differences"
[ "$problems" -eq 0 ]
