#!/usr/bin/env bash
# Local Lipschitz bounds (`nnverify lipschitz`, release build) on the bundled digits models (first N test
# images, logit margins, L∞ balls) and on the shared mnistfc networks (the input boxes of their VNN-COMP
# properties): per model, the median certified upper bound, the median upper/lower ratio, the median improvement of the certified local
# bound over the naive global bound, the median first-pass/final ratio (what branch-and-bound gained),
# the time per input and how many inputs get a positive Lipschitz-certified radius. Each model runs once per
# Jacobian relaxation (`--jacobian-bounds interval`, then `linear`, the default), in the same run.
#   benchmarks/lipschitz.sh [--limit N] [--timeout S] [--eps E] [--bounds "interval linear"] [--no-acas]
#   (defaults: 20 inputs, 2 s, 0.01, both relaxations, ACAS Xu rows included)
# lipschitz.json files go to benchmarks/out/lipschitz-<model>/ (not committed); the table is printed.
set -euo pipefail
cd "$(dirname "$0")/.."
limit=20
timeout=2
eps=0.01
bounds="interval linear"
acas_rows=1
while [ $# -gt 0 ]; do
    case "$1" in
        --limit) limit=$2; shift 2 ;;
        --timeout) timeout=$2; shift 2 ;;
        --eps) eps=$2; shift 2 ;;
        --bounds) bounds=$2; shift 2 ;;
        --no-acas) acas_rows=0; shift ;;
        *) echo "unknown option $1" >&2; exit 1 ;;
    esac
done
. benchmarks/release-binary.sh   # $bin: NNVERIFY_BIN, or this tree built in release mode
mkdir -p benchmarks/out
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "timeout per input: ${timeout} s"
# Medians from lipschitz.json (python is only used by this script to summarise, never by the product).
summarise() {
    python3 - "$1" <<'PY'
import json, statistics, sys
d = json.load(open(sys.argv[1]))
rows = d["inputs"]
med = lambda v: statistics.median(v) if v else float("nan")
ratio = med([r["upper"] / r["lower"] for r in rows if r["lower"] > 0])
improve = med([r["global"] / r["upper"] for r in rows if r["upper"] > 0])
bab = med([r["initialUpper"] / r["upper"] for r in rows if r["upper"] > 0])
secs = sum(r["seconds"] for r in rows) / max(1, len(rows))
cert = sum(1 for r in rows if (r.get("certifiedRadius") or 0) > 0)
upper = med([r["upper"] for r in rows])
print(f"{len(rows):6d} {upper:11.4g} {ratio:11.4g} {improve:12.1f} {bab:10.3f} {secs:9.2f} {cert:6d}")
PY
}
printf "%-34s %6s %11s %11s %12s %10s %9s %8s\n" model inputs upper upper/lower global/upper first/final s/input "radius>0"
for model in digits_mlp digits_cnn digits_sigmoid; do
    for b in $bounds; do
        out=benchmarks/out/lipschitz-$model-$b
        "$bin" lipschitz models/digits/onnx/$model.onnx --inputs models/digits/data/digits_test.csv --eps "$eps" \
            --limit "$limit" --timeout-per-input "$timeout" --jacobian-bounds "$b" --out "$out" >/dev/null
        printf "%-34s " "$model (eps $eps, $b)"; summarise "$out/lipschitz.json"
    done
done
acas=../shared/benchmarks/acasxu
[ "$acas_rows" = 1 ] || acas=/nonexistent
if [ -d "$acas" ]; then
    for net in 1_1 2_1 3_3; do
        for b in $bounds; do
            out=benchmarks/out/lipschitz-acas-$net-$b
            "$bin" lipschitz $acas/onnx/ACASXU_run2a_${net}_batch_2000.onnx $acas/vnnlib/prop_3.vnnlib --outputs all \
                --timeout-per-input "$timeout" --jacobian-bounds "$b" --out "$out" >/dev/null
            printf "%-34s " "ACAS Xu $net (prop_3 box, $b)"; summarise "$out/lipschitz.json"
        done
    done
fi
if [ -d "$acas" ]; then
    echo "monotonicity of output 0 in each input over the prop_3 and prop_4 boxes, ACAS Xu 1_1 ($timeout s each):"
    for prop in 3 4; do
        for input in 0 1 2 3 4; do
            for dir in increasing decreasing; do
                line=$("$bin" lipschitz $acas/onnx/ACASXU_run2a_1_1_batch_2000.onnx $acas/vnnlib/prop_$prop.vnnlib \
                    --monotone $input:0:$dir --timeout-per-input "$timeout" | grep "region 0" | cut -c1-90 || true)
                echo "  prop_$prop x$input $dir: ${line#  region 0: }"
            done
        done
    done
fi
shared=../shared/benchmarks/mnistfc
if [ -d "$shared" ]; then
    for net in 256x2 256x4 256x6; do
      for b in $bounds; do
        for prop in 0 1 2; do
            out=benchmarks/out/lipschitz-mnist-$net-$prop-$b
            "$bin" lipschitz $shared/onnx/mnist-net_$net.onnx $shared/vnnlib/vnncomp2021/prop_${prop}_0.03.vnnlib --outputs margin \
                --timeout-per-input "$timeout" --jacobian-bounds "$b" --out "$out" >/dev/null
        done
        python3 - benchmarks/out/lipschitz-mnist-$net-{0,1,2}-$b/lipschitz.json <<'PY' > benchmarks/out/lipschitz-mnist-$net-$b.json
import json, sys
files = [json.load(open(p)) for p in sys.argv[1:]]
json.dump({"inputs": [i for f in files for i in f["inputs"]]}, sys.stdout)
PY
        printf "%-34s " "mnist-net_$net (prop 0-2, eps 0.03, $b)"; summarise benchmarks/out/lipschitz-mnist-$net-$b.json
      done
    done
else
    echo "../shared/benchmarks/mnistfc not found: mnistfc rows skipped"
fi
