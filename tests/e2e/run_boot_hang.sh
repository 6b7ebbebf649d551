#!/bin/bash
# End-to-end: a guest whose boot never reaches the agent (rdinit=/bin/cat) is given up at
# its boot deadline, derived from the boots of that kernel the store has
# seen, and recorded as hung with its console; the run goes on.
# Usage: run_boot_hang.sh path/to/kgate
set -u
. "$(dirname "$0")/run_lib.sh"

# Boots of the 6.12 cloud kernel at tcg, so the deadline is measured, not
# the first-boot allowance.
run_kgate first.txt "$SRC/benchmarks/proposals/boot-overhead.yaml" --runs 1
case "$RC" in 0|1|3) ;; *) fail "the boot-overhead run failed (exit $RC)" ;; esac
boot=$(q "SELECT max(boot_seconds) FROM trials WHERE status = 'ok'")

start=$(date +%s)
run_kgate out.txt "$HERE/proposals/boot-hang.yaml"
took=$(( $(date +%s) - start ))
# A candidate that hangs is a safety failure whatever else is measured.
[ "$RC" -eq 1 ] || fail "kgate run exited $RC, want 1 (FAIL)"
grep -q '^  fail *safety .*hung: no ready event' "$WORK/out.txt" || fail "the verdict does not name the hang"
run=$(q "SELECT max(id) FROM runs")
[ "$(q "SELECT status FROM trials WHERE run_id = $run AND arm = 'candidate'")" = hung ] \
  || fail "the candidate's trial is not hung: $(q "SELECT status || ' ' || message FROM trials WHERE run_id = $run")"
q "SELECT message FROM trials WHERE run_id = $run AND arm = 'candidate'" | grep -q 'boot deadline' \
  || fail "the hung trial does not name the boot deadline"
[ "$(q "SELECT status FROM trials WHERE run_id = $run AND arm = 'baseline'")" = ok ] \
  || fail "the baseline did not run on after the hang"
[ "$(q "SELECT length(console_log) > 0 FROM trials WHERE run_id = $run AND arm = 'candidate'")" = 1 ] \
  || fail "the hung trial kept no console"
# Boots took ${boot} s: the deadline is 20 s (five times that, at least
# 20 s); the whole run must end in well under a minute, not after the
# ~22 minutes of every repetition's timeout.
echo "boot took ${boot} s; the run with the hang took ${took} s"
[ "$took" -lt 120 ] || fail "the run took ${took} s"
finish run_boot_hang
