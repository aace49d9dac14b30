#!/usr/bin/env bash
# VNN-COMP harness: prepare_instance.sh v1 CATEGORY ONNX VNNLIB
# Nothing to convert: checks that the model and property load (exit 1 with a message otherwise).
set -euo pipefail
[ "$#" -eq 4 ] || { echo "usage: $0 v1 CATEGORY ONNX VNNLIB" >&2; exit 1; }
cd "$(dirname "$0")/.."
bin=$(swift build -c release --product nnverify --show-bin-path)/nnverify
[ -x "$bin" ] || swift build -c release --product nnverify
"$bin" info "$3" >/dev/null
