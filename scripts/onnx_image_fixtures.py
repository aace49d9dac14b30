"""Image-model fixtures for the ONNX loader, used by make_onnx_fixtures.py (run that script, not this one).

Small models with Conv (stride, padding, dilation, groups, auto_pad, 1-D), BatchNormalization (folded into
Conv or Gemm, and standalone), MaxPool and AveragePool (padding, count_include_pad both ways), Concat,
Transpose, residual Add and a symbolic batch dimension; broken image models that must be refused; and
onnxruntime reference outputs of the collins_rul_cnn benchmark models (numbers only, models not copied).

Everything here draws from its own seeded generators, so the older fixtures stay byte-identical.
"""
import json
import os
import re

import numpy as np
from onnx import helper

from make_onnx_fixtures import model, raw, run_ort, shape_of, graph_input, vinfo

rng = np.random.default_rng(20261124)


def weights(*shape, scale=0.5):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def positive(*shape):
    return (rng.uniform(0.5, 2.0, shape)).astype(np.float32)


def conv_basic():
    nodes = [
        helper.make_node("Conv", ["x", "W1", "B1"], ["c1"], name="conv_1", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"], name="relu_1"),
        helper.make_node("Conv", ["r1", "W2"], ["c2"], name="conv_2", strides=[2, 2], kernel_shape=[3, 3]),
        helper.make_node("Flatten", ["c2"], ["f"], name="flatten_1"),
        helper.make_node("Gemm", ["f", "W3", "B3"], ["y"], name="gemm_1", transB=1),
    ]
    inits = [raw("W1", weights(3, 1, 3, 3)), raw("B1", weights(3)), raw("W2", weights(2, 3, 3, 3)),
             raw("W3", weights(3, 8)), raw("B3", weights(3))]
    return model(nodes, [vinfo("x", [1, 1, 6, 6])], [vinfo("y", [1, 3])], inits)


def conv_variants():
    nodes = [
        helper.make_node("Conv", ["x", "Wa", "Ba"], ["a"], name="conv_asymmetric", kernel_shape=[3, 2],
                         pads=[0, 1, 2, 1], strides=[2, 1], dilations=[2, 1]),
        helper.make_node("Relu", ["a"], ["ra"], name="relu_a"),
        helper.make_node("Conv", ["ra", "Wb", "Bb"], ["b"], name="conv_grouped", group=2),
        helper.make_node("Relu", ["b"], ["rb"], name="relu_b"),
        helper.make_node("Conv", ["rb", "Wc"], ["c"], name="conv_depthwise", group=6, pads=[0, 1, 0, 1]),
        helper.make_node("Flatten", ["c"], ["f"], name="flatten_1"),
        helper.make_node("Gemm", ["f", "Wd", "Bd"], ["y"], name="gemm_1", transB=1),
    ]
    inits = [raw("Wa", weights(4, 2, 3, 2)), raw("Ba", weights(4)), raw("Wb", weights(6, 2, 2, 2)),
             raw("Bb", weights(6)), raw("Wc", weights(6, 1, 1, 3)), raw("Wd", weights(4, 72, scale=0.2)),
             raw("Bd", weights(4))]
    return model(nodes, [vinfo("x", [1, 2, 7, 6])], [vinfo("y", [1, 4])], inits)


def conv_auto_pad():
    nodes = [
        helper.make_node("Conv", ["x", "W1", "B1"], ["a"], name="conv_same_upper", auto_pad="SAME_UPPER", strides=[2, 2]),
        helper.make_node("Relu", ["a"], ["ra"], name="relu_a"),
        helper.make_node("Conv", ["ra", "W2", "B2"], ["b"], name="conv_same_lower", auto_pad="SAME_LOWER"),
        helper.make_node("Relu", ["b"], ["rb"], name="relu_b"),
        helper.make_node("Conv", ["rb", "W3", "B3"], ["c"], name="conv_valid", auto_pad="VALID"),
        helper.make_node("Flatten", ["c"], ["y"], name="flatten_1"),
    ]
    inits = [raw("W1", weights(3, 2, 3, 3)), raw("B1", weights(3)), raw("W2", weights(2, 3, 2, 2)),
             raw("B2", weights(2)), raw("W3", weights(2, 2, 2, 2)), raw("B3", weights(2))]
    return model(nodes, [vinfo("x", [1, 2, 5, 5])], [vinfo("y", [1, 8])], inits)


def conv_1d():
    nodes = [
        helper.make_node("Conv", ["x", "W1", "B1"], ["a"], name="conv1d_1", pads=[1, 2], strides=[2]),
        helper.make_node("Relu", ["a"], ["ra"], name="relu_1"),
        helper.make_node("Conv", ["ra", "W2"], ["b"], name="conv1d_2", dilations=[2]),
        helper.make_node("Flatten", ["b"], ["y"], name="flatten_1"),
    ]
    inits = [raw("W1", weights(3, 2, 3)), raw("B1", weights(3)), raw("W2", weights(2, 3, 2))]
    return model(nodes, [vinfo("x", [1, 2, 9])], [vinfo("y", [1, 6])], inits)


def batch_norm(prefix, channels):
    names = [f"{prefix}_{p}" for p in ("scale", "B", "mean", "var")]
    inits = [raw(names[0], weights(channels) + 1.0), raw(names[1], weights(channels)),
             raw(names[2], weights(channels)), raw(names[3], positive(channels))]
    return names, inits


def batchnorm():
    bn1, i1 = batch_norm("bn1", 3)
    bn2, i2 = batch_norm("bn2", 3)
    bn3, i3 = batch_norm("bn3", 4)
    nodes = [
        helper.make_node("Conv", ["x", "W1", "B1"], ["c"], name="conv_1"),
        helper.make_node("BatchNormalization", ["c"] + bn1, ["n1"], name="bn_after_conv", epsilon=1e-3),
        helper.make_node("Relu", ["n1"], ["r"], name="relu_1"),
        helper.make_node("BatchNormalization", ["r"] + bn2, ["n2"], name="bn_standalone"),
        helper.make_node("Flatten", ["n2"], ["f"], name="flatten_1"),
        helper.make_node("Gemm", ["f", "W2", "B2"], ["g"], name="gemm_1", transB=1),
        helper.make_node("BatchNormalization", ["g"] + bn3, ["y"], name="bn_after_gemm", epsilon=1e-4),
    ]
    inits = [raw("W1", weights(3, 2, 3, 3)), raw("B1", weights(3)), raw("W2", weights(4, 48, scale=0.2)),
             raw("B2", weights(4))] + i1 + i2 + i3
    return model(nodes, [vinfo("x", [1, 2, 6, 6])], [vinfo("y", [1, 4])], inits)


def maxpool():
    """Pooled values are maxima of disjoint element sets (no ties), so every max has a gradient."""
    nodes = [
        helper.make_node("MaxPool", ["x"], ["a"], name="pool_padded", kernel_shape=[3, 3], strides=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("MaxPool", ["a"], ["b"], name="pool_asymmetric_ceil", kernel_shape=[2, 3], strides=[2, 3],
                         pads=[0, 1, 0, 1], ceil_mode=1),
        helper.make_node("MaxPool", ["a"], ["c"], name="pool_dilated", kernel_shape=[2, 2], dilations=[2, 2]),
        helper.make_node("Concat", ["b", "c"], ["d"], name="concat_1", axis=1),
        helper.make_node("Flatten", ["d"], ["y"], name="flatten_1"),
    ]
    return model(nodes, [vinfo("x", [1, 2, 12, 12])], [vinfo("y", [1, 16])], [])


def maxpool_1d():
    """Overlapping windows, directly on the input (pooling overlapping maxima again would create ties)."""
    nodes = [
        helper.make_node("MaxPool", ["x"], ["a"], name="pool1d_padded", kernel_shape=[3], strides=[2], pads=[1, 1]),
        helper.make_node("MaxPool", ["x"], ["b"], name="pool1d_pairs", kernel_shape=[2], strides=[1]),
        helper.make_node("Concat", ["a", "b"], ["y"], name="concat_1", axis=2),
    ]
    return model(nodes, [vinfo("x", [1, 3, 9])], [vinfo("y", [1, 3, 13])], [])


def averagepool():
    nodes = [
        helper.make_node("AveragePool", ["x"], ["a"], name="avg_exclude_pad", kernel_shape=[3, 3], strides=[2, 2],
                         pads=[1, 0, 1, 2]),
        helper.make_node("AveragePool", ["x"], ["b"], name="avg_include_pad", kernel_shape=[3, 3], strides=[2, 2],
                         pads=[1, 1, 1, 1], count_include_pad=1),
        helper.make_node("AveragePool", ["x"], ["c"], name="avg_no_pad", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Concat", ["a", "b", "c"], ["d"], name="concat_channels", axis=1),
        helper.make_node("Flatten", ["d"], ["y"], name="flatten_1"),
    ]
    return model(nodes, [vinfo("x", [1, 2, 6, 6])], [vinfo("y", [1, 54])], [])


def concat_transpose():
    nodes = [
        helper.make_node("Conv", ["x", "W1", "B1"], ["c"], name="conv_1x1"),
        helper.make_node("Relu", ["c"], ["r"], name="relu_1"),
        helper.make_node("Concat", ["r", "x", "K"], ["cat1"], name="concat_with_constant", axis=1),
        helper.make_node("Concat", ["cat1", "cat1"], ["cat2"], name="concat_same_twice", axis=-2),
        helper.make_node("Transpose", ["cat2"], ["t"], name="transpose_nhwc", perm=[0, 2, 3, 1]),
        helper.make_node("Transpose", ["t"], ["t2"], name="transpose_flat_order_kept", perm=[1, 0, 2, 3]),
        helper.make_node("Reshape", ["t2", "flat_shape"], ["f"], name="reshape_flat"),
        helper.make_node("Transpose", ["M"], ["Mt"], name="transpose_constant"),
        helper.make_node("MatMul", ["f", "Mt"], ["y"], name="matmul_1"),
    ]
    inits = [raw("W1", weights(3, 2, 1, 1)), raw("B1", weights(3)), raw("K", weights(1, 1, 4, 3)),
             raw("flat_shape", np.array([1, 144], dtype=np.int64)), raw("M", weights(5, 144, scale=0.2))]
    return model(nodes, [vinfo("x", [1, 2, 4, 3])], [vinfo("y", [1, 5])], inits)


def residual_conv():
    nodes = [
        helper.make_node("Conv", ["x", "Wa", "Ba"], ["a"], name="conv_a", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["a"], ["ra"], name="relu_a"),
        helper.make_node("Conv", ["ra", "Wb", "Bb"], ["b"], name="conv_b", pads=[1, 1, 1, 1]),
        helper.make_node("Add", ["b", "x"], ["s1"], name="add_skip_input"),
        helper.make_node("Relu", ["s1"], ["r1"], name="relu_sum"),
        helper.make_node("Conv", ["r1", "Wc", "Bc"], ["c"], name="conv_c", pads=[1, 1, 1, 1]),
        helper.make_node("Add", ["c", "ra"], ["s2"], name="add_skip_hidden"),
        helper.make_node("Flatten", ["s2"], ["y"], name="flatten_1"),
    ]
    inits = [raw("Wa", weights(2, 2, 3, 3)), raw("Ba", weights(2)), raw("Wb", weights(2, 2, 3, 3)),
             raw("Bb", weights(2)), raw("Wc", weights(2, 2, 3, 3)), raw("Bc", weights(2))]
    return model(nodes, [vinfo("x", [1, 2, 5, 5])], [vinfo("y", [1, 50])], inits)


def image_symbolic_batch():
    bn, i = batch_norm("bn", 2)
    nodes = [
        helper.make_node("Conv", ["x", "W1", "B1"], ["c"], name="conv_1"),
        helper.make_node("BatchNormalization", ["c"] + bn, ["n"], name="bn_1"),
        helper.make_node("MaxPool", ["n"], ["p"], name="pool_1", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Relu", ["p"], ["r"], name="relu_1"),
        helper.make_node("Flatten", ["r"], ["f"], name="flatten_1"),
        helper.make_node("Gemm", ["f", "W2", "B2"], ["y"], name="gemm_1", transB=1),
    ]
    inits = [raw("W1", weights(2, 1, 3, 3)), raw("B1", weights(2)), raw("W2", weights(3, 18)), raw("B2", weights(3))] + i
    return model(nodes, [vinfo("x", ["N", 1, 8, 8])], [vinfo("y", ["N", 3])], inits)


def global_pools():
    nodes = [
        helper.make_node("Conv", ["x", "W", "B"], ["c"], name="conv_1", pads=[1, 1, 1, 1]),
        helper.make_node("GlobalAveragePool", ["c"], ["a"], name="global_average"),
        helper.make_node("GlobalMaxPool", ["x"], ["m"], name="global_max"),
        helper.make_node("Concat", ["a", "m"], ["cat"], name="concat_1", axis=1),
        helper.make_node("Flatten", ["cat"], ["y"], name="flatten_1"),
    ]
    inits = [raw("W", weights(3, 2, 3, 3)), raw("B", weights(3))]
    return model(nodes, [vinfo("x", [1, 2, 5, 4])], [vinfo("y", [1, 5])], inits)


def image_constant_folding():
    """A constant image through Conv, BatchNormalization, MaxPool, AveragePool, Concat and Transpose, all
    evaluated at load time, added to the input."""
    bn, i = batch_norm("bn", 2)
    nodes = [
        helper.make_node("Conv", ["K", "W"], ["c"], name="conv_const", pads=[1, 1, 1, 1]),
        helper.make_node("BatchNormalization", ["c"] + bn, ["n"], name="bn_const"),
        helper.make_node("MaxPool", ["n"], ["p"], name="maxpool_const", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("AveragePool", ["p"], ["q"], name="avgpool_const", kernel_shape=[2, 2], pads=[1, 1, 0, 0]),
        helper.make_node("Concat", ["p", "q"], ["cat"], name="concat_const", axis=1),
        helper.make_node("Transpose", ["cat"], ["t"], name="transpose_const", perm=[0, 3, 1, 2]),
        helper.make_node("Flatten", ["t"], ["f"], name="flatten_const"),
        helper.make_node("Add", ["x", "f"], ["a"], name="add_folded"),
        helper.make_node("Relu", ["a"], ["y"], name="relu_1"),
    ]
    inits = [raw("K", weights(1, 1, 4, 4, scale=1.0)), raw("W", weights(2, 1, 3, 3))] + i
    return model(nodes, [vinfo("x", [1, 16])], [vinfo("y", [1, 16])], inits)


IMAGE_GOOD = [
    ("conv_basic", "Conv with padding and bias, Relu, Conv with stride and no bias, Flatten, Gemm", conv_basic),
    ("conv_variants", "Conv with asymmetric pads, strides and dilations; grouped Conv; depthwise Conv", conv_variants),
    ("conv_auto_pad", "Conv with auto_pad SAME_UPPER (stride 2), SAME_LOWER (even kernel) and VALID", conv_auto_pad),
    ("conv_1d", "1-D Conv with padding, stride and dilation", conv_1d),
    ("batchnorm", "BatchNormalization folded into Conv, standalone after Relu, folded into Gemm", batchnorm),
    ("maxpool", "MaxPool with padding, asymmetric pads with ceil_mode 1 (same size), dilations; Concat", maxpool),
    ("maxpool_1d", "1-D MaxPool with padding and stride, and with overlapping windows; Concat", maxpool_1d),
    ("averagepool", "AveragePool with count_include_pad 0 and 1 and without padding, Concat of the three", averagepool),
    ("concat_transpose", "Concat with a constant and of one tensor twice, Transpose (NHWC, no-op, constant)", concat_transpose),
    ("residual_conv", "residual Add of computed branches (input skip and hidden skip) between Convs", residual_conv),
    ("image_symbolic_batch", "symbolic batch dimension 'N' with Conv, BatchNormalization, MaxPool, Relu, Gemm", image_symbolic_batch),
    ("global_pools", "GlobalAveragePool after a Conv and GlobalMaxPool of the input, Concat", global_pools),
    ("image_constant_folding", "Conv, BatchNormalization, MaxPool, AveragePool, Concat, Transpose of constants folded", image_constant_folding),
]


def bad_files():
    files = {}
    nodes = [helper.make_node("MaxPool", ["x"], ["y"], name="pool_ceil", kernel_shape=[2, 2], strides=[2, 2], ceil_mode=1)]
    files["bad_pool_ceil_mode"] = model(nodes, [vinfo("x", [1, 1, 5, 5])], [vinfo("y", [1, 1, 3, 3])], [])

    nodes = [helper.make_node("Relu", ["x"], ["k"], name="relu_1"),
             helper.make_node("Conv", ["x", "k"], ["y"], name="conv_computed_weight")]
    files["bad_conv_computed_weight"] = model(nodes, [vinfo("x", [1, 1, 4, 4])], [vinfo("y", [1, 1, 1, 1])], [])

    nodes = [helper.make_node("Conv", ["x", "W"], ["y"], name="conv_auto_pad", auto_pad="SAME")]
    files["bad_conv_auto_pad"] = model(nodes, [vinfo("x", [1, 1, 4, 4])], [vinfo("y", [1, 1, 4, 4])],
                                       [raw("W", weights(1, 1, 3, 3))], check=False)

    nodes = [helper.make_node("Conv", ["x", "W"], ["y"], name="conv_group", group=3)]
    files["bad_conv_group"] = model(nodes, [vinfo("x", [1, 2, 4, 4])], [vinfo("y", [1, 3, 2, 2])],
                                    [raw("W", weights(3, 1, 3, 3))], check=False)

    bn, i = batch_norm("bn", 2)
    nodes = [helper.make_node("BatchNormalization", ["x"] + bn, ["y"], name="bn_training", training_mode=1)]
    files["bad_batchnorm_training"] = model(nodes, [vinfo("x", [1, 2, 3, 3])], [vinfo("y", [1, 2, 3, 3])], i,
                                            opset=15, check=False)
    return files


COLLINS_MODELS = [
    "collins_rul_cnn/onnx/NN_rul_full_window_20.onnx",
    "collins_rul_cnn/onnx/NN_rul_small_window_20.onnx",
    "collins_rul_cnn/onnx/NN_rul_full_window_40.onnx",
]


def box_centre(benchmarks, model_path):
    """Centre of the input box of the first instance of `model_path` in collins_rul_cnn/instances.csv."""
    folder = os.path.join(benchmarks, "collins_rul_cnn")
    with open(os.path.join(folder, "instances.csv")) as f:
        spec = next(line.split(",")[1] for line in f if line.split(",")[0] == os.path.relpath(model_path, "collins_rul_cnn"))
    bounds = {}
    with open(os.path.join(folder, spec)) as f:
        for m in re.finditer(r"\((<=|>=) X_(\d+) ([-+0-9.eE]+)\)", f.read()):
            bounds.setdefault(int(m.group(2)), {})[m.group(1)] = float(m.group(3))
    return np.array([(bounds[i]["<="] + bounds[i][">="]) / 2 for i in range(len(bounds))])


def collins_references(benchmarks, path):
    """onnxruntime outputs of the collins_rul_cnn models for three random inputs each: the centre of the
    input box of the model's first instance plus uniform noise in [-0.5, 0.5], rounded to multiples of
    1/16 (exact in float32, short in JSON); one case per line."""
    import onnx
    import onnxruntime as ort
    inputs = np.random.default_rng(20261125)
    lines = []
    for model_path in COLLINS_MODELS:
        m = onnx.load(os.path.join(benchmarks, model_path))
        inp = graph_input(m)
        shape = shape_of(inp)
        centre = box_centre(benchmarks, model_path).reshape(shape)
        cases = []
        for _ in range(3):
            x = (np.round((centre + inputs.uniform(-0.5, 0.5, shape)) * 16) / 16).astype(np.float32)
            y = run_ort(m, {inp.name: x})
            cases.append(json.dumps({"input": [float(v) for v in x.flatten()],
                                     "output": [float(v) for v in np.asarray(y).flatten()]}))
        head = json.dumps({"path": model_path, "inputName": inp.name, "inputShape": shape,
                           "outputShape": list(np.asarray(y).shape)})[:-1]
        lines.append(head + ', "cases": [\n  ' + ",\n  ".join(cases) + "]}")
    note = ("onnxruntime " + ort.__version__ + " (float32) outputs of the collins_rul_cnn models in "
            "../shared/benchmarks for random inputs near an instance's box; written by scripts/make_onnx_fixtures.py")
    with open(path, "w") as f:
        f.write('{"note": ' + json.dumps(note) + ',\n "models": [\n ' + ",\n ".join(lines) + "]}\n")
