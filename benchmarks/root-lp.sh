#!/usr/bin/env bash
# LP refinement of the root's intermediate bounds on the deep mnistfc instances (issue 16; off by default,
# switched on by NNVERIFY_ENABLE=root-lp): runs `nnverify verify` on each instance once per configuration and
# prints the verdict, the time, the root bound before and after the refinement, and the refinement's LPs per
# CPU second. A CONFIG is ENABLE/ABLATE: "root-lp/" (refinement, warm re-solves), "root-lp/lp-warm-start"
# (the same LPs, a fresh GLPK problem each), "/" (no refinement).
#   benchmarks/root-lp.sh TIMEOUT [CONFIG...]      (default configs: root-lp/ root-lp/lp-warm-start /)
# Instances: the known-unsat deep eps=0.05 rows of the every-6th mnistfc sample, plus 256x4 2022 prop_9_0.05
# (RESULTS' earlier LP measurement), or the file named by $INSTANCES (lines "onnx/...,vnnlib/...").
# Set NNVERIFY_BIN to measure another binary.
set -euo pipefail
cd "$(dirname "$0")/.."
timeout=${1:?usage: benchmarks/root-lp.sh TIMEOUT [CONFIG...]}
shift
configs=("$@")
[ ${#configs[@]} -gt 0 ] || configs=(root-lp/ root-lp/lp-warm-start /)
dir=../shared/benchmarks/mnistfc
. benchmarks/release-binary.sh
list=${INSTANCES:-}
if [ -z "$list" ]; then
    list=$(mktemp)
    cat > "$list" <<'LIST'
onnx/mnist-net_256x4.onnx,vnnlib/vnncomp2021/prop_8_0.05.vnnlib
onnx/mnist-net_256x4.onnx,vnnlib/vnncomp2022/prop_0_0.05.vnnlib
onnx/mnist-net_256x4.onnx,vnnlib/vnncomp2022/prop_7_0.05.vnnlib
onnx/mnist-net_256x4.onnx,vnnlib/vnncomp2022/prop_9_0.05.vnnlib
onnx/mnist-net_256x6.onnx,vnnlib/vnncomp2022/prop_0_0.05.vnnlib
LIST
fi
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); binary $NNVERIFY_BIN; timeout $timeout s"
while IFS=, read -r onnx spec; do
    for config in "${configs[@]}"; do
        start=$(date +%s.%N)
        out=$(NNVERIFY_ENABLE=${config%%/*} NNVERIFY_ABLATE=${config#*/} "$NNVERIFY_BIN" verify "$dir/$onnx" "$dir/$spec" --timeout "$timeout" 2>&1 || true)
        seconds=$(echo "$(date +%s.%N) - $start" | bc)
        verdict=$(echo "$out" | head -1)
        root=$(echo "$out" | sed -n 's/.*root bound before and after LP refinement: //p')
        lps=$(echo "$out" | sed -n 's/.*root LP refinement: //p')
        domains=$(echo "$out" | sed -n 's/.*domains bounded: //p')
        printf '%s %s [%s]: %s, %.1f s, %s domains; root %s; %s\n' "$(basename "$onnx" .onnx)" "$spec" "$config" \
            "$verdict" "$seconds" "${domains:-?}" "${root:-n/a}" "${lps:-no LP refinement}"
    done
done < "$list"
