#!/usr/bin/env bash
# The long, figure-producing runs that CI leaves out (./run verify calls
# this): the honesty controls on the whole quick suite under icount, as
# proposed, with their verdicts, rounds and wall times; then what CI runs of
# them, for the side-by-side cost. The figures go in docs/status.md.
#   aa-control    identical arms must PASS
#   init-on-free  init_on_free=1 must FAIL on fork_exit_wait_ns
# About 70 minutes on 2 cores (the A/A alone ~40).
# Usage: scripts/verify.sh [BUILD_DIR]
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
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

echo "== the controls on the quick suite (what the proposals say)"
run_control aa-control
run_control init-on-free
echo "== the controls as CI runs them"
run_control aa-control microbench,hackbench-pipe
run_control init-on-free microbench
exit $failed
