"""Load-time simplification fixtures for the ONNX loader, used by make_onnx_fixtures.py (run that script).

Small models in the shapes PyTorch's classic exporter (opsets 9-18) gives: the flatten idiom
Shape -> Gather -> Unsqueeze -> Concat -> Reshape, Slice/Split/Squeeze/Unsqueeze in their attribute and
input forms, shape subgraphs (ConstantOfShape, Range, Expand, Equal, Where, Mod, Cast, ...) that fold into
constants, elementwise math and reductions on constants, and rearrangements of computed tensors (Gather,
Slice, Split, Expand, Tile, Where with a constant condition, Concat with constant parts). Also broken
models that must be refused with a precise error.

Everything here draws from its own seeded generator, so the older fixtures stay byte-identical.
"""
import numpy as np
from onnx import TensorProto, helper

from make_onnx_fixtures import model, raw, vinfo

rng = np.random.default_rng(20261201)
I64 = TensorProto.INT64
INT64_MAX = np.iinfo(np.int64).max
INT64_MIN = np.iinfo(np.int64).min


def weights(*shape, scale=0.5):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def ints(name, values):
    return raw(name, np.array(values, dtype=np.int64))


def node(op, inputs, outputs, name, **attrs):
    return helper.make_node(op, inputs, outputs, name=name, **attrs)


def flatten_idiom(opset):
    """x.view(x.size(0), -1) then a Linear, as exported at `opset` (Unsqueeze axes: attribute before 13)."""
    unsqueeze = (node("Unsqueeze", ["n"], ["n1"], "Unsqueeze_2", axes=[0]) if opset < 13
                 else node("Unsqueeze", ["n", "axes0"], ["n1"], "Unsqueeze_2"))
    nodes = [
        node("Relu", ["x"], ["r"], "Relu_0"),
        node("Shape", ["r"], ["s"], "Shape_1"),
        node("Gather", ["s", "zero"], ["n"], "Gather_1", axis=0),
        unsqueeze,
    ]
    if opset >= 15:
        # Shape(start=1) -> ReduceProd: the feature count computed, not written as -1.
        nodes += [node("Shape", ["r"], ["tail"], "Shape_tail", start=1),
                  node("ReduceProd", ["tail"], ["features"], "ReduceProd_3", keepdims=1)]
        rest = "features"
    else:
        rest = "minus_one"
    nodes += [
        node("Concat", ["n1", rest], ["shape"], "Concat_4", axis=0),
        node("Reshape", ["r", "shape"], ["flat"], "Reshape_5"),
        node("Gemm", ["flat", "W", "b"], ["y"], "Gemm_6", transB=1),
    ]
    inits = [ints("zero", 0), ints("axes0", [0]), ints("minus_one", [-1]), raw("W", weights(3, 12)), raw("b", weights(3))]
    if opset < 13:
        inits = [t for t in inits if t.name != "axes0"]
    return model(nodes, [vinfo("x", ["batch", 2, 3, 2])], [vinfo("y", ["batch", 3])], inits, opset=opset)


def slice_attributes_op9():
    """Slice with starts/ends/axes attributes (opset < 10): clamped end, negative start and end."""
    nodes = [
        node("Slice", ["x"], ["a"], "Slice_attrs", starts=[1, 0], ends=[3, 1000], axes=[1, 2]),
        node("Slice", ["a"], ["b"], "Slice_negative", starts=[-4], ends=[-1], axes=[-1]),
        node("Flatten", ["b"], ["f"], "Flatten_1"),
        node("Relu", ["f"], ["y"], "Relu_1"),
    ]
    return model(nodes, [vinfo("x", [1, 4, 6])], [vinfo("y", [1, 6])], [], opset=9, ir=4)


def slice_inputs_op13():
    """Slice with inputs: x[:, 4::-2, ::-1] (INT64_MIN ends, negative steps) plus a constant sliced [::2]."""
    nodes = [
        node("Slice", ["x", "starts", "ends", "axes", "steps"], ["a"], "Slice_reverse"),
        node("Slice", ["c12", "zero1", "big", "zero1", "two1"], ["c6"], "Slice_const"),
        node("Add", ["a", "c6"], ["y"], "Add_1"),
    ]
    inits = [ints("starts", [4, -1]), ints("ends", [INT64_MIN, INT64_MIN]), ints("axes", [1, -1]),
             ints("steps", [-2, -1]), raw("c12", weights(12)), ints("zero1", [0]), ints("big", [INT64_MAX]),
             ints("two1", [2])]
    return model(nodes, [vinfo("x", [1, 5, 6])], [vinfo("y", [1, 3, 6])], inits)


