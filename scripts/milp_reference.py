"""Ground-truth verdicts for small MLP verification instances, independent of nnverify.

Used by scripts/make_models.py; reads the ONNX and VNN-LIB files exactly as written to disk, so
the verdicts describe the committed files, not the in-memory training objects.

Methods:
- ReLU networks: exact MILP (scipy.optimize.milp / HiGHS), big-M encoding of every unstable ReLU with
  pre-activation bounds from interval arithmetic. For each input box and each output disjunct the
  margin (<= 0 means the unsafe output condition holds) is minimised; `sat` needs a minimiser that
  violates the property when re-evaluated in numpy float64 AND onnxruntime float32, `unsat` needs
  the MILP's dual (lower) bound above +TOL for every box and disjunct.
- Sigmoid networks with one hidden layer: `sat` from PGD (validated the same way), `unsat` from a
  sound linear relaxation (see `sigmoid_lower_bound`), otherwise `unknown`.

Only a small subset of VNN-LIB is parsed: declare-const, and asserts of `(<= a b)` / `(>= a b)`
atoms over single variables and constants, optionally grouped as `(or (and ...) ...)`.
"""
from __future__ import annotations

import contextlib
import math
import os
import re
import sys
from dataclasses import dataclass

import numpy as np
import onnx
import onnxruntime as ort
from onnx import numpy_helper
from scipy.optimize import Bounds, LinearConstraint, milp

TOL = 1e-6  # margins within TOL of 0 are not decided


# ----------------------------------------------------------------------------------------------
# Network loading and evaluation
# ----------------------------------------------------------------------------------------------
@dataclass
class Mlp:
    """Fully connected network: layers[i] = (W (out x in), b); acts[i] in {'relu','sigmoid',None}."""

    weights: list
    biases: list
    acts: list
    path: str

    @property
    def n_in(self) -> int:
        return self.weights[0].shape[1]


def load_mlp(path: str) -> Mlp:
    """Reads Sub/Div(constant) -> Gemm -> act -> ... -> Gemm into float64 weights, folding Sub/Div
    into the first Gemm (W' = W / s, b' = b - W' mu)."""
    model = onnx.load(path)
    inits = {t.name: numpy_helper.to_array(t).astype(np.float64) for t in model.graph.initializer}
    shift, scale = None, None
    weights, biases, acts = [], [], []
    for node in model.graph.node:
        if node.op_type == "Sub":
            shift = inits[node.input[1]].reshape(-1)
        elif node.op_type == "Div":
            scale = inits[node.input[1]].reshape(-1)
        elif node.op_type == "Gemm":
            attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
            w = inits[node.input[1]]
            if attrs.get("transB", 0) == 0:
                w = w.T
            if attrs.get("transA", 0) != 0:
                raise ValueError("transA unsupported")
            w = w * attrs.get("alpha", 1.0)
            b = inits[node.input[2]].reshape(-1) * attrs.get("beta", 1.0)
            weights.append(w)
            biases.append(b)
            acts.append(None)
        elif node.op_type == "Relu":
            acts[-1] = "relu"
        elif node.op_type == "Sigmoid":
            acts[-1] = "sigmoid"
        else:
            raise ValueError(f"unsupported op {node.op_type}")
    if acts[-1] is not None:
        raise ValueError("last layer must be linear")
    if scale is not None or shift is not None:
        n = weights[0].shape[1]
        s = scale if scale is not None else np.ones(n)
        mu = shift if shift is not None else np.zeros(n)
        w = weights[0] / s[None, :]
        biases[0] = biases[0] - w @ mu
        weights[0] = w
    return Mlp(weights, biases, acts, path)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def forward(net: Mlp, x: np.ndarray) -> np.ndarray:
    """float64 forward pass; x is (n_in,) or (batch, n_in)."""
    h = np.atleast_2d(np.asarray(x, dtype=np.float64))
    for w, b, act in zip(net.weights, net.biases, net.acts):
        h = h @ w.T + b
        if act == "relu":
            h = np.maximum(h, 0.0)
        elif act == "sigmoid":
            h = sigmoid(h)
    return h


_sessions: dict = {}


