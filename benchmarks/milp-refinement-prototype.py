#!/usr/bin/env python3
# How much MILP-refined intermediate bounds buy on an mnistfc network, measured once with scipy's HiGHS
# (issue 16, session 6; a measurement aid, not part of nnverify, which uses no Python).
#   python3 benchmarks/milp-refinement-prototype.py NET.onnx SPEC.vnnlib TIME_LIMIT lp|milp [MAXK]
# e.g. ../shared/benchmarks/mnistfc/onnx/mnist-net_256x4.onnx ../shared/benchmarks/mnistfc/vnnlib/vnncomp2021/prop_8_0.05.vnnlib 2 milp 1
# Hidden layer k+1's pre-activation bounds are the LP (triangle) optimum of each neuron over the earlier layers,
# and with `milp` for k <= MAXK also the big-M MILP's (HiGHS, TIME_LIMIT seconds per solve, its dual bound when
# the limit stops it); prints the unstable neurons per layer and the LP bound of each output row. Needs numpy,
# scipy (>= 1.9, for milp) and onnx; networks named layers.K.weight/bias (the mnistfc nets).
import sys, time, re, numpy as np, onnx
from onnx import numpy_helper
from scipy.optimize import milp, LinearConstraint, Bounds
from scipy.sparse import lil_matrix, csr_matrix, vstack, hstack, coo_matrix
net, spec, tl, mode = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
MAXK = int(sys.argv[5]) if len(sys.argv) > 5 else 99
m = onnx.load(net); init = {i.name: numpy_helper.to_array(i).astype(np.float64) for i in m.graph.initializer}
Ws, bs = [], []
k = 0
while f'layers.{k}.weight' in init:
    Ws.append(init[f'layers.{k}.weight']); bs.append(init[f'layers.{k}.bias']); k += 2
txt = open(spec).read()
lo = np.zeros(784); hi = np.zeros(784)
for mm in re.finditer(r'\(assert \(<= X_(\d+) ([-\d.e]+)\)\)', txt): hi[int(mm.group(1))] = float(mm.group(2))
for mm in re.finditer(r'\(assert \(>= X_(\d+) ([-\d.e]+)\)\)', txt): lo[int(mm.group(1))] = float(mm.group(2))
pairs = [(int(a), int(b)) for a, b in re.findall(r'\(>= Y_(\d+) Y_(\d+)\)', txt)]
L = len(Ws) - 1  # hidden layers
# layer-1 pre-activation bounds exact
W = Ws[0]; l1 = np.maximum(W,0)@lo + np.minimum(W,0)@hi + bs[0]; u1 = np.maximum(W,0)@hi + np.minimum(W,0)@lo + bs[0]
pre = [(l1, u1)]
def build(k, integral):
    """variables: x, then for layers 0..k-1: y (all neurons), delta (all neurons; unused fixed 0). returns A rows list, bounds, objective builder for layer k preact"""
    n = 784; idx = {}
    off = 784
    for i in range(k):
        idx[i] = (off, off + 256); off += 512
    nv = off
    rows = []; rl = []; ru = []
    vlo = np.concatenate([lo] + [np.zeros(512)] * k); vhi = np.concatenate([hi] + [np.zeros(512)] * k)
    integ = np.zeros(nv)
    def zexpr(i):  # returns (matrix over vars 256 x nv, const) for pre-activation of layer i
        M = lil_matrix((Ws[i].shape[0], nv))
        if i == 0: M[:, 0:784] = Ws[0]
        else:
            ys = idx[i-1][0]; M[:, ys:ys+256] = Ws[i]
        return csr_matrix(M), bs[i]
    for i in range(k):
        Z, c = zexpr(i); l, u = pre[i]; ys, ds = idx[i]
        for j in range(256):
            yj = ys + j; dj = ds + j
            if u[j] <= 0: continue  # y fixed 0
            zrow = Z[j]
            e = coo_matrix(([1.0], ([0], [yj])), shape=(1, nv)).tocsr()
            if l[j] >= 0:
                vhi[yj] = max(u[j], 0); vlo[yj] = 0
                rows.append(e - zrow); rl.append(c[j]); ru.append(c[j]); continue
            vhi[yj] = u[j]
            rows.append(e - zrow); rl.append(c[j]); ru.append(np.inf)    # y >= z
            if integral:
                vhi[dj] = 1; integ[dj] = 1
                d = coo_matrix(([1.0], ([0], [dj])), shape=(1, nv)).tocsr()
                # y <= z - l(1-d)  ->  y - z - l d <= c - l
                rows.append(e - zrow - l[j] * d); rl.append(-np.inf); ru.append(c[j] - l[j])
                # y <= u d
                rows.append(e - u[j] * d); rl.append(-np.inf); ru.append(0)
            else:
                s = u[j] / (u[j] - l[j])
                # y <= s (z - l) -> y - s z <= s(c - l)
                rows.append(e - s * zrow); rl.append(-np.inf); ru.append(s * (c[j] - l[j]))
    A = vstack(rows).tocsr() if rows else None
    return nv, A, np.array(rl), np.array(ru), vlo, vhi, integ, zexpr
