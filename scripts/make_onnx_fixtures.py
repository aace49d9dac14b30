#!/usr/bin/env python3
"""Builds the ONNX loader's test fixtures and reference outputs (run once; tests do not need Python).

Writes into Tests/Fixtures/onnx/:
  *.onnx                    small models built with onnx.helper, one per feature of the loader, and
                            bad_*.onnx broken files (each must be refused with a precise error); the
                            image models (Conv, pooling, ...) come from onnx_image_fixtures.py, the
                            load-time simplification ones (shape subgraphs, Slice, Split, ...) from
                            onnx_folding_fixtures.py; pytorch_*.onnx, exported by
                            onnx_pytorch_fixtures.py (needs torch), are kept and get references;
  references.json           for every good model: input/output shapes and a few fixed inputs with the
                            onnxruntime outputs (float32 models: onnxruntime computes in float32);
  benchmark_references.json onnxruntime outputs of the real VNN-COMP models in ../shared/benchmarks
                            (numbers only, the models are never copied), for inputs given by a
                            generator formula (see `generated_input`) so the JSON stays small;
  collins_references.json   onnxruntime outputs of the collins_rul_cnn models for random inputs.

Usage: python3 scripts/make_onnx_fixtures.py [--benchmarks-only]   (needs numpy, onnx, onnxruntime; deterministic)
"""
import json
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "Tests", "Fixtures", "onnx")
BENCHMARKS = os.path.join(os.path.dirname(REPO), "shared", "benchmarks")
rng = np.random.default_rng(20261123)

F = TensorProto.FLOAT
I64 = TensorProto.INT64


def weights(*shape, scale=0.5):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def raw(name, array):
    """Initializer stored in raw_data."""
    return numpy_helper.from_array(np.asarray(array), name)


def typed(name, array, dtype=F):
    """Initializer stored in the typed field (float_data, double_data, int64_data, int32_data)."""
    a = np.asarray(array)
    return helper.make_tensor(name, dtype, a.shape, a.flatten().tolist(), raw=False)


def const_node(output, array, name=None, dtype=F, raw_storage=True):
    a = np.asarray(array)
    t = helper.make_tensor(output + "_value", dtype, a.shape,
                           a.tobytes() if raw_storage else a.flatten().tolist(), raw=raw_storage)
    return helper.make_node("Constant", [], [output], name=name or "Const_" + output, value=t)


def vinfo(name, shape, dtype=F):
    return helper.make_tensor_value_info(name, dtype, shape)


def model(nodes, inputs, outputs, initializers, opset=13, ir=8, check=True, name="fixture"):
    graph = helper.make_graph(nodes, name, inputs, outputs, initializers)
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                          producer_name="nnverify-fixtures", producer_version="1")
    m.ir_version = ir
    if check:
        onnx.checker.check_model(m)
    return m


def run_ort(m, feeds):
    options = ort.SessionOptions()
    options.log_severity_level = 3  # errors only (an unused initializer is on purpose)
    sess = ort.InferenceSession(m.SerializeToString(), options, providers=["CPUExecutionProvider"])
    return sess.run(None, feeds)[0]


# ---------------------------------------------------------------------------------------------------
# Good fixtures: (file name, description, model, input dtype, reference kind)

def gemm_relu_raw():
    nodes = [
        helper.make_node("Gemm", ["x", "W1", "b1"], ["h"], name="gemm_1", alpha=0.5, beta=2.0, transB=1),
        helper.make_node("Relu", ["h"], ["r"], name="relu_1"),
        helper.make_node("Gemm", ["r", "W2", "b2"], ["y"], name="gemm_2"),
    ]
    inits = [raw("W1", weights(8, 6)), raw("b1", weights(8)), raw("W2", weights(8, 4)), raw("b2", weights(1, 4))]
    return model(nodes, [vinfo("x", [1, 6])], [vinfo("y", [1, 4])], inits)


def mlp_float_data():
    nodes = [
        helper.make_node("Gemm", ["x", "W1", "b1"], ["h"], name="gemm_1"),
        helper.make_node("Sigmoid", ["h"], ["s"], name="sigmoid_1"),
        helper.make_node("Gemm", ["s", "W2", "b2"], ["g"], name="gemm_2", transB=1, beta=0.5),
        helper.make_node("Tanh", ["g"], ["y"], name="tanh_1"),
    ]
    inits = [typed("W1", weights(5, 7)), typed("b1", weights(7)), typed("W2", weights(3, 7)),
             typed("b2", np.array(0.25, dtype=np.float32))]
    return model(nodes, [vinfo("x", [1, 5])], [vinfo("y", [1, 3])], inits)


