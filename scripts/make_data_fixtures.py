#!/usr/bin/env python3
"""Writes the DataFiles test fixtures into Tests/Fixtures/data/ (run once; outputs are committed).

    python3 scripts/make_data_fixtures.py                 # regenerate the fixtures
    python3 scripts/make_data_fixtures.py --check-png F   # check a PNG written by nnverify loads

Makes small .csv, .npy (every supported dtype, both byte orders, Fortran order, format versions
1.0/2.0/3.0), labels .npy and .npz archives (np.savez: stored entries; np.savez_compressed:
deflated), plus fixtures.json listing the exact values each file holds (C order), which the Swift
tests compare against. Corrupt variants are made by the Swift tests in memory. Zip timestamps are
pinned to 1980-01-01 so a rerun reproduces the files byte for byte. Needs numpy only; nnverify and
its tests never run Python.
"""
from __future__ import annotations

import io
import json
import sys
import time
import zlib
from pathlib import Path
from unittest import mock

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests" / "Fixtures" / "data"
FIXED_TIME = time.struct_time((1980, 1, 1, 0, 0, 0, 1, 1, 0))

SMALL_CSV = """label, x0, x1, x2
# samples: label then three values
0, 0.5, -1.25, 3e-3

1,1,2,3
  # an indented comment
2 , 0.0625 ,\t-0 , 1E2
3,  .5, 5., +7
"""
SMALL_CSV_VALUES = [[0.5, -1.25, 3e-3], [1.0, 2.0, 3.0], [0.0625, -0.0, 100.0], [0.5, 5.0, 7.0]]
SMALL_CSV_LABELS = [0, 1, 2, 3]
SMALL_CSV_LINES = [3, 5, 7, 8]


def base_values():
    """Twelve values with a sign change, exact in every float type: (k - 5) / 4."""
    return (np.arange(12, dtype=np.float64) - 5) / 4


def npy_cases():
    """(file name, array, save options) for the .npy fixtures; arrays have 3 samples."""
    k = np.arange(12)
    shape = (3, 2, 2)
    cases = [
        ("x_f32_le.npy", base_values().astype("<f4").reshape(shape), {}),
        ("x_f64_be.npy", (base_values() / 8 + 1e-9).astype(">f8").reshape(shape), {}),
        ("x_f32_be.npy", base_values().astype(">f4").reshape(shape), {}),
        ("x_u8.npy", (k * 20).astype("|u1").reshape(shape), {}),
        ("x_i8.npy", (k - 6).astype("|i1").reshape(shape), {}),
        ("x_i16_be.npy", (k * 1000 - 6000).astype(">i2").reshape(shape), {}),
        ("x_u16_le.npy", (k * 5000).astype("<u2").reshape(shape), {}),
        ("x_i32_le.npy", (k * 100000 - 500000).astype("<i4").reshape(shape), {}),
        ("x_i64_be.npy", (k * 3_000_000_000 - 7).astype(">i8").reshape(shape), {}),
        ("x_u32_be.npy", (k * 300_000_000).astype(">u4").reshape(shape), {}),
        ("x_u64_le.npy", (k * 10_000_000_000).astype("<u8").reshape(shape), {}),
        ("x_bool.npy", (k % 3 == 0).reshape(shape), {}),
        ("x_f64_fortran.npy", np.asfortranarray((np.arange(24) / 2.0 - 3).reshape(3, 2, 4)), {}),
        ("x_f32_fortran_2d.npy", np.asfortranarray(base_values().astype("<f4").reshape(3, 4)), {}),
        ("x_f32_v2.npy", base_values().astype("<f4").reshape(3, 4), {"version": (2, 0)}),
        ("x_f64_v3.npy", base_values().reshape(3, 1, 4), {"version": (3, 0)}),
        ("x_1d.npy", base_values()[:5], {}),
        ("x_nan.npy", np.array([[0.0, 1.0], [2.0, np.nan], [4.0, 5.0]]), {}),
    ]
    return cases


LABEL_CASES = [
    ("y_i64.npy", np.array([2, 0, 1], dtype="<i8")),
    ("y_i32_col.npy", np.array([[1], [1], [0]], dtype=">i4")),
    ("y_u8.npy", np.array([0, 9, 4], dtype="u1")),
    ("y_f64_int.npy", np.array([2.0, 0.0, 1.0])),
    ("y_f32_frac.npy", np.array([0.0, 1.5, 2.0], dtype="<f4")),
    ("y_negative.npy", np.array([0, -1, 2], dtype="<i2")),
    ("y_count4.npy", np.array([0, 1, 2, 3], dtype="<i8")),
    ("y_2d.npy", np.array([[0, 1], [1, 0], [2, 2]], dtype="<i8")),
]


def save_npy(path: Path, array, version=None):
    with open(path, "wb") as f:
        np.lib.format.write_array(f, array, version=version)


def save_npz(path: Path, compressed: bool, **arrays):
    with mock.patch("time.localtime", return_value=FIXED_TIME):
        (np.savez_compressed if compressed else np.savez)(path, **arrays)


