#!/usr/bin/env bash
# End-to-end honesty check of the judge (docs/judge.md, "Calibration"):
# runs the A/A proposal (identical arms, the quick suite) with ROUNDS rounds
# at icount and at tcg, then `kgate calibrate` on each run:
#   - the pure A/A line: how often a simulated run is not PASS (FAIL is a
#     false positive, INCONCLUSIVE a failure to resolve), with the proposal's
#     adaptive looks (runs 5..15);
#   - injected costs at n <= 10 rounds: the share of FAIL is the power to
#     catch a candidate that is that much slower on every metric.
# ROUNDS must give at least 2 x runs.max trials per arm pair (default 16).
# Usage: scripts/calibrate.sh [BUILD_DIR] [ROUNDS] [ITERATIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
ROUNDS=${2:-16}
ITERATIONS=${3:-1000}
KGATE="$BUILD_DIR/bin/kgate"
OUT=${KGATE_MEASURE_DIR:-$(mktemp -d)}
mkdir -p "$OUT"

for tier in icount tcg; do
  db="$OUT/aa-$tier.db"
  if [ ! -s "$db" ]; then
    # The run's own verdict (exit 0, 1 or 3) is not the point here.
    "$KGATE" --db "$db" run proposals/aa-control/proposal.yaml --tier "$tier" --runs "$ROUNDS" \
      --work-dir "$OUT/trials-$tier" >"$OUT/run-$tier.log" 2>&1 || true
  fi
  echo "== tier $tier: pure A/A, adaptive looks of the proposal"
  "$KGATE" --db "$db" calibrate 1 --iterations "$ITERATIONS" -v
  echo "== tier $tier: injected costs, at most 10 rounds"
  "$KGATE" --db "$db" calibrate 1 --iterations "$ITERATIONS" --max 10 --inject 0,1,2,3,5,10
done
echo "databases and logs: $OUT"
