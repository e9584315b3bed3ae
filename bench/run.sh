#!/usr/bin/env bash
# relc benchmarks: generates synthetic plans (bench/gen.py) and prints Markdown tables of
# wall time (median, min, p90 of N runs) and peak memory (max RSS) per command and size.
#
#   bench/run.sh                          # full run against build/bin/relc (about 15 min)
#   bench/run.sh --quick                  # smoke test: small sizes, few runs (seconds)
#   bench/run.sh --relc /tmp/build-bench/bin/relc --series startup,legs
#   bench/run.sh --help                   # every option
#
# Results are also written to bench/out/results.md and bench/out/results.json.
# Uses /usr/bin/python3 (standard library only); hyperfine times the runs if installed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
py=/usr/bin/python3
[ -x "$py" ] || py="$(command -v python3)"
exec "$py" "$here/bench.py" "$@"
