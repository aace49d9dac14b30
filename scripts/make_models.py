#!/usr/bin/env python3
"""Builds the bundled models, specifications and ground truth under models/ (deterministic, seeded).

    python3 scripts/make_models.py            # regenerate everything (a few minutes on 1 core)

Needs the packages pinned in scripts/requirements-fixtures.txt. Writes, per suite (iris, digits):
models/<suite>/onnx/*.onnx, vnnlib/*.vnnlib, instances.csv, expected.csv and witnesses/, plus
models/README.md. Verdicts come from scripts/milp_reference.py, which re-reads the written files.
nnverify itself never runs Python; this script only makes fixtures.
"""
from __future__ import annotations

import math
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from sklearn.datasets import load_digits, load_iris
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

sys.dont_write_bytecode = True  # keep scripts/ free of __pycache__
sys.path.insert(0, str(Path(__file__).resolve().parent))
import milp_reference as ref  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
IRIS_CLASSES = ["setosa", "versicolor", "virginica"]
IRIS_FEATURES = ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"]


# ----------------------------------------------------------------------------------------------
# ONNX export
# ----------------------------------------------------------------------------------------------
def export_mlp(path: Path, clf: MLPClassifier, act: str, doc: str, shift=None, scale=None):
    """Writes [Sub -> Div ->] (Gemm -> act)* -> Gemm, float32 raw_data weights (W as out x in,
    transB=1), opset 13, input 'input' [1, n_in], output 'output' [1, n_out]."""
    n_in = clf.coefs_[0].shape[0]
    n_out = clf.coefs_[-1].shape[1]
    nodes, inits = [], []
    cur = "input"
    if shift is not None:
        inits.append(numpy_helper.from_array(np.asarray(shift, np.float32), "input_mean"))
        nodes.append(helper.make_node("Sub", [cur, "input_mean"], ["centered"], name="normalize_sub"))
        cur = "centered"
    if scale is not None:
        inits.append(numpy_helper.from_array(np.asarray(scale, np.float32), "input_std"))
        nodes.append(helper.make_node("Div", [cur, "input_std"], ["normalized"], name="normalize_div"))
        cur = "normalized"
    n_layers = len(clf.coefs_)
    for i, (w, b) in enumerate(zip(clf.coefs_, clf.intercepts_)):
        inits.append(numpy_helper.from_array(np.ascontiguousarray(w.T, np.float32), f"fc{i + 1}.weight"))
        inits.append(numpy_helper.from_array(np.asarray(b, np.float32), f"fc{i + 1}.bias"))
        out = "output" if i == n_layers - 1 else f"fc{i + 1}"
        nodes.append(helper.make_node("Gemm", [cur, f"fc{i + 1}.weight", f"fc{i + 1}.bias"], [out],
                                      name=f"fc{i + 1}", transB=1))
        cur = out
        if i < n_layers - 1:
            op = {"relu": "Relu", "logistic": "Sigmoid"}[act]
            nodes.append(helper.make_node(op, [cur], [f"{op.lower()}{i + 1}"], name=f"{op.lower()}{i + 1}"))
            cur = f"{op.lower()}{i + 1}"
    graph = helper.make_graph(
        nodes, path.stem,
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, n_in])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, n_out])],
        initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], ir_version=8,
                              producer_name="nnverify scripts/make_models.py", doc_string=doc)
    onnx.checker.check_model(model, full_check=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(model.SerializeToString())


def layer_sizes(clf):
    return "-".join(str(n) for n in [clf.coefs_[0].shape[0]] + [w.shape[1] for w in clf.coefs_])


# ----------------------------------------------------------------------------------------------
# VNN-LIB and result files
# ----------------------------------------------------------------------------------------------
def fmt(v: float) -> str:
    """Plain decimal, at most 10 fractional digits, no exponent."""
    s = f"{round(float(v), 10):.10f}".rstrip("0")
    s = s + "0" if s.endswith(".") else s
    return "0.0" if s in ("-0.0", "-0") else s


def declarations(n_in, n_out):
    xs = "\n".join(f"(declare-const X_{i} Real)" for i in range(n_in))
    ys = "\n".join(f"(declare-const Y_{j} Real)" for j in range(n_out))
    return f"{xs}\n\n{ys}\n"


def box_asserts(lo, hi, names=None):
    lines = []
    for i, (l, h) in enumerate(zip(lo, hi)):
        if names:
            lines.append(f"; {names[i]}")
        lines.append(f"(assert (<= X_{i} {fmt(h)}))\n(assert (>= X_{i} {fmt(l)}))\n")
    return "\n".join(lines)


def not_top_output(label, n_out):
    """Unsafe set: some other class scores at least as high as `label` (MNIST VNN-COMP style)."""
    body = "\n".join(f"    (and (>= Y_{k} Y_{label}))" for k in range(n_out) if k != label)
    return f"(assert (or\n{body}\n))\n"


def write_text(path: Path, text: str):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def robustness_spec(path, comment, x0, eps, dom_lo, dom_hi, label, n_out, names=None):
    lo = np.maximum(np.round(x0 - eps, 10), dom_lo)
    hi = np.minimum(np.round(x0 + eps, 10), dom_hi)
    text = (f"; {comment}\n\n{declarations(len(x0), n_out)}\n; Input constraints:\n"
            f"{box_asserts(lo, hi, names)}\n; Output constraints:\n{not_top_output(label, n_out)}")
    write_text(path, text)


def write_witness(path: Path, onnx_rel, vnn_rel, v: ref.Verdict, source: str):
    lines = [f"; witness for {onnx_rel} + {vnn_rel}; source: {source}; Y computed with onnxruntime "
             f"float32; reference margin {v.value:.6g}"]
    items = [f"(X_{i} {float(x)!r})" for i, x in enumerate(v.x)]
    items += [f"(Y_{j} {float(y)!r})" for j, y in enumerate(v.y32)]
    items[0] = "(" + items[0]
    items[-1] = items[-1] + ")"
    write_text(path, "\n".join(lines + items) + "\n")


class Suite:
    """Collects instances of one suite and writes instances.csv, expected.csv and witnesses."""

    def __init__(self, name: str, timeout: int):
        self.dir = MODELS / name
        self.timeout = timeout
        self.rows = []  # (onnx_rel, vnn_rel, Verdict)
        if self.dir.exists():
            shutil.rmtree(self.dir)

    def add(self, net: ref.Mlp, onnx_path: Path, vnn_path: Path, verdict: ref.Verdict, source: str):
        onnx_rel = onnx_path.relative_to(self.dir).as_posix()
        vnn_rel = vnn_path.relative_to(self.dir).as_posix()
        self.rows.append((onnx_rel, vnn_rel, verdict))
        if verdict.verdict == "sat":
            write_witness(self.dir / "witnesses" / f"{onnx_path.stem}__{vnn_path.stem}.counterexample",
                          onnx_rel, vnn_rel, verdict, source)

    def write(self):
        inst = "".join(f"{o},{v},{self.timeout}\n" for o, v, _ in self.rows)
        exp = "onnx,vnnlib,expected,evidence\n" + "".join(
            f"{o},{v},{r.verdict},{r.evidence}\n" for o, v, r in self.rows)
        write_text(self.dir / "instances.csv", inst)
        write_text(self.dir / "expected.csv", exp)

    def counts(self, onnx_rel=None):
        rows = [r for o, _, r in self.rows if onnx_rel is None or o == onnx_rel]
        return {k: sum(1 for r in rows if r.verdict == k) for k in ("sat", "unsat", "unknown")}


def decide(net, spec_path, kind, seed=0):
    spec = ref.parse_vnnlib(str(spec_path))
    if kind == "relu":
        v = ref.decide_relu(net, spec)
        # independent sanity check: PGD must not beat the MILP optimum
        m, _ = ref.pgd(net, spec, seed, restarts=8, steps=100)
        if m < v.value - 1e-6:
            raise RuntimeError(f"{spec_path}: PGD margin {m} below MILP optimum {v.value}")
        return v
    return ref.decide_sigmoid(net, spec, seed)


def nice(r: float, rstar: float) -> float:
    """r rounded to 2 significant digits, kept at least 5% away from the critical radius."""
    q = float(f"{r:.2g}")
    if abs(q / rstar - 1) < 0.05:
        q = float(f"{r:.3g}")
    if abs(q / rstar - 1) < 0.05:
        raise RuntimeError(f"radius {r} too close to critical radius {rstar}")
    return q


def accuracy(net, x, y):
    pred = np.array([int(np.argmax(ref.ort_forward(net.path, xi))) for xi in x])
    return float(np.mean(pred == y)), pred


# ----------------------------------------------------------------------------------------------
# iris
# ----------------------------------------------------------------------------------------------
def critical_radii(net, x0, label, dom_lo, dom_hi, rmax, n_out):
    """min over classes k != label of the smallest radius at which Y_k >= Y_label is reachable."""
    best = math.inf
    for limit in (rmax / 12, rmax / 3, rmax):  # small limits give tight big-M constants: fast
        for k in range(n_out):
            if k == label:
                continue
            c = np.zeros(n_out)
            c[k], c[label] = 1.0, -1.0
            best = min(best, ref.critical_radius(net, x0, dom_lo, dom_hi, [(c, 0.0)],
                                                 min(limit, best)))
        if best <= limit:
            return best
    return best


def build_iris(stats):
    suite = Suite("iris", 30)
    X, y = load_iris(return_X_y=True)
    rows = np.arange(len(y))
    tr, te = train_test_split(rows, test_size=0.2, stratify=y, random_state=0)
    mean = X[tr].mean(0).astype(np.float32).astype(np.float64)
    std = X[tr].std(0).astype(np.float32).astype(np.float64)
    clf = MLPClassifier(hidden_layer_sizes=(16, 16), activation="relu", solver="lbfgs", alpha=1e-2,
                        max_iter=3000, random_state=0)
    clf.fit((X[tr] - mean) / std, y[tr])
    onnx_path = suite.dir / "onnx" / "iris_mlp.onnx"
    export_mlp(onnx_path, clf, "relu",
               "Iris MLP 4-16-16-3 ReLU; input raw features in cm (sepal length, sepal width, petal "
               "length, petal width), standardised in-graph by Sub/Div; outputs logits "
               "(setosa, versicolor, virginica).", shift=mean, scale=std)
    net = ref.load_mlp(str(onnx_path))
    acc_tr, pred_tr = accuracy(net, X[tr], y[tr])
    acc_te, _ = accuracy(net, X[te], y[te])
    stats["iris"] = {"arch": layer_sizes(clf), "train": acc_tr, "test": acc_te,
                     "n_train": len(tr), "n_test": len(te)}
    print(f"iris: train acc {acc_tr:.4f}, test acc {acc_te:.4f}")

    dom_lo, dom_hi = X.min(0), X.max(0)
    correct = [r for r, p in zip(tr, pred_tr) if p == y[r]]
    rstar = {r: critical_radii(net, X[r], y[r], dom_lo, dom_hi, 3.0, 3) for r in correct}

    # 4 points per class: the 2 closest to a decision boundary, and the class's median and 90th
    # percentile by critical radius.
    chosen = []
    for cls in range(3):
        pts = sorted((r for r in correct if y[r] == cls), key=lambda r: (rstar[r], r))
        picks = [pts[0], pts[1], pts[len(pts) // 2], pts[(9 * len(pts)) // 10]]
        chosen += [(r, i < 2) for i, r in enumerate(picks)]
    vnn = suite.dir / "vnnlib"
    for r, boundary in sorted(chosen):
        rs = rstar[r]
        if math.isinf(rs):
            radii = [0.5, 1.0]
        elif boundary:
            radii = [nice(0.8 * rs, rs), nice(1.25 * rs, rs)]
        else:
            radii = [nice(0.5 * rs, rs), nice(0.9 * rs, rs), nice(1.5 * rs, rs)]
        for eps in radii:
            path = vnn / f"row{r:03d}_eps{eps:g}.vnnlib"
            robustness_spec(path, f"iris robustness: dataset row {r} (training split), label {y[r]} "
                            f"({IRIS_CLASSES[y[r]]}), L-inf radius {eps:g} cm on the raw features, "
                            f"clipped to the data range; critical radius {rs:.6g}"
                            f" ({'near a decision boundary' if boundary else 'typical point'})",
                            X[r], eps, dom_lo, dom_hi, int(y[r]), 3, IRIS_FEATURES)
            v = decide(net, path, "relu", seed=r)
            want = "sat" if eps > rs else "unsat"
            if v.verdict != want:
                raise RuntimeError(f"{path}: MILP says {v.verdict}, critical radius says {want}")
            suite.add(net, onnx_path, path, v, "MILP minimiser (scipy HiGHS)")

    # demo specs: comfortably robust (interval arithmetic alone proves it) and clearly sat
    setosa = [r for r in correct if y[r] == 0]
    demo_r = max(setosa, key=lambda r: (rstar[r], -r))
    path = vnn / "demo_robust.vnnlib"
    robustness_spec(path, f"DEMO (expected unsat): iris dataset row {demo_r}, label 0 (setosa), "
                    f"L-inf radius 0.1 cm; critical radius {rstar[demo_r]:.4g}",
                    X[demo_r], 0.1, dom_lo, dom_hi, 0, 3, IRIS_FEATURES)
    spec = ref.parse_vnnlib(str(path))
    (lo, hi), = spec.boxes
    out_l, out_u = ref.ibp(net, lo, hi)[-1]
    assert out_l[0] > max(out_u[1], out_u[2]), "demo_robust must be provable by interval arithmetic"
    v = decide(net, path, "relu")
    assert v.verdict == "unsat"
    suite.add(net, onnx_path, path, v, "MILP minimiser (scipy HiGHS)")

    demo_s = min((r for r in correct if y[r] == 1), key=lambda r: (rstar[r], r))
    eps = nice(3 * rstar[demo_s], rstar[demo_s])
    path = vnn / "demo_sat.vnnlib"
    robustness_spec(path, f"DEMO (expected sat): iris dataset row {demo_s}, label 1 (versicolor), "
                    f"L-inf radius {eps:g} cm; critical radius {rstar[demo_s]:.4g}",
                    X[demo_s], eps, dom_lo, dom_hi, 1, 3, IRIS_FEATURES)
    spec = ref.parse_vnnlib(str(path))
    (lo, hi), = spec.boxes
    samples = lo + np.random.default_rng(1).random((2000, 4)) * (hi - lo)
    frac = np.mean([ref.margin(spec, yy) <= 0 for yy in ref.forward(net, samples)])
    assert frac > 0.05, f"demo_sat: only {frac} of random samples violate"
    v = decide(net, path, "relu")
    assert v.verdict == "sat"
    suite.add(net, onnx_path, path, v, "MILP minimiser (scipy HiGHS)")
    stats["iris_demo_sat_fraction"] = frac

    # ACAS-Xu-like single output threshold: unsafe if the setosa logit reaches c on a box
    # around the versicolor cluster; c lies between the true maximum and the interval bound.
    vers = X[y == 1]
    lo = np.round(vers.mean(0) - 0.5 * vers.std(0), 1)
    hi = np.round(vers.mean(0) + 0.5 * vers.std(0), 1)
    c0 = np.zeros(3)
    c0[0] = 1.0
    top = -ref.milp_min_margin(net, lo, hi, [(c0, 0.0)]).value
    ibp_top = ref.ibp(net, lo, hi)[-1][1][0]
    thr = round(top + 0.3 * (ibp_top - top) + 0.01, 4)
    path = vnn / "threshold_setosa.vnnlib"
    text = ("; iris output threshold (ACAS Xu property 1 style): on a box around the versicolor "
            "cluster\n; (mean +- 0.5 std per feature), unsafe if the setosa logit Y_0 >= "
            f"{fmt(thr)}.\n; Exact maximum of Y_0 on the box {top:.6g}; interval-arithmetic "
            f"bound {ibp_top:.6g}.\n\n{declarations(4, 3)}\n; Input constraints:\n"
            f"{box_asserts(lo, hi, IRIS_FEATURES)}\n; Output constraints:\n(assert (>= Y_0 {fmt(thr)}))\n")
    write_text(path, text)
    v = decide(net, path, "relu")
    assert v.verdict == "unsat"
    suite.add(net, onnx_path, path, v, "MILP minimiser (scipy HiGHS)")

    # prop_6 style: union of two boxes, unsafe if setosa is not the top class. Box A (setosa
    # cluster) is robust; box B straddles the setosa/versicolor boundary with a setosa centre.
    m0, m1 = X[y == 0].mean(0), X[y == 1].mean(0)

    def setosa_margin(t):
        out = ref.forward(net, m0 + t * (m1 - m0))[0]
        return out[0] - max(out[1], out[2])

    a, b = 0.0, 1.0
    assert setosa_margin(a) > 0 > setosa_margin(b)
    for _ in range(60):
        mid = (a + b) / 2
        a, b = (mid, b) if setosa_margin(mid) > 0 else (a, mid)
    centre = np.round(m0 + (a - 0.1) * (m1 - m0), 2)
    half = round(1.5 * critical_radii(net, centre, 0, dom_lo, dom_hi, 3.0, 3), 2)
    set_ = X[y == 0]
    box_a = (np.round(set_.mean(0) - 0.5 * set_.std(0), 1), np.round(set_.mean(0) + 0.5 * set_.std(0), 1))
    box_b = (np.round(centre - half, 2), np.round(centre + half, 2))
    assert setosa_margin(a - 0.1) > 0

    def conj(bx):
        return " ".join(f"(<= X_{i} {fmt(bx[1][i])}) (>= X_{i} {fmt(bx[0][i])})" for i in range(4))

    path = vnn / "two_boxes_setosa.vnnlib"
    text = ("; iris input disjunction (ACAS Xu property 6 style): unsafe if setosa (Y_0) is not the "
            "top class\n; anywhere in the union of box A (setosa cluster: mean +- 0.5 std) and box B "
            f"(L-inf radius {half:g} cm =\n; 1.5 x critical radius around a setosa point near the "
            "setosa/versicolor boundary).\n; Box A is robust; box B holds counterexamples.\n\n"
            f"{declarations(4, 3)}\n; Input constraints:\n(assert (or\n    (and {conj(box_a)})\n"
            f"    (and {conj(box_b)})\n))\n\n; Output constraints:\n{not_top_output(0, 3)}")
    write_text(path, text)
    spec = ref.parse_vnnlib(str(path))
    assert len(spec.boxes) == 2
    only_a = ref.Spec([spec.boxes[0]], spec.disjuncts, 4, 3)
    assert ref.decide_relu(net, only_a).verdict == "unsat"
    v = decide(net, path, "relu")
    assert v.verdict == "sat"
    suite.add(net, onnx_path, path, v, "MILP minimiser (scipy HiGHS)")
    suite.write()
    return suite


# ----------------------------------------------------------------------------------------------
# digits
# ----------------------------------------------------------------------------------------------
DIGIT_RADII = (0.005, 0.02, 0.05)
# verdict patterns over DIGIT_RADII and how many images of each to keep
DIGIT_PATTERNS = {("unsat", "sat", "sat"): 2, ("unsat", "unsat", "sat"): 2,
                  ("unsat", "unsat", "unsat"): 1, ("sat", "sat", "sat"): 1}


def digit_spec(vnn_dir, row, x0, label, eps):
    path = vnn_dir / f"img{row:04d}_eps{eps:g}.vnnlib"
    if not path.exists():
        robustness_spec(path, f"digits robustness: dataset row {row} (test split), label {label}, "
                        f"L-inf radius {eps:g} on pixels scaled to [0,1] (value/16), clipped to [0,1]",
                        x0, eps, np.zeros(64), np.ones(64), int(label), 10)
    return path


def train_digits(x, y, hidden, act, seed):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = MLPClassifier(hidden_layer_sizes=hidden, activation=act, solver="adam", alpha=1e-3,
                            max_iter=400, random_state=seed)
        clf.fit(x, y)
    return clf


def build_digits(stats):
    suite = Suite("digits", 60)
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    rows = np.arange(len(y))
    tr, te = train_test_split(rows, test_size=0.2, stratify=y, random_state=0)
    vnn = suite.dir / "vnnlib"

    # ReLU 64-32-32-10
    clf = train_digits(X[tr], y[tr], (32, 32), "relu", 0)
    relu_path = suite.dir / "onnx" / "digits_mlp.onnx"
    export_mlp(relu_path, clf, "relu", "8x8 digits MLP 64-32-32-10 ReLU; input 64 pixels scaled to "
               "[0,1] (value/16, row-major); outputs logits for digits 0-9.")
    net = ref.load_mlp(str(relu_path))
    acc_tr, _ = accuracy(net, X[tr], y[tr])
    acc_te, pred_te = accuracy(net, X[te], y[te])
    stats["digits_mlp"] = {"arch": layer_sizes(clf), "train": acc_tr, "test": acc_te,
                           "n_train": len(tr), "n_test": len(te)}
    print(f"digits_mlp: train acc {acc_tr:.4f}, test acc {acc_te:.4f}")
    wanted = dict(DIGIT_PATTERNS)
    scanned = 0
    scratch = Path(tempfile.mkdtemp(prefix="make_models_"))
    for r, p in zip(te, pred_te):
        if not any(wanted.values()):
            break
        if p != y[r]:
            continue
        scanned += 1
        tmp = [ref.parse_vnnlib(str(digit_spec(scratch, r, X[r], y[r], e))) for e in DIGIT_RADII]
        # a cheap PGD guess of the pattern first; the MILP only confirms wanted patterns
        guess = tuple("sat" if ref.pgd(net, s, int(r), restarts=4, steps=60)[0] < 0 else "unsat"
                      for s in tmp)
        if wanted.get(guess, 0) == 0:
            continue
        verdicts = [ref.decide_relu(net, s) for s in tmp]
        pattern = tuple(v.verdict for v in verdicts)
        if wanted.get(pattern, 0) == 0 or any(abs(v.value) < 1e-3 for v in verdicts):
            continue
        wanted[pattern] -= 1
        for eps in DIGIT_RADII:
            path = digit_spec(vnn, r, X[r], y[r], eps)
            v = decide(net, path, "relu", seed=int(r))
            suite.add(net, relu_path, path, v, "MILP minimiser (scipy HiGHS)")
    if any(wanted.values()):
        raise RuntimeError(f"digits: patterns not found {wanted}")
    stats["digits_scanned"] = scanned

    # Sigmoid 64-24-10: unsat at 0.02 and at 0.05 (linear relaxation), sat at 0.05 (PGD)
    clf = train_digits(X[tr], y[tr], (24,), "logistic", 0)
    sig_path = suite.dir / "onnx" / "digits_sigmoid.onnx"
    export_mlp(sig_path, clf, "logistic", "8x8 digits MLP 64-24-10 Sigmoid; input 64 pixels scaled "
               "to [0,1] (value/16, row-major); outputs logits for digits 0-9.")
    net = ref.load_mlp(str(sig_path))
    acc_tr, _ = accuracy(net, X[tr], y[tr])
    acc_te, pred_te = accuracy(net, X[te], y[te])
    stats["digits_sigmoid"] = {"arch": layer_sizes(clf), "train": acc_tr, "test": acc_te,
                               "n_train": len(tr), "n_test": len(te)}
    print(f"digits_sigmoid: train acc {acc_tr:.4f}, test acc {acc_te:.4f}")
    wanted = {(0.02, "unsat"): 1, (0.05, "unsat"): 1, (0.05, "sat"): 1}
    for r, p in zip(te, pred_te):
        if not any(wanted.values()):
            break
        if p != y[r]:
            continue
        for eps in (0.02, 0.05):
            path = digit_spec(scratch, r, X[r], y[r], eps)
            v = decide(net, path, "sigmoid", seed=int(r))
            if wanted.get((eps, v.verdict), 0) == 0:
                continue
            wanted[(eps, v.verdict)] -= 1
            path = digit_spec(vnn, r, X[r], y[r], eps)
            v = decide(net, path, "sigmoid", seed=int(r))
            suite.add(net, sig_path, path, v, "PGD (numpy float64)")
            break
    shutil.rmtree(scratch, ignore_errors=True)
    if any(wanted.values()):
        raise RuntimeError(f"digits sigmoid: not found {wanted}")
    suite.write()
    return suite


# ----------------------------------------------------------------------------------------------
# README and main
# ----------------------------------------------------------------------------------------------
def write_readme(stats, suites):
    def pct(v):
        return f"{100 * v:.2f} %"

    def size(p):
        return f"{(p.stat().st_size + 512) // 1024} KB"

    model_rows = []
    for suite, stem, key, notes in (
            (suites["iris"], "iris_mlp", "iris", "raw features in cm; Sub/Div standardisation in the graph"),
            (suites["digits"], "digits_mlp", "digits_mlp", "pixels scaled to [0,1] (value/16)"),
            (suites["digits"], "digits_sigmoid", "digits_sigmoid", "pixels scaled to [0,1] (value/16)")):
        s = stats[key]
        path = suite.dir / "onnx" / f"{stem}.onnx"
        model_rows.append(f"| `{path.relative_to(MODELS).as_posix()}` | {s['arch']} "
                          f"{'Sigmoid' if 'sigmoid' in stem else 'ReLU'} | {notes} | "
                          f"{pct(s['train'])} ({s['n_train']}) | {pct(s['test'])} ({s['n_test']}) | "
                          f"{size(path)} |")
    count_rows = []
    total = {"sat": 0, "unsat": 0, "unknown": 0}
    for name, onnx_rel in (("iris", "onnx/iris_mlp.onnx"), ("digits", "onnx/digits_mlp.onnx"),
                           ("digits", "onnx/digits_sigmoid.onnx")):
        c = suites[name].counts(onnx_rel)
        for k in total:
            total[k] += c[k]
        count_rows.append(f"| {name} | `{onnx_rel}` | {sum(c.values())} | {c['sat']} | {c['unsat']} | "
                          f"{c['unknown']} | {suites[name].timeout} s |")
    count_rows.append(f"| **all** | | {sum(total.values())} | {total['sat']} | {total['unsat']} | "
                      f"{total['unknown']} | |")
    text = README.format(models="\n".join(model_rows), counts="\n".join(count_rows),
                         demo_frac=f"{100 * stats['iris_demo_sat_fraction']:.0f} %",
                         radii=", ".join(f"{r:g}" for r in DIGIT_RADII))
    write_text(MODELS / "README.md", text)


README = """# Bundled models and specifications

Small networks, VNN-LIB properties and exact ground truth that ship with nnverify. They drive the
README's first command, the CLI end-to-end tests and the CI smoke suite. Everything here is
generated; do not edit by hand. Regenerate with

    pip install -r scripts/requirements-fixtures.txt   # pinned versions used to make these files
    python3 scripts/make_models.py                     # deterministic (seeded); a few minutes

The script writes every file below, then re-reads the written ONNX and VNN-LIB files to compute
the ground truth (`scripts/milp_reference.py`), so the verdicts describe the files as committed.
With the pinned package versions a rerun reproduces the files byte for byte.

## Try it

    nnverify verify models/iris/onnx/iris_mlp.onnx models/iris/vnnlib/demo_robust.vnnlib   # unsat
    nnverify verify models/iris/onnx/iris_mlp.onnx models/iris/vnnlib/demo_sat.vnnlib      # sat
    nnverify bench models/iris/instances.csv --expected models/iris/expected.csv
    nnverify bench models/digits/instances.csv --expected models/digits/expected.csv

`demo_robust` is provable by interval arithmetic alone; in `demo_sat` about {demo_frac} of
uniformly sampled inputs in the box are counterexamples.

## Data

- **Iris** (R. A. Fisher, 1936; 150 flowers, 4 features in cm, 3 classes) and **optical digits**
  (UCI "Optical Recognition of Handwritten Digits", 1797 8x8 images with values 0-16, 10 classes),
  both as bundled with scikit-learn (`sklearn.datasets.load_iris`, `load_digits`; scikit-learn is
  BSD-3-Clause licensed, the original data come from the UCI Machine Learning Repository).
  Nothing but trained weights and the data points used as specification centres is stored here.
- Splits: `train_test_split(test_size=0.2, stratify=y, random_state=0)`.

## Models

All are plain ONNX (opset 13, IR version 8), float32 weights stored as `raw_data`, input `input`
of shape [1, n], output `output` of shape [1, classes] holding logits (no softmax). Layers are
`Gemm` (weights stored out x in, `transB=1`) with `Relu` or `Sigmoid` between them. Trained with
scikit-learn `MLPClassifier` (`random_state=0`; iris: L-BFGS, alpha 1e-2; digits: Adam,
alpha 1e-3, 400 epochs). Accuracy is measured with onnxruntime on the exported files.

| file | layers | input | train accuracy (n) | test accuracy (n) | size |
|---|---|---|---|---|---|
{models}

- **iris_mlp**: the input is the raw measurement in cm, in the order sepal length, sepal width,
  petal length, petal width. The graph starts `Sub(input, input_mean)` then
  `Div(.., input_std)` with per-feature float32 constants (training-split mean and standard
  deviation), like the ERAN MNIST networks. Outputs: setosa, versicolor, virginica.
- **digits_mlp / digits_sigmoid**: the input is the 8x8 image flattened row-major, each pixel
  divided by 16 (so in [0, 1]) before it enters the network; no normalisation inside the graph.

## Specifications (`<suite>/vnnlib/`)

VNN-LIB as in VNN-COMP: `X_i` inputs, `Y_j` outputs, the asserts describe the *unsafe* set
(`sat` = a counterexample exists).

- `iris/vnnlib/rowNNN_epsR.vnnlib`: L-infinity robustness of the iris dataset row NNN (all from the
  training split and correctly classified) at radius R **in cm on the raw features**, each bound
  clipped to the data range of that feature (min/max over all 150 rows). Unsafe set:
  `(or (and (>= Y_k Y_label)) ...)` over k != label, exactly like the MNIST VNN-COMP specs.
  Points: per class the two rows closest to a decision boundary (smallest critical radius r*,
  the exact minimal radius with a counterexample, found by MILP) at radii 0.8 r* and 1.25 r*,
  and the rows at the class median and 90th percentile of r* at radii 0.5 r*, 0.9 r*, 1.5 r*
  (rounded to 2-3 significant digits, always at least 5 % away from r*). The header comment of
  each file gives the row, label and r*.
- `iris/vnnlib/demo_robust.vnnlib` (unsat) and `demo_sat.vnnlib` (sat): the demo pair above.
- `iris/vnnlib/threshold_setosa.vnnlib`: ACAS Xu property 1 style, a single output threshold
  `(assert (>= Y_0 c))` over a box around the versicolor cluster; c lies between the exact
  maximum of Y_0 on the box and its interval-arithmetic bound, so interval arithmetic alone
  does not prove it (unsat).
- `iris/vnnlib/two_boxes_setosa.vnnlib`: ACAS Xu property 6 style, the input is a union of two
  boxes `(assert (or (and ..box A..) (and ..box B..)))`; box A is robust, only box B contains
  counterexamples (sat). A verifier that only looks at the first box answers wrongly.
- `digits/vnnlib/imgNNNN_epsR.vnnlib`: L-infinity robustness of digits dataset row NNNN (test
  split, correctly classified) at radius R in {{{radii}}} on the [0,1] pixel scale, clipped to
  [0, 1]. The images were picked to mix verdict patterns over the three radii (unsat/sat/sat,
  unsat/unsat/sat, unsat/unsat/unsat, sat/sat/sat). The sigmoid network has three instances
  (unsat at 0.02 and 0.05, sat at 0.05), some on files shared with the ReLU network.

## Ground truth (`instances.csv`, `expected.csv`, `witnesses/`)

- `instances.csv`: VNN-COMP format `onnx,vnnlib,timeout` (no header, paths relative to the suite
  folder; 30 s for iris, 60 s for digits).
- `expected.csv`: header `onnx,vnnlib,expected,evidence`. Evidence is `milp-margin:v` for the
  ReLU networks: the exact minimum over input boxes and output disjuncts of the margin (negative
  = the unsafe condition holds by that much; for `unsat` the MILP's proven lower bound). For the
  sigmoid network `pgd-margin:v` (best attack margin) and `linrelax-bound:v` (proven lower bound).
- `witnesses/<onnx stem>__<vnnlib stem>.counterexample`: one per `sat` instance, a `;` comment
  naming the source, then `((X_0 v)` ... `(Y_j v))` as in VNN-COMP result files. X values are
  float32-representable and inside the box; Y values are onnxruntime float32 outputs.

How the verdicts were decided (independent of nnverify):
- **ReLU networks, exact**: mixed-integer linear program (scipy.optimize.milp, HiGHS), big-M
  encoding of each unstable ReLU with pre-activation bounds from interval arithmetic. For every
  input box and every output disjunct the margin is minimised. `sat` requires the minimiser to
  violate the property when re-evaluated in numpy float64 and in onnxruntime float32; `unsat`
  requires the MILP's dual bound to exceed 1e-6 for every box and disjunct. All margins are far
  from 0 (instances within 1e-3 were avoided), so no instance is `unknown`. Cross-checks: a PGD
  attack never beats the MILP optimum, and every iris verdict agrees with its critical radius.
- **Sigmoid network**: `sat` from a PGD attack (validated as above); `unsat` from a sound linear
  relaxation of the one hidden layer: for each neuron, `v * sigmoid(z) >= s * z + o` on the
  neuron's interval-arithmetic range, with the offset `o` computed exactly from the endpoints and
  the (at most two) stationary points; the resulting linear bound is minimised exactly over the
  box (best of secant, midpoint-tangent and zero slopes). Anything else would be `unknown`
  (none is).

| suite | model | instances | sat | unsat | unknown | timeout |
|---|---|---|---|---|---|---|
{counts}
"""


def main():
    start = time.time()
    stats = {}
    suites = {"iris": build_iris(stats), "digits": build_digits(stats)}
    write_readme(stats, suites)
    for name, suite in suites.items():
        print(f"{name}: {suite.counts()}")
    print(f"done in {time.time() - start:.1f} s")


if __name__ == "__main__":
    main()
