#!/usr/bin/env python3
"""Replays nnverify's VNN-LIB 2.0 result files through the VNN-COMP 2026 checker itself.

    python3 -m venv /tmp/vnnlib-venv && /tmp/vnnlib-venv/bin/pip install vnnlib==1.0.2 numpy onnx onnxruntime
    git clone https://github.com/VNN-COMP/vnncomp2026_results   # or any checkout with SCORING/
    /tmp/vnnlib-venv/bin/python benchmarks/check2026.py SCORING_DIR NETWORK_FIELD QUERY RESULT [...]

NETWORK_FIELD is the onnx column of a 2026 instance row: one path, or "[('f', 'a.onnx'), ...]".
Each QUERY RESULT pair is checked with SCORING/counterexamples_v2.validate_vnnlib2_counterexample
(zero tolerance first, then the 1e-4 input tolerance); prints one line per pair: the checker's class
(correct, correct_up_to_tolerance, spec_not_violated, malformed_ce, unsupported, no_ce) and its reason.
Development aid only: nnverify and its tests do not need Python.
"""
import enum
import pathlib
import sys


class Result(enum.Enum):
    CORRECT = "correct"
    CORRECT_UP_TO_TOLERANCE = "correct_up_to_tolerance"
    SPEC_NOT_VIOLATED = "spec_not_violated"
    MALFORMED_CE = "malformed_ce"
    UNSUPPORTED = "unsupported"
    NO_CE = "no_ce"


def main():
    scoring, network_field, *pairs = sys.argv[1:]
    sys.path.insert(0, scoring)
    import counterexamples_v2
    for query, result in zip(pairs[0::2], pairs[1::2]):
        verdict, reason = counterexamples_v2.validate_vnnlib2_counterexample(
            pathlib.Path(query).resolve().parent, network_field, str(pathlib.Path(query).resolve()),
            result, 1e-4, 0.0, Result)
        print(f"{verdict.value}\t{query}\t{' '.join(reason.split())[:300]}")


if __name__ == "__main__":
    main()
