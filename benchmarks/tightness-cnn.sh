#!/usr/bin/env bash
# IBP tightness (Mao et al., ICLR 2024) of random ReLU CNNs at initialisation, by depth: the paper reports
# that it falls with depth. Per depth (1..6 conv layers, 3x3, 8 channels, padding 1, on a 1x12x12 input,
# then a dense layer to 10 outputs), 5 seeded networks with Kaiming-uniform weights (variance 2/fan-in);
# `nnverify info MODEL --tightness` gives the global tightness per output, the table shows the mean over
# outputs and networks. Python (onnx, numpy) only writes the random models, never runs the product.
#   benchmarks/tightness-cnn.sh [--seeds N]           (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=5
while [ $# -gt 0 ]; do
    case "$1" in
        --seeds) seeds=$2; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 1 ;;
    esac
done
. benchmarks/release-binary.sh   # $bin: NNVERIFY_BIN, or this tree built in release mode
dir=benchmarks/out/tightness-cnn
mkdir -p "$dir"
python3 - "$dir" "$seeds" <<'PY'
import sys, numpy as np, onnx
from onnx import helper, numpy_helper, TensorProto
out, seeds = sys.argv[1], int(sys.argv[2])
for depth in range(1, 7):
    for seed in range(seeds):
        rng = np.random.default_rng(1000 * depth + seed)
        nodes, inits, cur, ch = [], [], "x", 1
        for l in range(depth):
            a = np.sqrt(6.0 / (ch * 9))
            inits.append(numpy_helper.from_array(rng.uniform(-a, a, (8, ch, 3, 3)).astype(np.float32), f"w{l}"))
            inits.append(numpy_helper.from_array(np.zeros(8, np.float32), f"b{l}"))
            nodes.append(helper.make_node("Conv", [cur, f"w{l}", f"b{l}"], [f"c{l}"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]))
            nodes.append(helper.make_node("Relu", [f"c{l}"], [f"r{l}"]))
            cur, ch = f"r{l}", 8
        nodes.append(helper.make_node("Flatten", [cur], ["f"]))
        a = np.sqrt(6.0 / (8 * 144))
        inits.append(numpy_helper.from_array(rng.uniform(-a, a, (8 * 144, 10)).astype(np.float32), "wd"))
        inits.append(numpy_helper.from_array(np.zeros(10, np.float32), "bd"))
        nodes.append(helper.make_node("Gemm", ["f", "wd", "bd"], ["y"]))
        g = helper.make_graph(nodes, "cnn", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 12, 12])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 10])], inits)
        m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
        onnx.save(m, f"{out}/cnn_d{depth}_s{seed}.onnx")
PY
echo "| conv layers | 1 | 2 | 3 | 4 | 5 | 6 |"
echo "|---|---:|---:|---:|---:|---:|---:|"
row="| mean global tightness ($seeds nets x 10 outputs) |"
for depth in 1 2 3 4 5 6; do
    values=""
    for seed in $(seq 0 $((seeds - 1))); do
        values+=" $("$bin" info "$dir/cnn_d${depth}_s${seed}.onnx" --tightness | awk '/^ +y[0-9]+ /{print $2}' | tr '\n' ' ')"
    done
    row+=" $(echo "$values" | awk '{s=0; for(i=1;i<=NF;i++) s+=$i; printf "%.3g", s/NF}') |"
done
echo "$row"
