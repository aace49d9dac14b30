#!/usr/bin/env python3
"""Builds the fixtures of the exact linear operators on computed tensors (ConvTranspose, Resize, Upsample,
Pad, MatMul/Gemm with the constant on either side, Neg, ReduceSum/ReduceMean, Sum/Mean, broadcasting
Add/Sub/Mul/Div, Cast) and their onnxruntime reference outputs.

Writes into Tests/Fixtures/onnx/linear_ops/:
  *.onnx           small models built with onnx.helper, each covering a few attribute/input forms at one
                   opset (several branches are flattened and concatenated into the one graph output);
  bad_*.onnx       models with unsupported attribute values, which must be refused with a clear message;
  references.json  input/output shapes and two fixed inputs with the onnxruntime outputs (float32).

Usage: python3 scripts/make_linear_op_fixtures.py   (needs numpy, onnx==1.23.2, onnxruntime==1.32.0;
deterministic)
"""
import json
import os

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "Tests", "Fixtures", "onnx", "linear_ops")
rng = np.random.default_rng(20270115)
F = TensorProto.FLOAT


def w(*shape, scale=0.5):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def init(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def i64(name, values):
    return init(name, np.array(values, dtype=np.int64))


def f32(name, values):
    return init(name, np.array(values, dtype=np.float32))


def node(op, inputs, outputs, **attrs):
    return helper.make_node(op, inputs, outputs, name=outputs[0] + "_node", **attrs)


def model(nodes, input_shape, inits, opset, output="y", run=True):
    """A model; with `run`, checked and declaring the output shape onnxruntime computes (else unknown)."""
    def build(out_shape):
        graph = helper.make_graph(nodes, "linear_ops", [helper.make_tensor_value_info("x", F, input_shape)],
                                  [helper.make_tensor_value_info(output, F, out_shape)], inits)
        m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="nnverify-fixtures")
        m.ir_version = 8
        return m
    shape = None
    if run:
        options = ort.SessionOptions()
        options.log_severity_level = 3
        sess = ort.InferenceSession(build(None).SerializeToString(), options, providers=["CPUExecutionProvider"])
        shape = list(sess.run(None, {"x": np.zeros(input_shape, np.float32)})[0].shape)
    m = build(shape)
    if run:
        onnx.checker.check_model(m)
    return m


def concat_flat(names, output="y"):
    """Flattens every branch to [1, n] and concatenates them along axis 1."""
    nodes = [node("Flatten", [n], [n + "_flat"], axis=0) for n in names]
    nodes.append(node("Concat", [n + "_flat" for n in names], [output], axis=1))
    return nodes


# ---------------------------------------------------------------------------------------------------
# ConvTranspose

def conv_transpose(shape, weight, opset=13, bias=True, **attrs):
    inits = [init("W", weight)] + ([init("B", w(weight.shape[1] * attrs.get("group", 1)))] if bias else [])
    nodes = [node("ConvTranspose", ["x", "W"] + (["B"] if bias else []), ["y"], **attrs)]
    return model(nodes, shape, inits, opset)


