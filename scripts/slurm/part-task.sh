#!/usr/bin/env bash
# One array task of split-parts.sh: verifies line $SLURM_ARRAY_TASK_ID of $SPLIT_DIR/instances.csv and writes
# $SPLIT_DIR/results/<part>.result. Exit status as `nnverify verify` (0 unsat, 10 sat, 20 unknown/timeout),
# mapped to 0 for Slurm so that only real failures (1: bad input) mark the task failed.
set -uo pipefail
line=$(sed -n "${SLURM_ARRAY_TASK_ID}p" "$SPLIT_DIR/instances.csv" | tr -d '\r')
IFS=, read -r onnx vnnlib timeout <<< "$line"
name=$(basename "$vnnlib" .vnnlib)
memory=()
# Leave a quarter of the task's memory (MB) to the model, bounds and the process itself.
[ -n "${SLURM_MEM_PER_NODE:-}" ] && memory=(--max-memory "$((SLURM_MEM_PER_NODE * 3 / 4))M")
"${NNVERIFY:-nnverify}" verify "$SPLIT_DIR/$onnx" "$SPLIT_DIR/$vnnlib" --timeout "$timeout" "${memory[@]}" \
    --results "$SPLIT_DIR/results/$name.result"
status=$?
[ "$status" = 1 ] && exit 1
exit 0
