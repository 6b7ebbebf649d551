#!/bin/bash
# End-to-end: `kgate run` boots the real Debian 6.12 cloud kernel under TCG for
# two arms that differ by a knob, runs hackbench-pipe, fio-randread,
# stress-ng-vm and boot-only, and the samples are in the SQLite file.
# Usage: run_two_arms.sh path/to/kgate
set -u
. "$(dirname "$0")/run_lib.sh"

run_kgate out.txt "$HERE/proposals/two-arms-knob.yaml"
rc=$RC
# One round gives one trial per arm: nothing can be compared, and the run
# says so with INCONCLUSIVE (exit 3) rather than a verdict it cannot back.
[ "$rc" -eq 3 ] || fail "kgate run exited $rc, want 3 (INCONCLUSIVE)"
[ "$(q 'SELECT verdict FROM verdicts')" = INCONCLUSIVE ] || fail "verdict not stored as INCONCLUSIVE"
grep -q '^verdict: INCONCLUSIVE under policy mainline (tier tcg, 1 rounds)' "$WORK/out.txt" \
  || fail "no verdict line"
grep -q 'too few ok trials to compare (n=1 vs 1)' "$WORK/out.txt" || fail "the reason is not given"
# tcg: times are shown but do not decide. Counts do, unless the metric's own
# measured CV says otherwise: hackbench's context switches scatter by 19 %
# at tcg (its workload.yaml), and the note says why.
[ "$(q "SELECT decides FROM comparisons WHERE scenario = 'hackbench-pipe' AND metric = 'time'")" = 0 ] \
  || fail "a time metric decides at tier tcg"
[ "$(q "SELECT decides FROM comparisons WHERE scenario = 'boot-only' AND metric = 'stat.ctxt'")" = 1 ] \
  || fail "a count metric does not decide at tier tcg"
[ "$(q "SELECT decides FROM comparisons WHERE scenario = 'hackbench-pipe' AND metric = 'stat.ctxt'
        AND note LIKE 'low-fidelity: hackbench-pipe stat.ctxt measured CV 19.4% at tier tcg%'")" = 0 ] \
  || fail "hackbench-pipe's context switches decide at tier tcg despite their declared CV"

[ "$(q 'SELECT count(*) FROM runs')" = 1 ] || fail "expected one run"
[ "$(q 'SELECT count(*) FROM trials')" = 8 ] || fail "expected 8 trials (2 arms x 4 scenarios)"
not_ok=$(q "SELECT arm || ' ' || scenario || ': ' || status || ' ' || message FROM trials WHERE status != 'ok'")
[ -z "$not_ok" ] || fail "trials not ok: $not_ok"
for scenario in hackbench-pipe fio-randread stress-ng-vm; do
  for arm in baseline candidate; do
    n=$(q "SELECT count(*) FROM samples s JOIN trials t ON s.trial_id = t.id
           WHERE t.scenario = '$scenario' AND t.arm = '$arm'")
    [ "${n:-0}" -gt 0 ] || fail "no samples for $arm / $scenario"
  done
done
# The headline metric of each workload has one sample per measured repetition
# (3) and a plausible value.
for pair in "hackbench-pipe time" "fio-randread iops" "stress-ng-vm bogo_ops_per_sec"; do
  set -- $pair
  n=$(q "SELECT count(*) FROM samples s JOIN trials t ON s.trial_id = t.id
         JOIN metrics m ON s.metric_id = m.id
         WHERE t.scenario = '$1' AND m.name = '$2' AND s.value > 0")
  [ "$n" = 6 ] || fail "$1/$2: $n positive samples, want 6 (2 arms x 3 reps)"
done
# The candidate really ran with its knob: the guest's kernel is the one asked
# for, and the console of every trial was kept.
[ "$(q "SELECT count(*) FROM trials WHERE guest_kernel LIKE '6.12.%cloud-amd64'")" = 8 ] \
  || fail "guest kernel not recorded as 6.12 cloud"
[ "$(q "SELECT count(*) FROM trials WHERE length(console_log) > 100")" = 8 ] \
  || fail "console logs missing"
# fio's scratch disk asks for ext4: the guest formats it with the host's
# mkfs.ext4 (shipped in the image), not busybox's ext2-only mke2fs.
grep -h '"step":"scratch"' "$WORK"/trials/run-*/trial-*/events.jsonl | grep -q 'mkfs.ext4' \
  || fail "the scratch disk was not formatted with mkfs.ext4"

finish run_two_arms
