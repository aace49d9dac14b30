#!/usr/bin/env python3
"""Rewrites a VNN-LIB 1.0 property as a VNN-LIB 2.0 query with one network.

    python3 scripts/vnnlib1to2.py IN.vnnlib OUT.vnnlib [--network NAME] [--type float32]

X_i becomes X[i] and Y_j becomes Y[j] (flat tensors of the declared sizes); integer and exponent
constants become decimals with a fractional part (the 2.0 grammar's only form), `=` becomes `==`,
and the 1.0 strict `<`/`>` (read as `<=`/`>=` by 1.0 tools) become `<=`/`>=`, so both files
describe the same set. Chained comparisons are not rewritten (none occur in VNN-COMP files).
"""
import re
import sys
from decimal import Decimal


def decimal_text(token):
    value = Decimal(token)
    text = format(value, "f")
    return text if "." in text else text + ".0"


def convert(text, network="N", element_type="float32"):
    text = re.sub(r";[^\n]*", "", text)
    inputs = sorted({int(i) for i in re.findall(r"\bX_(\d+)\b", text)})
    outputs = sorted({int(i) for i in re.findall(r"\bY_(\d+)\b", text)})
    body = re.sub(r"\(\s*declare-const\s+[XY]_\d+\s+Real\s*\)", "", text)
    body = re.sub(r"\(\s*(check-sat|get-model)\s*\)", "", body)
    body = re.sub(r"\bX_(\d+)\b", r"X[\1]", body)
    body = re.sub(r"\bY_(\d+)\b", r"Y[\1]", body)
    body = re.sub(r"\(\s*=\s", "(== ", body)
    body = re.sub(r"\(\s*<\s", "(<= ", body)
    body = re.sub(r"\(\s*>\s", "(>= ", body)
    body = re.sub(r"(?<![\w\[.,])([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)(?![\w\].,])", lambda m: decimal_text(m.group(1)), body)
    body = "\n".join(line.rstrip() for line in body.splitlines() if line.strip())
    head = (f"(vnnlib-version <2.0>)\n(declare-network {network}\n"
            f"    (declare-input X {element_type} [{len(inputs)}])\n"
            f"    (declare-output Y {element_type} [{len(outputs)}])\n)\n")
    return head + body + "\n"


def main():
    args = sys.argv[1:]
    if len(args) < 2:
        sys.exit(__doc__)
    network = args[args.index("--network") + 1] if "--network" in args else "N"
    element_type = args[args.index("--type") + 1] if "--type" in args else "float32"
    with open(args[0]) as f:
        text = f.read()
    with open(args[1], "w") as f:
        f.write(convert(text, network, element_type))


if __name__ == "__main__":
    main()