def ort_forward(path: str, x: np.ndarray) -> np.ndarray:
    """onnxruntime float32 forward pass of one input vector."""
    if path not in _sessions:
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        _sessions[path] = ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])
    sess = _sessions[path]
    name = sess.get_inputs()[0].name
    return sess.run(None, {name: np.asarray(x, dtype=np.float32).reshape(1, -1)})[0].reshape(-1)


# ----------------------------------------------------------------------------------------------
# VNN-LIB subset parser
# ----------------------------------------------------------------------------------------------
@dataclass
class Spec:
    """boxes: list of (lo, hi) arrays (union); disjuncts: list of conjunctions, each a list of atoms
    (c, d) meaning the unsafe condition c . y + d >= 0. sat iff some x in some box makes every atom
    of some disjunct true."""

    boxes: list
    disjuncts: list
    n_in: int
    n_out: int


def _tokens(text: str):
    text = re.sub(r";[^\n]*", "", text)
    return re.findall(r"\(|\)|[^\s()]+", text)


def _sexprs(tokens):
    stack, out = [], []
    for t in tokens:
        if t == "(":
            stack.append([])
        elif t == ")":
            e = stack.pop()
            (stack[-1] if stack else out).append(e)
        else:
            (stack[-1] if stack else out).append(t)
    if stack:
        raise ValueError("unbalanced parentheses")
    return out


def _term(tok, n_out):
    """Returns ('X', i), ('Y', coef vector) or ('c', value)."""
    if tok.startswith("X_"):
        return ("X", int(tok[2:]))
    if tok.startswith("Y_"):
        v = np.zeros(n_out)
        v[int(tok[2:])] = 1.0
        return ("Y", v)
    return ("c", float(tok))


def _atom(e, n_out):
    op, a, b = e
    ta, tb = _term(a, n_out), _term(b, n_out)
    if op == "<=":  # a <= b  <=>  b - a >= 0
        ta, tb = tb, ta
    elif op != ">=":
        raise ValueError(f"unsupported operator {op}")
    # now ta >= tb
    if ta[0] == "X" or tb[0] == "X":
        if ta[0] == "X" and tb[0] == "c":
            return ("lo", ta[1], tb[1])
        if tb[0] == "X" and ta[0] == "c":
            return ("hi", tb[1], ta[1])
        raise ValueError("unsupported X atom")
    c = np.zeros(n_out)
    d = 0.0
    for sign, t in ((1.0, ta), (-1.0, tb)):
        if t[0] == "Y":
            c = c + sign * t[1]
        else:
            d += sign * t[1]
    return ("y", c, d)


def parse_vnnlib(path: str) -> Spec:
    exprs = _sexprs(_tokens(open(path).read()))
    n_in = sum(1 for e in exprs if e[0] == "declare-const" and e[1].startswith("X_"))
    n_out = sum(1 for e in exprs if e[0] == "declare-const" and e[1].startswith("Y_"))
    base_lo, base_hi = np.full(n_in, -np.inf), np.full(n_in, np.inf)
    input_dnf = None  # list of lists of ('lo'/'hi', i, v)
    output_cnf = []  # list of DNFs; each DNF a list of conjunctions of ('y', c, d)
    for e in exprs:
        if e[0] != "assert":
            continue
        body = e[1]
        if body[0] in ("<=", ">="):
            dnf = [[_atom(body, n_out)]]
        elif body[0] == "or":
            dnf = []
            for conj in body[1:]:
                if conj[0] != "and":
                    raise ValueError("expected (and ...) inside (or ...)")
                dnf.append([_atom(a, n_out) for a in conj[1:]])
        elif body[0] == "and":
            dnf = [[_atom(a, n_out) for a in body[1:]]]
        else:
            raise ValueError(f"unsupported assert {body[0]}")
        kinds = {a[0] for conj in dnf for a in conj}
        if kinds <= {"lo", "hi"}:
            if len(dnf) == 1:
                for kind, i, v in dnf[0]:
                    if kind == "lo":
                        base_lo[i] = max(base_lo[i], v)
                    else:
                        base_hi[i] = min(base_hi[i], v)
            else:
                if input_dnf is not None:
                    raise ValueError("only one input disjunction supported")
                input_dnf = dnf
        elif kinds == {"y"}:
            output_cnf.append(dnf)
        else:
            raise ValueError("mixed X/Y atoms unsupported")
    boxes = []
    for conj in input_dnf or [[]]:
        lo, hi = base_lo.copy(), base_hi.copy()
        for kind, i, v in conj:
            if kind == "lo":
                lo[i] = max(lo[i], v)
            else:
                hi[i] = min(hi[i], v)
        if not (np.all(np.isfinite(lo)) and np.all(np.isfinite(hi)) and np.all(lo <= hi)):
            raise ValueError(f"{path}: unbounded or empty input box")
        boxes.append((lo, hi))
    disjuncts = [[]]
    for dnf in output_cnf:
        disjuncts = [d + [(a[1], a[2]) for a in conj] for d in disjuncts for conj in dnf]
    return Spec(boxes, disjuncts, n_in, n_out)


