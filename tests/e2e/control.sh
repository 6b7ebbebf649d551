#!/bin/bash
# End-to-end: a bundled control proposal run for real on the quick suite
# under icount, and its verdict asserted. The controls are kgate's honesty
# check on every CI run:
#   aa-control    identical arms: anything but PASS is a false positive
#   init-on-free  init_on_free=1, a known cost on fork + exit: must FAIL
# Usage: control.sh path/to/kgate aa-control|init-on-free
set -u
. "$(dirname "$0")/run_lib.sh"
name=${2:?usage: control.sh KGATE aa-control|init-on-free}
case "$name" in
  aa-control) want_rc=0 want=PASS ;;
  init-on-free) want_rc=1 want=FAIL ;;
  *) echo "control.sh: unknown control '$name'" >&2; exit 2 ;;
esac

run_kgate out.txt "$SRC/proposals/$name/proposal.yaml"
[ "$RC" -eq "$want_rc" ] || fail "kgate run exited $RC, want $want_rc ($want)"
[ "$(q 'SELECT verdict FROM verdicts')" = "$want" ] || fail "stored verdict is not $want"
[ "$(q 'SELECT tier FROM runs')" = icount ] || fail "the run's tier is not icount"
scenarios=$(q 'SELECT group_concat(scenario) FROM (SELECT DISTINCT scenario FROM trials ORDER BY scenario)')
[ "$scenarios" = "fio-randread,hackbench-pipe,microbench,stress-ng-vm" ] \
  || fail "the run covered '$scenarios', not the quick suite"
not_ok=$(q "SELECT arm || ' ' || scenario || ': ' || status FROM trials WHERE status != 'ok'")
[ -z "$not_ok" ] || fail "trials not ok: $not_ok"
rounds=$(q 'SELECT max(round) + 1 FROM trials')
echo "$name: $want after $rounds rounds"
if [ "$name" = init-on-free ]; then
  # The cost is where the kernel docs put it: slab objects zeroed on free as
  # well as on allocation, paid by fork + exit.
  [ "$(q "SELECT classification FROM comparisons WHERE scenario = 'microbench'
          AND metric = 'fork_exit_wait_ns' AND vs = 'baseline' ORDER BY id DESC LIMIT 1")" = regressed ] \
    || fail "fork_exit_wait_ns is not the regression"
  grep -q 'fork_exit_wait_ns' "$WORK/out.txt" || fail "the verdict does not name fork_exit_wait_ns"
fi
finish "control $name"
