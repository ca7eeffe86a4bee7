#!/usr/bin/env bash
# Grade one shard of a class with dlgrade: the one command every task of a Slurm job array or of a
# CI matrix runs. The shard comes from the batch system:
#   Slurm job array   SLURM_ARRAY_TASK_ID (K, counted from 1) and SLURM_ARRAY_TASK_COUNT (N)
#   anything else     SHARD (K) and SHARDS (N), e.g. from a CI matrix
# and what to grade from the environment (defaults in brackets):
#   ASSIGNMENT [regularization]   SUBMISSIONS: a glob of the submissions [submitted/*/$ASSIGNMENT/$ASSIGNMENT.ipynb]
#   OUT: the folder of all shard outputs [shards]   JOBS: submissions graded at once [2]
#   DLGRADE: the dlgrade command [dlgrade]          STUDENTS: optional CSV of path,student
# Every task must see the same submissions (the same glob on the same files): names, and so shards,
# depend on the whole class. Merge the shards afterwards with merge_shards.sh.
set -euo pipefail
ASSIGNMENT="${ASSIGNMENT:-regularization}"
SUBMISSIONS="${SUBMISSIONS:-submitted/*/$ASSIGNMENT/$ASSIGNMENT.ipynb}"
OUT="${OUT:-shards}"
K="${SLURM_ARRAY_TASK_ID:-${SHARD:?set SHARD (or run as a Slurm array task)}}"
N="${SLURM_ARRAY_TASK_COUNT:-${SHARDS:?set SHARDS (or run as a Slurm array task)}}"
read -r -a DLGRADE_CMD <<< "${DLGRADE:-dlgrade}"
shopt -s nullglob
# shellcheck disable=SC2206  # the glob is meant to expand here
paths=( $SUBMISSIONS )
if [ "${#paths[@]}" -eq 0 ]; then
  echo "grade_shard: no submission matches $SUBMISSIONS" >&2
  exit 2
fi
extra=()
if [ -n "${STUDENTS:-}" ]; then extra=(--students "$STUDENTS"); fi
exec "${DLGRADE_CMD[@]}" grade "$ASSIGNMENT" "${paths[@]}" --out "$OUT/shard-$K-of-$N" --shard "$K/$N" \
  --jobs "${JOBS:-2}" "${extra[@]}"
