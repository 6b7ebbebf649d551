#!/bin/bash
# End-to-end: a scenario whose workload binary the host lacks is recorded as
# failed trials naming the binary, without a boot, and the other scenario of
# the same run still boots and yields samples.
# Usage: run_missing_tool.sh path/to/kgate
set -u
. "$(dirname "$0")/run_lib.sh"

# A kgate home with the real catalogue plus one scenario needing a tool that
# no host has.
export KGATE_HOME=$WORK/home
mkdir -p "$KGATE_HOME/scenarios/missing-tool"
cp -r "$SRC/scenarios/boot-only" "$KGATE_HOME/scenarios/"
cp -r "$SRC/policies" "$SRC/suites" "$KGATE_HOME/"
cat >"$KGATE_HOME/scenarios/missing-tool/workload.yaml" <<'YAML'
kgate: 1
scenario: missing-tool
needs: [kgate-no-such-tool]
run: kgate-no-such-tool
parser: counters
metrics:
  stat.ctxt: {unit: switches, better: lower, kind: count}
YAML
cat >"$WORK/proposal.yaml" <<'YAML'
kgate: 1
proposal: e2e-missing-tool
baseline: {kernel: debian:6.12-cloud}
candidate: {kernel: debian:6.12-cloud}
scenarios: [missing-tool, boot-only]
tier: tcg
runs: {min: 1, max: 1}
YAML

run_kgate out.txt "$WORK/proposal.yaml"
# Both arms failed the same way: not the candidate's fault, so INCONCLUSIVE
# (exit 3), not FAIL; and the run went on to boot-only.
[ "$RC" -eq 3 ] || fail "kgate run exited $RC, want 3; a missing workload binary must not stop the run"
q 'SELECT reasons_json FROM verdicts' | grep -q 'failed, and so did the baseline' \
  || fail "the verdict does not say both arms failed: $(q 'SELECT reasons_json FROM verdicts')"
[ "$(q "SELECT count(*) FROM trials WHERE scenario = 'missing-tool' AND status = 'failed'")" = 2 ] \
  || fail "missing-tool trials: $(q "SELECT arm, status FROM trials WHERE scenario = 'missing-tool'")"
q "SELECT message FROM trials WHERE scenario = 'missing-tool'" | grep -q "needs kgate-no-such-tool on the host" \
  || fail "the failed trials do not name the missing binary"
[ "$(q "SELECT count(*) FROM trials WHERE scenario = 'missing-tool' AND boot_seconds > 0")" = 0 ] \
  || fail "a guest was booted for a scenario that cannot run"
[ "$(q "SELECT count(*) FROM trials WHERE scenario = 'boot-only' AND status = 'ok'")" = 2 ] \
  || fail "boot-only trials not ok"

finish run_missing_tool
