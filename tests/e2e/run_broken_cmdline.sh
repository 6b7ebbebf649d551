#!/bin/bash
# End-to-end: a candidate whose cmdline breaks its boot is recorded as a
# failed (or crashed) trial with its console tail, a tuned arm writing a knob
# the guest lacks fails with the agent's message, and the run goes on to the
# baseline's trial, which succeeds.
# Usage: run_broken_cmdline.sh path/to/kgate
set -u
. "$(dirname "$0")/run_lib.sh"

run_kgate out.txt "$HERE/proposals/broken-cmdline.yaml"
rc=$RC
# The run goes on past the broken guest, and the candidate that cannot boot
# is judged FAIL (exit 1) by the safety or trials rule.
[ "$rc" -eq 1 ] || fail "kgate run exited $rc, want 1 (FAIL); a broken guest must not stop the run"
[ "$(q 'SELECT verdict FROM verdicts')" = FAIL ] || fail "verdict not stored as FAIL"
q 'SELECT reasons_json FROM verdicts' | grep -Eq '"rule":"(safety|trials)","outcome":"fail"' \
  || fail "the FAIL does not name the safety or trials rule: $(q 'SELECT reasons_json FROM verdicts')"

[ "$(q 'SELECT count(*) FROM trials')" = 3 ] || fail "expected 3 trials"
knob=$(q "SELECT status || ': ' || message FROM trials WHERE arm LIKE 'tuned:%'")
case "$knob" in
  "failed: "*kgate_no_such_knob*) ;;
  *) fail "the trial with a missing knob: '$knob', want failed naming the knob" ;;
esac
status=$(q "SELECT status FROM trials WHERE arm = 'candidate'")
case "$status" in
  failed|crashed) ;;
  *) fail "candidate trial status '$status', want failed or crashed" ;;
esac
[ -n "$(q "SELECT message FROM trials WHERE arm = 'candidate'")" ] || fail "no message on the failed trial"
# kgate boots guests with a quiet console, so the tail is short and ends with
# the reason the guest died.
q "SELECT console_log FROM trials WHERE arm = 'candidate'" | grep -q 'Kernel panic' \
  || fail "console tail of the failed trial does not show the panic"
[ "$(q "SELECT status FROM trials WHERE arm = 'baseline'")" = ok ] || fail "baseline trial not ok"
[ "$(q "SELECT count(*) FROM samples s JOIN trials t ON s.trial_id = t.id WHERE t.arm = 'baseline'")" -gt 0 ] \
  || fail "baseline trial has no samples"
[ "$(q "SELECT count(*) FROM samples s JOIN trials t ON s.trial_id = t.id WHERE t.arm = 'candidate'")" = 0 ] \
  || fail "the failed trial must carry no samples"

finish run_broken_cmdline
