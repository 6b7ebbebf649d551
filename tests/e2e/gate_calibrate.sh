#!/bin/bash
# End-to-end: `kgate gate` re-judges a stored run without booting (under the
# proposal's policy or another), `kgate calibrate` simulates A/A runs from
# it, and both refuse bad input with exit 2. The run is real: boot-overhead
# (identical arms, boot-only) under TCG, 4 rounds.
# Usage: gate_calibrate.sh path/to/kgate
set -u
. "$(dirname "$0")/run_lib.sh"

run_kgate run.txt "$SRC/benchmarks/proposals/boot-overhead.yaml" --runs 4
case "$RC" in 0|1|3) ;; *) fail "kgate run exited $RC, want a verdict (0, 1 or 3)" ;; esac
[ "$(q 'SELECT count(*) FROM trials WHERE status = "ok"')" = 8 ] || fail "want 8 ok trials"
run_verdict=$(q 'SELECT verdict FROM verdicts')

# Re-judging under the same policy gives the same verdict and exit code,
# and boots nothing (no new trials).
"$KGATE" --db "$WORK/run.db" gate 1 >"$WORK/gate.txt" 2>&1
gate_rc=$?
[ "$gate_rc" = "$RC" ] || fail "gate exited $gate_rc, run exited $RC"
[ "$(q 'SELECT verdict FROM verdicts')" = "$run_verdict" ] || fail "gate changed the verdict"
[ "$(q 'SELECT count(*) FROM trials')" = 8 ] || fail "gate added trials"
grep -q "^verdict: $run_verdict under policy mainline (tier tcg, 4 rounds)" "$WORK/gate.txt" \
  || fail "no verdict line: $(tail -3 "$WORK/gate.txt")"
[ "$(q 'SELECT count(*) FROM comparisons')" -gt 0 ] || fail "no comparisons stored"

# Another policy: the stored verdict is replaced and names it.
"$KGATE" --db "$WORK/run.db" gate 1 --policy lenient >"$WORK/lenient.txt" 2>&1
case "$?" in 0|1|3) ;; *) fail "gate --policy lenient failed: $(cat "$WORK/lenient.txt")" ;; esac
[ "$(q 'SELECT policy FROM verdicts')" = lenient ] || fail "verdict not stored under lenient"

# Bad input: exit 2 and a message naming what is wrong; nothing lost.
"$KGATE" --db "$WORK/run.db" gate 99 >"$WORK/bad.txt" 2>&1
[ "$?" = 2 ] || fail "gate of an unknown run: want exit 2"
grep -q "99" "$WORK/bad.txt" || fail "no message naming run 99: $(cat "$WORK/bad.txt")"
"$KGATE" --db "$WORK/run.db" gate 1 --policy mainlin >"$WORK/bad.txt" 2>&1
[ "$?" = 2 ] || fail "gate with an unknown policy: want exit 2"
grep -q "mainline" "$WORK/bad.txt" || fail "no did-you-mean for the policy: $(cat "$WORK/bad.txt")"
[ "$(q 'SELECT policy FROM verdicts')" = lenient ] || fail "a refused gate changed the stored verdict"

# Calibration over the stored A/A run: 4 rounds pool 8 trials per cell.
"$KGATE" --db "$WORK/run.db" calibrate 1 --min 2 --max 4 --iterations 20 --inject 0,50 \
  >"$WORK/cal.txt" 2>&1 || fail "calibrate exited $?: $(cat "$WORK/cal.txt")"
cat "$WORK/cal.txt"
grep -q '^calibration on run 1 (boot-overhead, tier tcg), policy mainline: 20 simulated runs' \
  "$WORK/cal.txt" || fail "no calibration header"
[ "$(grep -cE '^ +(0\.0|50\.0)% ' "$WORK/cal.txt")" = 2 ] || fail "want one line per injected cost"
"$KGATE" --db "$WORK/run.db" calibrate 1 --min 5 >"$WORK/bad.txt" 2>&1
[ "$?" = 2 ] || fail "calibrate with too small a pool: want exit 2"
grep -q "too few for two arms of 5 rounds" "$WORK/bad.txt" || fail "unclear message: $(cat "$WORK/bad.txt")"
"$KGATE" --db "$WORK/run.db" calibrate 1 --inject 5x >"$WORK/bad.txt" 2>&1
[ "$?" = 2 ] || fail "calibrate --inject 5x: want exit 2"

finish gate_calibrate
