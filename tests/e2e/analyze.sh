#!/bin/bash
# End-to-end: `kgate analyze` on the fixtures in analysis/testdata/, with the
# real checkpatch.pl fetched from Debian's linux-source-6.12 into the user's
# kgate cache on first run (later runs reuse it).
# Usage: analyze.sh path/to/kgate
# Checks: exit codes under policies mainline and lenient; every kgate rule in
# the JSON for the sinful patch and module, none for the clean ones; that
# checkpatch really ran (package version, the exact types and lines it
# reports on each fixture); subsystems from the real MAINTAINERS; the score
# and its components; the console listing; bad inputs exit 2 with file:line;
# --no-checkpatch is reported as not run.
set -u
. "$(dirname "$0")/run_lib.sh"
DATA=$SRC/analysis/testdata
RULES="fpu-in-kernel kernel-file-io hardcoded-path raw-hook new-uapi no-kill-switch polling-kthread in-kernel-training"

# analyze INPUT NAME WANT_EXIT [args...]: JSON into $WORK/NAME.json
analyze() {
  local input=$1 name=$2 want=$3; shift 3
  "$KGATE" analyze --json "$@" "$input" >"$WORK/$name.json" 2>"$WORK/$name.err"
  local rc=$?
  [ "$rc" -eq "$want" ] || fail "$name: exit $rc, want $want: $(cat "$WORK/$name.err")"
}
# q NAME FILTER: jq over NAME's JSON, raw output
q() { jq -r "$2" "$WORK/$1.json"; }