def split(opset):
    """Split of a computed tensor (split attribute before 13, input from 13, num_outputs at 18), parts
    put back in another order; a constant split too."""
    if opset < 13:
        parts = node("Split", ["x"], ["p0", "p1"], "Split_x", axis=1, split=[2, 5])
        const = node("Split", ["c"], ["c0", "c1"], "Split_c", axis=0, split=[5, 2])
        outs = ["p1", "p0"]
    elif opset < 18:
        parts = node("Split", ["x", "sizes"], ["p0", "p1"], "Split_x", axis=-1)
        const = node("Split", ["c", "csizes"], ["c0", "c1"], "Split_c")
        outs = ["p1", "p0"]
    else:
        parts = node("Split", ["x"], ["p0", "p1", "p2"], "Split_x", axis=1, num_outputs=3)
        const = node("Split", ["c"], ["c0", "c1"], "Split_c", num_outputs=2)
        outs = ["p2", "p0", "p1"]
    nodes = [parts, const,
             node("Concat", outs, ["joined"], "Concat_parts", axis=1),
             node("Concat", ["c1", "c0"], ["cj"], "Concat_consts", axis=0),
             node("Mul", ["joined", "cj"], ["y"], "Mul_1")]
    inits = [raw("c", weights(7))]  # num_outputs=2 splits it [4, 3]; x's num_outputs=3 gives [3, 3, 1]
    if opset == 13:
        inits += [ints("sizes", [2, 5]), ints("csizes", [5, 2])]
    return model(nodes, [vinfo("x", [1, 7])], [vinfo("y", [1, 7])], inits, opset=opset)


def squeeze_unsqueeze(opset):
    """Squeeze/Unsqueeze with axes as attributes (before 13) or inputs (from 13), Squeeze without axes."""
    if opset < 13:
        nodes = [node("Squeeze", ["x"], ["a"], "Squeeze_axis", axes=[2]),
                 node("Unsqueeze", ["a"], ["b"], "Unsqueeze_two", axes=[0, -1])]
        inits = []
    else:
        nodes = [node("Squeeze", ["x", "ax2"], ["a"], "Squeeze_axis"),
                 node("Unsqueeze", ["a", "ax0m1"], ["b"], "Unsqueeze_two")]
        inits = [ints("ax2", [2]), ints("ax0m1", [0, -1])]
    nodes += [node("Squeeze", ["b"], ["c"], "Squeeze_all"),
              node("Gemm", ["c", "W", "bias"], ["g"], "Gemm_1"),
              node("Flatten", ["g"], ["y"], "Flatten_1", axis=0)]
    inits += [raw("W", weights(2, 4)), raw("bias", weights(4))]
    return model(nodes, [vinfo("x", [1, 3, 1, 2])], [vinfo("y", [1, 12])], inits, opset=opset)


def shape_subgraph():
    """A transformer-like shape subgraph folded into a constant added to x: Shape, Gather, Range,
    ConstantOfShape, Mod, Equal, Where, Cast, Neg, Expand, Tile, ReduceSum (axes input, opset 13)."""
    nodes = [
        node("Shape", ["x"], ["s"], "Shape_0"),
        node("Gather", ["s", "one"], ["n"], "Gather_1", axis=0),
        node("Range", ["zero", "n", "one"], ["r"], "Range_2"),
        node("Unsqueeze", ["n", "axes0"], ["n1"], "Unsqueeze_3"),
        node("ConstantOfShape", ["n1"], ["twos"], "ConstantOfShape_4",
             value=helper.make_tensor("v", I64, [1], [2])),
        node("ConstantOfShape", ["n1"], ["zeros"], "ConstantOfShape_5"),
        node("Mod", ["r", "twos"], ["m"], "Mod_6"),
        node("Cast", ["m"], ["mf"], "Cast_7", to=TensorProto.FLOAT),
        node("Equal", ["mf", "zeros"], ["even"], "Equal_8"),
        node("Cast", ["r"], ["rf"], "Cast_9", to=TensorProto.FLOAT),
        node("Neg", ["rf"], ["nr"], "Neg_10"),
        node("Where", ["even", "rf", "nr"], ["w"], "Where_11"),
        node("Concat", ["two1", "n1"], ["eshape"], "Concat_12", axis=0),
        node("Expand", ["w", "eshape"], ["e"], "Expand_13"),
        node("Tile", ["e", "reps"], ["t"], "Tile_14"),
        node("ReduceSum", ["t", "axes0"], ["rs"], "ReduceSum_15", keepdims=1),
        node("Add", ["x", "rs"], ["y"], "Add_16"),
    ]
    inits = [ints("one", 1), ints("zero", 0), ints("axes0", [0]), ints("two1", [2]), ints("reps", [3, 1])]
    return model(nodes, [vinfo("x", [1, 5])], [vinfo("y", [1, 5])], inits)