def conv_transpose_fixtures():
    return [
        ("convtranspose_basic", "ConvTranspose 2-D, 3x3, stride 1, bias (opset 11)",
         lambda: conv_transpose([1, 2, 3, 3], w(2, 3, 3, 3), opset=11)),
        ("convtranspose_strides_pads", "strides [2,3], asymmetric pads, output_padding [1,2], no bias",
         lambda: conv_transpose([1, 2, 3, 4], w(2, 2, 3, 4), bias=False, strides=[2, 3], pads=[1, 0, 0, 1],
                                output_padding=[1, 2])),
        ("convtranspose_groups_dilations", "group 2, dilations [2,1], strides [1,2], kernel_shape given (opset 17)",
         lambda: conv_transpose([1, 4, 3, 3], w(4, 1, 2, 3), opset=17, group=2, dilations=[2, 1], strides=[1, 2],
                                kernel_shape=[2, 3])),
        ("convtranspose_output_shape", "output_shape [6,8] (crop 1 at the end, one extra bias-only column)",
         lambda: conv_transpose([1, 2, 3, 3], w(2, 2, 3, 3), strides=[2, 2], output_shape=[6, 8])),
        ("convtranspose_same_upper", "auto_pad SAME_UPPER with odd crops, strides 2",
         lambda: conv_transpose([1, 1, 3, 3], w(1, 2, 4, 3), strides=[2, 2], auto_pad="SAME_UPPER")),
        ("convtranspose_same_lower", "auto_pad SAME_LOWER with odd crops, strides 2",
         lambda: conv_transpose([1, 1, 3, 3], w(1, 2, 4, 3), strides=[2, 2], auto_pad="SAME_LOWER")),
        ("convtranspose_valid", "auto_pad VALID, stride 3 (gaps between taps)",
         lambda: conv_transpose([1, 2, 2, 3], w(2, 1, 2, 2), strides=[3, 3], auto_pad="VALID")),
        ("convtranspose_1d", "ConvTranspose 1-D, stride 2, pads [1,0], output_padding 1 (opset 9)",
         lambda: conv_transpose([1, 2, 5], w(2, 3, 3), opset=9, strides=[2], pads=[1, 0], output_padding=[1])),
        ("convtranspose_depthwise_1d", "ConvTranspose 1-D depthwise (group 3), dilation 2",
         lambda: conv_transpose([1, 3, 4], w(3, 1, 3), group=3, dilations=[2], pads=[1, 1])),
    ]


# ---------------------------------------------------------------------------------------------------
# Resize and Upsample

def resize_all_modes(coordinate_mode, opset=13):
    """One model per coordinate mode: nearest (four roundings, up and down), linear, cubic; axes of scale 1."""
    branches, inits, nodes = [], [f32("roi", []), f32("noscales", [])], []
    forms = [
        ("nearest", {"nearest_mode": "round_prefer_floor"}, [1, 1, 2, 1.5], None),
        ("nearest", {"nearest_mode": "round_prefer_ceil"}, [1, 1, 1, 1.5], None),
        ("nearest", {"nearest_mode": "floor"}, [1, 1, 2, 2.5], None),
        ("nearest", {"nearest_mode": "ceil"}, [1, 1, 3, 0.8], None),
        ("nearest", {"nearest_mode": "round_prefer_ceil"}, None, [1, 1, 2, 3]),
        ("linear", {}, [1, 1, 1.5, 2], None),
        ("linear", {}, [1, 1, 1, 0.5], None),
        ("linear", {}, None, [1, 1, 2, 3]),
        ("cubic", {"cubic_coeff_a": -0.5}, [1, 1, 2, 2], None),
        ("cubic", {"exclude_outside": 1}, None, [1, 1, 5, 6]),
    ]
    for k, (mode, attrs, scales, sizes) in enumerate(forms):
        out = f"r{k}"
        if scales is not None:
            inits.append(f32(f"scales{k}", scales))
            ins = ["x", "roi", f"scales{k}"]
        else:
            inits.append(i64(f"sizes{k}", sizes))
            ins = ["x", "roi", "noscales", f"sizes{k}"]
        nodes.append(node("Resize", ins, [out], mode=mode, coordinate_transformation_mode=coordinate_mode, **attrs))
        branches.append(out)
    return model(nodes + concat_flat(branches), [1, 1, 3, 4], inits, opset)


