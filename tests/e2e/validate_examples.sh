#!/bin/bash
# End-to-end: every shipped suite, policy and example proposal validates
# against the real scenario catalogue, and the example proposals plan.
# Usage: validate_examples.sh path/to/kgate
set -u
KGATE=${1:?usage: $0 path/to/kgate}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
unset KGATE_HOME
export KGATE_HOME=$SRC
FAILS=0
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }

for f in "$SRC"/suites/*.yaml "$SRC"/policies/*.yaml "$SRC"/proposals/*/proposal.yaml "$SRC"/proposals/*/training.yaml \
         "$SRC"/scenarios/*/workload.yaml; do
  out=$("$KGATE" validate "$f" 2>&1) || fail "$out"
done
out=$("$KGATE" plan "$SRC/proposals/aa-control/proposal.yaml") || fail "plan aa-control"
grep -qF "40 trials: 2 arms x 4 scenarios x 1 shapes x 5 rounds" <<<"$out" || fail "aa-control: $(tail -1 <<<"$out")"
out=$("$KGATE" plan "$SRC/proposals/knob-example/proposal.yaml") || fail "plan knob-example"
grep -qF "24 trials: 4 arms x 3 scenarios x 1 shapes x 2 rounds" <<<"$out" || fail "knob-example: $(tail -1 <<<"$out")"

[ $FAILS -eq 0 ] && echo "validate_examples: all passed" || echo "validate_examples: $FAILS failed"
[ $FAILS -eq 0 ]
