#!/bin/bash
# End-to-end: SIGTERM to `kgate run` kills its guest, marks the run
# interrupted, prints a resume hint and exits 143; SIGKILL leaves no guest
# behind either (QEMU dies with kgate); --resume then completes the run with
# no trial lost or doubled.
# Usage: run_stop.sh path/to/kgate
set -u
. "$(dirname "$0")/run_lib.sh"
PROPOSAL=$HERE/proposals/stop-resume.yaml

# The QEMU processes started by kgate process $1 (they carry -name kgate.<pid>).
guests_of() { pgrep -f -- "-name kgate\.$1( |$)" || true; }
# Waits up to 120 s for kgate $1 to have a guest running.
wait_for_guest() {
  for _ in $(seq 1 600); do
    [ -n "$(guests_of "$1")" ] && return 0
    sleep 0.2
  done
  return 1
}

"$KGATE" --db "$WORK/run.db" run "$PROPOSAL" --work-dir "$WORK/trials" >"$WORK/term.txt" 2>&1 &
pid=$!
wait_for_guest "$pid" || fail "no guest appeared"
kill -TERM "$pid"
wait "$pid"
rc=$?
cat "$WORK/term.txt"
[ "$rc" -eq 143 ] || fail "SIGTERM: exit $rc, want 143"
sleep 1
[ -z "$(guests_of "$pid")" ] || fail "SIGTERM left a guest running: $(guests_of "$pid")"
[ "$(q 'SELECT status FROM runs WHERE id = 1')" = interrupted ] || fail "run 1 not marked interrupted"
grep -q -- "--resume 1" "$WORK/term.txt" || fail "no resume hint"
before=$(q 'SELECT count(*) FROM trials')

"$KGATE" --db "$WORK/run.db" run "$PROPOSAL" --resume 1 --work-dir "$WORK/trials" \
  >"$WORK/kill.txt" 2>&1 &
pid=$!
wait_for_guest "$pid" || fail "no guest appeared on resume"
kill -KILL "$pid"
wait "$pid"
for _ in $(seq 1 50); do
  [ -z "$(guests_of "$pid")" ] && break
  sleep 0.1
done
[ -z "$(guests_of "$pid")" ] || fail "SIGKILL left a guest running: $(guests_of "$pid")"

run_kgate resume.txt "$PROPOSAL" --resume 1
case "$RC" in 0|1|3) ;; *) fail "the final resume failed (exit $RC)" ;; esac
[ "$(q 'SELECT status FROM runs WHERE id = 1')" = done ] || fail "run 1 not done after resume"
[ "$(q 'SELECT count(*) FROM trials')" = 6 ] || fail "want 6 trials, have $(q 'SELECT count(*) FROM trials')"
[ "$(q 'SELECT count(DISTINCT seq) FROM trials')" = 6 ] || fail "a trial is stored twice"
[ "$(q 'SELECT count(*) FROM runs')" = 1 ] || fail "a resume created a run"
echo "trials stored before the resumes: $before; after: 6"
finish run_stop