def constant_math():
    """Elementwise math, comparisons, logic, reductions, casts and ScatterND on constants, summed into a
    [6] constant added to x (opset 13)."""
    c = np.array([1.7, -2.5, 0.3, 4.0, -0.6, 2.5], dtype=np.float32)
    nodes = [
        node("Floor", ["c"], ["fl"], "Floor_1"), node("Ceil", ["c"], ["ce"], "Ceil_1"),
        node("Round", ["c"], ["ro"], "Round_1"), node("Abs", ["c"], ["ab"], "Abs_1"),
        node("Sqrt", ["ab"], ["sq"], "Sqrt_1"), node("Exp", ["c"], ["ex"], "Exp_1"),
        node("Reciprocal", ["c"], ["re"], "Reciprocal_1"), node("Sign", ["c"], ["sg"], "Sign_1"),
        node("Pow", ["ab", "c"], ["pw"], "Pow_1"), node("Log", ["ab"], ["lg"], "Log_1"),
        node("Min", ["c", "half", "ce"], ["mn"], "Min_1"), node("Max", ["c", "half"], ["mx"], "Max_1"),
        node("Clip", ["c", "lo", "hi"], ["cl"], "Clip_1"),
        node("Mod", ["c", "half"], ["fm"], "Mod_fmod", fmod=1),
        node("Cast", ["c"], ["ci"], "Cast_int32", to=TensorProto.INT32),
        node("Mod", ["ci", "three"], ["im"], "Mod_int"),
        node("Cast", ["im"], ["imf"], "Cast_back", to=TensorProto.FLOAT),
        node("Less", ["c", "half"], ["lt"], "Less_1"), node("Greater", ["c", "zero_f"], ["gt"], "Greater_1"),
        node("Not", ["lt"], ["nlt"], "Not_1"), node("And", ["nlt", "gt"], ["an"], "And_1"),
        node("Or", ["lt", "an"], ["orr"], "Or_1"), node("Xor", ["orr", "gt"], ["xo"], "Xor_1"),
        node("Cast", ["xo"], ["xof"], "Cast_bool", to=TensorProto.FLOAT),
        node("Reshape", ["c", "shape23"], ["c23"], "Reshape_1"),
        node("ReduceMax", ["c23"], ["rmax"], "ReduceMax_1", axes=[1], keepdims=0),
        node("ReduceMin", ["c23"], ["rmin"], "ReduceMin_1", axes=[0], keepdims=0),
        node("ReduceMean", ["c23"], ["rmean"], "ReduceMean_1", keepdims=0),
        node("ScatterND", ["c", "sidx", "supd"], ["sc"], "ScatterND_1"),
        node("Concat", ["rmax", "rmin", "one_f"], ["red"], "Concat_red", axis=0),
        node("Add", ["fl", "ce"], ["s1"], "Add_s1"),
    ]
    terms = ["ro", "sq", "ex", "re", "sg", "pw", "lg", "mn", "mx", "cl", "fm", "imf", "xof", "red", "sc", "rmean"]
    acc = "s1"
    for i, t in enumerate(terms):
        nodes.append(node("Add", [acc, t], [f"s{i + 2}"], f"Add_s{i + 2}"))
        acc = f"s{i + 2}"
    nodes.append(node("Add", ["x", acc], ["y"], "Add_x"))
    inits = [raw("c", c), raw("half", np.array(0.5, dtype=np.float32)), raw("lo", np.array(-1.0, dtype=np.float32)),
             raw("hi", np.array(2.0, dtype=np.float32)), raw("three", np.array(3, dtype=np.int32)),
             raw("zero_f", np.array(0.0, dtype=np.float32)), raw("one_f", np.array([1.0], dtype=np.float32)),
             ints("shape23", [2, 3]),
             ints("sidx", [[4], [1]]), raw("supd", np.array([10.0, -20.0], dtype=np.float32))]
    return model(nodes, [vinfo("x", [1, 6])], [vinfo("y", [1, 6])], inits)


