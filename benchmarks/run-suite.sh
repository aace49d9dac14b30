#!/usr/bin/env bash
# Runs one benchmark suite from ../shared/benchmarks (or any folder with instances.csv and
# expected.csv) with the release build and prints the bench table and summary.
#   benchmarks/run-suite.sh acasxu [extra nnverify bench options]
# The per-instance results go to benchmarks/out/<suite>.csv (not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
suite=${1:?usage: benchmarks/run-suite.sh SUITE [bench options]}
shift
dir=../shared/benchmarks/$suite
[ -d "$dir" ] || dir=$suite
[ -f "$dir/instances.csv" ] || { echo "no instances.csv in $dir" >&2; exit 1; }
./scripts/setup.sh
swift build -c release --product nnverify
bin=$(swift build -c release --product nnverify --show-bin-path)/nnverify
mkdir -p benchmarks/out
name=$(basename "$dir")
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "command: $bin bench $dir/instances.csv --expected $dir/expected.csv --results benchmarks/out/$name.csv $*"
"$bin" bench "$dir/instances.csv" --expected "$dir/expected.csv" --results "benchmarks/out/$name.csv" "$@"
