#!/bin/bash
# End-to-end: sched_ext on a kernel kgate builds (config base
# guest-sched-ext: the guest config with BPF, BTF and sched_ext). Not in CI:
# the BTF kernel is a second, larger kernel build (about 20 minutes cold on
# 2 cores), so scripts/verify.sh runs it (./run verify sched-ext), after
# scripts/install-deps.sh sched-ext has installed clang-16.
#   - the build brings the in-tree schedulers, linked statically
#   - proposals/sched-ext-simple on microbench, two rounds: the candidate's
#     trials report scx_simple enabled, and the fault pass kills it and sees
#     sched_ext disabled with every task back on the fair class
#   - a scheduler the kernel ejects mid-trial (scx_qmap -e) fails its trial
#     with the kernel's reason, and the run goes on to a verdict
#   - sched_ext: on a kernel built without it is refused before anything boots
set -u
. "$(dirname "$0")/run_lib.sh"

"$KGATE" kernel build "$SRC/proposals/sched-ext-simple/proposal.yaml" >"$WORK/build.txt" 2>&1
rc=$?
cat "$WORK/build.txt"
[ "$rc" -eq 0 ] || fail "the guest-sched-ext kernel did not build (exit $rc)"
dir=$(sed -n 's|^  bzImage  \(.*\)/bzImage$|\1|p' "$WORK/build.txt" | head -1)
for s in scx_simple scx_central scx_qmap scx_flatcg; do
  file "$dir/sched_ext/$s" 2>/dev/null | grep -q 'statically linked' || fail "no static $s in $dir/sched_ext"
done

run_kgate simple.txt "$SRC/proposals/sched-ext-simple/proposal.yaml" --scenarios microbench --runs 2
case "$RC" in 0|1|3) ;; *) fail "sched-ext-simple exited $RC, want a verdict" ;; esac
[ "$(q "SELECT count(*) FROM trials WHERE arm = 'candidate' AND status = 'ok'")" = 2 ] \
  || fail "the candidate's two trials are not both ok"
enabled=$(cat "$WORK"/trials/run-1/trial-*/events.jsonl | grep -c '"step":"sched_ext","target":"simple enabled after')
[ "$enabled" -eq 2 ] || fail "scx_simple was reported enabled in $enabled trials, want 2"
grep -q 'sched_ext disabled .* s after the kill, all [0-9]* tasks back on the fair class' "$WORK/simple.txt" \
  || fail "the fault pass did not see sched_ext disabled with every task back on the fair class"
[ "$(q "SELECT status FROM checks WHERE kind = 'fault-injection' AND arm = 'candidate'")" = passed ] \
  || fail "the candidate's fault check did not pass"

rm -f "$WORK/run.db"
run_kgate error.txt "$HERE/proposals/sched-ext-error.yaml"
case "$RC" in 0|1|3) ;; *) fail "sched-ext-error exited $RC, want a verdict" ;; esac
failed=$(q "SELECT count(*) FROM trials WHERE arm = 'candidate' AND status = 'failed' AND message LIKE '%sched_ext: during repetition%the kernel disabled ''qmap''%EXIT: scx_bpf_error (test triggering error)%'")
[ "$failed" -ge 1 ] || fail "no candidate trial failed with the kernel disabling qmap"
[ "$(q "SELECT count(*) FROM trials WHERE arm = 'baseline' AND status = 'ok'")" = 2 ] \
  || fail "the baseline's trials did not go on"
q "SELECT message FROM trials WHERE arm = 'candidate'" | cut -c1-400

sed -e 's/base: guest-sched-ext/base: guest/' "$SRC/proposals/sched-ext-simple/proposal.yaml" >"$WORK/plain.yaml"
run_kgate plain.txt "$WORK/plain.yaml" --scenarios microbench --runs 2
[ "$RC" -eq 2 ] || fail "sched_ext on a kernel without it exited $RC, want 2"
grep -q 'was built without CONFIG_SCHED_CLASS_EXT' "$WORK/plain.txt" || fail "the refusal does not say why"

finish sched_ext