def resize_fixtures():
    cases = [(f"resize_{m}", f"Resize opset 13 with coordinate_transformation_mode {m}: nearest (all roundings, "
              "scales and sizes, up and down), linear, cubic", (lambda m=m: resize_all_modes(m)))
             for m in ["half_pixel", "asymmetric", "align_corners", "pytorch_half_pixel", "tf_half_pixel_for_nn"]]

    def resize10():
        inits = [f32("s_up", [1, 1, 2, 1.5]), f32("s_down", [1, 1, 0.6, 0.5]), f32("s_lin", [1, 1, 2, 2.5])]
        nodes = [node("Resize", ["x", "s_up"], ["a"], mode="nearest"), node("Resize", ["x", "s_down"], ["b"], mode="nearest"),
                 node("Resize", ["x", "s_lin"], ["c"], mode="linear")]
        return model(nodes + concat_flat(["a", "b", "c"]), [1, 2, 4, 5], inits, 10)

    def upsample7():
        nodes = [node("Upsample", ["x"], ["a"], mode="nearest", scales=[1.0, 1.0, 2.0, 3.0]),
                 node("Upsample", ["x"], ["b"], mode="linear", scales=[1.0, 1.0, 2.0, 1.5])]
        return model(nodes + concat_flat(["a", "b"]), [1, 2, 3, 4], [], 7)

    def upsample9():
        inits = [f32("s1", [1, 1, 3, 2]), f32("s2", [1, 1, 2, 2])]
        nodes = [node("Upsample", ["x", "s1"], ["a"], mode="nearest"), node("Upsample", ["x", "s2"], ["b"], mode="linear")]
        return model(nodes + concat_flat(["a", "b"]), [1, 2, 3, 4], inits, 9)

    def resize11():
        inits = [f32("roi", []), f32("scales", [1, 1, 2, 2]), f32("noscales", []), i64("sizes", [1, 2, 5, 3])]
        nodes = [node("Resize", ["x", "roi", "scales"], ["a"], mode="linear", coordinate_transformation_mode="align_corners"),
                 node("Resize", ["x", "roi", "noscales", "sizes"], ["b"], mode="nearest", nearest_mode="floor"),
                 node("Resize", ["x", "roi", "scales"], ["c"], mode="nearest")]
        return model(nodes + concat_flat(["a", "b", "c"]), [1, 2, 3, 4], inits, 11)

    def resize19():
        inits = [f32("s", [2, 1.5]), i64("sizes", [7, 7]), i64("sizes2", [5, 9])]
        nodes = [node("Resize", ["x", "", "s"], ["a"], mode="linear", axes=[2, 3],
                      coordinate_transformation_mode="half_pixel_symmetric"),
                 # onnxruntime 1.32 ignores keep_aspect_ratio_policy with negative axes: positive ones here.
                 node("Resize", ["x", "", "", "sizes"], ["b"], mode="nearest", axes=[2, 3],
                      keep_aspect_ratio_policy="not_larger"),
                 node("Resize", ["x", "", "s"], ["e"], mode="nearest", axes=[-2, -1]),
                 node("Resize", ["x", "", "", "sizes2"], ["c"], mode="linear", axes=[2, 3],
                      keep_aspect_ratio_policy="not_smaller", antialias=1),
                 node("Resize", ["x", "", "", "sizes2"], ["d"], mode="nearest", axes=[2, 3],
                      coordinate_transformation_mode="half_pixel_symmetric")]
        return model(nodes + concat_flat(["a", "b", "e", "c", "d"]), [1, 2, 3, 4], inits, 19)

    def resize_nhwc():
        inits = [f32("s", [1, 2, 1.5, 1])]
        nodes = [node("Resize", ["x", "", "s"], ["y"], mode="linear")]
        return model(nodes, [1, 3, 4, 2], inits, 13)

    return cases + [
        ("resize10", "Resize opset 10 (scales input, asymmetric): nearest up and down, linear", resize10),
        ("upsample7", "Upsample opset 7 (scales attribute): nearest and linear", upsample7),
        ("upsample9", "Upsample opset 9 (scales input): nearest and linear", upsample9),
        ("resize11", "Resize opset 11: empty roi, scales or sizes (with empty scales)", resize11),
        ("resize19", "Resize opset 19: axes, half_pixel_symmetric, keep_aspect_ratio_policy, antialias upsampling", resize19),
        ("resize_nhwc", "Resize linear on the middle axes of an NHWC tensor", resize_nhwc),
    ]


# ---------------------------------------------------------------------------------------------------
# Pad

