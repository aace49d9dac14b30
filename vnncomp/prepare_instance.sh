#!/usr/bin/env bash
# VNN-COMP harness: prepare_instance.sh v1 CATEGORY ONNX VNNLIB
# Nothing to convert: checks that the model(s) load (exit 1 with a message otherwise); ONNX may be a
# 2026 multi-network list (see networks.sh).
set -euo pipefail
[ "$#" -eq 4 ] || { echo "usage: $0 v1 CATEGORY ONNX VNNLIB" >&2; exit 1; }
cd "$(dirname "$0")/.."
bin=$(swift build -c release --product nnverify --show-bin-path)/nnverify
[ -x "$bin" ] || swift build -c release --product nnverify
source vnncomp/networks.sh
parse_networks "$3" "$4"
for model in "${models[@]}"; do "$bin" info "$model" >/dev/null; done
