#!/bin/bash
# End-to-end: kernels built from source (kbuild/). Builds the guest config
# from linux-source-6.12 (cold on a new machine: about 18 minutes on 2
# cores; then kgate's cache serves it), and checks what a kernel engineer
# is told when a patch series goes wrong:
#   - a patch that does not apply: the patch, its index, subject, hunk,
#     file:line, the lines expected and the lines the tree has (exit 2)
#   - a patch already in the tree: named as already applied (exit 2)
#   - a requested config option Kconfig dropped: named with its depends (exit 2)
#   - a patch that does not compile: a stored build check and a FAIL naming
#     file:line, with nothing booted (exit 1)
# and runs proposals/patch-getpid-cost, a one-file patch with a known cost
# on getpid(2), to its verdict: FAIL on getpid_ns.
set -u
. "$(dirname "$0")/run_lib.sh"

patch_with() {  # NAME SUBJECT HUNK...: a one-patch mbox on kernel/sys.c
  local file=$WORK/$1 subject=$2
  shift 2
  {
    printf 'From: Tester <tester@example.org>\nSubject: [PATCH] %s\n\n' "$subject"
    printf 'base-commit: 0123456789abcdef\n---\n'
    printf -- '--- a/kernel/sys.c\n+++ b/kernel/sys.c\n'
    printf '%s\n' "$@"
  } >"$file"
  echo "$file"
}

# Against 6.12.118's kernel/sys.c, where getpid is at line 967.
stale=$(patch_with stale.patch "sys: a stale hunk" '@@ -966,6 +966,7 @@' '  */' ' SYSCALL_DEFINE0(getpid)' \
  ' {' $'+\t/* comment */' $' \treturn task_tgid_vnr(current->group_leader);' ' }' ' ')
"$KGATE" kernel build debian:6.12 --patch "$stale" >"$WORK/stale.txt" 2>&1
rc=$?
cat "$WORK/stale.txt"
[ "$rc" -eq 2 ] || fail "a patch that does not apply exited $rc, want 2"
for want in 'stale.patch (patch 1 of 1, "sys: a stale hunk")' '@@ -966,6 +966,7 @@' 'kernel/sys.c:966' \
            'task_tgid_vnr(current->group_leader)' 'base-commit: 0123456789abcdef'; do
  grep -qF -- "$want" "$WORK/stale.txt" || fail "the apply error does not say '$want'"
done

applied=$(patch_with applied.patch "sys: already there" '@@ -966,5 +966,6 @@' '  */' ' SYSCALL_DEFINE0(getpid)' \
  ' {' $'+\treturn task_tgid_vnr(current);' ' }' ' ')
"$KGATE" kernel build debian:6.12 --patch "$applied" >"$WORK/applied.txt" 2>&1
rc=$?
cat "$WORK/applied.txt"
[ "$rc" -eq 2 ] || fail "an already-applied patch exited $rc, want 2"
grep -q 'already applied' "$WORK/applied.txt" || fail "the already-applied patch is not named as such"

"$KGATE" kernel build debian:6.12 --set SCHED_CLASS_EXT=y >"$WORK/dropped.txt" 2>&1
rc=$?
cat "$WORK/dropped.txt"
[ "$rc" -eq 2 ] || fail "a dropped config option exited $rc, want 2"
grep -q 'CONFIG_SCHED_CLASS_EXT=y (set: SCHED_CLASS_EXT) became n' "$WORK/dropped.txt" \
  || fail "the dropped option is not named"
grep -q 'DEBUG_INFO_BTF' "$WORK/dropped.txt" || fail "what SCHED_CLASS_EXT depends on is not named"

# The known-cost control: baseline and candidate built, then judged.
run_kgate cost.txt "$SRC/proposals/patch-getpid-cost/proposal.yaml"
[ "$RC" -eq 1 ] || fail "patch-getpid-cost exited $RC, want 1 (FAIL)"
[ "$(q 'SELECT verdict FROM verdicts')" = FAIL ] || fail "patch-getpid-cost is not FAIL"
[ "$(q "SELECT count(*) FROM checks WHERE kind = 'build' AND status = 'passed'")" = 2 ] \
  || fail "both arms' builds are not stored as passed checks"
[ "$(q "SELECT classification FROM comparisons WHERE metric = 'getpid_ns' ORDER BY id DESC LIMIT 1")" = regressed ] \
  || fail "getpid_ns is not the regression"
