#!/usr/bin/env python3
"""Reference outputs for the planted-suite fixtures (Tests/Fixtures/planted/*/).

Loads every ONNX file of each fixture suite with onnx.checker and onnxruntime, evaluates it in
float32 at the planted witness (when the suite has one for the file) and at a few seeded random
points, and writes Tests/Fixtures/planted/references.json:

    {"<suite>/<onnx path>": {"points": [[x...], ...], "outputs": [[y...], ...],
                             "witness_index": 0 or null}}

Point coordinates are float32 values (written exactly as decimals of their double value).
The Swift test PlantedFixtureTests re-evaluates the fixtures with nnverify's loader and compares.
Run once after regenerating the fixtures (see Tests/Fixtures/planted/README.md):

    python3 scripts/check_planted_onnxruntime.py
"""
import json
import os
import re

import numpy as np
import onnx
import onnxruntime as ort

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "planted")


def witness_inputs(path):
    """The X values of a counterexample file, in index order."""
    text = re.sub(r";[^\n]*", "", open(path).read())
    pairs = re.findall(r"\(\s*X_(\d+)\s+([-+0-9.eE]+)\s*\)", text)
    values = {int(i): float(v) for i, v in pairs}
    return [values[i] for i in range(len(values))]


def witness_file(suite_dir, onnx_path, vnnlib_path):
    onnx_stem = os.path.basename(onnx_path)[: -len(".onnx")]
    parts = vnnlib_path.split("/")[1:]
    vnnlib_stem = "_".join(parts)[: -len(".vnnlib")]
    return os.path.join(suite_dir, "witnesses", f"{onnx_stem}__{vnnlib_stem}.counterexample")


def main():
    references = {}
    rng = np.random.default_rng(20261123)
    for suite in sorted(os.listdir(ROOT)):
        suite_dir = os.path.join(ROOT, suite)
        csv = os.path.join(suite_dir, "instances.csv")
        if not os.path.isfile(csv):
            continue
        for line in open(csv):
            if not line.strip():
                continue
            onnx_path, vnnlib_path, _ = line.strip().split(",")
            model_file = os.path.join(suite_dir, onnx_path)
            onnx.checker.check_model(onnx.load(model_file))
            session = ort.InferenceSession(model_file, providers=["CPUExecutionProvider"])
            n = session.get_inputs()[0].shape[1]
            points = []
            witness_index = None
            wfile = witness_file(suite_dir, onnx_path, vnnlib_path)
            if os.path.isfile(wfile):
                x = np.array(witness_inputs(wfile), dtype=np.float32)
                assert x.shape == (n,), (wfile, x.shape)
                witness_index = 0
                points.append(x)
            for _ in range(4):
                points.append(rng.uniform(-1.0, 1.5, size=n).astype(np.float32))
            outputs = [session.run(None, {"input": p.reshape(1, n)})[0].reshape(-1) for p in points]
            references[f"{suite}/{onnx_path}"] = {
                "points": [[float(v) for v in p] for p in points],
                "outputs": [[float(v) for v in y] for y in outputs],
                "witness_index": witness_index,
            }
    out = os.path.join(ROOT, "references.json")
    with open(out, "w") as f:
        json.dump(references, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"wrote {len(references)} entries to {os.path.relpath(out)} (onnxruntime {ort.__version__}, onnx {onnx.__version__})")


if __name__ == "__main__":
    main()