def double_typed_data():
    nodes = [
        helper.make_node("MatMul", ["x", "W"], ["m"], name="matmul_1"),
        helper.make_node("Add", ["m", "b"], ["a"], name="add_1"),
        helper.make_node("Relu", ["a"], ["r"], name="relu_1"),
        helper.make_node("Reshape", ["r", "shape"], ["y"], name="reshape_1"),
    ]
    inits = [typed("W", rng.standard_normal((4, 3)), TensorProto.DOUBLE),
             typed("b", rng.standard_normal(3), TensorProto.DOUBLE),
             typed("shape", np.array([3, 1], dtype=np.int64), I64),
             typed("unused_int32", np.array([1, -2, 3], dtype=np.int32), TensorProto.INT32)]
    d = TensorProto.DOUBLE
    return model(nodes, [vinfo("x", [1, 4], d)], [vinfo("y", [3, 1], d)], inits)


def float16_weights():
    h = TensorProto.FLOAT16
    w = weights(4, 3).astype(np.float16)
    b = weights(3).astype(np.float16)
    nodes = [
        helper.make_node("MatMul", ["x", "W"], ["m"], name="matmul_1"),
        helper.make_node("Add", ["m", "b"], ["y"], name="add_1"),
    ]
    # W in raw_data, b as bit patterns in int32_data.
    b_tensor = TensorProto(name="b", data_type=h, dims=[3])
    b_tensor.int32_data.extend(b.view(np.uint16).astype(np.int32).tolist())
    return model(nodes, [vinfo("x", [1, 4], h)], [vinfo("y", [1, 3], h)], [raw("W", w), b_tensor])


def old_exporter_inputs():
    """ACAS Xu style: IR 3, opset 8, every initializer also listed as a graph input (input last)."""
    inits = [raw("avg", weights(1, 1, 1, 5)), raw("W1", weights(5, 6)), raw("b1", weights(6)),
             raw("W2", weights(6, 5)), raw("b2", weights(5))]
    nodes = [
        helper.make_node("Sub", ["input", "avg"], ["sub"], name="input_Sub"),
        helper.make_node("Flatten", ["sub"], ["flat"], name="Operation_1_Flatten", axis=1),
        helper.make_node("MatMul", ["flat", "W1"], ["mm1"], name="Operation_1_MatMul"),
        helper.make_node("Add", ["mm1", "b1"], ["add1"], name="Operation_1_Add"),
        helper.make_node("Relu", ["add1"], ["relu1"], name="relu_1"),
        helper.make_node("MatMul", ["relu1", "W2"], ["mm2"], name="linear_2_MatMul"),
        helper.make_node("Add", ["mm2", "b2"], ["y"], name="linear_2_Add"),
    ]
    inputs = [vinfo(t.name, list(t.dims)) for t in inits] + [vinfo("input", [1, 1, 1, 5])]
    return model(nodes, inputs, [vinfo("y", [1, 5])], inits, opset=8, ir=3)


def symbolic_batch():
    nodes = [
        helper.make_node("Flatten", ["x"], ["f"], name="flatten_1", axis=1),
        helper.make_node("Gemm", ["f", "W", "b"], ["g"], name="gemm_1", transB=1),
        helper.make_node("Relu", ["g"], ["y"], name="relu_1"),
    ]
    inits = [raw("W", weights(4, 6)), raw("b", weights(4))]
    return model(nodes, [vinfo("x", ["BatchSize", 2, 3])], [vinfo("y", ["BatchSize", 4])], inits)


def constant_folding():
    """Weights and bias computed from Constant nodes: Reshape, integer Div, Sub, Mul, Relu, Identity,
    MatMul and Gemm of constants are all folded at load time."""
    nodes = [
        const_node("flat", weights(12), name="Constant_flat"),
        const_node("shape_a", np.array([8, 3], dtype=np.int64), dtype=I64, name="Constant_shape_a"),
        const_node("shape_d", np.array([2, 1], dtype=np.int64), dtype=I64, name="Constant_shape_d", raw_storage=False),
        helper.make_node("Div", ["shape_a", "shape_d"], ["shape"], name="Div_shape"),
        helper.make_node("Reshape", ["flat", "shape"], ["W0"], name="Reshape_W"),
        const_node("P", weights(4, 4), name="Constant_P"),
        helper.make_node("MatMul", ["P", "W0"], ["W1"], name="MatMul_consts"),
        helper.make_node("Identity", ["W1"], ["W"], name="Identity_W"),
        const_node("c1", weights(3), name="Constant_c1"),
        const_node("c2", weights(3), name="Constant_c2", raw_storage=False),
        helper.make_node("Sub", ["c1", "c2"], ["d"], name="Sub_consts"),
        const_node("two", np.array(2.0, dtype=np.float32), name="Constant_two"),
        helper.make_node("Mul", ["d", "two"], ["d2"], name="Mul_consts"),
        helper.make_node("Relu", ["d2"], ["bias"], name="Relu_consts"),
        const_node("ones", np.ones((1, 3), dtype=np.float32), name="Constant_ones"),
        const_node("M", weights(3, 3), name="Constant_M"),
        helper.make_node("Gemm", ["ones", "M", "bias"], ["bias2"], name="Gemm_consts", transB=1),
        helper.make_node("MatMul", ["x", "W"], ["m"], name="MatMul_x"),
        helper.make_node("Add", ["m", "bias"], ["a"], name="Add_bias"),
        helper.make_node("Tanh", ["a"], ["t"], name="Tanh_1"),
        helper.make_node("Add", ["t", "bias2"], ["y"], name="Add_bias2"),
    ]
    return model(nodes, [vinfo("x", [1, 4])], [vinfo("y", [1, 3])], [])