def pad_fixtures():
    def pad2():
        nodes = [node("Pad", ["x"], ["a"], pads=[0, 1, 2, 0, 0, 2, 1, 1], value=1.5),
                 node("Pad", ["x"], ["b"], mode="edge", pads=[0, 0, 1, 2, 0, 0, 2, 0]),
                 node("Pad", ["x"], ["c"], mode="reflect", pads=[0, 0, 2, 1, 0, 0, 1, 3]),
                 node("Pad", ["x"], ["d"], pads=[0, 0, -1, 1, 0, 0, 0, -2])]
        return model(nodes + concat_flat(["a", "b", "c", "d"]), [1, 2, 3, 4], [], 7)

    def pad11():
        inits = [i64("p1", [0, 0, 1, 2, 0, 0, 2, 1]), f32("v", -0.75), i64("p2", [0, 0, 2, 3, 0, 0, 2, 3]),
                 i64("p3", [0, 0, -1, 2, 0, 0, 1, -1])]
        nodes = [node("Pad", ["x", "p1", "v"], ["a"]), node("Pad", ["x", "p2"], ["b"], mode="reflect"),
                 node("Pad", ["x", "p2", ""], ["c"], mode="edge"), node("Pad", ["x", "p3"], ["d"]),
                 node("Pad", ["x", "p3"], ["e"], mode="edge")]
        return model(nodes + concat_flat(["a", "b", "c", "d", "e"]), [1, 2, 3, 4], inits, 11)

    def pad18():
        inits = [i64("axes", [-1, 1]), i64("p", [1, 0, 2, 1]), f32("v", 2.0), i64("axes2", [2]), i64("p2", [2, 1])]
        nodes = [node("Pad", ["x", "p", "v", "axes"], ["a"]), node("Pad", ["x", "p2", "", "axes2"], ["b"], mode="reflect")]
        return model(nodes + concat_flat(["a", "b"]), [1, 2, 3, 4], inits, 18)

    def pad19():
        inits = [i64("p", [0, 1, 2, 3, 0, 2, 1, 4]), i64("p2", [0, 0, 0, 1, 0, 0, 3, 0])]
        nodes = [node("Pad", ["x", "p"], ["a"], mode="wrap"), node("Pad", ["x", "p2"], ["b"], mode="constant")]
        return model(nodes + concat_flat(["a", "b"]), [1, 2, 3, 4], inits, 19)

    def pad_1d():
        inits = [i64("p", [0, 0, 2, 0, 0, 3])]
        nodes = [node("Pad", ["x", "p"], ["y"], mode="reflect")]
        return model(nodes, [1, 2, 5], inits, 13)

    return [
        ("pad7", "Pad opset 7 (pads/value attributes): constant value 1.5, edge, reflect, negative pads (crop)", pad2),
        ("pad11", "Pad opset 11 inputs: constant_value given/omitted, reflect, edge, negative pads", pad11),
        ("pad18", "Pad opset 18 axes input (negative axis), constant and reflect", pad18),
        ("pad19", "Pad opset 19 wrap, constant without value", pad19),
        ("pad_1d", "Pad reflect on a 1-D signal", pad_1d),
    ]


# ---------------------------------------------------------------------------------------------------
# MatMul and Gemm with the constant on either side