def margin(spec: Spec, y: np.ndarray) -> float:
    """min over disjuncts of max over atoms of -(c.y + d); <= 0 means the unsafe condition holds."""
    y = np.asarray(y, dtype=np.float64).reshape(-1)
    return min(max(-(c @ y + d) for c, d in conj) for conj in spec.disjuncts)


def in_box(spec: Spec, x: np.ndarray) -> bool:
    return any(np.all(x >= lo) and np.all(x <= hi) for lo, hi in spec.boxes)


# ----------------------------------------------------------------------------------------------
# Interval arithmetic and MILP
# ----------------------------------------------------------------------------------------------
def ibp(net: Mlp, lo: np.ndarray, hi: np.ndarray):
    """Pre-activation bounds [(L, U)] for every layer (the last entry bounds the outputs), widened by
    a relative 1e-9 to absorb float64 rounding."""
    out = []
    l, u = np.asarray(lo, float), np.asarray(hi, float)
    for w, b, act in zip(net.weights, net.biases, net.acts):
        wp, wn = np.maximum(w, 0), np.minimum(w, 0)
        L = wp @ l + wn @ u + b
        U = wp @ u + wn @ l + b
        pad = 1e-9 * (1.0 + np.maximum(np.abs(L), np.abs(U)))
        L, U = L - pad, U + pad
        out.append((L, U))
        if act == "relu":
            l, u = np.maximum(L, 0), np.maximum(U, 0)
        elif act == "sigmoid":
            l, u = sigmoid(L), sigmoid(U)
        else:
            l, u = L, U
    return out


@contextlib.contextmanager
def _quiet_stdout():
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


class _Builder:
    def __init__(self):
        self.lb, self.ub, self.integ = [], [], []
        self.rows, self.rlo, self.rhi = [], [], []

    def var(self, lb, ub, integer=False):
        self.lb.append(lb)
        self.ub.append(ub)
        self.integ.append(1 if integer else 0)
        return len(self.lb) - 1

    def row(self, coefs: dict, lo, hi):
        self.rows.append(coefs)
        self.rlo.append(lo)
        self.rhi.append(hi)

    def solve(self, objective: dict, time_limit: float):
        n = len(self.lb)
        c = np.zeros(n)
        for j, v in objective.items():
            c[j] += v
        a = np.zeros((len(self.rows), n))
        for r, coefs in enumerate(self.rows):
            for j, v in coefs.items():
                a[r, j] += v
        cons = [LinearConstraint(a, self.rlo, self.rhi)] if self.rows else None
        with _quiet_stdout():  # HiGHS prints some diagnostics straight to fd 1
            res = milp(
                c,
                integrality=np.array(self.integ),
                bounds=Bounds(self.lb, self.ub),
                constraints=cons,
                options={"disp": False, "mip_rel_gap": 1e-9, "time_limit": time_limit},
            )
        if res.status == 0 and getattr(res, "mip_dual_bound", None) is None:
            res.mip_dual_bound = res.fun  # no binaries: solved as an LP, the optimum is exact
        return res


