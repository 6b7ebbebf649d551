#!/bin/bash
# End-to-end: `kgate run` on a proposal whose candidate runs a shell agent
# (tests/e2e/proposals/fault-injection.yaml) carries out the fault pass on
# the real Debian 6.12 cloud kernel under TCG: the agent is SIGKILLed
# mid-workload, its knob is fed garbage, and the stored fault-injection
# check records every outcome and passes.
# Usage: fault_injection.sh path/to/kgate
set -u
. "$(dirname "$0")/run_lib.sh"

start=$(date +%s)
run_kgate out.txt "$HERE/proposals/fault-injection.yaml"
echo "kgate run took $(( $(date +%s) - start )) s"
# One round: nothing to compare, INCONCLUSIVE (exit 3); the fault pass must
# not turn that into FAIL.
[ "$RC" -eq 3 ] || fail "kgate run exited $RC, want 3 (INCONCLUSIVE)"

# The fault boot is not a trial: 2 trials (one per arm), samples only from them.
[ "$(q 'SELECT count(*) FROM trials')" = 2 ] || fail "expected 2 trials, the fault boot is not one"
[ "$(q "SELECT count(*) FROM checks WHERE kind = 'fault-injection'")" = 1 ] \
  || fail "expected one fault-injection check (the candidate; the baseline has no agent)"
[ "$(q "SELECT arm || ' ' || status FROM checks WHERE kind = 'fault-injection'")" = "candidate passed" ] \
  || fail "the candidate's fault check did not pass: $(q "SELECT summary FROM checks")"
grep -q '^fault-injection candidate .* passed ' "$WORK/out.txt" || fail "no console line for the fault pass"

d() { q "SELECT json_extract(detail_json, '$1') FROM checks WHERE kind = 'fault-injection'"; }
echo "fault check: $(q "SELECT summary FROM checks WHERE kind = 'fault-injection'")"
# The agent was running when the timer fired, died by SIGKILL, and the
# workload was still running then.
[ "$(d '$.event.agent.alive_at_kill')" = 1 ] || fail "the agent was not running at the kill"
[ "$(d '$.event.agent.status')" = "signal 9" ] || fail "agent status $(d '$.event.agent.status'), want signal 9"
[ "$(d '$.killed_mid_workload')" = 1 ] || fail "the agent was not killed mid-workload"
kill_at=$(d '$.kill_after_s')
first=$(d '$.event.workload_after_kill.seconds')
echo "kill at ${kill_at} s into a workload of ${first} s"
# The workload completed both times.
[ "$(d '$.event.workload_after_kill.exit')" = 0 ] || fail "workload after the kill exited $(d '$.event.workload_after_kill.exit')"
[ "$(d '$.event.workload_after_garbage.exit')" = 0 ] || fail "workload after the garbage failed"
[ "$(d '$.event.responsive.ok')" = 1 ] || fail "the system was not responsive"
# Every garbage value has its outcome: accepted, taken in part (a short
# write: the kernel parsed a prefix), or rejected with an errno.
written=$(q "SELECT json_array_length(detail_json, '$.event.garbage') FROM checks")
[ "$written" = 7 ] || fail "expected 7 garbage writes to swappiness, got $written"
q "SELECT json_extract(g.value, '$.value') || ' -> ' ||
          CASE json_extract(g.value, '$.accepted') WHEN 1 THEN 'accepted'
          ELSE 'rejected: ' || json_extract(g.value, '$.error') END || ', reads ' || json_extract(g.value, '$.after')
   FROM checks, json_each(checks.detail_json, '$.event.garbage') AS g" | sed 's/^/  garbage /'
undecided=$(q "SELECT count(*) FROM checks, json_each(checks.detail_json, '$.event.garbage') AS g
               WHERE json_extract(g.value, '$.accepted') = 0 AND coalesce(json_extract(g.value, '$.errno'), 0) = 0
                 AND json_extract(g.value, '$.written') <= 0")
[ "$undecided" = 0 ] || fail "$undecided rejected writes without an errno"
# The kernel refuses a negative swappiness (EINVAL), whatever it does with the rest.
[ "$(q "SELECT json_extract(g.value, '$.errno') FROM checks, json_each(checks.detail_json, '$.event.garbage') AS g
        WHERE json_extract(g.value, '$.value') = '-1'")" = 22 ] || fail "-1 was not rejected with EINVAL"
# Taint before and after, decoded.
echo "taint before $(d '$.taint.before.letters') ($(d '$.taint.before.mask')), after $(d '$.taint.after.letters') ($(d '$.taint.after.mask'))"
[ -n "$(d '$.taint.before.letters')" ] && [ -n "$(d '$.taint.after.letters')" ] || fail "taint not decoded"
# Accepted garbage is a note finding of the candidate, outside any trial.
accepted=$(d '$.garbage_accepted')
[ "$accepted" -ge 1 ] || fail "no garbage value accepted"
# proc's integer parser takes a base prefix: 6.12 stores 0x10 as 16.
[ "$(q "SELECT json_extract(g.value, '$.accepted') || ' ' || json_extract(g.value, '$.after')
        FROM checks, json_each(checks.detail_json, '$.event.garbage') AS g
        WHERE json_extract(g.value, '$.value') = '0x10'")" = "1 16" ] || fail "0x10 was not taken as 16"
# The agent died: nothing rewrote swappiness after the garbage, so the last
# value the kernel kept stands (no restore).
last=$(q "SELECT json_extract(detail_json, '$.event.garbage[6].after') FROM checks")
echo "swappiness left at $last"
notes=$(q "SELECT count(*) FROM findings WHERE rule = 'fault-garbage-accepted' AND trial_id IS NULL AND arm = 'candidate'")
[ "$notes" = "$accepted" ] || fail "$notes garbage-accepted findings for $accepted accepted values"
# The judge sees the check: the stored safety score says passed for the candidate.
[ "$(q "SELECT json_extract(scores_json, '$.safety.fault_injection.arms.candidate.status') FROM verdicts")" = passed ] \
  || fail "the safety score does not show the fault pass"
echo "safety score: $(q "SELECT json_extract(scores_json, '$.safety.score') FROM verdicts")"

finish fault_injection