analyze "$DATA/sinful.patch" sinful 1
[ "$(q sinful .checkpatch.ran)" = true ] || fail "checkpatch did not run: $(q sinful .checkpatch.reason)"
[ "$(q sinful .checkpatch.package)" = linux-source-6.12 ] || fail "checkpatch package: $(q sinful .checkpatch.package)"
grep -q '^6\.12\.' <<<"$(q sinful .checkpatch.version)" || fail "checkpatch version: $(q sinful .checkpatch.version)"
for rule in $RULES; do
  [ "$(q sinful "[.findings[] | select(.rule == \"$rule\")] | length")" -gt 0 ] || fail "sinful.patch: $rule did not fire"
done
cp_got=$(q sinful '.findings[] | select(.rule | startswith("checkpatch-")) | "\(.rule) \(.level) \(.file):\(.line)"')
cp_want="checkpatch-FILE_PATH_CHANGES warning include/linux/ml_readahead.h:0
checkpatch-CONFIG_DESCRIPTION warning mm/Kconfig:929
checkpatch-INITIALISED_STATIC error mm/ml_readahead.c:19
checkpatch-SPACING error mm/ml_readahead.c:51
checkpatch-TRAILING_WHITESPACE error mm/ml_readahead.c:68
checkpatch-LONG_LINE warning mm/ml_readahead.c:102
checkpatch-PRINTK_WITHOUT_KERN_LEVEL warning mm/ml_readahead.c:102
checkpatch-MSLEEP warning mm/ml_readahead.c:125"
[ "$cp_got" = "$cp_want" ] || fail "sinful.patch checkpatch findings:
$cp_got"
[ "$(q sinful '.findings[] | select(.rule == "checkpatch-SPACING") | .excerpt')" = 'if(!file)' ] \
  || fail "checkpatch excerpt: $(q sinful '.findings[] | select(.rule == "checkpatch-SPACING") | .excerpt')"
[ "$(q sinful '.metrics.subsystems_by_file["mm/readahead.c"][0]')" = "PAGE CACHE" ] \
  || fail "mm/readahead.c subsystem: $(q sinful '.metrics.subsystems_by_file["mm/readahead.c"]')"
q sinful '.metrics.subsystems[]' | grep -q '^MEMORY MANAGEMENT' || fail "no MEMORY MANAGEMENT subsystem: $(q sinful .metrics.subsystems)"
[ "$(q sinful .metrics.insertions)" = 202 ] || fail "insertions $(q sinful .metrics.insertions)"
[ "$(q sinful .maintainability.score)" = 0 ] || fail "sinful score $(q sinful .maintainability.score)"
[ "$(q sinful '.policy.forbidden_fired | join(",")')" = "fpu-in-kernel,kernel-file-io,hardcoded-path,raw-hook" ] \
  || fail "forbidden fired: $(q sinful .policy.forbidden_fired)"

analyze "$DATA/clean.patch" clean 0
[ "$(q clean '[.findings[] | "\(.rule) \(.file):\(.line)"] | join(";")')" = \
  "checkpatch-FILE_PATH_CHANGES Documentation/ABI/testing/procfs-sys-vm-readahead:0" ] \
  || fail "clean.patch findings: $(q clean '[.findings[].rule]')"
[ "$(q clean .maintainability.score)" = 99 ] || fail "clean score $(q clean .maintainability.score)"
[ "$(q clean .policy.verdict)" = PASS ] || fail "clean verdict $(q clean .policy.verdict)"

# Module builds are tested in analyze_module_build.sh; here only that they can be skipped.
analyze "$DATA/sinful_module" sinful_module 1 --no-build
for rule in $RULES; do
  [ "$(q sinful_module "[.findings[] | select(.rule == \"$rule\")] | length")" -gt 0 ] || fail "sinful_module: $rule did not fire"
done
[ "$(q sinful_module '[.findings[] | select(.rule | startswith("checkpatch-")) | "\(.rule) \(.file):\(.line)"] | join(";")')" = \
  "checkpatch-TRAILING_WHITESPACE mlsched.c:16;checkpatch-SPACING mlsched.c:29" ] \
  || fail "sinful_module checkpatch: $(q sinful_module '[.findings[] | select(.rule | startswith("checkpatch-"))]')"
[ "$(q sinful_module .build.reason)" = "disabled with --no-build" ] || fail "sinful_module build: $(q sinful_module .build)"
[ "$(q sinful_module .metrics.subsystems)" = null ] || fail "module subsystems should be unknown"

analyze "$DATA/clean_module" clean_module 0 --no-build
[ "$(q clean_module '.findings | length')" = 0 ] || fail "clean_module findings: $(q clean_module .findings)"
[ "$(q clean_module .checkpatch.ran)" = true ] || fail "clean_module: checkpatch did not run"
[ "$(q clean_module .maintainability.score)" = 100 ] || fail "clean_module score $(q clean_module .maintainability.score)"

# An mbox of two patches: checkpatch runs on each, findings add up.
cat "$DATA/sinful.patch" <(echo) "$DATA/clean.patch" >"$WORK/series.mbox"
analyze "$WORK/series.mbox" series 1
[ "$(q series .metrics.patches)" = 2 ] || fail "mbox: $(q series .metrics.patches) patches, want 2"
[ "$(q series '[.findings[] | select(.rule | startswith("checkpatch-"))] | length')" = 9 ] \
  || fail "mbox checkpatch findings: $(q series '[.findings[] | select(.rule | startswith("checkpatch-")) | .rule]')"
# The second patch brings a static key and a sysctl: a switch anywhere in the
# series counts (docs/analysis.md), so only no-kill-switch goes away.
kgate_rules='[.findings[] | select((.rule | startswith("checkpatch-") | not) and .rule != "no-kill-switch") | "\(.rule) \(.file):\(.line)"]'
[ "$(q series "$kgate_rules")" = "$(q sinful "$kgate_rules")" ] || fail "mbox: kgate findings differ from the sinful patch alone"
[ "$(q series '[.findings[] | select(.rule == "no-kill-switch")] | length')" = 0 ] || fail "mbox: no-kill-switch still fires"

# Policy lenient forbids nothing: the same findings, exit 0.
analyze "$DATA/sinful.patch" lenient 0 --policy lenient
[ "$(q lenient '.findings | length')" = "$(q sinful '.findings | length')" ] || fail "lenient changed the findings"

# The console listing: rule, level, file:line, the line, why; metrics; score.
out=$("$KGATE" analyze "$DATA/sinful.patch" 2>&1); rc=$?
[ "$rc" -eq 1 ] || fail "console: exit $rc, want 1"
grep -q '^kernel-file-io  *error  *mm/ml_readahead.c:36  \[forbidden by policy\]$' <<<"$out" || fail "console lacks the file-io line: $out"
grep -qF '| filp = filp_open("/tmp/mlra_weights.bin", O_RDONLY, 0);' <<<"$out" || fail "console lacks the excerpt"
grep -q '^checkpatch.pl: linux-source-6.12 6\.12\..*: 3 errors, 5 warnings, 0 checks$' <<<"$out" || fail "console checkpatch line: $out"
grep -q '^maintainability score: 0/100$' <<<"$out" || fail "console score"
grep -q '^FAIL: policy mainline forbids fpu-in-kernel, kernel-file-io, hardcoded-path, raw-hook$' <<<"$out" || fail "console verdict"

# Without checkpatch: said so, never silently skipped.
analyze "$DATA/clean.patch" nocp 0 --no-checkpatch
[ "$(q nocp .build.reason)" = "not applicable: the input is a patch, not a module directory" ] || fail "patch build: $(q nocp .build)"
[ "$(q nocp .checkpatch.ran)" = false ] || fail "--no-checkpatch: ran"
[ "$(q nocp .checkpatch.reason)" = "disabled with --no-checkpatch" ] || fail "--no-checkpatch reason: $(q nocp .checkpatch.reason)"
q nocp '.maintainability.components[] | select(.name == "checkpatch") | .detail' | grep -q '^not run: ' || fail "score does not say checkpatch was not run"
"$KGATE" analyze --no-checkpatch "$DATA/clean.patch" | grep -q '^checkpatch.pl: NOT RUN: disabled with --no-checkpatch$' || fail "console does not say NOT RUN"

# Bad inputs: exit 2, naming file and line.
printf 'Dear maintainers,\nplease merge my model.\n' >"$WORK/letter.txt"
err=$("$KGATE" analyze "$WORK/letter.txt" 2>&1); rc=$?
[ "$rc" -eq 2 ] || fail "not a diff: exit $rc, want 2"
grep -qF "$WORK/letter.txt:1: no diff found" <<<"$err" || fail "not a diff message: $err"
head -n 60 "$DATA/sinful.patch" >"$WORK/cut.patch"
err=$("$KGATE" analyze "$WORK/cut.patch" 2>&1); rc=$?
[ "$rc" -eq 2 ] || fail "truncated: exit $rc, want 2"
grep -qF "$WORK/cut.patch:60: truncated hunk (the one at line 50)" <<<"$err" || fail "truncated message: $err"
err=$("$KGATE" analyze "$WORK/nothing-here" 2>&1); rc=$?
[ "$rc" -eq 2 ] || fail "missing input: exit $rc, want 2"
cat >"$WORK/typo.yaml" <<'YAML'
kgate: 1
policy: typo
forbid: [fpu-in-kernal]
YAML
err=$("$KGATE" analyze --policy "$WORK/typo.yaml" "$DATA/clean.patch" 2>&1); rc=$?
[ "$rc" -eq 2 ] || fail "unknown forbidden rule: exit $rc, want 2: $err"
grep -q "unknown rule 'fpu-in-kernal' (did you mean 'fpu-in-kernel'?)" <<<"$err" || fail "forbid typo message: $err"

finish analyze
