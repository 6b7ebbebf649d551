#!/bin/bash
# End-to-end: `kgate run` of an arm with modules: analyses the module, builds
# it against the arm's Debian 6.12 cloud headers, ships the .ko into the
# guest and loads it before the workload; the analysis is stored as the
# arm's findings and check, and the maintainability score comes from it;
# the module is cycled 20 times before the trials. A patch: arm on a Debian
# kernel is refused before anything is created.
# Usage: run_module_arm.sh path/to/kgate
set -u
. "$(dirname "$0")/run_lib.sh"

run_kgate out.txt "$HERE/proposals/module-arm.yaml"
rc=$RC
# One round cannot be compared: INCONCLUSIVE, but every trial ran.
[ "$rc" -eq 3 ] || fail "kgate run exited $rc, want 3 (INCONCLUSIVE)"
not_ok=$(q "SELECT arm || ': ' || status || ' ' || message FROM trials WHERE status != 'ok'")
[ -z "$not_ok" ] || fail "trials not ok: $not_ok"
grep -q "^arm 'candidate': maintainability 100/100; 0 error(s), 0 warning(s)" "$WORK/out.txt" \
  || fail "no analysis line for the candidate"

# The analysis is stored: one passed check for the candidate only, with the
# module built for the kernel the guest booted.
[ "$(q "SELECT arm || ' ' || status FROM checks WHERE kind = 'analysis'")" = "candidate passed" ] \
  || fail "analysis check not stored as passed for the candidate"
ko=$(q "SELECT json_extract(detail_json, '\$.modules[0].guest_path') FROM checks WHERE kind = 'analysis'")
[ "$ko" = /kgate/modules/1/ra_hint.ko ] || fail "module guest path is '$ko'"
built=$(q "SELECT json_extract(detail_json, '\$.modules[0].kernel_version') FROM checks")
booted=$(q "SELECT DISTINCT guest_kernel FROM trials WHERE arm = 'candidate'")
[ -n "$built" ] && [ "$built" = "$booted" ] || fail "built for '$built', booted '$booted'"

# The candidate's guest loaded it (an insmod step that succeeded, and the
# kernel's own taint message); the baseline's did not.
cand=$(q "SELECT seq FROM trials WHERE arm = 'candidate'")
base=$(q "SELECT seq FROM trials WHERE arm = 'baseline'")
events() { cat "$WORK"/trials/run-1/trial-$(printf %04d "$1")/events.jsonl; }
events "$cand" | grep '"step":"insmod"' | grep -q '"ok":true' || fail "no successful insmod step"
events "$base" | grep -q '"step":"insmod"' && fail "the baseline loaded a module"
# The cycle before the trials: 20 loads and unloads, no leak, no splat.
[ "$(q "SELECT status FROM checks WHERE kind = 'module-cycle' AND arm = 'candidate'")" = passed ] \
  || fail "no passed module-cycle check for the candidate"
[ "$(q "SELECT json_extract(detail_json, '\$.loaded') || '/' || json_extract(detail_json, '\$.unloaded') FROM checks WHERE kind = 'module-cycle'")" = 20/20 ] \
  || fail "the module cycle did not load and unload 20 times"

# Mainline asks for the fault pass: a module arm has no agent to kill, so
# its parameters get the garbage; ra_hint's only one is read-only (0444),
# and the kernel refuses every write with EACCES.
[ "$(q "SELECT status FROM checks WHERE kind = 'fault-injection' AND arm = 'candidate'")" = passed ] \
  || fail "no passed fault-injection check for the module arm"
[ "$(q "SELECT count(*) FROM checks, json_each(json_extract(detail_json, '\$.event.garbage')) g
        WHERE kind = 'fault-injection'
          AND json_extract(g.value, '\$.knob') = '/sys/module/ra_hint/parameters/enable'
          AND json_extract(g.value, '\$.errno') = 13")" = 7 ] \
  || fail "the module parameter did not get 7 refused garbage writes"
grep -q "no agent program to kill" "$WORK/out.txt" || fail "the fault line does not say there is no agent"

# The verdict's maintainability score is the analysis's.
score=$(q "SELECT json_extract(scores_json, '\$.maintainability.score') FROM verdicts")
[ "$score" = 100 ] || fail "maintainability score '$score', want 100"

# Patches go under a kernel kgate builds (kernel: {build: {patches: ...}});
# the old top-level patch: key is refused with where they go, nothing stored.
sed -e "s|modules: \\[.*\\]|patch: [$SRC/analysis/testdata/clean.patch]|" \
    -e 's|proposal: e2e-module-arm|proposal: e2e-patch-arm|' \
  "$HERE/proposals/module-arm.yaml" >"$WORK/patch-arm.yaml"
grep -q "patch: \[$SRC" "$WORK/patch-arm.yaml" || fail "the patch fixture was not written"
"$KGATE" --db "$WORK/run.db" run "$WORK/patch-arm.yaml" >"$WORK/patch.txt" 2>&1
prc=$?
[ "$prc" -eq 2 ] || fail "a patch: key exited $prc, want 2"
grep -q "patch-arm.yaml:12:.*unknown key 'patch': patches apply to a kernel kgate builds" "$WORK/patch.txt" \
  || fail "patch refusal not explained with file:line"
[ "$(q 'SELECT count(*) FROM runs')" = 1 ] || fail "the refused run was stored"

finish run_module_arm
