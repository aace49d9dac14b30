#!/usr/bin/env bash
# Runs a VNN-COMP instance list as a Slurm job array, one array task per shard, then a dependent job
# that merges the shards' results (nnverify merge refuses overlaps, gaps and truncated files).
#
#   scripts/slurm/bench-shards.sh INSTANCES.csv SHARDS OUTDIR [bench options, e.g. --expected E.csv --timeout-scale 0.5]
#
# Every task runs `nnverify bench --shard I/SHARDS --resume --results OUTDIR/shard_I.csv`, so a task that is
# requeued (preemption, node failure; see --requeue) continues where it stopped. Prints the two job ids.
# Environment: NNVERIFY (binary, default `nnverify` on PATH), CPUS (per task, default 2), MEM (per task, default
# 4G), TIME (per-task limit, default 2:00:00), PARTITION, SBATCH_EXTRA (more sbatch options).
set -euo pipefail
if [ $# -lt 3 ]; then sed -n '2,12p' "$0"; exit 1; fi
csv=$(realpath "$1"); shards=$2; out=$(realpath -m "$3"); shift 3
nnverify=${NNVERIFY:-nnverify}
mkdir -p "$out/logs"
common=(--parsable --cpus-per-task="${CPUS:-2}" --mem="${MEM:-4G}" --time="${TIME:-2:00:00}")
[ -n "${PARTITION:-}" ] && common+=(--partition="$PARTITION")
# shellcheck disable=SC2206
[ -n "${SBATCH_EXTRA:-}" ] && common+=($SBATCH_EXTRA)

bench_args=$(printf ' %q' "$@")
array=$(sbatch "${common[@]}" --array=1-"$shards" --requeue --job-name=nnverify-shard \
    --output="$out/logs/shard_%a.log" \
    --wrap="$(printf '%q' "$nnverify") bench $(printf '%q' "$csv") --shard \$SLURM_ARRAY_TASK_ID/$shards --resume \
--results $(printf '%q' "$out")/shard_\$SLURM_ARRAY_TASK_ID.csv$bench_args")

files=""
for i in $(seq 1 "$shards"); do files+=" $(printf '%q' "$out/shard_$i.csv")"; done
# afterany: merge also when a shard failed, so that the merge names what is missing.
merge=$(sbatch "${common[@]}" --dependency=afterany:"$array" --job-name=nnverify-merge \
    --output="$out/logs/merge.log" \
    --wrap="$(printf '%q' "$nnverify") merge$files --instances $(printf '%q' "$csv") --output $(printf '%q' "$out")/results.csv")
echo "$array $merge"
