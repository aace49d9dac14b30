#!/usr/bin/env python3
"""Exports small PyTorch (and torchvision) models with the classic exporter and writes onnxruntime
reference outputs for them (run once; nnverify and its tests never need Python).

Writes into Tests/Fixtures/onnx/exported/:
  <idiom>_op<N>.onnx  every idiom below exported by the TorchScript-based exporter
                      (`torch.onnx.export(..., dynamo=False)`) at opsets 11, 13 and 17 with a dynamic batch
                      axis (the two torchvision models at opset 13 only), exactly as a user would export them;
                      a few idioms also at opset 18, and the NEWER_IDIOMS at opsets 14, 16 and 18;
  references.json     per file: opset, input/output shapes, the ONNX operator types in the graph (`ops`),
                      the input generator (`inputSegments`, the formula of `generated_input` in
                      make_onnx_fixtures.py: inputs are regenerated, not stored; `inputHead`, the first eight
                      values of case 0, lets a test check its generator) and onnxruntime's CPU float32
                      outputs for cases 0, 1 and 2 (9 significant digits: float32 round-trips).

Every model has random weights from a fixed seed (crc32 of the idiom), BatchNorm running statistics are
randomised too, and all models are in eval mode. The script checks that onnxruntime agrees with PyTorch in
float32, and that PyTorch in float64 (what a Double evaluator computes) lies within the tests' tolerance
`1e-5 * max(1, |ref|)` of the float32 references.

Usage: python3 scripts/make_exported_fixtures.py
Needs the packages in scripts/requirements-export-fixtures.txt (CPU torch; no GPU used). Deterministic:
running it twice writes identical files.
"""
import json
import os
import re
import sys
import warnings
import zlib

import numpy as np
import onnx
import onnxruntime as ort
import torch
import torch.nn as nn
import torch.nn.functional as F

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "Tests", "Fixtures", "onnx", "exported")
OPSETS = [11, 13, 17]
CASES = 3
TOLERANCE = 1e-5  # the tests' |ours - ref| <= 1e-5 * max(1, |ref|)

torch.set_num_threads(1)  # same float32 summation order on every machine
torch.use_deterministic_algorithms(True)


def generated_input(segments, case):
    """x_i = ((i * a + b + 101 * case) mod 1024) / 1024 * scale + shift, segment by segment (as in
    make_onnx_fixtures.py): exact in float32 and Double, so Swift regenerates the very numbers."""
    values = []
    for seg in segments:
        for i in range(seg["count"]):
            v = (i * seg["a"] + seg["b"] + 101 * case) % 1024
            values.append(v / 1024.0 * seg["scale"] + seg["shift"])
    return np.array(values, dtype=np.float64)


def randomise_batchnorm(model, generator):
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            with torch.no_grad():
                n = m.num_features
                m.weight.copy_(torch.rand(n, generator=generator) * 1.5 + 0.5)
                m.bias.copy_(torch.randn(n, generator=generator) * 0.3)
                m.running_mean.copy_(torch.randn(n, generator=generator) * 0.3)
                m.running_var.copy_(torch.rand(n, generator=generator) * 1.5 + 0.5)


# ---------------------------------------------------------------------------------------------------
# The idioms. Each is (idiom, description, input shape, builder); builders run after torch.manual_seed.

IMG = [1, 3, 8, 8]
VEC = [1, 20]


class Seq(nn.Module):
    """Applies a forward function given as a lambda to registered submodules."""

    def __init__(self, fn, **modules):
        super().__init__()
        self.fn = fn
        for k, v in modules.items():
            setattr(self, k, v)

    def forward(self, x):
        return self.fn(self, x)


def mlp_view():
    return Seq(lambda s, x: s.l2(F.relu(s.l1(x.view(x.size(0), -1)))), l1=nn.Linear(192, 16), l2=nn.Linear(16, 5))


def mlp_flatten_fn():
    return Seq(lambda s, x: s.l2(F.relu(s.l1(torch.flatten(x, 1)))), l1=nn.Linear(192, 16), l2=nn.Linear(16, 5))