def _encode_relu_net(bld: _Builder, net: Mlp, lo, hi):
    """Adds x and hidden variables; returns (x indices, last hidden indices)."""
    if any(a not in ("relu",) for a in net.acts[:-1]):
        raise ValueError("MILP encoding needs a ReLU network")
    bounds = ibp(net, lo, hi)
    xs = [bld.var(float(lo[i]), float(hi[i])) for i in range(len(lo))]
    prev = xs
    for layer in range(len(net.weights) - 1):
        w, b = net.weights[layer], net.biases[layer]
        L, U = bounds[layer]
        cur = []
        for j in range(w.shape[0]):
            lj, uj = float(L[j]), float(U[j])
            if uj <= 0:
                cur.append(bld.var(0.0, 0.0))
                continue
            a = bld.var(0.0, uj)
            lin = {p: -float(w[j, k]) for k, p in enumerate(prev) if w[j, k] != 0}
            if lj >= 0:
                bld.row({**lin, a: 1.0}, float(b[j]), float(b[j]))  # a = z
            else:
                d = bld.var(0.0, 1.0, integer=True)
                bld.row({**lin, a: 1.0}, float(b[j]), np.inf)  # a >= z
                bld.row({**lin, a: 1.0, d: -lj}, -np.inf, float(b[j]) - lj)  # a <= z - L(1-d)
                bld.row({a: 1.0, d: -uj}, -np.inf, 0.0)  # a <= U d
            cur.append(a)
        prev = cur
    return xs, prev


def _output_affine(net: Mlp, c, d):
    """Coefficients on the last hidden layer and constant of -(c . y + d)."""
    w, b = net.weights[-1], net.biases[-1]
    return -(w.T @ c), -(c @ b + d)


@dataclass
class MilpResult:
    value: float  # optimum found (primal)
    bound: float  # proven lower bound (dual)
    x: np.ndarray | None


def milp_min_margin(net: Mlp, lo, hi, conj, time_limit=300.0) -> MilpResult:
    """Minimises max over atoms of -(c.y+d) over the box [lo, hi]."""
    bld = _Builder()
    xs, last = _encode_relu_net(bld, net, lo, hi)
    if len(conj) == 1:
        coef, const = _output_affine(net, *conj[0])
        obj = {p: float(coef[k]) for k, p in enumerate(last)}
    else:
        t = bld.var(-np.inf, np.inf)
        const = 0.0
        for c, d in conj:
            coef, k0 = _output_affine(net, c, d)
            # t >= coef.h + k0
            bld.row({t: 1.0, **{p: -float(coef[k]) for k, p in enumerate(last)}}, k0, np.inf)
        obj = {t: 1.0}
    res = bld.solve(obj, time_limit)
    if res.status != 0:
        raise RuntimeError(f"MILP failed: {res.message}")
    x = np.clip(res.x[xs], lo, hi)
    return MilpResult(res.fun + const, res.mip_dual_bound + const, x)


def critical_radius(net: Mlp, x0, dom_lo, dom_hi, conj, rmax, time_limit=300.0) -> float:
    """Smallest L-inf radius r <= rmax such that some x with |x - x0|_inf <= r inside [dom_lo,
    dom_hi] makes the conjunction `conj` true (margin <= 0); inf if none."""
    lo = np.maximum(x0 - rmax, dom_lo)
    hi = np.minimum(x0 + rmax, dom_hi)
    bld = _Builder()
    xs, last = _encode_relu_net(bld, net, lo, hi)
    r = bld.var(0.0, float(rmax))
    for i, p in enumerate(xs):
        bld.row({p: 1.0, r: -1.0}, -np.inf, float(x0[i]))
        bld.row({p: 1.0, r: 1.0}, float(x0[i]), np.inf)
    for c, d in conj:
        coef, k0 = _output_affine(net, c, d)
        bld.row({p: float(coef[k]) for k, p in enumerate(last)}, -np.inf, -k0)
    res = bld.solve({r: 1.0}, time_limit)
    if res.status == 2:  # infeasible
        return math.inf
    if res.status != 0:
        raise RuntimeError(f"MILP failed: {res.message}")
    return float(res.mip_dual_bound)


