#!/usr/bin/env bash
# Runs one suite with a baseline nnverify binary and with this build, one after the other in the same run,
# and prints both summaries, the ratio of total times and every instance whose verdict differs. This is how
# a refactor states its cost (e.g. the operator redesign on ACAS Xu) and shows that verdicts are unchanged.
#   BASELINE_BIN=/path/to/old/nnverify benchmarks/compare-builds.sh SUITE [timeout-scale] [bench options]
# Build the baseline from an older commit, e.g.
#   git worktree add /tmp/base c2a5037 && (cd /tmp/base && swift build -c release --product nnverify)
# SUITE is a folder of ../shared/benchmarks (acasxu, mnistfc, ...) or any folder with instances.csv and
# expected.csv. Logs go to benchmarks/out/compare-SUITE-{baseline,current}.log (not committed).
# With SIMULTANEOUS=1 both builds run at the same time (each on its share of the cores), so that a machine
# whose load changes during the run treats both alike; times are then not comparable with other runs.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${BASELINE_BIN:?set BASELINE_BIN to a baseline nnverify binary}
suite=${1:?usage: BASELINE_BIN=... benchmarks/compare-builds.sh SUITE [timeout-scale] [bench options]}
scale=${2:-1}
shift; [ $# -gt 0 ] && shift
. benchmarks/suite-setup.sh
mkdir -p benchmarks/out
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "suite: $dir, timeout scale $scale, options: $*"
total() { sed -n 's/.*total \([0-9.]*\) s.*/\1/p' "$1" | tail -1; }
run() {  # who [bench options]
    local who=$1; shift
    local bin=$base; [ "$who" = current ] && bin=$NNVERIFY_BIN
    "$bin" bench "$dir/instances.csv" --expected "$dir/expected.csv" --timeout-scale "$scale" "$@" \
        > "benchmarks/out/compare-$name-$who.log" 2>&1 || true
}
if [ "${SIMULTANEOUS:-0}" = 1 ]; then
    run baseline "$@" & run current "$@" & wait
else
    run baseline "$@"; run current "$@"
fi
for who in baseline current; do
    bin=$base; [ "$who" = current ] && bin=$NNVERIFY_BIN
    echo "$who ($bin): $(grep ' instances: ' "benchmarks/out/compare-$name-$who.log" | tail -1)"
done
b=$(total "benchmarks/out/compare-$name-baseline.log"); c=$(total "benchmarks/out/compare-$name-current.log")
echo "current / baseline total time = $(awk -v c="$c" -v b="$b" 'BEGIN { printf "%.3f", c / b }')"
verdicts() { awk 'NR > 1 && NF >= 3 { print $1, $2, $3 }' "$1" | grep -E ' (sat|unsat|unknown|timeout|error)$' || true; }
changed=$(diff <(verdicts "benchmarks/out/compare-$name-baseline.log") <(verdicts "benchmarks/out/compare-$name-current.log") \
    | grep '^[<>]' || true)
if [ -z "$changed" ]; then echo "verdicts: identical"; else echo "verdicts that differ (< baseline, > current):"; echo "$changed"; fi
