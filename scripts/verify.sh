#!/usr/bin/env bash
# The long, figure-producing runs that CI leaves out (./run verify calls
# this): the honesty controls on the whole quick suite under icount, as
# proposed, with their verdicts, rounds and wall times; then what CI runs of
# them, for the side-by-side cost. The figures go in docs/status.md.
#   aa-control    identical arms must PASS
#   init-on-free  init_on_free=1 must FAIL on fork_exit_wait_ns
# then sched_ext on a kernel kgate builds with BTF (tests/e2e/sched_ext.sh:
# about 20 minutes cold for the kernel, 5 warm).
# About 90 minutes on 2 cores (the A/A alone ~40).
# Usage: scripts/verify.sh [BUILD_DIR] [controls|sched-ext]   (default: both)
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
WHAT=${2:-all}
KGATE="$(cd "$BUILD_DIR" && pwd)/bin/kgate"
failed=0

run_control() {
  local name=$1 scenarios=${2:-}
  local start end
  start=$(date +%s)
  bash tests/e2e/control.sh "$KGATE" "$name" $scenarios
  local rc=$?
  end=$(date +%s)
  echo "verify: control $name${scenarios:+ on $scenarios}: $([ $rc -eq 0 ] && echo as expected || echo NOT as expected), $(( (end - start) / 60 )) min $(( (end - start) % 60 )) s"
  [ $rc -eq 0 ] || failed=1
}

if [ "$WHAT" = all ] || [ "$WHAT" = controls ]; then
  echo "== the controls on the quick suite (what the proposals say)"
  run_control aa-control
  run_control init-on-free
  echo "== the controls as CI runs them"
  run_control aa-control microbench,hackbench-pipe
  run_control init-on-free microbench
fi
if [ "$WHAT" = all ] || [ "$WHAT" = sched-ext ]; then
  echo "== sched_ext: scx_simple against EEVDF, the kill switch, an ejected scheduler"
  start=$(date +%s)
  bash tests/e2e/sched_ext.sh "$KGATE"
  rc=$?
  end=$(date +%s)
  echo "verify: sched_ext: $([ $rc -eq 0 ] && echo as expected || echo NOT as expected), $(( (end - start) / 60 )) min $(( (end - start) % 60 )) s"
  [ $rc -eq 0 ] || failed=1
fi
exit $failed