# ----------------------------------------------------------------------------------------------
# PGD and the sigmoid linear relaxation
# ----------------------------------------------------------------------------------------------
def _margin_and_grad(net: Mlp, spec: Spec, conj, x):
    """Batch margin max_atoms -(c.y+d) of one conjunction and its gradient with respect to x."""
    hs, pre = [x], []
    h = x
    for w, b, act in zip(net.weights, net.biases, net.acts):
        z = h @ w.T + b
        pre.append(z)
        h = np.maximum(z, 0) if act == "relu" else sigmoid(z) if act == "sigmoid" else z
        hs.append(h)
    y = h
    vals = np.stack([-(y @ c + d) for c, d in conj], axis=1)
    which = np.argmax(vals, axis=1)
    m = vals[np.arange(len(x)), which]
    g = -np.stack([conj[k][0] for k in which])  # d m / d y
    for layer in reversed(range(len(net.weights))):
        act = net.acts[layer]
        z = pre[layer]
        if act == "relu":
            g = g * (z > 0)
        elif act == "sigmoid":
            s = sigmoid(z)
            g = g * s * (1 - s)
        g = g @ net.weights[layer]
    return m, g


def pgd(net: Mlp, spec: Spec, seed: int, restarts=16, steps=150):
    """Sign-gradient descent on the margin with random restarts; returns (best margin, x)."""
    rng = np.random.default_rng(seed)
    best, best_x = math.inf, None
    for lo, hi in spec.boxes:
        width = hi - lo
        for conj in spec.disjuncts:
            x = lo + rng.random((restarts, len(lo))) * width
            x[0] = (lo + hi) / 2
            for step in range(steps):
                alpha = 0.25 * (0.02 ** (step / (steps - 1)))
                m, g = _margin_and_grad(net, spec, conj, x)
                k = int(np.argmin(m))
                if m[k] < best:
                    best, best_x = float(m[k]), x[k].copy()
                x = np.clip(x - alpha * width * np.sign(g), lo, hi)
            m, _ = _margin_and_grad(net, spec, conj, x)
            k = int(np.argmin(m))
            if m[k] < best:
                best, best_x = float(m[k]), x[k].copy()
    return best, best_x


def _min_h(w, s, l, u):
    """min over z in [l, u] of w*sigmoid(z) - s*z, exactly (endpoints and stationary points)."""
    cands = [l, u]
    if w != 0:
        q = s / w
        if 0 < q <= 0.25:
            r = math.sqrt(max(0.0, 1 - 4 * q))
            for p in ((1 - r) / 2, (1 + r) / 2):
                if 0 < p < 1:
                    z = math.log(p / (1 - p))
                    if l < z < u:
                        cands.append(z)
    return min(w * float(sigmoid(z)) - s * z for z in cands)


def sigmoid_lower_bound(net: Mlp, lo, hi, c, d) -> float:
    """Sound lower bound of -(c.y + d) over the box for a one-hidden-layer sigmoid network.

    The margin is sum_j v_j sigmoid(z_j(x)) + k with z_j affine in x and z_j in [l_j, u_j] (interval
    arithmetic). For any slopes s_j, v_j sigmoid(z) >= s_j z + o_j on [l_j, u_j] with
    o_j = min_z (v_j sigmoid(z) - s_j z), computed exactly from the endpoints and the (at most two)
    stationary points. The resulting linear function of x is minimised exactly over the box. The
    best of three slope choices (secant, tangent at the midpoint, zero = interval arithmetic) is
    returned, minus a 1e-9 relative safety margin."""
    if len(net.weights) != 2 or net.acts[0] != "sigmoid":
        raise ValueError("needs one sigmoid hidden layer")
    w1, b1 = net.weights[0], net.biases[0]
    coef, k = _output_affine(net, c, d)  # margin = coef . h + k
    (L, U), _ = ibp(net, lo, hi)
    best = -math.inf
    for rule in ("secant", "tangent", "zero"):
        s = np.zeros(len(coef))
        o = np.zeros(len(coef))
        for j, v in enumerate(coef):
            l, u = float(L[j]), float(U[j])
            if rule == "secant" and u - l > 1e-12:
                s[j] = v * (float(sigmoid(u)) - float(sigmoid(l))) / (u - l)
            elif rule == "tangent":
                sm = float(sigmoid((l + u) / 2))
                s[j] = v * sm * (1 - sm)
            o[j] = _min_h(float(v), s[j], l, u)
        lin = s @ w1  # margin >= lin . x + s . b1 + sum o + k
        const = s @ b1 + o.sum() + k
        val = float(np.sum(np.where(lin > 0, lin * lo, lin * hi)) + const)
        val -= 1e-9 * (1 + abs(val) + np.abs(lin).sum() + np.abs(o).sum())
        best = max(best, val)
    return best


