#!/usr/bin/env bash
# Cost of bounds that are sound under rounding (Docs/soundness.md): runs the same instances with this
# build and with a baseline build and prints both summaries and the ratio of their total times.
#   BASELINE_BIN=/path/to/old/nnverify benchmarks/rounding-overhead.sh [every-nth-acas] [mnistfc-count]
# The baseline is any earlier nnverify binary, e.g. commit cf0541a built with `swift build -c release`.
# Defaults: every 3rd ACAS Xu instance (62) and the first 24 mnistfc instances at 0.1 of their timeouts.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${BASELINE_BIN:?set BASELINE_BIN to a baseline nnverify binary}
. benchmarks/release-binary.sh
step=${1:-3}
count=${2:-24}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A subset of a suite with absolute paths (so the lists may live outside the suite folder).
subset() {  # suite-dir selector-awk-condition output-prefix
    local dir; dir=$(cd "$1" && pwd)
    awk -F, -v d="$dir" "$2"' { print d "/" $1 "," d "/" $2 "," $3 }' "$dir/instances.csv" | sed 's|/\./|/|g' > "$3.csv"
    { echo "onnx,vnnlib,expected"
      awk -F, -v d="$dir" 'NR > 1 { print d "/" $1 "," d "/" $2 "," $3 }' "$dir/expected.csv" | sed 's|/\./|/|g'; } > "$3-expected.csv"
}
subset ../shared/benchmarks/acasxu "NR % $step == 1" "$tmp/acas"
subset ../shared/benchmarks/mnistfc "NR <= $count" "$tmp/mnist"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
total() { sed -n 's/.*total \([0-9.]*\) s.*/\1/p' "$1" | tail -1; }
for suite in acas mnist; do
    scale=1; [ "$suite" = mnist ] && scale=0.1
    for who in baseline current; do
        bin=$base; [ "$who" = current ] && bin=$NNVERIFY_BIN
        "$bin" bench "$tmp/$suite.csv" --expected "$tmp/$suite-expected.csv" --timeout-scale "$scale" \
            > "$tmp/$suite-$who.log" 2>&1 || true
        echo "$suite $who: $(grep ' instances: ' "$tmp/$suite-$who.log" | tail -1)"
        mkdir -p benchmarks/out && cp "$tmp/$suite-$who.log" "benchmarks/out/rounding-$suite-$who.log"
    done
    b=$(total "$tmp/$suite-baseline.log"); c=$(total "$tmp/$suite-current.log")
    echo "$suite: current / baseline total time = $(awk -v c="$c" -v b="$b" 'BEGIN { printf "%.2f", c / b }')"
    # Instances whose verdict differs between the two builds.
    diff <(awk 'NR > 1 && NF >= 3 { print $1, $2, $3 }' "$tmp/$suite-baseline.log" | grep -E ' (sat|unsat|unknown|timeout|error)$') \
         <(awk 'NR > 1 && NF >= 3 { print $1, $2, $3 }' "$tmp/$suite-current.log" | grep -E ' (sat|unsat|unknown|timeout|error)$') \
        | sed 's/^/  verdict changed: /' || true
done
