#!/usr/bin/env python3
"""Exports small PyTorch models with the classic exporter (torch.onnx.export, dynamo=False) into
Tests/Fixtures/onnx/pytorch_*.onnx: the shape subgraphs it writes around view/split/cat/expand/where are
what the loader must fold away. Needs torch (the CPU wheel from PyPI) and onnx; run it once, then
make_onnx_fixtures.py, which keeps these files and writes their onnxruntime references.

Usage: python3 scripts/onnx_pytorch_fixtures.py   (deterministic weights; the exporter's node names
and constant layout may differ between torch versions)
"""
import os

import torch
import torch.nn as nn

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "Tests", "Fixtures", "onnx")
OPSETS = (11, 13, 17)  # opset 9 cannot export a strided slice


class ShapeOps(nn.Module):
    """Conv, strided slice, x.view(x.size(0), -1), split + cat, unsqueeze + expand, reshape with a
    computed batch size, and a where with an arange-based mask (Range, Mod, Equal, ConstantOfShape)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 4, 3, padding=1)
        self.fc = nn.Linear(4 * 2 * 3, 5)
        self.out = nn.Linear(5 * 2, 3)

    def forward(self, x):
        h = torch.relu(self.conv(x))                 # [N, 4, 4, 6]
        h = h[:, :, 1:3, ::2].contiguous()           # [N, 4, 2, 3]
        h = h.view(h.size(0), -1)
        a = self.fc(h)
        b, c = torch.split(a, [2, 3], dim=1)
        z = torch.cat([c, b], dim=1).unsqueeze(1).expand(-1, 2, -1)
        z = z.reshape(z.shape[0], -1)
        keep = torch.arange(z.shape[1]) % 2 == 0
        z = torch.where(keep, z, torch.zeros_like(z))
        return self.out(z)


def main():
    torch.manual_seed(20261201)
    net = ShapeOps().eval()
    x = torch.randn(1, 2, 4, 6)
    for opset in OPSETS:
        path = os.path.join(OUT, f"pytorch_shape_ops_op{opset}.onnx")
        torch.onnx.export(net, (x,), path, input_names=["input"], output_names=["output"],
                          dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}}, opset_version=opset,
                          dynamo=False)
        print("wrote", path, os.path.getsize(path), "bytes")


if __name__ == "__main__":
    main()