def matmul_fusion():
    """MatMul with the constant on either side, Add/Sub/Mul of constants fused into the Affine."""
    nodes = [
        helper.make_node("Reshape", ["x", "shape32"], ["xr"], name="Reshape_in"),
        helper.make_node("MatMul", ["C", "xr"], ["cx"], name="MatMul_left"),
        helper.make_node("Add", ["cx", "bias41"], ["cxb"], name="Add_col_bias"),
        helper.make_node("Relu", ["cxb"], ["r"], name="Relu_1"),
        helper.make_node("Reshape", ["r", "shape18"], ["rf"], name="Reshape_flat"),
        helper.make_node("MatMul", ["rf", "W"], ["mw"], name="MatMul_right"),
        helper.make_node("Add", ["bW", "mw"], ["a"], name="Add_bias"),
        helper.make_node("Sub", ["a", "d"], ["s"], name="Sub_const"),
        helper.make_node("Mul", ["s", "e"], ["y"], name="Mul_const"),
    ]
    inits = [raw("shape32", np.array([3, 2], dtype=np.int64)), raw("C", weights(4, 3)),
             raw("bias41", weights(4, 1)), raw("shape18", np.array([1, 8], dtype=np.int64)),
             raw("W", weights(8, 5)), raw("bW", weights(5)), raw("d", weights(5)), raw("e", weights(1, 5))]
    return model(nodes, [vinfo("x", [1, 6])], [vinfo("y", [1, 5])], inits)


def batched_matmul():
    """Computed operand with several rows: the flat map is block diagonal."""
    nodes = [
        helper.make_node("Reshape", ["x", "shape23"], ["xr"], name="Reshape_rows"),
        helper.make_node("MatMul", ["xr", "B"], ["m"], name="MatMul_rows"),
        helper.make_node("Relu", ["m"], ["r"], name="Relu_1"),
        helper.make_node("Flatten", ["r"], ["f"], name="Flatten_all", axis=0),
        helper.make_node("Gemm", ["f", "W", "b"], ["g"], name="Gemm_out", transB=1),
        helper.make_node("MatMul", ["g", "v"], ["y"], name="MatMul_vector"),
    ]
    inits = [raw("shape23", np.array([2, 3], dtype=np.int64)), raw("B", weights(3, 4)),
             raw("W", weights(3, 8)), raw("b", weights(3)), raw("v", weights(3))]
    return model(nodes, [vinfo("x", [1, 6])], [vinfo("y", [1])], inits)


def eran_like():
    """Like ERAN's MNIST nets: Sub and Div by scalar Constant nodes, Flatten, Gemm, Sigmoid, Relu."""
    nodes = [
        const_node("mean", np.array([0.1307], dtype=np.float32), name="Constant_0"),
        helper.make_node("Sub", ["input", "mean"], ["20"], name="Sub_1"),
        const_node("std", np.array([0.3081], dtype=np.float32), name="Constant_2"),
        helper.make_node("Div", ["20", "std"], ["22"], name="Div_3"),
        helper.make_node("Flatten", ["22"], ["23"], name="Flatten_4", axis=1),
        helper.make_node("Gemm", ["23", "w1", "b1"], ["24"], name="Gemm_5", transB=1),
        helper.make_node("Sigmoid", ["24"], ["25"], name="Sigmoid_6"),
        helper.make_node("Gemm", ["25", "w2", "b2"], ["26"], name="Gemm_7", transB=1),
        helper.make_node("Relu", ["26"], ["output"], name="Relu_8"),
    ]
    inits = [raw("w1", weights(8, 16)), raw("b1", weights(8)), raw("w2", weights(3, 8)), raw("b2", weights(3) + 1.5)]
    return model(nodes, [vinfo("input", [1, 1, 4, 4])], [vinfo("output", [1, 3])], inits, opset=9, ir=6)


def dist_shift_like():
    """Like dist_shift's mnist_concat: generator Gemms, Sigmoid, two Reshapes (-1 and 0), classifier."""
    nodes = [
        helper.make_node("Gemm", ["x", "fc0.w", "fc0.b"], ["h0"], name="Gemm_3", transB=1),
        helper.make_node("Relu", ["h0"], ["r0"], name="Relu_4"),
        helper.make_node("Gemm", ["r0", "fc2.w", "fc2.b"], ["x_z"], name="Gemm_5", transB=1),
        helper.make_node("Sigmoid", ["x_z"], ["s"], name="Sigmoid_6"),
        helper.make_node("Reshape", ["s", "shape_img"], ["img"], name="Reshape_8"),
        helper.make_node("Reshape", ["img", "shape_flat"], ["flat"], name="cls/Reshape_1"),
        helper.make_node("Gemm", ["flat", "c1.w", "c1.b"], ["c1"], name="cls/Gemm_2", transB=1),
        helper.make_node("Relu", ["c1"], ["cr"], name="cls/Relu_3"),
        helper.make_node("Gemm", ["cr", "c2.w", "c2.b"], ["y"], name="cls/Gemm_4", transB=1),
    ]
    inits = [raw("fc0.w", weights(12, 10)), raw("fc0.b", weights(12)), raw("fc2.w", weights(16, 12)),
             raw("fc2.b", weights(16)), raw("shape_img", np.array([-1, 1, 4, 4], dtype=np.int64)),
             raw("shape_flat", np.array([0, -1], dtype=np.int64)), raw("c1.w", weights(6, 16)),
             raw("c1.b", weights(6)), raw("c2.w", weights(3, 6)), raw("c2.b", weights(3))]
    return model(nodes, [vinfo("x", [1, 10])], [vinfo("y", [1, 3])], inits, opset=11, ir=6)


