#!/bin/bash
# End-to-end: `kgate validate` and `kgate plan` on good and bad files.
# Usage: validate_bad_inputs.sh path/to/kgate
# Runs against the fixture tree config/testdata/tree (KGATE_HOME), so it does
# not depend on the real scenario catalogue. Each bad input must exit 2 and
# print its file:line:col and what was expected.
set -u
KGATE=${1:?usage: $0 path/to/kgate}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
export KGATE_HOME=$SRC/config/testdata/tree
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
FAILS=0

fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }

# expect_bad NAME EXPECTED-STDERR-LINE: validate $WORK/NAME.yaml, want exit 2
# and the exact line on stderr.
expect_bad() {
  local file=$WORK/$1.yaml want=$2 out rc
  out=$("$KGATE" validate "$file" 2>&1 >/dev/null); rc=$?
  [ "$rc" -eq 2 ] || fail "$1: exit $rc, want 2"
  grep -qxF -- "$want" <<<"$out" || fail "$1: stderr lacks '$want'; got: $out"
}

HEAD='kgate: 1
proposal: p
baseline: {kernel: debian:6.12-cloud}
candidate: {kernel: debian:6.12-cloud}'

printf '%s\nscenarios: [hackbench-pipe]\nrunz: {min: 2}\n' "$HEAD" > "$WORK/typo.yaml"
expect_bad typo "$WORK/typo.yaml:6:1: unknown key 'runz'; did you mean 'runs'?"

printf 'kgate: 1\nproposal: [unclosed\n' > "$WORK/malformed.yaml"
out=$("$KGATE" validate "$WORK/malformed.yaml" 2>&1); rc=$?
[ $rc -eq 2 ] && grep -q "^$WORK/malformed.yaml:3:1: malformed YAML: " <<<"$out" \
  || fail "malformed: rc=$rc out=$out"

printf '%s\nscenarios: [hackbench-pipe, fio-randreed]\n' "$HEAD" > "$WORK/scenario.yaml"
expect_bad scenario "$WORK/scenario.yaml:5:29: unknown scenario 'fio-randreed'; did you mean 'fio-randread'?"

printf '%s\nscenarios: [hackbench-pipe]\nshapes: [{vcpus: 2, memory: 1024}]\n' "$HEAD" > "$WORK/units.yaml"
expect_bad units "$WORK/units.yaml:6:29: 'memory': '1024' has no unit: expected a size like 512M, 1G or 1.5G"

printf '%s\nscenarios: [fio-randread]\nclaims:\n  - {id: a, scenario: fio-randread, metric: read_ops, expect: "+10%%"}\n  - {id: a, scenario: fio-randread, metric: read_iops, expect: "2 times"}\n' \
  "$HEAD" > "$WORK/claims.yaml"
expect_bad claims "$WORK/claims.yaml:7:45: claim 'a': scenario 'fio-randread' declares no metric 'read_ops'; did you mean 'read_iops'?"
expect_bad claims "$WORK/claims.yaml:8:10: duplicate claim id 'a' (first used on line 7)"
expect_bad claims "$WORK/claims.yaml:8:64: bad expect '2 times': expected a ratio like '>= 2.3x' or a change like '+15%' or '<= -20%'"

printf 'kgate: 1\nproposal: p\nbaseline: {kernel: debian:6.12-cloud}\ncandidate: {}\nscenarios: [hackbench-pipe]\n' > "$WORK/emptyarm.yaml"
expect_bad emptyarm "$WORK/emptyarm.yaml:4:12: arm 'candidate' is empty; expected at least 'kernel'"

printf '%s\nscenarios: [hackbench-pipe]\ntargets: [stress-ng-vm]\n' "$HEAD" > "$WORK/target.yaml"
expect_bad target "$WORK/target.yaml:6:11: target 'stress-ng-vm' is not among the proposal's scenarios"

