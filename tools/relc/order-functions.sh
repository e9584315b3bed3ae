#!/usr/bin/env bash
# Lists the functions of relc that its usual commands run, for the linker to
# lay out together (cmake/FunctionOrder.cmake): writes
# tools/relc/hot-functions.txt. Run it on a Release build after a change
# that moves much code; a stale list costs start-up time, never correctness
# (functions it does not name are laid out after the ones it does).
#
#   tools/relc/order-functions.sh [BUILD_DIR]    (default: build)
#
# Needs valgrind. The commands: --version, and check, check --parse-only,
# matrix, graph and fmt --check on a bundled PyTorch release, each under
# callgrind; a function is listed once, in the order callgrind first
# reports it, with its mangled name as the linker sees it.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
relc="$(cd "${1:-$root/build}" && pwd)/bin/relc"
plan="$root/plans/pytorch/2.4.relplan"
out="$root/tools/relc/hot-functions.txt"
command -v valgrind >/dev/null || { echo "order-functions: needs valgrind" >&2; exit 2; }
[ -x "$relc" ] || { echo "order-functions: no $relc" >&2; exit 2; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# Warm the model cache first: the runs should take the path users take.
"$relc" check "$plan" >/dev/null
n=0
for args in "--version" "check $plan" "check --parse-only $plan" \
            "matrix $plan --format=json" "graph $plan --format=json" \
            "fmt --check $plan"; do
  n=$((n + 1))
  # shellcheck disable=SC2086 # the arguments are split on purpose
  valgrind --tool=callgrind --demangle=no --compress-strings=no \
    --callgrind-out-file="$tmp/$n.out" "$relc" $args >/dev/null 2>&1 || true
done
# Each `ob=` line names the object the `fn=` lines after it belong to.
awk -v exe="$relc" '
  /^ob=/ { ob = substr($0, 4) }
  /^fn=/ { fn = substr($0, 4)
           if (ob == exe && fn !~ /^0x/ && !(fn in seen)) { seen[fn]; print fn } }
' $(ls "$tmp"/*.out | sort -V) > "$tmp/list"
[ -s "$tmp/list" ] || { echo "order-functions: callgrind listed nothing" >&2; exit 1; }
mv "$tmp/list" "$out"
echo "order-functions: $(wc -l < "$out") functions in $out"