def broadcast_arithmetic():
    """c - x, x * c, x / c with broadcasting (one enlarging x), residual Add and Sub of computed tensors."""
    nodes = [
        helper.make_node("Sub", ["c3", "x"], ["a"], name="Sub_c_minus_x"),
        helper.make_node("Mul", ["a", "m13"], ["b"], name="Mul_row"),
        helper.make_node("Div", ["b", "d3"], ["c"], name="Div_vec"),
        helper.make_node("Add", ["col21", "c"], ["e"], name="Add_enlarging"),
        helper.make_node("Tanh", ["e"], ["t"], name="Tanh_1"),
        helper.make_node("Flatten", ["t"], ["f"], name="Flatten_1", axis=0),
        helper.make_node("Gemm", ["f", "W", "bW"], ["g"], name="Gemm_1"),
        helper.make_node("Relu", ["g"], ["r"], name="Relu_1"),
        helper.make_node("Add", ["r", "g"], ["h"], name="Add_residual"),
        helper.make_node("Sub", ["h", "r"], ["i"], name="Sub_residual"),
        helper.make_node("Mul", ["half", "i"], ["y"], name="Mul_scalar"),
    ]
    inits = [raw("c3", weights(3)), raw("m13", weights(1, 3)), raw("d3", np.array([0.5, -2.0, 4.0], dtype=np.float32)),
             raw("col21", weights(2, 1)), raw("W", weights(6, 4)), raw("bW", weights(4)),
             raw("half", np.array(0.5, dtype=np.float32))]
    return model(nodes, [vinfo("x", [1, 3])], [vinfo("y", [1, 4])], inits)


def identity_dropout():
    nodes = [
        helper.make_node("Identity", ["x"], ["xi"], name="Identity_in"),
        helper.make_node("Gemm", ["xi", "W", "b"], ["g"], name="Gemm_1", transB=1),
        helper.make_node("Dropout", ["g", "ratio", "training"], ["d", "mask"], name="Dropout_1"),
        helper.make_node("Relu", ["d"], ["r"], name="Relu_1"),
        helper.make_node("Identity", ["r"], ["y"], name="Identity_out"),
    ]
    inits = [raw("W", weights(4, 5)), raw("b", weights(4)), raw("ratio", np.array(0.3, dtype=np.float32)),
             raw("training", np.array(False))]
    return model(nodes, [vinfo("x", [1, 5])], [vinfo("y", [1, 4])], inits)


def unsorted_nodes():
    """The nodes of a small MLP listed in reverse order (ONNX requires topological order; we sort)."""
    nodes = [
        helper.make_node("Gemm", ["r", "W2", "b2"], ["y"], name="gemm_2", transB=1),
        helper.make_node("Relu", ["h"], ["r"], name="relu_1"),
        helper.make_node("Gemm", ["x", "W1", "b1"], ["h"], name="gemm_1", transB=1),
    ]
    inits = [raw("W1", weights(5, 3)), raw("b1", weights(5)), raw("W2", weights(2, 5)), raw("b2", weights(2))]
    return model(nodes, [vinfo("x", [1, 3])], [vinfo("y", [1, 2])], inits, check=False)


def mul_computed():
    """x * relu(x): Mul of two computed tensors, a bilinear Product."""
    nodes = [helper.make_node("Relu", ["x"], ["r"], name="relu_1"),
             helper.make_node("Mul", ["x", "r"], ["y"], name="mul_square")]
    return model(nodes, [vinfo("x", [1, 3])], [vinfo("y", [1, 3])], [])


def div_computed():
    """x / (|x| + 1): Div of two computed tensors, a Product with a Reciprocal."""
    one = helper.make_tensor("one", F, [1], [1.0])
    nodes = [helper.make_node("Abs", ["x"], ["a"], name="abs_1"),
             helper.make_node("Add", ["a", "one"], ["d"], name="add_1"),
             helper.make_node("Div", ["x", "d"], ["y"], name="div_two")]
    return model(nodes, [vinfo("x", [1, 3])], [vinfo("y", [1, 3])], [one])


