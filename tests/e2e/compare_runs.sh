#!/bin/bash
# End-to-end: `kgate compare` on a store holding two real runs of
# boot-overhead (the Debian 6.12 cloud kernel booted under TCG): run against
# run and arm against arm print the table and exit 0, --json parses, unknown
# runs, unknown arms and bad arguments are bad input (exit 2) that says what
# is wrong, and nothing compare does changes the store.
# Usage: compare_runs.sh path/to/kgate
set -u
. "$(dirname "$0")/run_lib.sh"
PROPOSAL=$SRC/benchmarks/proposals/boot-overhead.yaml

# Exit 0, 1 or 3 is a verdict; 2 or 4 would mean the run itself failed.
verdict_exit() { case "$1" in 0|1|3) return 0 ;; *) return 1 ;; esac; }
for i in 1 2; do
  "$KGATE" --db "$WORK/run.db" run "$PROPOSAL" --runs 2 --work-dir "$WORK/t" >"$WORK/run$i.txt" 2>&1
  verdict_exit $? || fail "run $i failed: $(cat "$WORK/run$i.txt")"
done
[ "$(q 'SELECT count(*) FROM runs')" = 2 ] || { fail "want 2 runs"; finish compare_runs; }
[ "$(q "SELECT count(*) FROM trials WHERE status = 'ok'")" = 8 ] \
  || fail "want 8 ok trials: $(q "SELECT run_id, arm, status, message FROM trials")"

# What compare must leave alone: every judgement the runs stored.
judgements() { sqlite3 "$WORK/run.db" '.dump comparisons verdicts claims'; }
judgements >"$WORK/before.sql"
comparisons_before=$(q 'SELECT count(*) FROM comparisons')

# compare OUT ARGS...: kgate compare on run.db, stdout and stderr in $WORK/OUT; sets RC.
compare() {
  local out=$1
  shift
  "$KGATE" --db "$WORK/run.db" compare "$@" >"$WORK/$out" 2>&1
  RC=$?
  cat "$WORK/$out"
}

compare runs.txt 1 2
[ "$RC" -eq 0 ] || fail "compare 1 2: exit $RC, want 0"
grep -qE '^run 2 candidate \(kernel 6\.12\.[^,]+, tier tcg\) against run 1 candidate \(kernel 6\.12\.[^,]+, tier tcg\), policy mainline$' \
  "$WORK/runs.txt" || fail "compare 1 2: no header naming both sides"
grep -qE '^boot-only +stat\.ctxt +1cpu-512M +run 1 candidate +2/2 ' "$WORK/runs.txt" \
  || fail "compare 1 2: no stat.ctxt row of run 2 against run 1 with 2 trials each"
grep -qE '^[0-9]+ improved, [0-9]+ regressed, [0-9]+ equivalent, [0-9]+ inconclusive \(deciding comparisons only\)$' \
  "$WORK/runs.txt" || fail "compare 1 2: no tally line"

compare arms.txt 1 --arms baseline,candidate
[ "$RC" -eq 0 ] || fail "compare 1 --arms baseline,candidate: exit $RC, want 0"
grep -qE '^boot-only +stat\.ctxt +1cpu-512M +baseline +2/2 ' "$WORK/arms.txt" \
  || fail "compare --arms: no stat.ctxt row of candidate against baseline"
grep -qE '^run 1 candidate \(kernel [^,]+, tier tcg\) against run 1 baseline \(kernel [^,]+, tier tcg\)' \
  "$WORK/arms.txt" \
  || fail "compare --arms: no header"

"$KGATE" --db "$WORK/run.db" compare 1 2 --json >"$WORK/out.json" 2>"$WORK/json.err"
rc=$?
[ "$rc" -eq 0 ] || fail "compare --json: exit $rc: $(cat "$WORK/json.err")"
python3 -c 'import json,sys; json.load(sys.stdin)' <"$WORK/out.json" \
  || fail "compare --json: not JSON: $(cat "$WORK/out.json")"
python3 - "$WORK/out.json" <<'EOF' || fail "compare --json: wrong content: $(cat "$WORK/out.json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["kgate"] == 1, d["kgate"]
assert d["reference"]["run"] == 1 and d["reference"]["arm"] == "candidate", d["reference"]
assert d["arm"]["run"] == 2 and d["arm"]["tier"] == "tcg", d["arm"]
assert d["arm"]["kernel"].startswith("6.12."), d["arm"]
rows = [c for c in d["comparisons"] if c["scenario"] == "boot-only" and c["metric"] == "stat.ctxt"]
assert len(rows) == 1, d["comparisons"]
c = rows[0]
assert c["n_arm"] == 2 and c["n_reference"] == 2, c
assert c["reference"] == "run 1 candidate" and c["arm"] == "run 2 candidate", c
assert c["decides"] is True, c  # a count decides at tcg under mainline
assert c["classification"] in ("improved", "regressed", "equivalent", "inconclusive"), c
EOF

compare missing_run.txt 1 99
[ "$RC" -eq 2 ] || fail "compare 1 99: exit $RC, want 2"
grep -q "run 99 does not exist in $WORK/run.db" "$WORK/missing_run.txt" \
  || fail "compare 1 99: does not name run 99"

compare missing_arm.txt 1 --arms baseline,nosucharm
[ "$RC" -eq 2 ] || fail "compare --arms baseline,nosucharm: exit $RC, want 2"
grep -q "run 1 has no arm 'nosucharm'; its arms: baseline, candidate" "$WORK/missing_arm.txt" \
  || fail "compare --arms baseline,nosucharm: does not name the run's arms"

compare both.txt 1 2 --arms baseline,candidate
[ "$RC" -eq 2 ] || fail "two runs plus --arms: exit $RC, want 2"
compare one.txt 1
[ "$RC" -eq 2 ] || fail "one run without --arms: exit $RC, want 2"
grep -q 'one run needs --arms REF,ARM' "$WORK/one.txt" || fail "one run without --arms: unclear"

judgements >"$WORK/after.sql"
[ "$(q 'SELECT count(*) FROM comparisons')" = "$comparisons_before" ] \
  || fail "compare changed the number of stored comparisons"
cmp -s "$WORK/before.sql" "$WORK/after.sql" || fail "compare changed the stored judgements"

finish compare_runs
