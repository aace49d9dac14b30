#!/usr/bin/env python3
"""Builds the fixtures of the smooth elementwise operators on computed tensors (Exp, Log, Reciprocal, Sqrt,
Pow with a constant exponent, Sin, Cos, Erf, Gelu, Softplus, Softsign, Sign) and their onnxruntime reference outputs.

Writes into Tests/Fixtures/onnx/smooth/:
  *.onnx           small models built with onnx.helper: x [1, 8] -> Gemm (so the operator reads a computed
                   tensor) -> operator -> y;
  bad_*.onnx       Pow forms that must be refused with a clear message (computed exponent, unsupported
                   exponent, exponents that differ per element);
  references.json  input/output shapes and three fixed inputs with the onnxruntime outputs (float32).

Inputs stay inside the ONNX domain of each function (positive for Log, Sqrt, Reciprocal and real
exponents), where nnverify's value agrees with onnxruntime; outside it ONNX gives NaN and nnverify its
documented clamp (see the operator files).

Usage: python3 scripts/make_smooth_fixtures.py   (needs numpy, onnx==1.23.2, onnxruntime==1.32.0; deterministic)
"""
import json
import os

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "Tests", "Fixtures", "onnx", "smooth")
rng = np.random.default_rng(20270301)
F = TensorProto.FLOAT
N = 8


def init(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def build(ops, inits, opset=13, positive=False, scale=2.0, check=True):
    """x [1, N] -> Gemm (weights near the identity; for `positive`, a positive result) -> ops -> y [1, N]."""
    weight = (np.eye(N) + 0.1 * rng.standard_normal((N, N))).astype(np.float32)
    bias = (0.1 * rng.standard_normal(N)).astype(np.float32)
    nodes = [helper.make_node("Gemm", ["x", "W", "B"], ["h"], name="gemm", transB=1)]
    last = "h"
    if positive:
        nodes.append(helper.make_node("Abs", ["h"], ["habs"], name="abs"))
        nodes.append(helper.make_node("Add", ["habs", "eps"], ["hpos"], name="shift"))
        inits = inits + [init("eps", np.array([0.05], dtype=np.float32))]
        last = "hpos"
    for i, (op, extra, attrs) in enumerate(ops):
        out = "y" if i == len(ops) - 1 else f"t{i}"
        nodes.append(helper.make_node(op, [last] + extra, [out], name=f"{op.lower()}_{i}", **attrs))
        last = out
    graph = helper.make_graph(nodes, "smooth", [helper.make_tensor_value_info("x", F, [1, N])],
                              [helper.make_tensor_value_info("y", F, [1, N])],
                              [init("W", weight), init("B", bias)] + inits)
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="nnverify-fixtures")
    m.ir_version = 9 if opset >= 19 else 8
    if check:
        onnx.checker.check_model(m)
    return m


def scalar(name, value):
    return init(name, np.array(value, dtype=np.float32))