LATER_GOOD = [
    ("mul_computed", "Mul of two computed tensors (x * relu(x)): a bilinear Product", mul_computed),
    ("div_computed", "Div of two computed tensors (x / (|x| + 1)): a Product with a Reciprocal", div_computed),
]

GOOD = [
    ("gemm_relu_raw", "Gemm (alpha, beta, transB, bias [N] and [1,N]) + Relu, weights in raw_data", gemm_relu_raw),
    ("mlp_float_data", "Gemm + Sigmoid + Gemm (transB, scalar bias) + Tanh, weights in float_data", mlp_float_data),
    ("double_typed_data", "DOUBLE model: weights in double_data, Reshape shape in int64_data, unused INT32 in int32_data", double_typed_data),
    ("float16_weights", "FLOAT16 weights in raw_data and int32_data (reference: numpy float64 on the float16 values)", float16_weights),
    ("old_exporter_inputs", "IR 3 / opset 8, initializers listed among graph inputs, Sub + Flatten + MatMul/Add (ACAS Xu style)", old_exporter_inputs),
    ("symbolic_batch", "symbolic leading dimension 'BatchSize' on input and output", symbolic_batch),
    ("constant_folding", "Constant nodes folded through Div (int64), Reshape, MatMul, Identity, Sub, Mul, Relu, Gemm", constant_folding),
    ("matmul_fusion", "MatMul with constant left and right operands; Add/Sub/Mul by constants fused into Affine", matmul_fusion),
    ("batched_matmul", "MatMul of a [2,3] computed tensor (block-diagonal map), Flatten(axis=0), MatMul by a vector", batched_matmul),
    ("eran_like", "Sub and Div by scalar Constant nodes, Flatten, Gemm, Sigmoid, Relu (ERAN style)", eran_like),
    ("dist_shift_like", "Gemm/Relu/Sigmoid generator, Reshape with -1 and 0, classifier (dist_shift style)", dist_shift_like),
    ("broadcast_arithmetic", "c - x, x * c, x / c, broadcasting that enlarges x, residual Add/Sub, Mul by scalar", broadcast_arithmetic),
    ("identity_dropout", "Identity and Dropout (opset 13, ratio and training_mode inputs, unused mask output)", identity_dropout),
    ("unsorted_nodes", "nodes not in topological order", unsorted_nodes),
]


def shape_of(value_info):
    return [d.dim_value if d.HasField("dim_value") else 1 for d in value_info.type.tensor_type.shape.dim]


def graph_input(m):
    inits = {t.name for t in m.graph.initializer}
    return next(i for i in m.graph.input if i.name not in inits)


def reference_cases(stem, m, generator=None):
    generator = generator or rng
    inp = graph_input(m)
    shape = shape_of(inp)
    elem = inp.type.tensor_type.elem_type
    cases = []
    for k in range(3):
        x = (generator.standard_normal(shape) * (1.0 if k < 2 else 3.0)).astype(np.float32)
        if elem == TensorProto.DOUBLE:
            x = x.astype(np.float64)
            y = run_ort(m, {inp.name: x})
        elif elem == TensorProto.FLOAT16:
            x = x.astype(np.float16)
            w = numpy_helper.to_array(m.graph.initializer[0]).astype(np.float64)
            b_t = m.graph.initializer[1]
            b = np.array(b_t.int32_data, dtype=np.uint16).view(np.float16).astype(np.float64)
            y = x.astype(np.float64) @ w + b
        else:
            y = run_ort(m, {inp.name: x})
        cases.append({"input": [float(v) for v in x.flatten()], "output": [float(v) for v in np.asarray(y).flatten()]})
    return {"inputName": inp.name, "inputShape": shape, "outputShape": list(np.asarray(y).shape), "cases": cases}


# ---------------------------------------------------------------------------------------------------
# Broken files: each must be refused with one precise error (the tests check the message text).

def small_valid_model():
    nodes = [helper.make_node("Gemm", ["x", "fc.weight", "fc.bias"], ["y"], name="fc", transB=1)]
    inits = [raw("fc.weight", weights(2, 3)), raw("fc.bias", weights(2))]
    return nodes, inits


