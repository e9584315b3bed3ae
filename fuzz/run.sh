#!/usr/bin/env bash
# Runs one fuzz target for a while on seeds assembled from the repository:
#   fuzz/run.sh TARGET SECONDS [LIBFUZZER-OPTION...]
# TARGET is plan, model or fmt, built in build-fuzz (RELC_FUZZ_BUILD to use
# another build directory; README.md, "Fuzzing and sanitizers"). The seeds
# are rebuilt from plans/ and test/lit at every run, never committed:
#   plan   every plan file alone, and split-file bundles (a project, its
#          models and one release): plans/ and test/lit Inputs directories
#          as bundles, the lit tests that hold split-file parts as they are;
#   model  every model: plans/compat, test/lit Inputs, and the .yaml parts of
#          the lit tests;
#   fmt    every plan file, the .relplan parts of the lit tests included.
# Work goes to BUILD/fuzz-TARGET: seeds/ (rebuilt), corpus/ (what libFuzzer
# found interesting, kept between runs) and artifacts/ (inputs that failed).
# Exits non-zero on any finding: a crash, a sanitizer report, a leak, a
# failed round trip, an input slower than 20 s or a memory blow-up.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ $# -ge 2 ] || { echo "usage: fuzz/run.sh plan|model|fmt SECONDS [OPTION...]" >&2; exit 2; }
target=$1 seconds=$2
shift 2
build="${RELC_FUZZ_BUILD:-$root/build-fuzz}"
bin="$build/bin/relc-fuzz-$target"
[ -x "$bin" ] || { echo "fuzz/run.sh: no $bin; build the relc-fuzzers target" >&2; exit 2; }
work="$build/fuzz-$target"
tools="${RELC_LLVM_TOOLS_DIR:-/usr/lib/llvm-14/bin}"
seeds="$work/seeds"
rm -rf "$seeds"
mkdir -p "$seeds" "$work/corpus" "$work/artifacts"

n=0
seed() { # seed FILE...: one seed, the files' contents one after the other
  n=$((n + 1))
  cat "$@" >"$seeds/$n"
}
bundle() { # bundle FILE...: one seed in split-file's format
  n=$((n + 1))
  for f in "$@"; do
    printf '#--- %s\n' "$(basename "$f")"
    cat "$f"
    # A file without a final newline would swallow the next marker.
    [ -z "$(tail -c1 "$f")" ] || echo
  done >"$seeds/$n"
}
is_release() { grep -qE '^[[:space:]]*release[[:space:]]' "$1"; }

# The split-file parts of the lit tests, each test in a directory of its own.
parts="$work/parts"
rm -rf "$parts"
mkdir -p "$parts"
tests=()
while IFS= read -r t; do tests+=("$t"); done < <(grep -rlE --include='*.test' '^#--- ' "$root/test/lit" | sort)
i=0
for t in "${tests[@]}"; do
  i=$((i + 1))
  "$tools/split-file" "$t" "$parts/$i" 2>/dev/null || true
done

plan_files() {
  find "$root/plans" "$root/test/lit" "$parts" -name '*.relplan' -type f | sort
}
model_files() {
  find "$root/plans" "$root/test/lit" "$parts" \( -name '*.yaml' -o -name '*.yml' \) \
    -type f ! -path '*/Golden/*' ! -path '*/node_modules/*' | sort
}

case "$target" in
plan)
  dict="$root/fuzz/relplan.dict"
  while IFS= read -r f; do seed "$f"; done < <(plan_files)
  # Each directory of plans next to their project (and models): the
  # project and models with each release in turn.
  while IFS= read -r dir; do
    common=() releases=()
    for f in "$dir"/*.relplan "$dir"/*.yaml; do
      [ -f "$f" ] || continue
      if [[ $f == *.relplan ]] && is_release "$f"; then releases+=("$f"); else common+=("$f"); fi
    done
    for r in "${releases[@]}"; do bundle "${common[@]}" "$r"; done
  done < <(find "$root/plans" "$root/test/lit" -name '*.relplan' -path '*/plans/*' -o -name '*.relplan' -path '*/Inputs/*' |
    xargs -n1 dirname | sort -u)
  for t in "${tests[@]}"; do
    if grep -q '^#--- .*\.relplan' "$t"; then seed "$t"; fi
  done
  ;;
model)
  dict="$root/fuzz/model.dict"
  while IFS= read -r f; do seed "$f"; done < <(model_files)
  ;;
fmt)
  dict="$root/fuzz/relplan.dict"
  while IFS= read -r f; do seed "$f"; done < <(plan_files)
  ;;
*)
  echo "fuzz/run.sh: unknown target '$target' (plan, model or fmt)" >&2
  exit 2
  ;;
esac
echo "fuzz/run.sh: $target: $n seeds, $seconds s"

# -timeout: an input slower than this is a finding (a hang); -rss_limit_mb
# likewise for memory. The first directory receives what libFuzzer finds.
exec "$bin" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
  -dict="$dict" -artifact_prefix="$work/artifacts/" -print_final_stats=1 \
  "$@" "$work/corpus" "$seeds"
