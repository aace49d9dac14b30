#!/usr/bin/env bash
# Projects the speed-up of `nnverify split` + a job array on hard instances: each instance is verified
# directly, then split into K parts whose parts run one after another here; the projected makespan on K
# machines is the split time plus the slowest part (every part on its own machine, no queueing).
#
#   benchmarks/split-makespan.sh [K ...]         (default: 4 16)
#
# Needs ../shared/benchmarks/acasxu and a release build (.build/release/nnverify). Instances: INSTANCES
# ("net prop" pairs, default "3_3 2" and "4_2 2", the two slowest ACAS Xu instances).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
acas=$root/../shared/benchmarks/acasxu
bin=$root/.build/release/nnverify
counts=("$@"); [ ${#counts[@]} -gt 0 ] || counts=(4 16)
instances=${INSTANCES:-"3_3 2
4_2 2"}
work=$(mktemp -d)
now() { date +%s.%N; }
echo "| instance | parts | verdict | split s | slowest part s | sum of parts s | projected makespan s | direct s | speed-up |"
echo "|---|---|---|---|---|---|---|---|---|"
while read -r net prop; do
    onnx=$acas/onnx/ACASXU_run2a_${net}_batch_2000.onnx; spec=$acas/vnnlib/prop_$prop.vnnlib
    t0=$(now); direct=$("$bin" verify "$onnx" "$spec" --timeout 116 | head -1 || true); t1=$(now)
    direct_s=$(echo "$t1 - $t0" | bc)
    for k in "${counts[@]}"; do
        dir=$work/${net}_${prop}_$k
        t0=$(now); "$bin" split "$onnx" "$spec" --parts "$k" --out "$dir" --timeout 116 >/dev/null; t1=$(now)
        split_s=$(echo "$t1 - $t0" | bc)
        slowest=0; sum=0
        while IFS=, read -r o v t; do
            name=$(basename "$v" .vnnlib)
            t0=$(now); "$bin" verify "$dir/$o" "$dir/$v" --timeout "$t" --results "$dir/results/$name.result" >/dev/null || true; t1=$(now)
            s=$(echo "$t1 - $t0" | bc)
            sum=$(echo "$sum + $s" | bc)
            slowest=$(echo "if ($s > $slowest) $s else $slowest" | bc)
        done < "$dir/instances.csv"
        merged=$("$bin" merge --split "$dir" | head -1 || true)
        makespan=$(echo "$split_s + $slowest" | bc)
        printf "| %s prop_%s | %d | %s (direct %s) | %.2f | %.2f | %.2f | %.2f | %.2f | %.2fx |\n" "$net" "$prop" "$k" "$merged" "$direct" \
            "$split_s" "$slowest" "$sum" "$makespan" "$direct_s" "$(echo "$direct_s / $makespan" | bc -l)"
    done
done <<< "$instances"
rm -rf "$work"
