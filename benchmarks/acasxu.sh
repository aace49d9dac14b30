#!/usr/bin/env bash
# The whole ACAS Xu suite (186 instances, ../shared/benchmarks/acasxu) in release mode, with the
# competition's per-instance timeouts. Prints the machine, the command, one line per instance and the
# summary (solved, wrong, total and median time); copy the summary into benchmarks/RESULTS.md.
set -euo pipefail
exec "$(dirname "$0")/run-suite.sh" acasxu "$@"
