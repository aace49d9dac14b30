#!/usr/bin/env bash
# Domains bounded per second on single instances, with several NNVERIFY_ENABLE settings taking turns (setting
# by setting within each round), so that a machine whose load changes treats them alike. Prints, per instance
# and setting, the domains bounded and the rate of every round. This is how a throughput change states its gain.
#   benchmarks/domain-rate.sh TIMEOUT ROUNDS SETTING... -- SUITE/ONNX,SUITE/VNNLIB ...
# SETTING is a value for NNVERIFY_ENABLE ("none" for the default build); instances are paths under
# ../shared/benchmarks, e.g.
#   benchmarks/domain-rate.sh 30 2 none f32-products -- acasxu/onnx/ACASXU_run2a_1_1_batch_2000.onnx,acasxu/vnnlib/prop_6.vnnlib
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${NNVERIFY_BIN:-.build/release/nnverify}
timeout=${1:?usage: benchmarks/domain-rate.sh TIMEOUT ROUNDS SETTING... -- INSTANCE...}
rounds=${2:?rounds}
shift 2
settings=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do settings+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
root=../shared/benchmarks
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); binary $bin; timeout $timeout s"
for instance in "$@"; do
    onnx=${instance%%,*}; spec=${instance##*,}
    for round in $(seq "$rounds"); do
        for setting in "${settings[@]}"; do
            enable=$setting; [ "$setting" = none ] && enable=""
            out=$(NNVERIFY_ENABLE=$enable "$bin" verify "$root/$onnx" "$root/$spec" --timeout "$timeout" --quiet 2>&1 || true)
            verdict=$(echo "$out" | head -1)
            domains=$(echo "$out" | sed -n 's/.*domains bounded: \([0-9]*\).*/\1/p')
            time=$(echo "$out" | sed -n 's/.*time: \([0-9.]*\) s.*/\1/p')
            rate=$(awk -v d="${domains:-0}" -v t="${time:-1}" 'BEGIN { printf "%.1f", d / t }')
            echo "$(basename "$onnx") $(basename "$spec") round $round $setting: $verdict, ${domains:-0} domains in ${time:-?} s = $rate/s"
        done
    done
done