printf 'kgate: 2\nsuite: v\nscenarios: [hackbench-pipe]\n' > "$WORK/v.yaml"
expect_bad v "$WORK/v.yaml:1:8: unsupported format version kgate: 2; this kgate reads version 1"

printf 'kgate: 1\npolicy: pol\nmargin: 2 pct\n' > "$WORK/pol.yaml"
expect_bad pol "$WORK/pol.yaml:3:9: 'margin': '2 pct' has an unknown unit 'pct': expected a percentage like 2% or a fraction in [0, 1]"

mkdir -p "$WORK/s"
printf 'kgate: 1\nscenario: s\nrun: x {n}\nparser: p\nmetrics: {t: {unit: s, better: lower, kind: time}}\n' > "$WORK/s/workload.yaml"
out=$("$KGATE" validate "$WORK/s/workload.yaml" 2>&1); rc=$?
[ $rc -eq 2 ] && grep -qxF "$WORK/s/workload.yaml:3:6: {n} has no value in 'params'" <<<"$out" \
  || fail "placeholder: rc=$rc out=$out"

# Files that cannot be read: one line each, exit 2.
expect_bad missing "$WORK/missing.yaml: cannot read: No such file or directory"
mkdir "$WORK/dir.yaml"
expect_bad dir "$WORK/dir.yaml: is a directory, expected a file"
printf 'kgate: 1\nproposal: caf\xe9\n' > "$WORK/latin1.yaml"
expect_bad latin1 "$WORK/latin1.yaml: not valid UTF-8 text (bad byte at offset 22)"
head -c 52428800 /dev/zero | tr '\0' '#' > "$WORK/big.yaml"
expect_bad big "$WORK/big.yaml: 52428800 bytes, larger than the 4194304 bytes allowed"

# Good files print "FILE: ok"; a mix exits 2 but still reports the good one.
GOOD=$SRC/config/testdata/proposals/full.yaml
out=$("$KGATE" validate "$GOOD" "$KGATE_HOME/suites/quick.yaml" "$KGATE_HOME/policies/mainline.yaml" 2>&1); rc=$?
[ $rc -eq 0 ] && grep -qxF "$GOOD: ok" <<<"$out" || fail "good files: rc=$rc out=$out"
out=$("$KGATE" validate "$GOOD" "$WORK/typo.yaml" 2>/dev/null); rc=$?
[ $rc -eq 2 ] && grep -qxF "$GOOD: ok" <<<"$out" || fail "mixed files: rc=$rc out=$out"

# plan: a table with a summary, JSON, filters, and bad input.
out=$("$KGATE" plan "$GOOD" 2>&1); rc=$?
[ $rc -eq 0 ] && grep -qF "192 trials: 8 arms x 4 scenarios x 2 shapes x 3 rounds (adaptive up to 9)" <<<"$out" \
  || fail "plan table: rc=$rc out=$(tail -2 <<<"$out")"
out=$("$KGATE" plan "$GOOD" --json --scenarios fio-randread --runs 2 --shape 2cpu-1G --seed 7 2>&1); rc=$?
[ $rc -eq 0 ] && [ "$(grep -c '"seq"' <<<"$out")" -eq 16 ] && grep -qF '"seed": "7"' <<<"$out" \
  || fail "plan json: rc=$rc"
out=$("$KGATE" plan "$GOOD" --scenarios fio-randreed 2>&1); rc=$?
[ $rc -eq 2 ] && grep -qF "did you mean 'fio-randread'?" <<<"$out" || fail "plan filter: rc=$rc out=$out"
out=$("$KGATE" plan "$WORK/typo.yaml" 2>&1); rc=$?
[ $rc -eq 2 ] && grep -qF "$WORK/typo.yaml:6:1: unknown key 'runz'" <<<"$out" || fail "plan bad: rc=$rc"

[ $FAILS -eq 0 ] && echo "validate_bad_inputs: all passed" || echo "validate_bad_inputs: $FAILS failed"
[ $FAILS -eq 0 ]
