#!/usr/bin/env bash
# Planted counterexamples in many dimensions (issue 16): builds a planted suite AT RUN TIME over the
# mnistfc networks (784 inputs, ../shared/benchmarks; nothing derived from them is committed) and the
# bundled digits ReLU model (64 inputs), then runs `nnverify bench` on it once per setting of
# NNVERIFY_DISABLE (ablation with one binary, the same suite), and prints the planted counterexamples
# found per source and setting. Every sat is validated by the verifier; clean instances must stay unsat.
#   benchmarks/planted-search.sh [--out DIR] [--timeout S] [--seed N] [--images N] [--settings "A B ..."]
# Defaults: a fresh temporary folder, 20 s per instance, seed 1, 2 mnistfc images per network (of the
# 2022 specs' 12), settings "domain-search none" ("none" = nothing disabled = the current default).
# NNVERIFY_BIN=path uses that release binary instead of building one.
set -euo pipefail
cd "$(dirname "$0")/.."
out=""
timeout=20
seed=1
images=2
settings="domain-search none"
while [ $# -gt 0 ]; do
    case "$1" in
        --out) out=$2; shift 2 ;;
        --timeout) timeout=$2; shift 2 ;;
        --seed) seed=$2; shift 2 ;;
        --images) images=$2; shift 2 ;;
        --settings) settings=$2; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 1 ;;
    esac
done
. benchmarks/release-binary.sh   # $bin: NNVERIFY_BIN, or this tree built in release mode
[ -n "$out" ] || out=$(mktemp -d)/planted
shared=../shared/benchmarks
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "suite folder: $out; instance timeout ${timeout} s, seed $seed, $images mnistfc image(s) per network"
if [ ! -e "$out/instances.csv" ]; then
    plant() { "$bin" plant "$@" --out "$out" --timeout "$timeout" --proof-timeout 30 --seed "$seed" || echo "  (plant exited $?)"; }
    if [ -d "$shared/mnistfc" ]; then
        for net in 256x2 256x4 256x6; do
            for prop in $(echo 0 10 11 12 14 2 3 4 5 6 7 9 | tr " " "\n" | head -n "$images"); do
                plant "$shared/mnistfc/onnx/mnist-net_${net}.onnx" --spec "$shared/mnistfc/vnnlib/vnncomp2022/prop_${prop}_0.03.vnnlib" \
                    --eps 0.005 --range 0,1 --name "mnistfc.${net}.img${prop}"
            done
        done
    else
        echo "(../shared/benchmarks not found: mnistfc skipped)"
    fi
    plant models/digits/onnx/digits_mlp.onnx --data models/digits/data/digits_test.csv --eps 0.01 --range 0,1 --regions 8 --name digits_mlp.test
else
    echo "(reusing the suite already in $out)"
fi
for setting in $settings; do
    disable=$setting; [ "$setting" = none ] && disable=""
    echo "== NNVERIFY_DISABLE=$disable"
    NNVERIFY_DISABLE=$disable "$bin" bench "$out/instances.csv" --expected "$out/expected.csv" --results "$out/bench-$setting.csv" \
        | grep ' instances: ' || true
    awk -F, -v setting="$setting" '
        function source(path,   p, q) { split(path, p, "/"); split(p[2], q, "."); return q[1] }
        FNR == 1 { next }
        { s = source($1); if (!(s in n)) order[++k] = s
          if ($5 == "sat") { planted[s]++; if ($3 == "sat") { found[s]++; t[s] += $4 } }
          if ($5 == "unsat") { clean[s]++; if ($3 == "unsat") proven[s]++ }
          if ($6 == "no") wrong[s]++ ; n[s]++ }
        END { for (i = 1; i <= k; i++) { s = order[i]
                printf "  %-8s planted found %d/%d (mean %.1f s), clean unsat %d/%d, wrong %d\n", s, found[s], planted[s],
                    found[s] ? t[s] / found[s] : 0, proven[s], clean[s], wrong[s] } }' "$out/bench-$setting.csv"
done