MODELS = {
    "exp": (dict(ops=[("Exp", [], {})], inits=[]), "Exp"),
    "log": (dict(ops=[("Log", [], {})], inits=[], positive=True), "Log of a positive tensor"),
    "reciprocal": (dict(ops=[("Reciprocal", [], {})], inits=[], positive=True), "Reciprocal of a positive tensor"),
    "sqrt": (dict(ops=[("Sqrt", [], {})], inits=[], positive=True), "Sqrt of a positive tensor"),
    "sin": (dict(ops=[("Sin", [], {})], inits=[], scale=6.0), "Sin"),
    "cos": (dict(ops=[("Cos", [], {})], inits=[], scale=6.0), "Cos"),
    "erf": (dict(ops=[("Erf", [], {})], inits=[]), "Erf"),
    "softplus": (dict(ops=[("Softplus", [], {})], inits=[]), "Softplus"),
    "softsign": (dict(ops=[("Softsign", [], {})], inits=[]), "Softsign"),
    "sign": (dict(ops=[("Sign", [], {})], inits=[]), "Sign"),
    "pow2": (dict(ops=[("Pow", ["p"], {})], inits=[scalar("p", 2.0)]), "Pow, exponent 2"),
    "pow3": (dict(ops=[("Pow", ["p"], {})], inits=[scalar("p", 3.0)]), "Pow, exponent 3"),
    "pow_half": (dict(ops=[("Pow", ["p"], {})], inits=[scalar("p", 0.5)], positive=True), "Pow, exponent 0.5 (Sqrt)"),
    "pow_1_5": (dict(ops=[("Pow", ["p"], {})], inits=[scalar("p", 1.5)], positive=True), "Pow, exponent 1.5"),
    "pow_neg1": (dict(ops=[("Pow", ["p"], {})], inits=[scalar("p", -1.0)], positive=True), "Pow, exponent -1"),
    "pow_neg2_vector": (dict(ops=[("Pow", ["p"], {})], inits=[init("p", np.full([N], -2.0, dtype=np.float32))], positive=True),
                        "Pow, exponent -2 as a vector of equal values"),
    "pow1_alias": (dict(ops=[("Pow", ["p"], {}), ("Exp", [], {})], inits=[scalar("p", 1.0)]), "Pow 1 is the identity"),
    "pow0_constant": (dict(ops=[("Pow", ["p"], {}), ("Mul", ["h"], {})], inits=[scalar("p", 0.0)]), "Pow 0 is the constant 1"),
    "chain": (dict(ops=[("Softplus", [], {}), ("Sqrt", [], {}), ("Log", [], {}), ("Sin", [], {}), ("Erf", [], {})], inits=[]),
              "Softplus, Sqrt, Log, Sin, Erf in a chain"),
    "gelu_op20": (dict(ops=[("Gelu", [], {})], inits=[], opset=20, scale=4.0), "Gelu (opset 20)"),
    "gelu_tanh_op20": (dict(ops=[("Gelu", [], {"approximate": "tanh"})], inits=[], opset=20, scale=4.0),
                       "Gelu, approximate=tanh (opset 20)"),
}

BAD = {
    "bad_pow_computed_exponent": (dict(ops=[("Pow", ["h"], {})], inits=[], check=False), "a computed exponent"),
    "bad_pow_negative_real": (dict(ops=[("Pow", ["p"], {})], inits=[scalar("p", -0.5)], check=False), "negative non-integer"),
    "bad_pow_mixed": (dict(ops=[("Pow", ["p"], {})], inits=[init("p", np.arange(N, dtype=np.float32))], check=False),
                      "different values"),
    "bad_gelu_approximate": (dict(ops=[("Gelu", [], {"approximate": "fast"})], inits=[], opset=20, check=False),
                             "approximate is 'fast'"),
}


def run(m, x):
    options = ort.SessionOptions()
    options.log_severity_level = 3
    sess = ort.InferenceSession(m.SerializeToString(), options, providers=["CPUExecutionProvider"])
    return sess.run(None, {"x": x})[0]


def main():
    os.makedirs(OUT, exist_ok=True)
    fixtures = []
    for name, (spec, description) in MODELS.items():
        scale = spec.pop("scale", 2.0)
        m = build(**spec)
        onnx.save(m, os.path.join(OUT, name + ".onnx"))
        cases = []
        for k in range(3):
            x = (rng.uniform(-1, 1, (1, N)) * scale).astype(np.float32)
            y = run(m, x)
            assert np.all(np.isfinite(y)), name
            cases.append({"input": [float(v) for v in x.ravel()], "output": [float(v) for v in y.ravel()]})
        fixtures.append({"file": f"smooth/{name}.onnx", "description": description, "inputName": "x",
                         "inputShape": [1, N], "outputShape": [1, N], "cases": cases})
    for name, (spec, _) in BAD.items():
        onnx.save(build(**spec), os.path.join(OUT, name + ".onnx"))
    with open(os.path.join(OUT, "references.json"), "w") as f:
        json.dump({"fixtures": fixtures}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
