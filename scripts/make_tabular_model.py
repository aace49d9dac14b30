#!/usr/bin/env python3
"""Makes the bundled tabular example: a small ReLU MLP on scikit-learn's breast-cancer data set
(Wisconsin diagnostic, 569 samples, 30 features, 2 classes) and its labelled test split.

Features are min-max scaled to [0, 1] with the training split's minimum and maximum (test values
outside are clipped), so `nnverify report --range 0,1` and an epsilon read as a fraction of each
feature's training range. Writes

    models/breast_cancer/onnx/breast_cancer_mlp.onnx        30-32-16-2 ReLU, logits out
    models/breast_cancer/data/breast_cancer_test.csv        label,x0,...,x29 (scaled), 114 rows
    models/breast_cancer/data/scaling.csv                   feature,name,min,max (to scale raw data)

and its section of models/README.md (scripts/make_models.py rewrites that README without it: rerun
this script after it). Deterministic (seeded); needs numpy, onnx, onnxruntime, scikit-learn
(scripts/requirements-fixtures.txt).
"""
from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from sklearn.datasets import load_breast_cancer
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_models import export_mlp  # noqa: E402
from readme_sections import update_section  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "models" / "breast_cancer"
SECTION_TITLE = "## Tabular example (`breast_cancer/`)"
SECTION = """## Tabular example (`breast_cancer/`)

Made by `python3 scripts/make_tabular_model.py` (deterministic) from scikit-learn's breast-cancer data
(`load_breast_cancer`: Wisconsin diagnostic, 569 samples, 30 features, classes 0 malignant / 1 benign;
split `train_test_split(test_size=0.2, stratify=y, random_state=0)`).

| file | what |
|---|---|
| `breast_cancer/onnx/breast_cancer_mlp.onnx` | 30-32-16-2 ReLU MLP (`MLPClassifier`, alpha 1e-3, `random_state=0`); input: features min-max scaled to [0, 1] with the training split's minimum and maximum; output: logits `(0, z)` (scikit-learn's single binary logit as a pair). Train accuracy {train} ({n_train}), test {test} ({n_test}), onnxruntime. |
| `breast_cancer/data/breast_cancer_test.csv` | the 114 test rows as `label,x0,...,x29`, scaled (test values clipped to [0, 1]) |
| `breast_cancer/data/scaling.csv` | `feature,name,min,max` to scale raw measurements the same way |

    nnverify report models/breast_cancer/onnx/breast_cancer_mlp.onnx --inputs models/breast_cancer/data/breast_cancer_test.csv --eps 0.01,0.02,0.05
"""


def update_readme(**figures) -> None:
    """Replaces (or appends) this script's section of models/README.md."""
    update_section(SECTION_TITLE, SECTION.format(**figures))


def main() -> None:
    data = load_breast_cancer()
    x_train, x_test, y_train, y_test = train_test_split(
        data.data, data.target, test_size=0.2, stratify=data.target, random_state=0)
    lo, hi = x_train.min(axis=0), x_train.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)

    def scale(x):
        # float32 values, as the model computes in float32 and the csv stores them exactly.
        return np.clip((x - lo) / span, 0.0, 1.0).astype(np.float32)

    s_train, s_test = scale(x_train), scale(x_test)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = MLPClassifier(hidden_layer_sizes=(32, 16), activation="relu", alpha=1e-3, max_iter=2000,
                            random_state=0).fit(s_train, y_train)
    # scikit-learn keeps one logit z for two classes (class 1 iff z > 0); export the equivalent pair
    # of logits (0, z) so that the model's argmax is its class.
    w, b = clf.coefs_[-1], clf.intercepts_[-1]
    clf.coefs_[-1] = np.hstack([np.zeros_like(w), w])
    clf.intercepts_[-1] = np.concatenate([np.zeros_like(b), b])
    path = OUT / "onnx" / "breast_cancer_mlp.onnx"
    export_mlp(path, clf, "relu", "breast-cancer MLP 30-32-16-2 ReLU on min-max scaled features (nnverify)")
    model = onnx.load(str(path))
    model.producer_name = "nnverify scripts/make_tabular_model.py"
    path.write_bytes(model.SerializeToString())

    session = ort.InferenceSession(str(path))
    def accuracy(x, y):
        pred = [int(np.argmax(session.run(None, {"input": xi[None, :]})[0])) for xi in x]
        return float(np.mean(np.array(pred) == y))
    train, test = accuracy(s_train, y_train), accuracy(s_test, y_test)
    print(f"train accuracy {train:.4f} ({len(y_train)}), test accuracy {test:.4f} ({len(y_test)})")

    (OUT / "data").mkdir(parents=True, exist_ok=True)
    header = "label," + ",".join(f"x{i}" for i in range(s_test.shape[1]))
    rows = [header] + [f"{int(label)}," + ",".join(repr(float(v)) for v in row) for label, row in zip(y_test, s_test)]
    (OUT / "data" / "breast_cancer_test.csv").write_text("\n".join(rows) + "\n")
    scaling = ["feature,name,min,max"] + [f"{i},{name},{lo[i]!r},{hi[i]!r}" for i, name in enumerate(data.feature_names)]
    (OUT / "data" / "scaling.csv").write_text("\n".join(scaling) + "\n")
    update_readme(train=f"{100 * train:.2f} %", n_train=len(y_train), test=f"{100 * test:.2f} %", n_test=len(y_test))


if __name__ == "__main__":
    main()