def mlp_nn_flatten():
    return nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(144, 16), nn.ReLU(), nn.Linear(16, 5))


def mlp(*activations, width=16, out=4):
    layers = [nn.Linear(20, width)]
    for a in activations:
        layers += [a, nn.Linear(width, width)]
    layers[-1] = nn.Linear(width, out)
    return nn.Sequential(*layers)


def leaky_relu():
    return mlp(nn.LeakyReLU(0.1), nn.LeakyReLU())  # slopes 0.1 and the default 0.01


def relu6_clamp():
    return Seq(lambda s, x: s.l4(torch.clamp(s.l3(torch.clamp(s.l2(F.relu6(s.l1(x))), -0.5, 0.75)), min=-0.25)),
               l1=nn.Linear(20, 16), l2=nn.Linear(16, 16), l3=nn.Linear(16, 16), l4=nn.Linear(16, 4))


def hardtanh():
    return mlp(nn.Hardtanh(), nn.Hardtanh(-0.5, 2.0))


def hardsigmoid():
    return mlp(nn.Hardsigmoid())


def prelu():
    return nn.Sequential(nn.Conv2d(3, 4, 3), nn.PReLU(4, init=0.2), nn.Flatten(), nn.Linear(144, 16),
                         nn.PReLU(init=0.3), nn.Linear(16, 5))


def randomise_prelu(model):
    for m in model.modules():
        if isinstance(m, nn.PReLU):
            with torch.no_grad():
                m.weight.copy_(torch.rand(m.weight.shape) * 0.5)


def abs_mlp():
    return Seq(lambda s, x: s.l2(torch.abs(s.l1(x))), l1=nn.Linear(20, 16), l2=nn.Linear(16, 4))


def max_min_two():
    return Seq(lambda s, x: s.l3(torch.maximum(s.a(x), s.b(x)) - torch.minimum(s.a(x), 0.5 * s.b(x))),
               a=nn.Linear(20, 16), b=nn.Linear(20, 16), l3=nn.Linear(16, 4))


