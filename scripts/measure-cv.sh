#!/usr/bin/env bash
# End-to-end figure: how repeatable each scenario's metrics are at each tier.
# Runs benchmarks/proposals/determinism.yaml (identical arms; the quick
# suite's scenarios unless others are given) at icount and tcg in one invocation, then
# prints per scenario x metric the coefficient of variation (stddev / mean)
# over every measured repetition of every ok trial of both arms.
# Usage: scripts/measure-cv.sh [BUILD_DIR] [ROUNDS] [SCENARIOS]
# KGATE_TIERS="icount" measures one tier only (default "icount tcg").
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
ROUNDS=${2:-3}
SCENARIOS=${3:-hackbench-pipe,fio-randread,stress-ng-vm,microbench}
KGATE="$BUILD_DIR/bin/kgate"
OUT=${KGATE_MEASURE_DIR:-$(mktemp -d)}
mkdir -p "$OUT"

TIERS=${KGATE_TIERS:-icount tcg}
for tier in $TIERS; do
  args=(--db "$OUT/cv-$tier.db" run benchmarks/proposals/determinism.yaml --tier "$tier"
        --runs "$ROUNDS" --work-dir "$OUT/trials-$tier")
  args+=(--scenarios "$SCENARIOS")
  "$KGATE" "${args[@]}" >"$OUT/run-$tier.log" 2>&1 || echo "run at $tier failed: see $OUT/run-$tier.log"
done

printf '%-16s %-24s %-8s %4s %14s %9s\n' scenario metric tier n mean "CV %"
for tier in $TIERS; do
  sqlite3 -separator ' ' "$OUT/cv-$tier.db" "
    SELECT t.scenario, m.name, count(*), avg(s.value),
           CASE WHEN avg(s.value) = 0 THEN 0 ELSE
             100.0 * sqrt(max(avg(s.value * s.value) - avg(s.value) * avg(s.value), 0)
                          * count(*) / (count(*) - 1)) / abs(avg(s.value)) END
    FROM samples s JOIN trials t ON s.trial_id = t.id JOIN metrics m ON s.metric_id = m.id
    WHERE t.status = 'ok' GROUP BY t.scenario, m.name HAVING count(*) > 1
    ORDER BY t.scenario, m.name" |
  while read -r scenario metric n mean cv; do
    printf '%-16s %-24s %-8s %4s %14.6g %9.3f\n' "$scenario" "$metric" "$tier" "$n" "$mean" "$cv"
  done
done
echo "databases and logs: $OUT"