def clip_attributes_op9():
    """Clip with min/max attributes (opset < 11) on a constant, Cast int64 -> uint8 wrapping, ConstantOfShape."""
    nodes = [
        node("Clip", ["c"], ["cc"], "Clip_attrs", min=-0.5, max=0.75),
        node("Cast", ["big"], ["u8"], "Cast_uint8", to=TensorProto.UINT8),
        node("Cast", ["u8"], ["u8f"], "Cast_float", to=TensorProto.FLOAT),
        node("Add", ["cc", "u8f"], ["k"], "Add_k"),
        node("Add", ["x", "k"], ["y"], "Add_x"),
    ]
    inits = [raw("c", weights(4, scale=1.0)), ints("big", [300, 7, -1, 256])]
    return model(nodes, [vinfo("x", [1, 4])], [vinfo("y", [1, 4])], inits, opset=9, ir=4)


def computed_rearrangements():
    """Rearrangements of computed tensors: Gather (2-D and scalar indices), Expand, Tile, Where with a
    constant condition (masked fill and two computed branches), Concat with a constant part, Cast to
    double and back (no node)."""
    mask = np.array([[True, False, True]])
    nodes = [
        node("Gemm", ["x", "W", "b"], ["h"], "Gemm_1", transB=1),
        node("Reshape", ["h", "shape153"], ["h3"], "Reshape_1"),
        node("Gather", ["h3", "idx22"], ["g"], "Gather_rows", axis=1),
        node("Gather", ["g", "idx_scalar"], ["g2"], "Gather_scalar", axis=-1),
        node("Flatten", ["g2"], ["gf"], "Flatten_g"),
        node("Slice", ["h", "s0", "s3", "s1"], ["h0"], "Slice_first3"),
        node("Expand", ["h0", "eshape"], ["ex"], "Expand_1"),
        node("Flatten", ["ex"], ["exf"], "Flatten_ex", axis=0),
        node("Tile", ["h0", "reps"], ["ti"], "Tile_1"),
        node("Where", ["mask", "h0", "fill"], ["wf"], "Where_masked_fill"),
        node("Relu", ["h0"], ["rh"], "Relu_1"),
        node("Where", ["mask", "rh", "h0"], ["w2"], "Where_two_branches"),
        node("Cast", ["w2"], ["wd"], "Cast_double", to=TensorProto.DOUBLE),
        node("Cast", ["wd"], ["w2f"], "Cast_float", to=TensorProto.FLOAT),
        node("Concat", ["gf", "exf", "ti", "wf", "w2f", "k"], ["y"], "Concat_all", axis=1),
    ]
    inits = [raw("W", weights(15, 4)), raw("b", weights(15)), ints("shape153", [1, 5, 3]),
             ints("idx22", [[4, 0], [-1, 2]]), ints("idx_scalar", 1), ints("s0", [0]), ints("s3", [3]),
             ints("s1", [1]), ints("eshape", [2, 1, 3]), ints("reps", [1, 2]), raw("mask", mask),
             raw("fill", np.array(-5.0, dtype=np.float32)), raw("k", weights(1, 2))]
    return model(nodes, [vinfo("x", [1, 4])], [vinfo("y", [1, 4 + 6 + 6 + 3 + 3 + 2])], inits)


