#!/usr/bin/env bash
# Rewrites every VNN-LIB 1.0 property of a suite as a VNN-LIB 2.0 query (scripts/vnnlib1to2.py),
# then runs the 2.0 suite with the same expected verdicts and known witnesses, in release mode.
#   benchmarks/vnnlib2-suite.sh acasxu [extra nnverify bench options, e.g. --timeout-scale 0.5]
# The converted suite goes to benchmarks/out/<suite>-vnnlib2/ (not committed); compare its summary
# with benchmarks/run-suite.sh on the same suite.
set -euo pipefail
cd "$(dirname "$0")/.."
suite=${1:?usage: benchmarks/vnnlib2-suite.sh SUITE [bench options]}
shift
src=$(cd ../shared/benchmarks/$suite && pwd)
out=benchmarks/out/$suite-vnnlib2
rm -rf "$out" && mkdir -p "$out"
find "$src/vnnlib" -name '*.vnnlib' | while read -r f; do
    rel=${f#"$src"/}
    mkdir -p "$out/$(dirname "$rel")"
    python3 scripts/vnnlib1to2.py "$f" "$out/$rel"
done
ln -s "$src/onnx" "$out/onnx"
[ -d "$src/witnesses" ] && ln -s "$src/witnesses" "$out/witnesses"
cp "$src/instances.csv" "$src/expected.csv" "$out/"
swift build -c release --product nnverify
bin=$(swift build -c release --product nnverify --show-bin-path)/nnverify
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "command: $bin bench $out/instances.csv --expected $out/expected.csv --results benchmarks/out/$suite-vnnlib2.csv $*"
"$bin" bench "$out/instances.csv" --expected "$out/expected.csv" --results "benchmarks/out/$suite-vnnlib2.csv" "$@"
