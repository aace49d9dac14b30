#!/usr/bin/env python3
"""Records the reference VNN-LIB 2.0 parser's accept/reject verdict for every fixture query.

Run once when fixtures change (the tests read the committed reference.csv, not Python):

    python3 -m venv /tmp/vnnlib-venv && /tmp/vnnlib-venv/bin/pip install vnnlib==1.0.2
    /tmp/vnnlib-venv/bin/python Tests/Fixtures/vnnlib2/make_reference.py [PATH/TO/VNNLIB-Standard]

With a checkout of github.com/VNNLIB/VNNLIB-Standard (MIT licence, see standard/NOTICE) the
script first copies its syntax/test/*.vnnlib files into standard/. The reference parser is
VNNLIB-CPP's Python binding, `vnnlib` 1.0.2 on PyPI (the version the VNN-COMP 2026 scorer pins):
`parse_query_file` parses and type-checks, raising VNNLibException on a bad query.
"""
import csv
import pathlib
import shutil
import sys

import vnnlib

HERE = pathlib.Path(__file__).resolve().parent


def main():
    if len(sys.argv) > 1:
        tests = pathlib.Path(sys.argv[1]) / "syntax" / "test"
        for f in sorted(tests.glob("*.vnnlib")):
            shutil.copy(f, HERE / "standard" / f.name)
    rows = []
    for folder in ("standard", "ours"):
        for f in sorted((HERE / folder).glob("*.vnnlib")):
            try:
                vnnlib.parse_query_file(str(f))
                verdict, message = "accept", ""
            except Exception as error:  # VNNLibException, or a crash of the binding
                verdict, message = "reject", " ".join(str(error).split())[:200]
            rows.append((f"{folder}/{f.name}", verdict, message))
    with open(HERE / "reference.csv", "w", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["file", "reference", "message"])
        writer.writerows(rows)
    print(f"{len(rows)} fixtures, {sum(r[1] == 'accept' for r in rows)} accepted by vnnlib {getattr(vnnlib, '__version__', '1.0.2')}")


if __name__ == "__main__":
    main()
