#!/usr/bin/env python3
"""Writes the labelled digits test split for `nnverify attack` / reports (deterministic).

    python3 scripts/make_digits_data.py

Writes models/digits/data/digits_test.csv (header `label,x0,...,x63`, then one row per image:
label, 64 pixels row-major divided by 16) and models/digits/data/digits_test.npz (np.savez_compressed:
`x` float32 (N, 1, 8, 8), `y` int64 (N,), `rows` int64 (N,) = the image's row in load_digits, as
in the `imgNNNN` specification names). The split is the one of scripts/make_models.py:
`train_test_split(test_size=0.2, stratify=y, random_state=0)` over the row indices, test rows in
the order it returns. Pixel values are k/16, exact in float32 and written so they read back exactly.
Then checks models/digits/onnx/digits_mlp.onnx with onnxruntime on the rows read back from both
files, prints the accuracy, and updates the matching section of models/README.md (which
scripts/make_models.py overwrites: rerun this script after it). nnverify itself never runs Python.
"""
from __future__ import annotations

import time
from pathlib import Path
from unittest import mock

import numpy as np
import onnxruntime as ort
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "models" / "digits" / "data"
README = ROOT / "models" / "README.md"
FIXED_TIME = time.struct_time((1980, 1, 1, 0, 0, 0, 1, 1, 0))  # zip timestamps: reproducible bytes
SECTION_TITLE = "## Labelled test data (`digits/data/`)"


def test_split():
    x, y = load_digits(return_X_y=True)
    x = x / 16.0
    rows = np.arange(len(y))
    _, te = train_test_split(rows, test_size=0.2, stratify=y, random_state=0)
    return x[te], y[te], te


def write_csv(path: Path, x, y):
    lines = ["label," + ",".join(f"x{i}" for i in range(x.shape[1]))]
    for label, pixels in zip(y, x):
        lines.append(f"{int(label)}," + ",".join(repr(float(v)) for v in pixels))
    path.write_text("\n".join(lines) + "\n")


def write_npz(path: Path, x, y, rows):
    with mock.patch("time.localtime", return_value=FIXED_TIME):
        np.savez_compressed(path, x=x.astype(np.float32).reshape(-1, 1, 8, 8), y=y.astype(np.int64),
                            rows=rows.astype(np.int64))


def read_back(csv_path: Path, npz_path: Path):
    table = np.loadtxt(csv_path, delimiter=",", skiprows=1)
    labels, pixels = table[:, 0].astype(np.int64), table[:, 1:]
    with np.load(npz_path) as archive:
        x, y = archive["x"], archive["y"]
    assert x.dtype == np.float32 and x.shape == (len(labels), 1, 8, 8) and y.dtype == np.int64
    assert np.array_equal(y, labels), "labels differ between CSV and NPZ"
    assert np.array_equal(x.reshape(len(labels), 64).astype(np.float64), pixels), "pixels differ"
    return pixels, labels


def accuracy(model: Path, pixels, labels):
    session = ort.InferenceSession(str(model), providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    correct = 0
    for row, label in zip(pixels, labels):  # the model's input is [1, 64]: one row at a time
        logits = session.run(None, {name: row.astype(np.float32).reshape(1, 64)})[0]
        correct += int(np.argmax(logits) == label)
    return correct, len(labels)


def update_readme(n, correct, per_class):
    section = f"""{SECTION_TITLE}

Labelled inputs for `nnverify attack` and robustness reports, written by
`python3 scripts/make_digits_data.py` (deterministic; rerun it after `make_models.py`, which
rewrites this README without this section):

- `digits/data/digits_test.csv`: header `label,x0,...,x63`, then one row per image: the label
  (0-9) and the 64 pixels row-major divided by 16 (values k/16, written exactly).
- `digits/data/digits_test.npz` (`np.savez_compressed`): `x` float32 of shape ({n}, 1, 8, 8), `y`
  int64 labels, `rows` int64: each image's row in `load_digits` (the `NNNN` in `imgNNNN_eps*.vnnlib`).

Both hold the same {n} images: the test split above (`train_test_split(test_size=0.2,
stratify=y, random_state=0)`), in the order it returns (per class: {per_class}).
`digits_mlp.onnx` classifies {correct} of them correctly ({100 * correct / n:.2f} %, onnxruntime).

    nnverify attack models/digits/onnx/digits_mlp.onnx --inputs models/digits/data/digits_test.csv --eps 0.05
"""
    text = README.read_text()
    start = text.find(SECTION_TITLE)
    if start >= 0:
        end = text.find("\n## ", start + len(SECTION_TITLE))
        text = text[:start] + section + ("\n" + text[end + 1:] if end >= 0 else "")
    else:
        anchor = text.find("\n## Models")
        text = text[:anchor + 1] + section + "\n" + text[anchor + 1:]
    README.write_text(text)


def main():
    x, y, rows = test_split()
    DATA.mkdir(parents=True, exist_ok=True)
    csv_path, npz_path = DATA / "digits_test.csv", DATA / "digits_test.npz"
    write_csv(csv_path, x, y)
    write_npz(npz_path, x, y, rows)
    pixels, labels = read_back(csv_path, npz_path)
    correct, n = accuracy(ROOT / "models" / "digits" / "onnx" / "digits_mlp.onnx", pixels, labels)
    per_class = ", ".join(f"{k}: {int(np.sum(labels == k))}" for k in range(10))
    print(f"wrote {n} images to {csv_path.relative_to(ROOT)} ({csv_path.stat().st_size} bytes) and "
          f"{npz_path.relative_to(ROOT)} ({npz_path.stat().st_size} bytes)")
    print(f"digits_mlp.onnx accuracy on them (onnxruntime): {correct}/{n} = {100 * correct / n:.2f} %")
    update_readme(n, correct, per_class)


if __name__ == "__main__":
    main()
