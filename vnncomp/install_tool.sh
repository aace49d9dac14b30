#!/usr/bin/env bash
# VNN-COMP harness: install_tool.sh v1 — installs system libraries and builds nnverify in release mode.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
swift build -c release --product nnverify