def shared_linear_value():
    """A MatMul output read by a Relu and then by a Mul (a residual block): the Mul must not be folded
    into the MatMul's Affine, which the Relu already reads."""
    nodes = [
        node("MatMul", ["x", "W"], ["h"], "MatMul_1"),
        node("Relu", ["h"], ["r"], "Relu_1"),
        node("Mul", ["h", "two"], ["m"], "Mul_after_relu"),
        node("Add", ["r", "m"], ["y"], "Add_residual"),
    ]
    inits = [raw("W", (np.arange(12, dtype=np.float32).reshape(3, 4) - 5.5) / 4),
             raw("two", np.array(2.0, dtype=np.float32))]
    return model(nodes, [vinfo("x", [1, 3])], [vinfo("y", [1, 4])], inits)


FOLDING_GOOD = [
    ("flatten_idiom_op11", "x.view(x.size(0), -1) at opset 11: Shape, Gather, Unsqueeze (axes attribute), Concat, Reshape", lambda: flatten_idiom(11)),
    ("flatten_idiom_op13", "x.view(x.size(0), -1) at opset 13: Unsqueeze axes as an input", lambda: flatten_idiom(13)),
    ("flatten_idiom_op17", "flatten idiom at opset 17 with Shape(start=1) and ReduceProd", lambda: flatten_idiom(17)),
    ("slice_attributes_op9", "Slice with attributes (opset 9): clamped end, negative start/end, negative axis", slice_attributes_op9),
    ("slice_inputs_op13", "Slice with inputs: negative steps, INT64_MIN/INT64_MAX bounds, constant slice", slice_inputs_op13),
    ("split_op11", "Split with the split attribute (opset 11) on computed and constant tensors", lambda: split(11)),
    ("split_op13", "Split with split sizes as an input (opset 13)", lambda: split(13)),
    ("split_op18", "Split with num_outputs (opset 18), uneven last part", lambda: split(18)),
    ("squeeze_unsqueeze_op11", "Squeeze/Unsqueeze with axes attributes (opset 11), Squeeze without axes", lambda: squeeze_unsqueeze(11)),
    ("squeeze_unsqueeze_op13", "Squeeze/Unsqueeze with axes inputs (opset 13)", lambda: squeeze_unsqueeze(13)),
    ("shape_subgraph", "Shape/Gather/Range/ConstantOfShape/Mod/Equal/Where/Cast/Neg/Expand/Tile/ReduceSum folded into a constant", shape_subgraph),
    ("constant_math", "Elementwise math, comparisons, logic, reductions, casts, ScatterND on constants", constant_math),
    ("clip_attributes_op9", "Clip with min/max attributes (opset 9), Cast int64 -> uint8 wrapping", clip_attributes_op9),
    ("computed_rearrangements", "Gather/Slice/Expand/Tile/Where/Cast/Concat on computed tensors (Selection nodes)", computed_rearrangements),
    ("shared_linear_value", "MatMul output read by Relu, then scaled by Mul: no in-place fold", shared_linear_value),
]


def bad_files():
    files = {}
    weights = lambda *shape: (np.random.default_rng(20261203).standard_normal(shape) * 0.5).astype(np.float32)
    nodes = [node("Greater", ["x", "zero"], ["m"], "greater_mask"),
             node("Where", ["m", "x", "zero"], ["y"], "where_computed")]
    files["bad_where_computed_condition"] = model(nodes, [vinfo("x", [1, 3])], [vinfo("y", [1, 3])],
                                                  [raw("zero", np.array(0.0, dtype=np.float32))])
    nodes = [node("Gather", ["x", "idx"], ["y"], "gather_out_of_range", axis=1)]
    files["bad_gather_index"] = model(nodes, [vinfo("x", [1, 3])], [vinfo("y", [1, 2])], [ints("idx", [0, 5])], check=False)
    nodes = [node("Equal", ["x", "c"], ["e"], "equal_computed"),
             node("Cast", ["e"], ["y"], "cast_1", to=TensorProto.FLOAT)]
    files["bad_equal_computed"] = model(nodes, [vinfo("x", [1, 3])], [vinfo("y", [1, 3])], [raw("c", weights(3))])
    nodes = [node("Slice", ["x", "s", "e", "a", "st"], ["y"], "slice_step_zero")]
    files["bad_slice_step_zero"] = model(nodes, [vinfo("x", [1, 3])], [vinfo("y", [1, 3])],
                                         [ints("s", [0]), ints("e", [3]), ints("a", [1]), ints("st", [0])], check=False)
    return files
