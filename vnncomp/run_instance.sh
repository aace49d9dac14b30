#!/usr/bin/env bash
# VNN-COMP harness: run_instance.sh v1 CATEGORY ONNX VNNLIB RESULTS_FILE TIMEOUT
# Writes the VNN-COMP result file (sat + witness, unsat, unknown, timeout or error; for a VNN-LIB 2.0
# query the 2.0 standard's output). ONNX may be a 2026 multi-network list (see networks.sh).
set -uo pipefail
[ "$#" -eq 6 ] || { echo "usage: $0 v1 CATEGORY ONNX VNNLIB RESULTS_FILE TIMEOUT" >&2; exit 1; }
cd "$(dirname "$0")/.."
bin=$(swift build -c release --product nnverify --show-bin-path)/nnverify
source vnncomp/networks.sh
parse_networks "$3" "$4"
if [ "${network_args[0]}" = --network ]; then
    "$bin" verify "$4" "${network_args[@]}" --timeout "$6" --results "$5"
else
    "$bin" verify "$3" "$4" --timeout "$6" --results "$5"
fi
status=$?
# 0 unsat, 10 sat, 20 unknown/timeout: all are answers; 1 is an error (the result file says so).
case $status in 0|10|20) exit 0 ;; *) [ -s "$5" ] || echo error > "$5"; exit 0 ;; esac
