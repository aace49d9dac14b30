#!/usr/bin/env bash
# FGSM vs PGD success at equal L∞ eps, and Carlini–Wagner vs PGD-L2 distance at equal success, on
# labelled images: the box centres of the mnistfc specs (../shared/benchmarks/mnistfc, one image per
# distinct vnnlib file, label from its "label: N" comment) for each mnistfc network, and the bundled
# digits test set for models/digits/onnx/digits_mlp.onnx.
#   benchmarks/attack-distances.sh            (NNVERIFY_BIN=path/to/release/nnverify to skip the build)
# Per-input csv files go to benchmarks/out/distances/ (not committed); the table is printed.
set -euo pipefail
cd "$(dirname "$0")/.."
. benchmarks/release-binary.sh   # $bin: NNVERIFY_BIN, or this tree built in release mode
out=benchmarks/out/distances
mkdir -p "$out"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"

# label,x0,...: the centre of every input box, one row per distinct vnnlib file.
mnist_images() {
    local dir=$1
    for spec in $(cut -d, -f2 "$dir/instances.csv" | sort -u); do
        awk '
            /label:/ { for (i = 1; i <= NF; i++) if ($i == "label:") { label = $(i + 1); sub(/\./, "", label) } }
            /^\(assert \(<= X_/ { v = $3; sub(/X_/, "", v); hi[v] = $4; sub(/\)+$/, "", hi[v]); if (v + 1 > n) n = v + 1 }
            /^\(assert \(>= X_/ { v = $3; sub(/X_/, "", v); lo[v] = $4; sub(/\)+$/, "", lo[v]) }
            END { line = label; for (i = 0; i < n; i++) line = line "," (lo[i] + hi[i]) / 2; print line }
        ' "$dir/$spec"
    done
}

# Runs one attack; prints "found mean_l2" and keeps the per-input csv.
attack() {
    local model=$1 data=$2 tag=$3; shift 3
    "$bin" attack "$model" --inputs "$data" --quiet --results "$out/$tag.csv" "$@" >/dev/null
}

found() { awk -F, 'NR > 1 && $4 == "found"' "$1" | wc -l; }
# Mean L2 of the inputs both csv files found, then the count.
both_l2() {
    awk -F, 'FNR == 1 { file++; next }
             file == 1 && $4 == "found" { a[$1] = $6 }
             file == 2 && $4 == "found" && ($1 in a) { sa += a[$1]; sb += $6; n++ }
             END { if (n) printf "%.4f %.4f %d", sa / n, sb / n, n; else print "- - 0" }' "$1" "$2"
}

printf '%-24s %6s | %-6s %5s %5s | %-6s %5s %5s %10s %10s %6s\n' model inputs "Linf e" fgsm pgd "L2 e" pgd-l2 cw "pgd mean" "cw mean" both
run_model() {
    local model=$1 data=$2 linf=$3 l2=$4 name
    name=$(basename "$model" .onnx)
    local n; n=$(($(grep -c '' "$data") - 1))
    attack "$model" "$data" "$name-fgsm" --method fgsm --eps "$linf"
    attack "$model" "$data" "$name-pgd" --method pgd --eps "$linf"
    attack "$model" "$data" "$name-pgdl2" --method pgd --norm l2 --eps "$l2"
    attack "$model" "$data" "$name-cw" --method cw --norm l2 --eps "$l2"
    read -r pgd_mean cw_mean both <<< "$(both_l2 "$out/$name-pgdl2.csv" "$out/$name-cw.csv")"
    printf '%-24s %6d | %-6s %5d %5d | %-6s %5d %5d %10s %10s %6d\n' "$name" "$n" "$linf" \
        "$(found "$out/$name-fgsm.csv")" "$(found "$out/$name-pgd.csv")" "$l2" \
        "$(found "$out/$name-pgdl2.csv")" "$(found "$out/$name-cw.csv")" "$pgd_mean" "$cw_mean" "$both"
}

mnist=../shared/benchmarks/mnistfc
if [ -f "$mnist/instances.csv" ]; then
    { echo "label,$(seq -s, -f 'x%g' 0 783)"; mnist_images "$mnist"; } > "$out/mnistfc_images.csv"
    for model in "$mnist"/onnx/*.onnx; do run_model "$model" "$out/mnistfc_images.csv" 0.03 1.0; done
else
    echo "skip mnistfc: $mnist absent" >&2
fi
run_model models/digits/onnx/digits_mlp.onnx models/digits/data/digits_test.csv 0.05 0.5