def matmul_fixtures():
    def matmul_left():
        inits = [init("C", w(3, 2)), init("Cb", w(2, 3, 2)), init("Cv", w(2)), init("Bb", w(3, 4, 2)), init("C4", w(3, 1, 3, 2))]
        nodes = [node("MatMul", ["C", "x"], ["a"]),        # [3,2] @ [2,4] -> [3,4]
                 node("MatMul", ["Cb", "x"], ["b"]),       # [2,3,2] @ [2,4] -> [2,3,4]
                 node("MatMul", ["Cv", "x"], ["c"]),       # [2] @ [2,4] -> [4]
                 node("MatMul", ["x", "Bb"], ["d"]),       # [2,4] @ [3,4,2] -> [3,2,2]
                 node("Reshape", ["x", "s1224"], ["xr"]),  # x viewed as [1,2,2,2]
                 node("MatMul", ["C4", "xr"], ["e"])]      # [3,1,3,2] @ [1,2,2,2] -> [3,2,3,2]
        inits.append(i64("s1224", [1, 2, 2, 2]))
        return model(nodes + concat_flat(["a", "b", "c", "d", "e"]), [2, 4], inits, 13)

    def gemm_forms():
        inits = [init("B", w(3, 4)), init("C", w(4)), init("A", w(5, 3)), init("Bt", w(2, 3)), init("C2", w(5, 1))]
        nodes = [node("Gemm", ["x", "B", "C"], ["a"], transA=1, alpha=0.5),         # x [3,2]ᵀ @ B -> [2,4]
                 node("Gemm", ["A", "x", "C2"], ["b"], beta=2.0),                   # A [5,3] @ x -> [5,2]
                 node("Gemm", ["Bt", "x"], ["c"], transA=0, transB=1, alpha=-1.0),  # hmm: Bt [2,3] @ xᵀ? needs [2,3]
                 node("Gemm", ["x", "Bt"], ["d"], transA=1, transB=1)]              # xᵀ [2,3] @ Btᵀ [3,2] -> [2,2]
        return nodes, inits

    def gemm():
        nodes, inits = gemm_forms()
        nodes = [n for n in nodes if n.output[0] != "c"]
        return model(nodes + concat_flat(["a", "b", "d"]), [3, 2], inits, 13)

    return [
        ("matmul_constant_left", "MatMul C @ x with 2-D, batched, 1-D and broadcast-batched constants; x @ batched B", matmul_left),
        ("gemm_computed_forms", "Gemm with transA on a computed A, a computed B, alpha/beta, both transposed", gemm),
    ]


# ---------------------------------------------------------------------------------------------------
# Neg, reductions, Sum/Mean, broadcasting arithmetic, Cast

