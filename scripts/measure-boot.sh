#!/usr/bin/env bash
# End-to-end figure: kgate's cost per trial outside the workload, for each way
# of booting the guest. Runs benchmarks/proposals/boot-overhead.yaml (two
# identical arms running `true`) with ROUNDS rounds per configuration, all in
# one invocation so the configurations see the same host conditions, and
# prints the median boot-to-agent-ready time (trials.boot_seconds) and the
# median trial wall time (QEMU start to exit). Then, for each icount shift
# in SHIFTS, the host seconds to ready, the guest's own uptime at ready and
# its clocksource: the figures behind the default shift (docs/tiers.md).
# Usage: scripts/measure-boot.sh [BUILD_DIR] [ROUNDS] [SHIFTS]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
ROUNDS=${2:-3}
SHIFTS=${3:-0 3 5 7}
KGATE="$BUILD_DIR/bin/kgate"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

median() {  # median of the numbers on stdin
  sort -g | awk '{v[NR] = $1} END {if (NR == 0) print "n/a";
    else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

printf '%-22s %-8s %5s %14s %14s\n' configuration tier n "ready (s)" "wall (s)"
for tier in tcg icount; do
  for config in "pc pvh" "pc bzimage" "microvm pvh"; do
    set -- $config
    db="$WORK/$1-$2-$tier.db"
    "$KGATE" --db "$db" run benchmarks/proposals/boot-overhead.yaml --tier "$tier" \
      --machine "$1" --kernel-image "$2" --runs "$ROUNDS" --work-dir "$WORK/trials" >/dev/null 2>&1 || true
    ok=$(sqlite3 "$db" "SELECT count(*) FROM trials WHERE status = 'ok'" 2>/dev/null || echo 0)
    ready=$(sqlite3 "$db" "SELECT boot_seconds FROM trials WHERE status = 'ok'" 2>/dev/null | median)
    wall=$(sqlite3 "$db" "SELECT wall_seconds FROM trials WHERE status = 'ok'" 2>/dev/null | median)
    printf '%-22s %-8s %5s %14s %14s\n' "$1 + $2" "$tier" "$ok" "$ready" "$wall"
  done
done

printf '\n%-6s %5s %16s %20s %s\n' shift n "ready (host s)" "uptime at ready" clocksource
for shift in $SHIFTS; do
  db="$WORK/shift-$shift.db"
  "$KGATE" --db "$db" run benchmarks/proposals/boot-overhead.yaml --tier icount \
    --icount-shift "$shift" --runs "$ROUNDS" --work-dir "$WORK/shift-$shift" >/dev/null 2>&1 || true
  ok=$(sqlite3 "$db" "SELECT count(*) FROM trials WHERE status = 'ok'" 2>/dev/null || echo 0)
  ready=$(sqlite3 "$db" "SELECT boot_seconds FROM trials WHERE status = 'ok'" 2>/dev/null | median)
  uptime=$(cat "$WORK"/shift-"$shift"/run-*/trial-*/events.jsonl 2>/dev/null |
           sed -n 's/.*"event":"ready".*"uptime_s":\([0-9.]*\).*/\1/p' | median)
  clock=$(sqlite3 "$db" "SELECT group_concat(DISTINCT clocksource) FROM trials" 2>/dev/null)
  printf '%-6s %5s %16s %20s %s\n' "$shift" "$ok" "$ready" "$uptime" "$clock"
done