def solve(obj, const, nv, A, rl, ru, vlo, vhi, integ, sense):
    cons = [LinearConstraint(A, rl, ru)] if A is not None else []
    r = milp(sense * obj, constraints=cons, bounds=Bounds(vlo, vhi), integrality=integ, options={'time_limit': tl, 'disp': False})
    if r.status == 0: v = r.fun
    else:
        v = getattr(r, 'mip_dual_bound', None)
        if v is None or not np.isfinite(v): return None
    return sense * v + const
t0 = time.time()
for k in range(1, L):
    nv, A, rl, ru, vlo, vhi, integ, zexpr = build(k, mode == 'milp' and k <= MAXK)
    Z, c = zexpr(k); l = np.full(256, -np.inf); u = np.full(256, np.inf)
    # interval seed
    pl, pu = pre[k-1]; yl = np.maximum(pl, 0); yu = np.maximum(pu, 0)
    il = np.maximum(Ws[k],0)@yl + np.minimum(Ws[k],0)@yu + bs[k]; iu = np.maximum(Ws[k],0)@yu + np.minimum(Ws[k],0)@yl + bs[k]
    for j in range(256):
        obj = Z[j].toarray().ravel()
        z0 = np.zeros(nv)
        a = solve(obj, c[j], nv, A, rl, ru, vlo, vhi, z0, 1); b = solve(obj, c[j], nv, A, rl, ru, vlo, vhi, z0, -1)
        if mode == 'milp' and k <= MAXK and a is not None and b is not None and a < 0 < b:
            a2 = solve(obj, c[j], nv, A, rl, ru, vlo, vhi, integ, 1); b2 = solve(obj, c[j], nv, A, rl, ru, vlo, vhi, integ, -1)
            if a2 is not None: a = max(a, a2)
            if b2 is not None: b = min(b, b2)
        l[j] = il[j] if a is None else max(a, il[j]); u[j] = iu[j] if b is None else min(b, iu[j])
        if j % 32 == 31: print(f'  layer {k+1} neuron {j} t {time.time()-t0:.1f}', flush=True)
    pre.append((l, u)); pass
    print(f'layer {k+1}: unstable {np.sum((l<0)&(u>0))} (layer {k}: {np.sum((pre[k-1][0]<0)&(pre[k-1][1]>0))}) time {time.time()-t0:.1f}', flush=True)
# final objective rows: Y_true - Y_j >= ? ; unsafe if Y_a >= Y_b
nv, A, rl, ru, vlo, vhi, integ, zexpr = build(L, False)
Z, c = zexpr(L)
for a, b in pairs:
    obj = (Z[b] - Z[a]).toarray().ravel()
    v = solve(obj, c[b] - c[a], nv, A, rl, ru, vlo, vhi, integ, 1)
    print(f'min Y_{b}-Y_{a} LP: {v:.4f}', flush=True)
print('total', time.time() - t0)