def arithmetic_fixtures():
    def reduce13():
        inits = [i64("ax", [1]), i64("noaxes", []), i64("ax2", [-1, 0])]
        nodes = [node("Neg", ["x"], ["n"]),
                 node("ReduceSum", ["n", "ax"], ["a"], keepdims=0),
                 node("ReduceSum", ["x", "noaxes"], ["b"], noop_with_empty_axes=1),
                 node("ReduceSum", ["x"], ["c"]),
                 node("ReduceMean", ["x"], ["d"], axes=[2], keepdims=1),
                 node("ReduceSum", ["x", "ax2"], ["e"], keepdims=1)]
        return model(nodes + concat_flat(["a", "b", "c", "d", "e"]), [2, 3, 4], inits, 13)

    def reduce11():
        nodes = [node("ReduceSum", ["x"], ["a"], axes=[0, 2], keepdims=0),
                 node("ReduceMean", ["x"], ["b"], axes=[-1]),
                 node("ReduceMean", ["x"], ["c"], keepdims=0)]
        return model(nodes + concat_flat(["a", "b", "c"]), [2, 3, 4], [], 11)

    def reduce18():
        inits = [i64("ax", [1, 2]), i64("noaxes", [])]
        nodes = [node("ReduceMean", ["x", "ax"], ["a"], keepdims=0),
                 node("ReduceMean", ["x", "noaxes"], ["b"], noop_with_empty_axes=1),
                 node("ReduceMean", ["x", "noaxes"], ["c"])]
        return model(nodes + concat_flat(["a", "b", "c"]), [2, 3, 4], inits, 18)

    def sum_mean():
        inits = [init("W", w(3, 3)), init("c1", w(2, 1)), init("c2", w(3)), init("col", w(2, 1))]
        nodes = [node("MatMul", ["x", "W"], ["h"]),                 # [1,3]
                 node("MatMul", ["col", "x"], ["v"]),               # [2,1] @ [1,3] -> [2,3]
                 node("ReduceSum", ["v", "ax"], ["vc"], keepdims=1),  # [2,1]
                 node("Sum", ["x", "c1", "h", "c2"], ["a"]),        # -> [2,3]
                 node("Mean", ["x", "vc", "c2"], ["b"]),            # -> [2,3]
                 node("Mean", ["h"], ["c"]),
                 node("Sum", ["x", "h"], ["d"])]
        inits.append(i64("ax", [1]))
        return model(nodes + concat_flat(["a", "b", "c", "d"]), [1, 3], inits, 13)

    def broadcasting():
        inits = [init("c3", w(2, 1, 3)), init("c41", w(4, 1)), init("col", w(2, 1)), init("d3", np.array([0.5, -2.0, 4.0], np.float32)),
                 init("m", w(2, 4, 1, 3)), init("k", np.array(3, dtype=np.int64))]
        nodes = [node("Add", ["x", "c3"], ["a"]),           # constant with more dimensions
                 node("Sub", ["c41", "x"], ["b"]),          # [4,1] - [1,3] -> [4,3]
                 node("MatMul", ["col", "x"], ["v"]),       # computed [2,3]
                 node("ReduceSum", ["v", "ax"], ["vc"]),    # computed [2,1]
                 node("Add", ["x", "vc"], ["c"]),           # computed [1,3] + computed [2,1] -> [2,3]
                 node("Sub", ["vc", "x"], ["d"]),           # computed [2,1] - computed [1,3]
                 node("Div", ["x", "d3"], ["e"]),
                 node("Mul", ["m", "x"], ["f"]),            # [2,4,1,3] * [1,3]
                 node("Cast", ["k"], ["kf"], to=TensorProto.FLOAT),
                 node("Cast", ["x"], ["xf"], to=TensorProto.FLOAT),
                 node("Mul", ["xf", "kf"], ["g"]),
                 node("Sub", ["v", "vc"], ["h"])]           # computed [2,3] - computed [2,1]
        inits.append(i64("ax", [1]))
        return model(nodes + concat_flat(["a", "b", "c", "d", "e", "f", "g", "h"]), [1, 3], inits, 13)

    def constant_folding():
        """Every new converter on constant inputs (evaluated at load time), added to the computed x."""
        inits = [init("c", w(1, 1, 2, 2)), init("W", w(1, 1, 2, 2)), i64("p", [0, 0, 1, 0, 0, 0, 0, 1]),
                 f32("s", [1, 1, 1, 2]), i64("ax", [0, 1]), init("g", w(3, 4)), init("m", w(3, 3))]
        nodes = [node("ConvTranspose", ["c", "W"], ["ct"]),                # [1,1,3,3]
                 node("Pad", ["ct", "p"], ["pd"], mode="edge"),              # [1,1,4,4]
                 node("Resize", ["pd", "", "s"], ["rs"], mode="linear"),     # [1,1,4,8]
                 node("ReduceSum", ["rs", "ax"], ["rd"], keepdims=0),        # [4,8]
                 node("ReduceMean", ["rd"], ["rm"], axes=[1], keepdims=0),   # [4]
                 node("Neg", ["rm"], ["ng"]),
                 node("Cast", ["ng"], ["cs"], to=TensorProto.DOUBLE),
                 node("Cast", ["cs"], ["cf"], to=TensorProto.FLOAT),
                 node("MatMul", ["g", "cf"], ["mv"]),                         # [3]
                 node("Gemm", ["m", "m"], ["gm"], transA=1),                  # [3,3]
                 node("Sum", ["mv", "gm", "x"], ["a"]),                       # -> [3,3]
                 node("Mean", ["mv", "mv"], ["b"]),
                 node("Mul", ["x", "b"], ["y"])]
        return model(nodes, [3, 3], inits, 13)

    return [
        ("constant_folding", "ConvTranspose, Pad, Resize, ReduceSum/Mean, Neg, Cast, MatMul, Gemm, Sum, Mean on "
         "constants (folded at load time)", constant_folding),
        ("reduce13", "Neg; ReduceSum opset 13 axes input, keepdims 0/1, noop_with_empty_axes, all axes; ReduceMean attribute", reduce13),
        ("reduce11", "ReduceSum/ReduceMean opset 11 axes attribute (negative), keepdims, all axes", reduce11),
        ("reduce18", "ReduceMean opset 18 axes input, noop_with_empty_axes 1 and 0", reduce18),
        ("sum_mean", "Sum and Mean of computed tensors and broadcast constants (several computed, broadcast)", sum_mean),
        ("broadcast_arithmetic", "Add/Sub/Mul/Div with broadcast constants in every direction, computed+computed "
         "broadcasting, Cast", broadcasting),
    ]