not_ok=$(q "SELECT arm || ' ' || scenario || ': ' || status FROM trials WHERE status != 'ok'")
[ -z "$not_ok" ] || fail "trials not ok: $not_ok"
"$KGATE" kernel build "$SRC/proposals/patch-getpid-cost/proposal.yaml" >"$WORK/again.txt" 2>&1 \
  || fail "building the proposal's kernels again failed"
[ "$(grep -c 'from the build cache' "$WORK/again.txt")" -ge 2 ] || fail "the second build was not a cache hit"

# A patch that does not compile: a verdict, not a crash.
mkdir -p "$WORK/broken"
patch_with broken/broken.patch "sys: does not compile" '@@ -966,6 +966,7 @@' '  */' ' SYSCALL_DEFINE0(getpid)' \
  ' {' $'+\tthis_is_not_c(;' $' \treturn task_tgid_vnr(current);' ' }' ' ' >/dev/null
cat >"$WORK/broken/proposal.yaml" <<'YAML'
kgate: 1
proposal: broken-patch
title: a patch that does not compile
baseline:
  kernel: {build: {same-as: candidate, patches: []}}
candidate:
  kernel: {build: {source: debian:6.12, patches: [broken.patch]}}
scenarios: [microbench]
tier: icount
runs: {min: 3, max: 3}
YAML
rm -f "$WORK/run.db"
run_kgate broken.txt "$WORK/broken/proposal.yaml"
[ "$RC" -eq 1 ] || fail "a patch that does not compile exited $RC, want 1 (FAIL)"
[ "$(q 'SELECT verdict FROM verdicts')" = FAIL ] || fail "the broken patch is not FAIL"
[ "$(q 'SELECT count(*) FROM trials')" = 0 ] || fail "trials ran on a kernel that did not build"
summary=$(q "SELECT summary FROM checks WHERE kind = 'build' AND arm = 'candidate' AND status = 'failed'")
case "$summary" in
  kernel/sys.c:969:*error:*) ;;
  *) fail "the build check does not name kernel/sys.c:969 and the error: '$summary'" ;;
esac
grep -q 'candidate kernel did not build: kernel/sys.c:969' "$WORK/broken.txt" \
  || fail "the verdict does not say the candidate did not build"
# An out-of-tree module on a kernel kgate built: the module is built against
# that kernel's own tree (kept with it in the cache), loaded in its guests and
# cycled before the trials, as on a Debian kernel.
mkdir -p "$WORK/module"
cat >"$WORK/module/proposal.yaml" <<YAML
kgate: 1
proposal: built-module-arm
title: an out-of-tree module on a kernel kgate built
baseline:
  kernel: {build: {same-as: candidate}}
candidate:
  kernel: {build: {source: debian:6.12}}
  modules: [$SRC/analysis/testdata/clean_module]
scenarios: [boot-only]
tier: tcg
runs: {min: 1, max: 1}
YAML
rm -rf "$WORK/run.db" "$WORK/trials"
run_kgate module.txt "$WORK/module/proposal.yaml"
[ "$RC" -eq 3 ] || fail "a module arm on a built kernel exited $RC, want 3 (one round: INCONCLUSIVE)"
not_ok=$(q "SELECT arm || ': ' || status || ' ' || message FROM trials WHERE status != 'ok'")
[ -z "$not_ok" ] || fail "module arm trials not ok: $not_ok"
kit=$(q "SELECT json_extract(detail_json, '\$.modules[0].ko') FROM checks WHERE kind = 'analysis'")
case "$kit" in
  */module-builds/*-kgate-build-*/*/ra_hint.ko) ;;
  *) fail "the module was not built against the built kernel's tree: '$kit'" ;;
esac
built=$(q "SELECT json_extract(detail_json, '\$.modules[0].kernel_version') FROM checks WHERE kind = 'analysis'")
booted=$(q "SELECT DISTINCT guest_kernel FROM trials WHERE arm = 'candidate'")
[ -n "$built" ] && [ "$built" = "$booted" ] || fail "module built for '$built', the guest booted '$booted'"
cand=$(q "SELECT seq FROM trials WHERE arm = 'candidate'")
grep '"step":"insmod"' "$WORK"/trials/run-1/trial-$(printf %04d "$cand")/events.jsonl | grep -q '"ok":true' \
  || fail "the built kernel's guest did not load the module"
[ "$(q "SELECT status FROM checks WHERE kind = 'module-cycle' AND arm = 'candidate'")" = passed ] \
  || fail "no passed module-cycle check on the built kernel"
finish "kernel build"