def npz_cases():
    x = (base_values().astype("<f4")).reshape(3, 1, 2, 2)
    y = np.array([2, 0, 1], dtype=np.int64)
    # 786 KB of float32 once inflated (several inflate output chunks); element k is
    # ((k * 7919) % 256) / 256, which the Swift test recomputes instead of reading fixtures.json.
    big_x = (((np.arange(64 * 3 * 32 * 32) * 7919) % 256) / 256).astype("<f4").reshape(64, 3, 32, 32)
    big_y = (np.arange(64) % 10).astype(np.int64)
    return [
        ("xy_stored.npz", False, {"x": x, "y": y}, "x", "y"),
        ("xy_compressed.npz", True, {"x": x, "y": y}, "x", "y"),
        ("inputs_labels.npz", True, {"inputs": x.astype(">f8"), "labels": y.astype("<i4")}, "inputs", "labels"),
        ("images_targets_big.npz", True, {"images": big_x, "targets": big_y}, "images", "targets"),
        ("ambiguous_inputs.npz", False, {"x": x, "X": x, "y": y}, None, None),
        ("no_labels.npz", True, {"x": x}, None, None),
        ("unnamed.npz", False, {"arr_0": x, "arr_1": y}, None, None),
    ]


def write_fixtures():
    OUT.mkdir(parents=True, exist_ok=True)
    manifest = {"csv": [], "npy": [], "labels": [], "npz": []}

    (OUT / "small.csv").write_text(SMALL_CSV)
    manifest["csv"].append({"file": "small.csv", "values": SMALL_CSV_VALUES, "labels": SMALL_CSV_LABELS,
                            "lines": SMALL_CSV_LINES})

    for name, array, options in npy_cases():
        save_npy(OUT / name, array, **options)
        back = np.load(OUT / name)
        assert back.dtype == array.dtype and back.shape == array.shape
        version = ".".join(map(str, options.get("version", (1, 0))))
        manifest["npy"].append({
            "file": name, "dtype": array.dtype.name, "bigEndian": array.dtype.byteorder == ">", "shape": list(array.shape), "version": version,
            "fortranOrder": bool(array.flags.f_contiguous and not array.flags.c_contiguous),
            "values": [float(v) if np.isfinite(v) else None for v in np.asarray(array, np.float64).ravel(order="C")]})

    # numpy never writes the native-order marker '='; make one by editing a little-endian header.
    raw = (OUT / "x_f32_le.npy").read_bytes()
    assert raw.count(b"'<f4'") == 1
    (OUT / "x_f32_native.npy").write_bytes(raw.replace(b"'<f4'", b"'=f4'"))
    manifest["npy"].append(dict(manifest["npy"][0], file="x_f32_native.npy"))

    for name, labels in LABEL_CASES:
        save_npy(OUT / name, labels)
        manifest["labels"].append({"file": name, "shape": list(labels.shape),
                                   "values": [float(v) for v in labels.ravel()]})

    for name, compressed, arrays, x_name, y_name in npz_cases():
        save_npz(OUT / name, compressed, **arrays)
        entry = {"file": name, "compressed": compressed, "entries": [k + ".npy" for k in arrays]}
        if x_name:
            x = np.asarray(arrays[x_name], np.float64)
            values = [float(v) for v in x.ravel()] if x.size <= 100 else None  # big: by formula
            entry.update(xShape=list(x.shape), xValues=values, xSum=float(x.sum()),
                         labels=[int(v) for v in arrays[y_name].ravel()], xEntry=x_name + ".npy")
        manifest["npz"].append(entry)

    (OUT / "fixtures.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"wrote {len(list(OUT.iterdir()))} files to {OUT.relative_to(ROOT)}")


def check_png(path: str):
    """Loads a PNG with PIL when installed, else with a stdlib decoder (8-bit, filter 0 only)."""
    try:
        from PIL import Image  # noqa: PLC0415
        with Image.open(path) as image:
            image.load()
            print(f"PIL: {path}: {image.size[0]}x{image.size[1]} mode {image.mode}, "
                  f"pixel(0,0) = {image.getpixel((0, 0))}")
        return
    except ImportError:
        print("PIL not installed; decoding with zlib and struct instead")
    data = Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "bad signature"
    pos, idat, info = 8, b"", None
    while pos < len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        crc = int.from_bytes(data[pos + 8 + length:pos + 12 + length], "big")
        assert zlib.crc32(kind + body) == crc, f"bad CRC in {kind}"
        if kind == b"IHDR":
            info = (int.from_bytes(body[0:4], "big"), int.from_bytes(body[4:8], "big"), body[8], body[9])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour = info
    channels = {0: 1, 2: 3}[colour]
    raw = zlib.decompress(idat)
    assert len(raw) == height * (width * channels + 1) and depth == 8
    assert all(raw[r * (width * channels + 1)] == 0 for r in range(height)), "filter byte not 0"
    print(f"stdlib: {path}: {width}x{height}, {channels} channel(s), first row {list(raw[1:1 + min(8, width)])}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check-png":
        check_png(sys.argv[2])
    else:
        write_fixtures()
