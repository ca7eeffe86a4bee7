#!/usr/bin/env bash
# Merge every shard output of grade_shard.sh into one class output (grades.csv, summary.md,
# summary.html, a folder per student), as a single run would have written it.
#   OUT: the folder of the shard outputs [shards]   CLASS_OUT: the merged output [class]
#   DLGRADE: the dlgrade command [dlgrade]
set -euo pipefail
OUT="${OUT:-shards}"
read -r -a DLGRADE_CMD <<< "${DLGRADE:-dlgrade}"
exec "${DLGRADE_CMD[@]}" merge "$OUT"/shard-* --out "${CLASS_OUT:-class}"