def bad_files():
    files = {}
    good = gemm_relu_raw().SerializeToString()
    files["bad_truncated"] = good[: int(len(good) * 0.6)]
    files["bad_not_onnx"] = b"This is not an ONNX model, just a few words of text.\n"

    nodes = [
        helper.make_node("Conv", ["x", "k"], ["c"], name="conv_1", kernel_shape=[3, 3]),
        helper.make_node("LRN", ["c"], ["n"], name="lrn_1", size=3),
        helper.make_node("LpPool", ["n"], ["p"], name="pool_1", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Flatten", ["p"], ["y"], name="flatten_1"),
    ]
    files["bad_unsupported_ops"] = model(nodes, [vinfo("x", [1, 1, 6, 6])], [vinfo("y", [1, 4])],
                                         [raw("k", weights(1, 1, 3, 3))])

    nodes, inits = small_valid_model()
    files["bad_missing_initializer"] = model(nodes, [vinfo("x", [1, 3])], [vinfo("y", [1, 2])], [inits[1]], check=False)

    nan_bias = weights(2)
    nan_bias[1] = np.nan
    files["bad_nan_weight"] = model(nodes, [vinfo("x", [1, 3])], [vinfo("y", [1, 2])], [inits[0], raw("fc.bias", nan_bias)])

    cyc = [helper.make_node("Add", ["x", "b_out"], ["a_out"], name="add_a"),
           helper.make_node("Relu", ["a_out"], ["b_out"], name="relu_b"),
           helper.make_node("Gemm", ["b_out", "fc.weight", "fc.bias"], ["y"], name="fc", transB=1)]
    files["bad_cycle"] = model(cyc, [vinfo("x", [1, 3])], [vinfo("y", [1, 2])], inits, check=False)

    div = [const_node("one", np.array(1.0, dtype=np.float32), name="Constant_one"),
           helper.make_node("Div", ["one", "x"], ["y"], name="div_1")]
    files["bad_div_by_input"] = model(div, [vinfo("x", [1, 3])], [vinfo("y", [1, 3])], [])

    two = [helper.make_node("Add", ["x1", "x2"], ["y"], name="add_1")]
    files["bad_two_inputs"] = model(two, [vinfo("x1", [1, 3]), vinfo("x2", [1, 3])], [vinfo("y", [1, 3])], [])

    ext = TensorProto(name="fc.weight", data_type=F, dims=[2, 3])
    ext.data_location = TensorProto.EXTERNAL
    entry = ext.external_data.add()
    entry.key, entry.value = "location", "weights.bin"
    files["bad_external_data"] = model(nodes, [vinfo("x", [1, 3])], [vinfo("y", [1, 2])], [ext, inits[1]], check=False)

    huge = TensorProto(name="fc.weight", data_type=F, dims=[100000, 100000])
    huge.raw_data = b""
    files["bad_huge_tensor"] = model(nodes, [vinfo("x", [1, 3])], [vinfo("y", [1, 2])], [huge, inits[1]], check=False)

    power = [helper.make_node("Relu", ["x"], ["r"], name="relu_1"),
             helper.make_node("Pow", ["x", "r"], ["y"], name="pow_two")]
    files["bad_pow_computed"] = model(power, [vinfo("x", [1, 3])], [vinfo("y", [1, 3])], [])

    int8 = helper.make_tensor("fc.weight", TensorProto.INT8, [2, 3], [1, 2, 3, 4, 5, 6])
    files["bad_int8_weight"] = model(nodes, [vinfo("x", [1, 3])], [vinfo("y", [1, 2])], [int8, inits[1]], check=False)

    files["bad_symbolic_inner_dim"] = model(nodes, [vinfo("x", [1, "features"])], [vinfo("y", [1, 2])], inits)

    files["bad_shape_mismatch"] = model(nodes, [vinfo("x", [1, 4])], [vinfo("y", [1, 2])], inits, check=False)

    no_graph = onnx.ModelProto()
    no_graph.ir_version = 8
    no_graph.producer_name = "nnverify-fixtures"
    files["bad_no_graph"] = no_graph
    return files


# ---------------------------------------------------------------------------------------------------
# Real benchmark models: onnxruntime outputs for generated inputs (numbers only).

def generated_input(segments, case):
    """x_i = ((i * a + b + 101 * case) mod 1024) / 1024 * scale + shift, segment by segment (i restarts at
    0 in every segment). Every value is a multiple of 2^-10 times a power of two: exact in float32 and
    Double, so Swift regenerates the very numbers onnxruntime saw."""
    values = []
    for seg in segments:
        for i in range(seg["count"]):
            v = (i * seg["a"] + seg["b"] + 101 * case) % 1024
            values.append(v / 1024.0 * seg["scale"] + seg["shift"])
    return np.array(values, dtype=np.float64)


BENCHMARK_MODELS = [
    ("acasxu/onnx/ACASXU_run2a_1_1_batch_2000.onnx", [{"count": 5, "a": 37, "b": 13, "scale": 1.0, "shift": -0.5}]),
    ("mnistfc/onnx/mnist-net_256x2.onnx", [{"count": 784, "a": 37, "b": 13, "scale": 1.0, "shift": 0.0}]),
    ("mnistfc/onnx/mnist-net_256x4.onnx", [{"count": 784, "a": 37, "b": 13, "scale": 1.0, "shift": 0.0}]),
    ("mnistfc/onnx/mnist-net_256x6.onnx", [{"count": 784, "a": 37, "b": 13, "scale": 1.0, "shift": 0.0}]),
    ("eran/onnx/mnist_relu_9_200.onnx", [{"count": 784, "a": 53, "b": 7, "scale": 1.0, "shift": 0.0}]),
    ("eran/onnx/ffnnSIGMOID__Point_6x200.onnx", [{"count": 784, "a": 53, "b": 7, "scale": 1.0, "shift": 0.0}]),
    ("dist_shift/onnx/mnist_concat.onnx", [{"count": 784, "a": 29, "b": 3, "scale": 1.0, "shift": 0.0},
                                           {"count": 8, "a": 389, "b": 11, "scale": 4.0, "shift": -2.0}]),
]
# The 2023-2024 suites whose models need only the operators of the loader (one input segment over the
# whole input: count from the model's input shape).
LATER_BENCHMARK_MODELS = [
    ("cgan/onnx/cGAN_imgSz32_nCh_1.onnx", 1.0, -0.5),
    ("cgan/onnx/cGAN_imgSz32_nCh_1_transposedConvPadding_1.onnx", 1.0, -0.5),
    ("cgan/onnx/cGAN_imgSz32_nCh_3.onnx", 1.0, -0.5),
    ("cgan/onnx/cGAN_imgSz32_nCh_3_nonlinear_activations.onnx", 1.0, -0.5),
    ("cgan/onnx/cGAN_imgSz32_nCh_3_upsample.onnx", 1.0, -0.5),
    ("cgan/onnx/cGAN_imgSz64_nCh_1.onnx", 1.0, -0.5),
    ("cgan/onnx/cGAN_imgSz64_nCh_3.onnx", 1.0, -0.5),
    ("yolo/onnx/TinyYOLO.onnx", 2.0, -1.0),
    ("tllverifybench/onnx/tllBench_n=2_N=M=8_m=1_instance_0_0.onnx", 4.0, -2.0),
    ("tllverifybench/onnx/tllBench_n=2_N=M=16_m=1_instance_1_1.onnx", 4.0, -2.0),
    ("tllverifybench/onnx/tllBench_n=2_N=M=24_m=1_instance_2_2.onnx", 4.0, -2.0),
    ("cora/onnx/mnist-point.onnx", 1.0, 0.0),
    ("cora/onnx/mnist-set.onnx", 1.0, 0.0),
    ("cora/onnx/mnist-trades.onnx", 1.0, 0.0),
    ("safenlp/onnx/medical/perturbations_0.onnx", 0.2, -0.1),
    ("safenlp/onnx/ruarobot/perturbations_0.onnx", 0.2, -0.1),
    ("nn4sys/onnx/lindex.onnx", 1.0, 0.0),
    ("nn4sys/onnx/lindex_deep.onnx", 1.0, 0.0),
    ("nn4sys/onnx/pensieve_small_simple.onnx", 1.0, 0.0),
    ("nn4sys/onnx/pensieve_mid_simple.onnx", 1.0, 0.0),
    ("nn4sys/onnx/pensieve_big_simple.onnx", 1.0, 0.0),
    # Products, quotients, powers, sines, softmax (general nonlinearities). Their float32 outputs can be
    # ill-conditioned (x³/Σx³, power-flow residuals): references are computed in float64 instead (below).
    ("nn4sys/onnx/mscn_128d.onnx", 1.0, 0.0),
    ("nn4sys/onnx/mscn_128d_dual.onnx", 1.0, 0.0),
    ("nn4sys/onnx/pensieve_small_parallel.onnx", 1.0, 0.0),
    ("nn4sys/onnx/pensieve_big_parallel.onnx", 1.0, 0.0),
    ("lsnc/onnx/quadrotor2d_state.onnx", 1.0, -0.5),
    ("lsnc/onnx/quadrotor2d_output.onnx", 1.0, -0.5),
    ("ml4acopf/onnx/14_ieee_ml4acopf.onnx", 1.0, 0.0),
    ("ml4acopf/onnx/118_ieee_ml4acopf.onnx", 1.0, 0.0),
    ("vit/onnx/ibp_3_3_8.onnx", 1.0, -0.5),
    ("vit/onnx/pgd_2_3_16.onnx", 1.0, -0.5),
]


FLOAT64_REFERENCE_PREFIXES = ("nn4sys/onnx/pensieve_small_parallel", "nn4sys/onnx/pensieve_big_parallel", "ml4acopf/")



def later_benchmark_models():
    out = []
    for path, scale, shift in LATER_BENCHMARK_MODELS:
        m = onnx.load(os.path.join(BENCHMARKS, path))
        count = int(np.prod(shape_of(graph_input(m))))
        out.append((path, [{"count": count, "a": 37, "b": 13, "scale": scale, "shift": shift}]))
    return out


def as_float64(m):
    """The model with every float32 tensor, type and cast in float64 (for the reference evaluator)."""
    m = onnx.ModelProto.FromString(m.SerializeToString())
    g = m.graph
    def widen(t):
        if t.data_type == F:
            t.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(t).astype(np.float64), t.name))
    for t in g.initializer:
        widen(t)
    for n in g.node:
        for a in n.attribute:
            if a.type == onnx.AttributeProto.TENSOR:
                widen(a.t)
            if n.op_type == "Cast" and a.name == "to" and a.i == F:
                a.i = TensorProto.DOUBLE
    for v in list(g.input) + list(g.output) + list(g.value_info):
        if v.type.tensor_type.elem_type == F:
            v.type.tensor_type.elem_type = TensorProto.DOUBLE
    return m


