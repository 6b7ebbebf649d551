#!/usr/bin/env bash
# The long, figure-producing runs that CI leaves out (./run verify calls
# this): the honesty controls on the whole quick suite under icount, as
# proposed, with their verdicts, rounds and wall times; then what CI runs of
# them, for the side-by-side cost. The figures go in docs/status.md.
#   aa-control    identical arms must PASS
#   init-on-free  init_on_free=1 must FAIL on fork_exit_wait_ns
# then sched_ext on a kernel kgate builds with BTF (tests/e2e/sched_ext.sh:
# about 20 minutes cold for the kernel, 5 warm); the guest kernel built
# again without ccache, byte-identical (tests/e2e/reproducible_build.sh,
# about 12 minutes); Debian's cloud config built by kgate and judged
# against Debian's own package (tests/e2e/debian_cloud.sh: an hour or more
# cold, about 10 minutes warm).
# About 3 hours on 2 cores, cold (the A/A alone ~40 minutes).
# Usage: scripts/verify.sh [BUILD_DIR] [controls|sched-ext|reproducible|debian-cloud]   (default: all)
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
run_e2e() {  # NAME SCRIPT: one tests/e2e script, timed
  local name=$1 script=$2 start end rc
  start=$(date +%s)
  bash "tests/e2e/$script" "$KGATE"
  rc=$?
  end=$(date +%s)
  echo "verify: $name: $([ $rc -eq 0 ] && echo as expected || echo NOT as expected), $(( (end - start) / 60 )) min $(( (end - start) % 60 )) s"
  [ $rc -eq 0 ] || failed=1
}

if [ "$WHAT" = all ] || [ "$WHAT" = sched-ext ]; then
  echo "== sched_ext: scx_simple against EEVDF, the kill switch, an ejected scheduler"
  run_e2e sched_ext sched_ext.sh
fi
if [ "$WHAT" = all ] || [ "$WHAT" = reproducible ]; then
  echo "== the guest kernel built again without ccache: byte-identical"
  run_e2e reproducible_build reproducible_build.sh
fi
if [ "$WHAT" = all ] || [ "$WHAT" = debian-cloud ]; then
  echo "== Debian's cloud config built by kgate, against Debian's own package"
  run_e2e debian_cloud debian_cloud.sh
fi
exit $failed
