#!/usr/bin/env bash
# Planted-counterexample suite (issue 6): builds a suite with `nnverify plant` AT RUN TIME from ACAS Xu
# and mnistfc networks (../shared/benchmarks; nothing derived from them is committed) and the project's
# own models (models/), then
#   1. runs `nnverify bench` on it with --expected (planted = sat, clean = unsat; never wrong), and
#   2. a PGD-only pass: `nnverify attack MODEL SPEC` on every planted instance, to show how many
#      planted counterexamples plain PGD finds (they are hidden: few).
#   benchmarks/planted.sh [--out DIR] [--timeout S] [--proof-timeout S] [--attack-timeout S] [--seed N]
# Defaults: a fresh temporary folder, 20 s per instance, 30 s per generation proof, 5 s per attack.
# NNVERIFY_BIN=path uses that release binary instead of building one. Prints the generation log, the
# bench table and summary, the PGD table, and one line per source.
set -euo pipefail
cd "$(dirname "$0")/.."
out=""
timeout=20
proof_timeout=30
attack_timeout=5
seed=1
while [ $# -gt 0 ]; do
    case "$1" in
        --out) out=$2; shift 2 ;;
        --timeout) timeout=$2; shift 2 ;;
        --proof-timeout) proof_timeout=$2; shift 2 ;;
        --attack-timeout) attack_timeout=$2; shift 2 ;;
        --seed) seed=$2; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 1 ;;
    esac
done
. benchmarks/release-binary.sh   # $bin: NNVERIFY_BIN, or this tree built in release mode
[ -n "$out" ] || out=$(mktemp -d)/planted
[ ! -e "$out/instances.csv" ] || { echo "$out already holds a suite; give a new --out" >&2; exit 1; }
shared=../shared/benchmarks
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "suite folder: $out; instance timeout ${timeout} s, generation proofs ${proof_timeout} s, PGD ${attack_timeout} s, seed $seed"
start=$(date +%s)

# A source that yields nothing (every region skipped) is reported and the run goes on.
plant() { "$bin" plant "$@" --out "$out" --timeout "$timeout" --proof-timeout "$proof_timeout" --seed "$seed" || echo "  (plant exited $?)"; }

echo "== generating"
if [ -d "$shared/acasxu" ]; then
    # ACAS Xu (5 inputs): properties 3 and 4 on networks where they hold (expected.csv: unsat).
    for pair in 1_1:3 1_2:4 2_1:3 3_3:4 4_5:3; do
        net=${pair%%:*}; prop=${pair##*:}
        grep -q "ACASXU_run2a_${net}_batch_2000.onnx,vnnlib/prop_${prop}.vnnlib,unsat" "$shared/acasxu/expected.csv" || continue
        plant "$shared/acasxu/onnx/ACASXU_run2a_${net}_batch_2000.onnx" --spec "$shared/acasxu/vnnlib/prop_${prop}.vnnlib" \
            --planted 2 --clean 1 --name "acasxu.${net}.prop_${prop}"
    done
    # mnistfc (784 inputs): small L-infinity boxes (eps 0.005) around the images of two 2022 specs.
    for net in 256x2 256x4 256x6; do
        for prop in 0 10; do
            plant "$shared/mnistfc/onnx/mnist-net_${net}.onnx" --spec "$shared/mnistfc/vnnlib/vnncomp2022/prop_${prop}_0.03.vnnlib" \
                --eps 0.005 --range 0,1 --name "mnistfc.${net}.img${prop}"
        done
    done
else
    echo "(../shared/benchmarks not found: ACAS Xu and mnistfc sources skipped)"
fi
# The project's own models: iris (4 inputs, unsat specs), breast cancer (30), digits ReLU and sigmoid (64).
for spec in row014_eps0.46 row042_eps0.31 row105_eps0.24 threshold_setosa; do
    plant models/iris/onnx/iris_mlp.onnx --spec "models/iris/vnnlib/$spec.vnnlib" --name "iris.$spec"
done
plant models/breast_cancer/onnx/breast_cancer_mlp.onnx --data models/breast_cancer/data/breast_cancer_test.csv \
    --eps 0.01 --range 0,1 --regions 4 --name breast_cancer.test
plant models/digits/onnx/digits_mlp.onnx --data models/digits/data/digits_test.csv --eps 0.01 --range 0,1 --regions 4 --name digits_mlp.test
plant models/digits/onnx/digits_sigmoid.onnx --data models/digits/data/digits_test.csv --eps 0.01 --range 0,1 --regions 2 --name digits_sigmoid.test
generated=$(date +%s)

echo "== nnverify bench"
bench_status=0
"$bin" bench "$out/instances.csv" --expected "$out/expected.csv" --results "$out/bench.csv" || bench_status=$?
benched=$(date +%s)

echo "== PGD only (nnverify attack, ${attack_timeout} s per planted instance)"
echo "onnx,vnnlib,pgd" > "$out/pgd.csv"
tail -n +2 "$out/expected.csv" | while IFS=, read -r onnx vnnlib expected; do
    [ "$expected" = sat ] || continue
    status=0
    "$bin" attack "$out/$onnx" "$out/$vnnlib" --timeout "$attack_timeout" >/dev/null 2>&1 || status=$?
    found=$([ $status -eq 10 ] && echo found || echo missed)
    echo "$onnx,$vnnlib,$found" >> "$out/pgd.csv"
    echo "  $onnx: $found"
done
finished=$(date +%s)

echo "== per source"
awk -F, '
    function source(path,   p, q) { split(path, p, "/"); split(p[2], q, "."); return q[1] }
    FNR == 1 { next }
    FILENAME ~ /bench.csv$/ {
        s = source($1); if (!(s in n)) order[++k] = s
        n[s]++
        if ($5 == "sat") { ps[s]++; if ($3 == "sat") psat[s]++; else if ($3 != "unsat") pu[s]++ }
        if ($5 == "unsat") { cs[s]++; if ($3 == "unsat") cun[s]++; else if ($3 != "sat") cu[s]++ }
        if ($6 == "no") wrong[s]++
        next
    }
    { s = source($1); tried[s]++; if ($3 == "found") pgd[s]++ }
    END {
        fmt = "%-14s %9s %8s %12s %16s %6s %11s %14s %6s %10s\n"
        printf fmt, "source", "instances", "planted", "planted sat", "planted unknown", "clean", "clean unsat", "clean unknown", "wrong", "PGD found"
        k++; order[k] = "all"
        for (i = 1; i <= k; i++) {
            s = order[i]
            if (s != "all") { N += n[s]; P += ps[s]; PS += psat[s]; PU += pu[s]; C += cs[s]; CU += cun[s]; CK += cu[s]; W += wrong[s]; G += pgd[s]; T += tried[s]
                printf fmt, s, n[s], ps[s] + 0, psat[s] + 0, pu[s] + 0, cs[s] + 0, cun[s] + 0, cu[s] + 0, wrong[s] + 0, (pgd[s] + 0) "/" (tried[s] + 0) }
            else printf fmt, "all", N, P, PS, PU, C, CU, CK, W, G "/" T
        }
    }' "$out/bench.csv" "$out/pgd.csv"
echo "times: generation $((generated - start)) s, bench $((benched - generated)) s, PGD pass $((finished - benched)) s"
echo "bench exit status: $bench_status (1 = a wrong verdict or bad input)"
exit $bench_status