class MaxMinConst(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1, self.l2 = nn.Linear(20, 16), nn.Linear(16, 4)
        self.register_buffer("floor", torch.randn(16) * 0.3)

    def forward(self, x):
        h = torch.maximum(self.l1(x), self.floor)
        return self.l2(torch.minimum(h, torch.tensor(0.6)))


def pad(mode):
    def build():
        value = 0.5 if mode == "constant" else 0.0

        def fn(s, x):
            return s.l(torch.flatten(F.relu(s.c(F.pad(x, (1, 2, 2, 1), mode=mode, value=value) if mode == "constant"
                                             else F.pad(x, (1, 2, 2, 1), mode=mode))), 1))
        return Seq(fn, c=nn.Conv2d(3, 4, 3, stride=2), l=nn.Linear(4 * 5 * 5, 5))
    return build


class BasicBlock(nn.Module):
    """conv-bn-relu-conv-bn plus the input (a 1x1 conv-bn projection when the shape changes)."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1, self.b1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout)
        self.c2, self.b2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout)
        self.short = (nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
                      if stride != 1 or cin != cout else nn.Identity())

    def forward(self, x):
        return F.relu(self.b2(self.c2(F.relu(self.b1(self.c1(x))))) + self.short(x))


class PreActBlock(nn.Module):
    """bn-relu-conv-bn-relu-conv plus the input: the first BatchNorm follows an Add, so no exporter folds it."""

    def __init__(self, c):
        super().__init__()
        self.b1, self.c1 = nn.BatchNorm2d(c), nn.Conv2d(c, c, 3, 1, 1)
        self.b2, self.c2 = nn.BatchNorm2d(c), nn.Conv2d(c, c, 3, 1, 1)

    def forward(self, x):
        return self.c2(F.relu(self.b2(self.c1(F.relu(self.b1(x)))))) + x


def bn_residual_cnn():
    return nn.Sequential(nn.Conv2d(3, 6, 3, padding=1), nn.BatchNorm2d(6), nn.ReLU(), BasicBlock(6, 6, 1),
                         BasicBlock(6, 8, 2), PreActBlock(8), nn.BatchNorm2d(8), nn.ReLU(),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 5))


def pools():
    return nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(3, stride=2, padding=1),
                         nn.Conv2d(4, 4, 1), nn.AvgPool2d(2, stride=1), nn.AdaptiveAvgPool2d((3, 3)),
                         nn.Flatten(), nn.Linear(36, 5))


def adaptive_avg_pool():
    return nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d((2, 2)), nn.Flatten(),
                         nn.Linear(16, 5))


def split_cat():
    def fn(s, x):
        a, b = torch.split(s.c(x), [2, 4], dim=1)
        return s.l(torch.flatten(torch.cat([F.relu(b), s.d(a)], dim=1), 1))
    return Seq(fn, c=nn.Conv2d(3, 6, 3, padding=1), d=nn.Conv2d(2, 2, 3, padding=1), l=nn.Linear(6 * 64, 5))


def chunk_cat():
    def fn(s, x):
        a, b, c = torch.chunk(s.l1(x), 3, dim=1)
        return s.l2(torch.cat([c, F.relu(a), -b], dim=1))
    return Seq(fn, l1=nn.Linear(20, 18), l2=nn.Linear(18, 4))


def slice_range():
    def fn(s, x):
        h = s.l1(x)
        return s.l2(torch.cat([h[:, 2:5], F.relu(h[:, -4:])], dim=1))
    return Seq(fn, l1=nn.Linear(20, 16), l2=nn.Linear(7, 4))


def slice_step():
    def fn(s, x):
        return s.l(torch.flatten(F.relu(s.c(x[..., ::2])), 1))
    return Seq(fn, c=nn.Conv2d(3, 4, 3, padding=1), l=nn.Linear(4 * 8 * 4, 5))


def index_const():
    def fn(s, x):
        h = F.relu(s.c(x))
        return s.l(torch.cat([torch.flatten(h[:, 1], 1), torch.flatten(h[:, [0, 3]], 1)], dim=1))
    return Seq(fn, c=nn.Conv2d(3, 4, 3, padding=1), l=nn.Linear(3 * 64, 5))


SMALL_IMG = [1, 2, 4, 4]


def resize(fn_up):
    return lambda: Seq(lambda s, x: s.c2(fn_up(F.relu(s.c1(x)))), c1=nn.Conv2d(2, 3, 3, padding=1),
                       c2=nn.Conv2d(3, 2, 3, padding=1))


def upsample_module():
    return nn.Sequential(nn.Conv2d(2, 3, 3, padding=1), nn.ReLU(), nn.Upsample(scale_factor=2, mode="nearest"),
                         nn.Conv2d(3, 2, 3, padding=1))


def conv_transpose():
    return nn.Sequential(nn.ConvTranspose2d(4, 4, 3, stride=2, padding=1, output_padding=1, groups=2), nn.ReLU(),
                         nn.ConvTranspose2d(4, 2, (2, 3), stride=(1, 2), padding=(0, 1)))


def reduce_sum():
    return Seq(lambda s, x: s.l(torch.flatten(F.relu(s.c(x)).sum(dim=1), 1)),
               c=nn.Conv2d(3, 4, 3, padding=1), l=nn.Linear(64, 5))


def reduce_mean():
    return Seq(lambda s, x: s.l(F.relu(s.c(x)).mean(dim=(2, 3))), c=nn.Conv2d(3, 6, 3, padding=1), l=nn.Linear(6, 5))


def neg_affine():
    return Seq(lambda s, x: s.l2(F.relu(-s.l1(x)) * 0.5 + 1), l1=nn.Linear(20, 16), l2=nn.Linear(16, 4))


class ConstLeftMatmul(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("left", torch.randn(6, 8) * 0.5)

    def forward(self, x):
        return torch.matmul(self.left, x)  # [6,8] @ [1,3,8,8] -> [1,3,6,8]


def gelu():
    return mlp(nn.GELU(), nn.GELU(approximate="tanh"))


def softplus():
    return mlp(nn.Softplus(), nn.Softplus(beta=2.0))


def silu():
    return mlp(nn.SiLU())


def sigmoid_tanh():
    return mlp(nn.Sigmoid(), nn.Tanh())


def layernorm():
    return nn.Sequential(nn.Linear(20, 16), nn.LayerNorm(16), nn.ReLU(), nn.Linear(16, 4))


def randomise_layernorm(model):
    for m in model.modules():
        if isinstance(m, nn.LayerNorm):
            with torch.no_grad():
                m.weight.copy_(torch.rand(m.weight.shape) + 0.5)
                m.bias.copy_(torch.randn(m.bias.shape) * 0.3)


def transformer():
    # Wrapped in a module, as in a real model: traced at the top level, the layer's bool argument is_causal
    # would become a tensor, which scaled_dot_product_attention refuses.
    return Seq(lambda s, x: s.layer(x),
               layer=nn.TransformerEncoderLayer(d_model=16, nhead=2, dim_feedforward=32, dropout=0.0, batch_first=True))


def pool_ceil():
    # ceil_mode: MaxPool2d(3, 2) on 8x8 gives 4x4 (3x3 without it); AvgPool2d(3, 2, padding 1) on 4x4 gives 3x3
    # (2x2 without it), its last windows cut at the padded end and divided by the positions left
    # (count_include_pad), as PyTorch and onnxruntime do.
    return nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(3, 2, ceil_mode=True),
                         nn.Conv2d(4, 4, 1), nn.AvgPool2d(3, 2, padding=1, ceil_mode=True), nn.Flatten(),
                         nn.Linear(36, 5))


def pixel_shuffle():
    return nn.Sequential(nn.Conv2d(2, 8, 3, padding=1), nn.ReLU(), nn.PixelShuffle(2), nn.Conv2d(2, 3, 3),
                         nn.Flatten(), nn.LazyLinear(5))


class LinearMaps(nn.Module):
    """triu (Trilu), cumsum (CumSum) and torch.gather with constant indices (GatherElements)."""

    def __init__(self):
        super().__init__()
        self.l1, self.l2 = nn.Linear(20, 24), nn.Linear(24, 4)
        self.register_buffer("index", torch.randint(0, 6, (1, 4, 6)))

    def forward(self, x):
        h = torch.cumsum(torch.triu(F.relu(self.l1(x)).view(-1, 4, 6), diagonal=1), dim=2)
        return self.l2(torch.gather(h, 2, self.index.expand(h.shape[0], -1, -1)).flatten(1))


class MaskIndex(nn.Module):
    """h[:, mask] with a constant boolean mask (NonZero on a constant) and h[:, [0, 2, 3], [1, 3, 5]]."""

    def __init__(self):
        super().__init__()
        self.l1, self.l2 = nn.Linear(20, 24), nn.Linear(16, 4)
        self.register_buffer("mask", torch.arange(24) % 3 != 1)

    def forward(self, x):
        h = F.relu(self.l1(x))
        pairs = h.view(-1, 4, 6)[:, [0, 2, 3], [1, 3, 5]]
        return self.l2(torch.cat([h[:, self.mask], -pairs[:, :1], pairs[:, 1:]], dim=1)[:, :16])


def tv_mobilenet_v2():
    import torchvision
    return torchvision.models.mobilenet_v2(weights=None, num_classes=10)


def tv_resnet18():
    import torchvision
    return torchvision.models.resnet18(weights=None, num_classes=10)


IDIOMS = [
    ("mlp_view", "MLP flattening with x.view(x.size(0), -1)", IMG, mlp_view),
    ("mlp_flatten_fn", "MLP flattening with torch.flatten(x, 1)", IMG, mlp_flatten_fn),
    ("mlp_nn_flatten", "Conv, ReLU, nn.Flatten, MLP", IMG, mlp_nn_flatten),
    ("leaky_relu", "MLP with LeakyReLU(0.1) and LeakyReLU()", VEC, leaky_relu),
    ("relu6_clamp", "MLP with ReLU6, clamp(-0.5, 0.75) and clamp(min=-0.25)", VEC, relu6_clamp),
    ("hardtanh", "MLP with Hardtanh() and Hardtanh(-0.5, 2)", VEC, hardtanh),
    ("hardsigmoid", "MLP with Hardsigmoid", VEC, hardsigmoid),
    ("prelu", "Conv with per-channel PReLU, MLP with a single-slope PReLU", IMG, prelu),
    ("abs", "MLP with torch.abs", VEC, abs_mlp),
    ("max_min_two", "torch.maximum / torch.minimum of two tensors", VEC, max_min_two),
    ("max_min_const", "torch.maximum with a constant vector, torch.minimum with a constant scalar", VEC, MaxMinConst),
    ("pad_constant", "F.pad(x, (1, 2, 2, 1), value=0.5) before a strided conv", IMG, pad("constant")),
    ("pad_reflect", "F.pad(x, (1, 2, 2, 1), mode='reflect') before a strided conv", IMG, pad("reflect")),
    ("pad_replicate", "F.pad(x, (1, 2, 2, 1), mode='replicate') before a strided conv", IMG, pad("replicate")),
    ("bn_residual_cnn", "BatchNorm CNN with residual blocks (projection shortcut, pre-activation block), "
                        "AdaptiveAvgPool2d(1)", IMG, bn_residual_cnn),
    ("pools", "MaxPool2d(3, 2, padding 1), AvgPool2d(2, stride 1), AdaptiveAvgPool2d((3, 3))", IMG, pools),
    ("adaptive_avg_pool", "AdaptiveAvgPool2d((2, 2)) on 8x8", IMG, adaptive_avg_pool),
    ("split_cat", "torch.split of channels [2, 4] and torch.cat", IMG, split_cat),
    ("chunk_cat", "torch.chunk(h, 3, dim=1) and torch.cat", VEC, chunk_cat),
    ("slice_range", "slices h[:, 2:5] and h[:, -4:]", VEC, slice_range),
    ("slice_step", "slice x[..., ::2]", IMG, slice_step),
    ("index_const", "constant indices h[:, 1] and h[:, [0, 3]]", IMG, index_const),
    ("interp_nearest", "F.interpolate(scale_factor=2, mode='nearest')", SMALL_IMG,
     resize(lambda h: F.interpolate(h, scale_factor=2, mode="nearest"))),
    ("interp_bilinear", "F.interpolate(scale_factor=2, mode='bilinear', align_corners=False)", SMALL_IMG,
     resize(lambda h: F.interpolate(h, scale_factor=2, mode="bilinear", align_corners=False))),
    ("interp_bilinear_align", "F.interpolate(size=(7, 7), mode='bilinear', align_corners=True)", SMALL_IMG,
     resize(lambda h: F.interpolate(h, size=(7, 7), mode="bilinear", align_corners=True))),
    ("upsample_module", "nn.Upsample(scale_factor=2, mode='nearest') between convs", SMALL_IMG, upsample_module),
    ("conv_transpose", "ConvTranspose2d(4, 4, 3, stride 2, padding 1, output_padding 1, groups 2), "
                       "ConvTranspose2d(4, 2, (2, 3), stride (1, 2), padding (0, 1))", [1, 4, 3, 3], conv_transpose),
    ("reduce_sum", "x.sum(dim=1) of conv features", IMG, reduce_sum),
    ("reduce_mean", "x.mean(dim=(2, 3)) of conv features", IMG, reduce_mean),
    ("neg_affine", "-x, x * 0.5 + 1", VEC, neg_affine),
    ("const_left_matmul", "constant [6, 8] matrix on the left of torch.matmul with the input", IMG, ConstLeftMatmul),
    ("gelu", "MLP with GELU() and GELU(approximate='tanh')", VEC, gelu),
    ("softplus", "MLP with Softplus() and Softplus(beta=2)", VEC, softplus),
    ("silu", "MLP with SiLU", VEC, silu),
    ("sigmoid_tanh", "MLP with Sigmoid and Tanh", VEC, sigmoid_tanh),
    ("layernorm", "MLP with LayerNorm(16)", VEC, layernorm),
    ("transformer", "nn.TransformerEncoderLayer(d_model 16, 2 heads, feed-forward 32, batch_first), input "
                    "[batch, 5 tokens, 16]", [1, 5, 16], transformer),
]

# Exported at opsets 14, 16 and 18 (not 11/13/17): what the loader learnt from trying opsets 11-18 (Trilu
# needs opset 14).
NEWER_IDIOMS = [
    ("pool_ceil", "MaxPool2d(3, 2, ceil_mode=True), AvgPool2d(3, 2, padding 1, ceil_mode=True)", IMG, pool_ceil),
    ("pixel_shuffle", "PixelShuffle(2) (DepthToSpace) between convs", [1, 2, 4, 4], pixel_shuffle),
    ("linear_maps", "torch.triu, torch.cumsum and torch.gather with constant indices", VEC, LinearMaps),
    ("mask_index", "h[:, mask] with a constant boolean mask, h[:, [0, 2, 3], [1, 3, 5]]", VEC, MaskIndex),
]
NEWER_OPSETS = [14, 16, 18]

# Opset 18 moved more attributes to inputs (Split num_outputs, Reduce* axes, Pad axes, Resize): these idioms
# are exported at opset 18 too.
AT_OPSET_18 = ["mlp_view", "chunk_cat", "split_cat", "reduce_mean", "reduce_sum", "pad_reflect", "interp_bilinear",
               "bn_residual_cnn"]

# The classic exporter refuses these: MultiheadAttention's aten::unflatten needs opset 13 and its
# aten::scaled_dot_product_attention opset 14.
NOT_EXPORTABLE = {("transformer", 11), ("transformer", 13)}

TORCHVISION = [
    ("mobilenet_v2", "torchvision mobilenet_v2(weights=None, num_classes=10)", [1, 3, 32, 32], tv_mobilenet_v2),
    ("resnet18", "torchvision resnet18(weights=None, num_classes=10)", [1, 3, 32, 32], tv_resnet18),
]


def build(idiom, builder):
    """The model of an idiom with its seeded weights, in eval mode."""
    seed = zlib.crc32(idiom.encode())
    torch.manual_seed(seed)
    model = builder()
    with torch.no_grad():
        model.eval()(torch.zeros([1] + SHAPES[idiom][1:]))  # initialises lazy modules
    randomise_batchnorm(model, torch.Generator().manual_seed(seed + 1))
    randomise_prelu(model)
    randomise_layernorm(model)
    return model.eval()


SHAPES = {}


def segments_for(idiom, shape):
    count = int(np.prod(shape))
    seed = zlib.crc32(idiom.encode())
    # odd multiplier: the pattern runs through all 1024 levels; inputs in [-2, 2) for vectors, [-1, 1) for images
    scale, shift = (4.0, -2.0) if len(shape) == 2 else (2.0, -1.0)
    return [{"count": count, "a": 2 * (seed % 200) + 21, "b": seed % 1024, "scale": scale, "shift": shift}]


def short(v):
    """float32 value with 9 significant digits (round-trips float32)."""
    return float(f"{float(v):.9g}")


def export(idiom, description, shape, builder, opset, worst):
    model = build(idiom, builder)
    stem = f"{idiom}_op{opset}"
    path = os.path.join(OUT, stem + ".onnx")
    example = torch.from_numpy(generated_input(segments_for(idiom, shape), 0).astype(np.float32).reshape(shape))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (example,), path, dynamo=False, opset_version=opset, input_names=["input"],
                          output_names=["output"], dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
    m = onnx.load(path)
    onnx.checker.check_model(m)
    options = ort.SessionOptions()
    options.log_severity_level = 3
    options.intra_op_num_threads = 1
    sess = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    segments = segments_for(idiom, shape)
    cases = []
    model64 = build(idiom, builder).double()
    for case in range(CASES):
        x64 = generated_input(segments, case).reshape(shape)
        x = x64.astype(np.float32)
        assert np.array_equal(x.astype(np.float64), x64), "generated inputs must be exact in float32"
        y = sess.run(None, {"input": x})[0]
        with torch.no_grad():
            y32 = model(torch.from_numpy(x)).numpy()
            y64 = model64(torch.from_numpy(x64)).numpy()
        assert y.shape == y32.shape, (stem, y.shape, y32.shape)
        if not np.allclose(y, y32, rtol=1e-4, atol=1e-5):
            raise SystemExit(f"{stem}: onnxruntime and PyTorch disagree (max {np.abs(y - y32).max()})")
        ratio = float((np.abs(y64 - y.astype(np.float64)) / (TOLERANCE * np.maximum(1, np.abs(y)))).max())
        worst.append((ratio, stem))
        cases.append({"case": case, "output": [short(v) for v in y.flatten()]})
        if case == 0:
            head = [float(v) for v in x.flatten()[:8]]
    ops = sorted({n.op_type for n in m.graph.node})
    return {"file": stem + ".onnx", "idiom": idiom, "description": description, "opset": opset,
            "inputName": "input", "inputShape": list(shape), "outputShape": list(y.shape), "ops": ops,
            "bytes": os.path.getsize(path), "inputSegments": segments, "inputHead": head, "cases": cases}


def write_json(f, value):
    """Indented JSON with every list of numbers or strings on one line."""
    text = json.dumps(value, indent=1)
    f.write(re.sub(r"\[\s*([^\[\]{}]*?)\s*\]", lambda m: "[" + re.sub(r",\s+", ", ", m.group(1)) + "]", text) + "\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith(".onnx") or f.endswith(".json"):
            os.remove(os.path.join(OUT, f))
    fixtures, worst = [], []
    SHAPES.update({i: s for i, _, s, _ in IDIOMS + TORCHVISION + NEWER_IDIOMS})
    jobs = [(i, d, s, b, o) for i, d, s, b in IDIOMS for o in OPSETS if (i, o) not in NOT_EXPORTABLE]
    jobs += [(i, d, s, b, 13) for i, d, s, b in TORCHVISION]
    jobs += [(i, d, s, b, 18) for i, d, s, b in IDIOMS if i in AT_OPSET_18]
    jobs += [(i, d, s, b, o) for i, d, s, b in NEWER_IDIOMS for o in NEWER_OPSETS]
    for idiom, description, shape, builder, opset in jobs:
        entry = export(idiom, description, shape, builder, opset, worst)
        fixtures.append(entry)
        print(f"{entry['file']:32} {entry['bytes']:>10} bytes  {' '.join(entry['ops'])}")
    import torchvision
    with open(os.path.join(OUT, "references.json"), "w") as f:
        write_json(f, {"note": f"PyTorch {torch.__version__} classic exporter (dynamo=False), torchvision "
                           f"{torchvision.__version__}, onnx {onnx.__version__}; onnxruntime {ort.__version__} CPU "
                           "float32 outputs; inputs from the generator in scripts/make_exported_fixtures.py; "
                           "written by scripts/make_exported_fixtures.py",
                   "fixtures": fixtures})
    worst.sort(reverse=True)
    print("largest |torch float64 - onnxruntime float32| / tolerance:",
          ", ".join(f"{s} {r:.3f}" for r, s in worst[:5]))
    if worst[0][0] > 0.5:
        print("warning: a float64 evaluation comes within a factor 2 of the tolerance", file=sys.stderr)
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"{len(fixtures)} fixtures, {total} bytes in {OUT}")


if __name__ == "__main__":
    main()
