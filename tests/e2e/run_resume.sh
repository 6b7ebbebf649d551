#!/bin/bash
# End-to-end: `kgate run --resume RUN_ID` keeps a run's stored trials and runs
# only the planned trials it lacks; resuming a run of another proposal is bad
# input (exit 2) and changes nothing.
# Usage: run_resume.sh path/to/kgate
set -u
. "$(dirname "$0")/run_lib.sh"
PROPOSAL=$SRC/benchmarks/proposals/boot-overhead.yaml

# Exit 0, 1 or 3 is a verdict; 2 or 4 would mean the run itself failed.
verdict_exit() { case "$1" in 0|1|3) return 0 ;; *) return 1 ;; esac; }
"$KGATE" --db "$WORK/run.db" run "$PROPOSAL" --runs 1 --work-dir "$WORK/t" >"$WORK/first.txt" 2>&1
verdict_exit $? || fail "first run failed: $(cat "$WORK/first.txt")"
[ "$(q 'SELECT count(*) FROM trials')" = 2 ] || fail "first run: want 2 trials"
first_ids=$(q 'SELECT group_concat(id) FROM trials ORDER BY seq')

# Two rounds planned now: round 0 is stored, round 1 must run.
"$KGATE" --db "$WORK/run.db" run "$PROPOSAL" --runs 2 --resume 1 --work-dir "$WORK/t" \
  >"$WORK/second.txt" 2>&1
verdict_exit $? || fail "resume failed: $(cat "$WORK/second.txt")"
cat "$WORK/second.txt"
grep -q '^run 1: 2 trials run (2 ok), 2 already stored' "$WORK/second.txt" || fail "resume summary wrong"
[ "$(q 'SELECT count(*) FROM runs')" = 1 ] || fail "resume created a new run"
[ "$(q 'SELECT group_concat(seq) FROM (SELECT seq FROM trials ORDER BY seq)')" = "0,1,2,3" ] \
  || fail "trials after resume: $(q 'SELECT group_concat(seq) FROM trials')"
[ "$(q 'SELECT group_concat(id) FROM trials WHERE seq < 2 ORDER BY seq')" = "$first_ids" ] \
  || fail "stored trials were rewritten"

"$KGATE" --db "$WORK/run.db" run "$SRC/tests/e2e/proposals/broken-cmdline.yaml" --resume 1 \
  >"$WORK/third.txt" 2>&1
rc=$?
[ "$rc" -eq 2 ] || fail "resuming another proposal's run: exit $rc, want 2"
grep -q "run 1 is of proposal 'boot-overhead'" "$WORK/third.txt" || fail "no clear message: $(cat "$WORK/third.txt")"
[ "$(q 'SELECT count(*) FROM trials')" = 4 ] || fail "a refused resume changed the store"

finish run_resume
