#!/usr/bin/env bash
# Runs one suite (or the rows of it whose model path matches FILTER) with this build several times in the same
# run, each time with other components switched off through NNVERIFY_ABLATE (Sources/Verifier/Ablation.swift),
# and prints each configuration's solved count and total time, and the instances whose verdict differs from
# the full build's. This is how a search component states its gain.
#   benchmarks/ablation.sh SUITE SCALE [FILTER] -- CONFIG...
# CONFIG is a comma-separated list of ablations, or "full" for none, e.g.
#   benchmarks/ablation.sh eran 0.05 SIGMOID -- full general-branching bbps branching-table
# SUITE is a folder of ../shared/benchmarks or any folder with instances.csv and expected.csv. Logs go to
# benchmarks/out/ablation-SUITE-CONFIG.log (not committed). With SIMULTANEOUS=1 the configurations run two at a
# time, so that a machine whose load changes treats them alike.
set -euo pipefail
cd "$(dirname "$0")/.."
suite=${1:?usage: benchmarks/ablation.sh SUITE SCALE [FILTER] -- CONFIG...}
scale=${2:?timeout scale}
shift 2
filter=""
if [ "${1:-}" != "--" ]; then filter=${1:-}; shift || true; fi
[ "${1:-}" = "--" ] && shift
[ $# -gt 0 ] || { echo "no configurations given" >&2; exit 1; }
. benchmarks/suite-setup.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A folder whose instances.csv holds the selected rows; the models and specs are reached through links.
for entry in "$dir"/*; do ln -s "$(cd "$(dirname "$entry")" && pwd)/$(basename "$entry")" "$work/"; done
rm "$work/instances.csv" "$work/expected.csv"
grep -- "$filter" "$dir/instances.csv" > "$work/instances.csv"
head -1 "$dir/expected.csv" > "$work/expected.csv"
grep -- "$filter" "$dir/expected.csv" >> "$work/expected.csv" || true
mkdir -p benchmarks/out
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); binary $NNVERIFY_BIN"
echo "suite: $dir, rows matching '${filter}': $(wc -l < "$work/instances.csv"), timeout scale $scale"
log() { echo "benchmarks/out/ablation-$name${filter:+-$filter}-$1.log"; }
run() {
    local ablate=$1; [ "$ablate" = full ] && ablate=""
    NNVERIFY_ABLATE=$ablate "$NNVERIFY_BIN" bench "$work/instances.csv" --expected "$work/expected.csv" \
        --timeout-scale "$scale" > "$(log "$1")" 2>&1 || true
}
configs=("$@")
if [ "${SIMULTANEOUS:-0}" = 1 ]; then
    for ((k = 0; k < ${#configs[@]}; k += 2)); do
        run "${configs[k]}" &
        [ $((k + 1)) -lt ${#configs[@]} ] && run "${configs[k + 1]}" &
        wait
    done
else
    for config in "${configs[@]}"; do run "$config"; done
fi
total() { sed -n 's/.*total \([0-9.]*\) s.*/\1/p' "$1" | tail -1; }
verdicts() { awk 'NR > 1 && NF >= 3 { print $1, $2, $3 }' "$1" | grep -E ' (sat|unsat|unknown|timeout|error)$' || true; }
for config in "${configs[@]}"; do
    echo "$config: $(grep ' instances: ' "$(log "$config")" | tail -1) (total $(total "$(log "$config")") s)"
done
first=${configs[0]}
for config in "${configs[@]:1}"; do
    changed=$(diff <(verdicts "$(log "$first")") <(verdicts "$(log "$config")") | grep '^[<>]' || true)
    if [ -z "$changed" ]; then echo "$config vs $first: verdicts identical"
    else echo "$config vs $first: verdicts that differ (< $first, > $config):"; echo "$changed"; fi
done