def run_float64(m, feeds):
    """Outputs of the ONNX reference evaluator on the float64 version of `m` (onnxruntime's CPU provider
    lacks float64 kernels for some operators); inputs are float32 values widened exactly."""
    from onnx.reference import ReferenceEvaluator
    y = ReferenceEvaluator(as_float64(m)).run(None, {k: v.astype(np.float64) for k, v in feeds.items()})[0]
    return np.asarray(y, dtype=np.float64)


def benchmark_references():
    models = []
    for path, segments in BENCHMARK_MODELS + later_benchmark_models():
        m = onnx.load(os.path.join(BENCHMARKS, path))
        inp = graph_input(m)
        shape = shape_of(inp)
        cases = []
        wide = path.startswith(FLOAT64_REFERENCE_PREFIXES)
        for case in range(3):
            x = generated_input(segments, case).astype(np.float32).reshape(shape)
            y = run_float64(m, {inp.name: x}) if wide else run_ort(m, {inp.name: x})
            cases.append({"case": case, "output": [float(v) for v in np.asarray(y).flatten()]})
        models.append({"path": path, "evaluator": "onnx.reference float64" if wide else "onnxruntime float32",
                       "inputName": inp.name, "inputShape": shape,
                       "outputShape": list(np.asarray(y).shape), "inputSegments": segments, "cases": cases})
    return {"note": "onnxruntime " + ort.__version__ + " (float32) outputs of the VNN-COMP models in "
                    "../shared/benchmarks, or the ONNX reference evaluator's in float64 where 'evaluator' says so; "
                    "inputs from the generator in scripts/make_onnx_fixtures.py",
            "models": models}


