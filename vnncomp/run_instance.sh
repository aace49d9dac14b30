#!/usr/bin/env bash
# VNN-COMP harness: run_instance.sh v1 CATEGORY ONNX VNNLIB RESULTS_FILE TIMEOUT
# Writes the VNN-COMP result file (sat + witness, unsat, unknown, timeout or error).
set -uo pipefail
[ "$#" -eq 6 ] || { echo "usage: $0 v1 CATEGORY ONNX VNNLIB RESULTS_FILE TIMEOUT" >&2; exit 1; }
cd "$(dirname "$0")/.."
bin=$(swift build -c release --product nnverify --show-bin-path)/nnverify
"$bin" verify "$3" "$4" --timeout "$6" --results "$5"
status=$?
# 0 unsat, 10 sat, 20 unknown/timeout: all are answers; 1 is an error (the result file says so).
case $status in 0|10|20) exit 0 ;; *) [ -s "$5" ] || echo error > "$5"; exit 0 ;; esac