# ---------------------------------------------------------------------------------------------------
# Unsupported attribute values: each must be refused with one clear message.

def bad_fixtures():
    def model(*args):
        return globals()["model"](*args, run=False)

    def resize(**attrs):
        return model([node("Resize", ["x", "", "s"], ["y"], **attrs)], [1, 1, 4, 4], [f32("s", [1, 1, 0.5, 0.5])], 13)
    return {
        "bad_resize_crop": resize(mode="linear", coordinate_transformation_mode="tf_crop_and_resize"),
        "bad_resize_antialias": model([node("Resize", ["x", "", "s"], ["y"], mode="linear", antialias=1)], [1, 1, 4, 4],
                                      [f32("s", [1, 1, 0.5, 0.5])], 18),
        "bad_resize_mode": resize(mode="area"),
        "bad_pad_wrap_crop": model([node("Pad", ["x", "p"], ["y"], mode="wrap")], [1, 2, 3],
                                   [i64("p", [0, 0, -1, 0, 0, 2])], 19),
        "bad_pad_mode": model([node("Pad", ["x", "p"], ["y"], mode="symmetric")], [1, 2, 3], [i64("p", [0, 0, 1, 0, 0, 1])], 13),
        "bad_convtranspose_3d": model([node("ConvTranspose", ["x", "W"], ["y"])], [1, 1, 2, 2, 2], [init("W", w(1, 1, 2, 2, 2))], 13),
        "bad_convtranspose_output_padding": model([node("ConvTranspose", ["x", "W"], ["y"], strides=[1, 1], dilations=[3, 3],
                                                        output_padding=[2, 0])], [1, 1, 3, 3], [init("W", w(1, 1, 2, 2))], 13),
        "bad_cast_to_int": model([node("Cast", ["x"], ["y"], to=TensorProto.INT64)], [1, 3], [], 13),
    }


def reference_cases(m):
    inp = m.graph.input[0]
    shape = [d.dim_value for d in inp.type.tensor_type.shape.dim]
    sess = ort.InferenceSession(m.SerializeToString(), providers=["CPUExecutionProvider"])
    cases = []
    for k in range(2):
        x = (rng.standard_normal(shape) * (1.0 if k == 0 else 3.0)).astype(np.float32)
        y = sess.run(None, {"x": x})[0]
        # 9 significant digits round-trip float32 exactly.
        cases.append({"input": [float(f"{v:.9g}") for v in x.flatten()], "output": [float(f"{v:.9g}") for v in y.flatten()]})
    return {"inputName": "x", "inputShape": shape, "outputShape": list(y.shape), "cases": cases}


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith(".onnx") or f.endswith(".json"):
            os.remove(os.path.join(OUT, f))
    references = []
    for stem, description, build in (conv_transpose_fixtures() + resize_fixtures() + pad_fixtures()
                                     + matmul_fixtures() + arithmetic_fixtures()):
        m = build()
        onnx.save(m, os.path.join(OUT, stem + ".onnx"))
        entry = {"file": "linear_ops/" + stem + ".onnx", "description": description}
        entry.update(reference_cases(m))
        references.append(entry)
    for stem, m in bad_fixtures().items():
        onnx.save(m, os.path.join(OUT, stem + ".onnx"))
    with open(os.path.join(OUT, "references.json"), "w") as f:
        json.dump({"note": "onnxruntime " + ort.__version__ + " outputs (float32) for the linear-operator fixtures; "
                           "written by scripts/make_linear_op_fixtures.py", "fixtures": references}, f, separators=(",", ":"))
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"wrote {len(os.listdir(OUT))} files to {OUT} ({total} bytes)")


if __name__ == "__main__":
    main()