def main():
    if "--benchmarks-only" in sys.argv:
        # Only benchmark_references.json (the real models' outputs), leaving every fixture file as it is.
        with open(os.path.join(OUT, "benchmark_references.json"), "w") as f:
            json.dump(benchmark_references(), f, indent=1)
        return
    import onnx_image_fixtures as images  # imports this file as a module: import it only here
    import onnx_folding_fixtures as folding
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        # pytorch_*.onnx come from onnx_pytorch_fixtures.py (needs torch): kept, references rewritten.
        if (f.endswith(".onnx") and not f.startswith("pytorch_")) or f.endswith(".json"):
            os.remove(os.path.join(OUT, f))
    references = []
    for stem, description, build in GOOD:
        m = build()
        onnx.save(m, os.path.join(OUT, stem + ".onnx"))
        entry = {"file": stem + ".onnx", "description": description}
        entry.update(reference_cases(stem, m))
        references.append(entry)
    for stem, description, build in images.IMAGE_GOOD:
        m = build()
        onnx.save(m, os.path.join(OUT, stem + ".onnx"))
        entry = {"file": stem + ".onnx", "description": description}
        entry.update(reference_cases(stem, m, generator=images.rng))
        references.append(entry)
    for stem, description, build in folding.FOLDING_GOOD:
        m = build()
        onnx.save(m, os.path.join(OUT, stem + ".onnx"))
        entry = {"file": stem + ".onnx", "description": description}
        entry.update(reference_cases(stem, m, generator=folding.rng))
        references.append(entry)
    # Added later, with their own input generator, so the earlier fixtures stay byte-identical.
    for stem, description, build in LATER_GOOD:
        m = build()
        onnx.save(m, os.path.join(OUT, stem + ".onnx"))
        entry = {"file": stem + ".onnx", "description": description}
        entry.update(reference_cases(stem, m, generator=np.random.default_rng(20261206)))
        references.append(entry)
    for f in sorted(os.listdir(OUT)):
        if f.startswith("pytorch_") and f.endswith(".onnx"):
            m = onnx.load(os.path.join(OUT, f))
            entry = {"file": f, "description": "exported by torch.onnx.export (scripts/onnx_pytorch_fixtures.py)"}
            entry.update(reference_cases(f, m, generator=np.random.default_rng(20261202)))
            references.append(entry)
    with open(os.path.join(OUT, "references.json"), "w") as f:
        json.dump({"note": "onnxruntime " + ort.__version__ + " outputs (float32 models computed in float32) "
                           "for the good fixtures; written by scripts/make_onnx_fixtures.py",
                   "fixtures": references}, f, indent=1)
    for stem, content in list(bad_files().items()) + list(images.bad_files().items()) + list(folding.bad_files().items()):
        with open(os.path.join(OUT, stem + ".onnx"), "wb") as f:
            f.write(content if isinstance(content, bytes) else content.SerializeToString())
    if os.path.isdir(BENCHMARKS):
        with open(os.path.join(OUT, "benchmark_references.json"), "w") as f:
            json.dump(benchmark_references(), f, indent=1)
        images.collins_references(BENCHMARKS, os.path.join(OUT, "collins_references.json"))
    else:
        print(f"warning: {BENCHMARKS} not found; benchmark_references.json not written", file=sys.stderr)
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"wrote {len(os.listdir(OUT))} files to {OUT} ({total} bytes)")


if __name__ == "__main__":
    main()
