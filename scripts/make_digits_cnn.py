#!/usr/bin/env python3
"""Makes the bundled image CNN: a small convolutional network on scikit-learn's 8x8 digits, trained
once with plain numpy (no deep-learning framework needed) and exported as ONNX with Conv nodes.

    models/digits/onnx/digits_cnn.onnx
        input 'input' [1, 1, 8, 8] (pixels / 16, in [0, 1]); Conv 3x3 pad 1 (8 ch) -> Relu ->
        Conv 3x3 stride 2 pad 1 (16 ch) -> Relu -> Flatten -> Gemm (256 -> 10) -> logits 'output' [1, 10]

Same split as scripts/make_models.py (train_test_split(test_size=0.2, stratify=y, random_state=0)), so
models/digits/data/digits_test.* are its test images. Deterministic (seeded). Prints train/test
accuracy measured with onnxruntime on the exported file.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "models" / "digits" / "onnx" / "digits_cnn.onnx"
sys.path.insert(0, str(Path(__file__).resolve().parent))
from readme_sections import update_section  # noqa: E402

SECTION_TITLE = "## Image CNN (`digits/onnx/digits_cnn.onnx`)"
SECTION = """## Image CNN (`digits/onnx/digits_cnn.onnx`)

Made by `python3 scripts/make_digits_cnn.py` (deterministic; trained with plain numpy, exported with the
onnx package): input `input` [1, 1, 8, 8] (pixels / 16), Conv 3x3 pad 1 (8 channels) → Relu → Conv 3x3
stride 2 pad 1 (16 channels) → Relu → Flatten → Gemm (256 → 10) → logits `output` [1, 10]; 3,818
parameters; Adam, 40 epochs, same split as above. Train accuracy {train} ({n_train}), test {test}
({n_test}), onnxruntime. Its test images are `digits/data/digits_test.npz` (shape (360, 1, 8, 8)).

    nnverify report models/digits/onnx/digits_cnn.onnx --inputs models/digits/data/digits_test.npz --eps 0.01,0.02,0.05
