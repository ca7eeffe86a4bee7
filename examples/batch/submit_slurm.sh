#!/usr/bin/env bash
# Submit the shard array and the merge that waits for it:  bash examples/batch/submit_slurm.sh [SHARDS]
set -euo pipefail
SHARDS="${1:-8}"
here="$(dirname "$0")"
jid=$(sbatch --parsable --array="1-$SHARDS" "$here/slurm_array.sbatch")
sbatch --dependency="afterok:$jid" "$here/slurm_merge.sbatch"
