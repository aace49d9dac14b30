#!/usr/bin/env bash
# Splits one hard instance into PARTS sub-instances (nnverify split) and runs them as a Slurm job array,
# one array task per part, then a dependent job that merges their verdicts (nnverify merge --split).
#
#   scripts/slurm/split-parts.sh MODEL.onnx SPEC.vnnlib PARTS OUTDIR [TIMEOUT_SECONDS]
#
# Each task runs `nnverify verify` on its part with the part's timeout from OUTDIR/instances.csv and
# --max-memory at three quarters of the task's memory; Slurm's SIGTERM at the time limit makes verify write
# `timeout` to its result file. The merged VNN-COMP result file is OUTDIR/merged.result (merge log:
# OUTDIR/logs/merge.log). Prints the two job ids. Environment as for bench-shards.sh (CPUS default 2).
set -euo pipefail
if [ $# -lt 4 ]; then sed -n '2,11p' "$0"; exit 1; fi
model=$1; spec=$2; parts=$3; out=$(realpath -m "$4"); timeout=${5:-60}
nnverify=${NNVERIFY:-nnverify}
"$nnverify" split "$model" "$spec" --parts "$parts" --out "$out" --timeout "$timeout" >&2
mkdir -p "$out/logs"
common=(--parsable --cpus-per-task="${CPUS:-2}" --mem="${MEM:-4G}" --time="${TIME:-2:00:00}")
[ -n "${PARTITION:-}" ] && common+=(--partition="$PARTITION")
# shellcheck disable=SC2206
[ -n "${SBATCH_EXTRA:-}" ] && common+=($SBATCH_EXTRA)

array=$(sbatch "${common[@]}" --array=1-"$parts" --job-name=nnverify-part --output="$out/logs/part_%a.log" \
    --export=ALL,NNVERIFY="$nnverify",SPLIT_DIR="$out" "$(dirname "$0")/part-task.sh")
merge=$(sbatch "${common[@]}" --dependency=afterany:"$array" --job-name=nnverify-merge --output="$out/logs/merge.log" \
    --wrap="$(printf '%q' "$nnverify") merge --split $(printf '%q' "$out") --output $(printf '%q' "$out")/merged.result; true")
echo "$array $merge"