"""


def im2col(x, k, stride, pad):
    """x: (N, C, H, W) -> columns (N, C*k*k, Ho*Wo) and the output size."""
    n, c, h, w = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    ho, wo = (h + 2 * pad - k) // stride + 1, (w + 2 * pad - k) // stride + 1
    cols = np.empty((n, c, k, k, ho, wo), x.dtype)
    for i in range(k):
        for j in range(k):
            cols[:, :, i, j] = xp[:, :, i:i + stride * ho:stride, j:j + stride * wo:stride]
    return cols.reshape(n, c * k * k, ho * wo), (ho, wo), xp.shape


def col2im(cols, xp_shape, k, stride, pad, out_hw):
    n, c, hp, wp = xp_shape
    ho, wo = out_hw
    cols = cols.reshape(n, c, k, k, ho, wo)
    xp = np.zeros(xp_shape, cols.dtype)
    for i in range(k):
        for j in range(k):
            xp[:, :, i:i + stride * ho:stride, j:j + stride * wo:stride] += cols[:, :, i, j]
    return xp[:, :, pad:hp - pad, pad:wp - pad]


class CNN:
    def __init__(self, rng):
        self.p = {
            "w1": rng.normal(0, np.sqrt(2 / 9), (8, 1, 3, 3)), "b1": np.zeros(8),
            "w2": rng.normal(0, np.sqrt(2 / 72), (16, 8, 3, 3)), "b2": np.zeros(16),
            "w3": rng.normal(0, np.sqrt(2 / 256), (10, 256)), "b3": np.zeros(10),
        }

    def forward(self, x):
        p, cache = self.p, {}
        c1, hw1, s1 = im2col(x, 3, 1, 1)
        z1 = np.einsum("ok,nkp->nop", p["w1"].reshape(8, -1), c1) + p["b1"][None, :, None]
        a1 = np.maximum(z1, 0).reshape(len(x), 8, *hw1)
        c2, hw2, s2 = im2col(a1, 3, 2, 1)
        z2 = np.einsum("ok,nkp->nop", p["w2"].reshape(16, -1), c2) + p["b2"][None, :, None]
        a2 = np.maximum(z2, 0).reshape(len(x), -1)
        y = a2 @ p["w3"].T + p["b3"]
        cache.update(c1=c1, hw1=hw1, s1=s1, z1=z1, a1=a1, c2=c2, hw2=hw2, s2=s2, z2=z2, a2=a2)
        return y, cache

    def gradients(self, x, labels):
        p = self.p
        y, c = self.forward(x)
        prob = np.exp(y - y.max(axis=1, keepdims=True))
        prob /= prob.sum(axis=1, keepdims=True)
        n = len(x)
        loss = -np.mean(np.log(prob[np.arange(n), labels] + 1e-12))
        dy = prob
        dy[np.arange(n), labels] -= 1
        dy /= n
        g = {"w3": dy.T @ c["a2"], "b3": dy.sum(0)}
        da2 = (dy @ p["w3"]).reshape(c["z2"].shape) * (c["z2"] > 0)
        g["w2"] = np.einsum("nop,nkp->ok", da2, c["c2"]).reshape(p["w2"].shape)
        g["b2"] = da2.sum((0, 2))
        dc2 = np.einsum("ok,nop->nkp", p["w2"].reshape(16, -1), da2)
        da1 = col2im(dc2, c["s2"], 3, 2, 1, c["hw2"]).reshape(c["z1"].shape) * (c["z1"] > 0)
        g["w1"] = np.einsum("nop,nkp->ok", da1, c["c1"]).reshape(p["w1"].shape)
        g["b1"] = da1.sum((0, 2))
        return loss, g


def export(net, path):
    p = {k: v.astype(np.float32) for k, v in net.p.items()}
    inits = [numpy_helper.from_array(p[k], k) for k in ["w1", "b1", "w2", "b2"]]
    inits += [numpy_helper.from_array(p["w3"], "w3"), numpy_helper.from_array(p["b3"], "b3")]
    nodes = [
        helper.make_node("Conv", ["input", "w1", "b1"], ["conv1"], name="conv1", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["conv1"], ["relu1"], name="relu1"),
        helper.make_node("Conv", ["relu1", "w2", "b2"], ["conv2"], name="conv2", kernel_shape=[3, 3], pads=[1, 1, 1, 1],
                         strides=[2, 2]),
        helper.make_node("Relu", ["conv2"], ["relu2"], name="relu2"),
        helper.make_node("Flatten", ["relu2"], ["flat"], name="flatten", axis=1),
        helper.make_node("Gemm", ["flat", "w3", "b3"], ["output"], name="fc", transB=1),
    ]
    graph = helper.make_graph(nodes, "digits_cnn",
                              [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 1, 8, 8])],
                              [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 10])], initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], ir_version=8,
                              producer_name="nnverify scripts/make_digits_cnn.py",
                              doc_string="digits CNN: Conv3x3(8)-Relu-Conv3x3s2(16)-Relu-Gemm(10), trained with numpy")
    onnx.checker.check_model(model, full_check=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(model.SerializeToString())


def main():
    x, y = load_digits(return_X_y=True)
    x = (x / 16.0).reshape(-1, 1, 8, 8)
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.2, stratify=y, random_state=0)
    rng = np.random.default_rng(0)
    net = CNN(rng)
    m = {k: np.zeros_like(v) for k, v in net.p.items()}
    v = {k: np.zeros_like(v) for k, v in net.p.items()}
    step = 0
    for epoch in range(40):
        order = rng.permutation(len(x_train))
        for start in range(0, len(order), 64):
            batch = order[start:start + 64]
            loss, g = net.gradients(x_train[batch], y_train[batch])
            step += 1
            for k in net.p:
                g[k] = g[k] + 1e-4 * net.p[k]
                m[k] = 0.9 * m[k] + 0.1 * g[k]
                v[k] = 0.999 * v[k] + 0.001 * g[k] ** 2
                net.p[k] -= 0.003 * (m[k] / (1 - 0.9 ** step)) / (np.sqrt(v[k] / (1 - 0.999 ** step)) + 1e-8)
    export(net, OUT)
    session = ort.InferenceSession(str(OUT))

    def accuracy(xs, ys):
        pred = [int(np.argmax(session.run(None, {"input": xi[None].astype(np.float32)})[0])) for xi in xs]
        return float(np.mean(np.array(pred) == ys))

    train, test = accuracy(x_train, y_train), accuracy(x_test, y_test)
    print(f"digits_cnn: train accuracy {train:.4f} ({len(y_train)}), test accuracy {test:.4f} ({len(y_test)})")
    update_section(SECTION_TITLE, SECTION.format(train=f"{100 * train:.2f} %", n_train=len(y_train),
                                                 test=f"{100 * test:.2f} %", n_test=len(y_test)))


if __name__ == "__main__":
    main()