# ----------------------------------------------------------------------------------------------
# Verdicts
# ----------------------------------------------------------------------------------------------
def to_float32_inside(x, lo, hi):
    """Rounds to float32 values that stay inside [lo, hi] (rounding inward when needed)."""
    x = np.clip(np.asarray(x, float), lo, hi)
    x32 = x.astype(np.float32)
    for i in range(len(x32)):
        while float(x32[i]) > hi[i]:
            x32[i] = np.nextafter(x32[i], np.float32(-np.inf))
        while float(x32[i]) < lo[i]:
            x32[i] = np.nextafter(x32[i], np.float32(np.inf))
    return x32.astype(np.float64)


@dataclass
class Verdict:
    verdict: str  # sat / unsat / unknown
    evidence: str
    value: float  # margin: min found (sat) or proven lower bound (unsat)
    x: np.ndarray | None = None  # validated counterexample (float32-representable)
    y32: np.ndarray | None = None  # onnxruntime outputs at x


def validate(net: Mlp, spec: Spec, x):
    """Returns (x32, y32, m64, m32) if x violates the property in float64 and float32, else None."""
    for lo, hi in spec.boxes:
        if np.all(x >= lo - 1e-9) and np.all(x <= hi + 1e-9):
            x32 = to_float32_inside(x, lo, hi)
            break
    else:
        return None
    assert in_box(spec, x32)
    m64 = margin(spec, forward(net, x32)[0])
    y32 = ort_forward(net.path, x32)
    m32 = margin(spec, y32)
    if m64 <= 0 and m32 <= 0:
        return x32, y32, m64, m32
    return None


def decide_relu(net: Mlp, spec: Spec) -> Verdict:
    """Exact verdict by MILP over every (box, disjunct)."""
    best = None  # (value, bound, x)
    lowest_bound = math.inf
    for lo, hi in spec.boxes:
        for conj in spec.disjuncts:
            r = milp_min_margin(net, lo, hi, conj)
            lowest_bound = min(lowest_bound, r.bound)
            if best is None or r.value < best.value:
                best = r
    if best.value <= -TOL:
        v = validate(net, spec, best.x)
        if v is None:
            raise RuntimeError(f"MILP minimiser {best.value} failed validation")
        x32, y32, m64, m32 = v
        return Verdict("sat", f"milp-margin:{best.value:.6g}", best.value, x32, y32)
    if lowest_bound >= TOL:
        return Verdict("unsat", f"milp-margin:{lowest_bound:.6g}", lowest_bound)
    return Verdict("unknown", f"milp-margin-near-zero:{best.value:.3g}", best.value)


def decide_sigmoid(net: Mlp, spec: Spec, seed: int) -> Verdict:
    """PGD for sat, the sound linear relaxation for unsat, else unknown."""
    m, x = pgd(net, spec, seed)
    if m <= -TOL:
        v = validate(net, spec, x)
        if v is not None:
            x32, y32, m64, m32 = v
            return Verdict("sat", f"pgd-margin:{m64:.6g}", m64, x32, y32)
    bound = math.inf
    for lo, hi in spec.boxes:
        for conj in spec.disjuncts:
            bound = min(bound, max(sigmoid_lower_bound(net, lo, hi, c, d) for c, d in conj))
    if bound > m + 1e-9:
        raise RuntimeError(f"linear relaxation bound {bound} above an attained margin {m}")
    if bound >= TOL:
        return Verdict("unsat", f"linrelax-bound:{bound:.6g};pgd-margin:{m:.4g}", bound)
    return Verdict("unknown", f"pgd-margin:{m:.4g};linrelax-bound:{bound:.4g}", m)
