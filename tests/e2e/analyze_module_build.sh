#!/bin/bash
# End-to-end: `kgate analyze MODULE_DIR` really builds the module against
# Debian's 6.1 and 6.12 cloud kernel headers (linux-headers-*-cloud-amd64 with
# their -common and linux-kbuild-* packages, fetched into the user's kgate
# cache on first run, reused later) with the host's gcc-12.
# Usage: analyze_module_build.sh path/to/kgate
# Checks, on the fixtures in analysis/testdata/:
#   clean_module   builds on both, no warnings, uses _printk and
#                  param_ops_bool, nothing missing either way, no findings
#   sinful_module  builds on both too (its -mhard-float -msse2 override the
#                  kernel's -mno-sse, so gcc emits SSE code without a word);
#                  `current` is current_task on 6.1 and const_pcpu_hot on 6.12,
#                  and neither kernel exports the other's: two
#                  module-symbol-missing findings, asserted exactly
#   folio_module   fails on 6.1 (folio_end_read undeclared, at ra_folio.c:31),
#                  builds on 6.12, where folio_end_read and folio_alloc_noprof
#                  are symbols 6.1 does not export
# and that the source directories are left untouched, the built .ko kept in
# the cache, nothing loaded without --load, that --kernel adds a
# kernel once (duplicates of the defaults are dropped), and --no-build.
set -u
. "$(dirname "$0")/run_lib.sh"
DATA=$SRC/analysis/testdata

# analyze INPUT NAME WANT_EXIT [args...]: JSON into $WORK/NAME.json
analyze() {
  local input=$1 name=$2 want=$3; shift 3
  local start=$SECONDS
  "$KGATE" analyze --json --no-checkpatch "$@" "$input" >"$WORK/$name.json" 2>"$WORK/$name.err"
  local rc=$?
  echo "analyze $name: $((SECONDS - start)) s"
  [ "$rc" -eq "$want" ] || fail "$name: exit $rc, want $want: $(cat "$WORK/$name.err")"
}
q() { jq -r "$2" "$WORK/$1.json"; }
# k NAME I FILTER: FILTER over kernels[I]
k() { jq -r ".kernels[$2] | $3" "$WORK/$1.json"; }

analyze "$DATA/clean_module" clean 0
[ "$(q clean .schema)" = 2 ] || fail "schema $(q clean .schema), want 2 (kernels became a list)"
[ "$(q clean .build.ran)" = true ] || fail "clean: build did not run: $(q clean .build.reason)"
[ "$(q clean '[.kernels[].ref] | join(",")')" = "debian:6.1-cloud,debian:6.12-cloud" ] \
  || fail "clean: kernels $(q clean '[.kernels[].ref]')"
grep -Eq '^6\.1\.0-[0-9]+-cloud-amd64$' <<<"$(k clean 0 .version)" || fail "clean: 6.1 version $(k clean 0 .version)"
grep -Eq '^6\.12\.[0-9]+\+deb12-cloud-amd64$' <<<"$(k clean 1 .version)" || fail "clean: 6.12 version $(k clean 1 .version)"
for i in 0 1; do
  [ "$(k clean $i .ran)" = true ] || fail "clean kernel $i did not run: $(k clean $i .reason)"
  [ "$(k clean $i .ok)" = true ] || fail "clean kernel $i failed: $(k clean $i .errors)"
  [ "$(k clean $i .warnings)" = 0 ] || fail "clean kernel $i warnings: $(k clean $i .warnings)"
  [ "$(k clean $i '.modules | join(",")')" = ra_hint.ko ] || fail "clean kernel $i modules: $(k clean $i .modules)"
  [ "$(k clean $i '.symbols | join(",")')" = "__fentry__,__x86_return_thunk,_printk,param_ops_bool" ] \
    || fail "clean kernel $i symbols: $(k clean $i .symbols)"
  [ "$(k clean $i '.missing_elsewhere | length')" = 0 ] || fail "clean kernel $i missing: $(k clean $i .missing_elsewhere)"
  # The built module is kept in the cache for loading; without --load nothing boots.
  [ -f "$(k clean $i '.ko_paths[0]')" ] || fail "clean kernel $i: no kept .ko: $(k clean $i .ko_paths)"
  [ "$(k clean $i '"\(.load.ran) \(.load.reason)"')" = "false not asked for (kgate analyze --load)" ] \
    || fail "clean kernel $i load: $(k clean $i .load)"
done
[ "$(q clean '.findings | length')" = 0 ] || fail "clean findings: $(q clean .findings)"
[ -z "$(find "$DATA/clean_module" -newer "$DATA/clean_module/ra_hint.c" -type f -name '*.o' -o -name '*.ko')" ] \
  || fail "the build wrote into the source tree"
[ "$(ls "$DATA/clean_module" | tr '\n' ' ')" = "Kbuild Makefile ra_hint.c " ] || fail "source tree changed: $(ls "$DATA/clean_module")"

analyze "$DATA/sinful_module" sinful 1
for i in 0 1; do
  [ "$(k sinful $i .ok)" = true ] || fail "sinful kernel $i failed: $(k sinful $i .errors)"
  [ "$(k sinful $i .warnings)" = 0 ] || fail "sinful kernel $i warnings: $(k sinful $i .warnings)"
  k sinful $i '.symbols[]' | grep -qx kernel_fpu_begin_mask || fail "sinful kernel $i: no kernel_fpu_begin_mask"
  k sinful $i '.symbols[]' | grep -qx filp_open || fail "sinful kernel $i: no filp_open"
done
[ "$(k sinful 0 '.missing_elsewhere["debian:6.12-cloud"] | join(",")')" = current_task ] \
  || fail "sinful 6.1 missing on 6.12: $(k sinful 0 .missing_elsewhere)"
[ "$(k sinful 1 '.missing_elsewhere["debian:6.1-cloud"] | join(",")')" = const_pcpu_hot ] \
  || fail "sinful 6.12 missing on 6.1: $(k sinful 1 .missing_elsewhere)"
[ "$(q sinful '[.findings[] | select(.rule | startswith("module-")) | "\(.rule) \(.level) \(.excerpt)"] | join(";")')" = \
  "module-symbol-missing warning current_task;module-symbol-missing warning const_pcpu_hot" ] \
  || fail "sinful module findings: $(q sinful '[.findings[] | select(.rule | startswith("module-"))]')"

analyze "$DATA/folio_module" folio 0 --kernel debian:6.12-cloud
[ "$(q folio '.kernels | length')" = 2 ] || fail "folio: --kernel of a default kernel built twice"
[ "$(k folio 0 .ok)" = false ] || fail "folio: built on 6.1"
[ "$(k folio 0 '.errors[0]')" = "ra_folio.c:31:9: error: implicit declaration of function 'folio_end_read'; did you mean 'folio_test_head'? [-Werror=implicit-function-declaration]" ] \
  || fail "folio 6.1 error: $(k folio 0 .errors)"
[ "$(k folio 1 .ok)" = true ] || fail "folio: failed on 6.12: $(k folio 1 .errors)"
[ "$(k folio 1 '.missing_elsewhere["debian:6.1-cloud"] | join(",")')" = "folio_alloc_noprof,folio_end_read" ] \
  || fail "folio 6.12 missing on 6.1: $(k folio 1 .missing_elsewhere)"
[ "$(q folio '.findings[0] | "\(.rule) \(.level) \(.file):\(.line)"')" = "module-build-failed error ra_folio.c:31" ] \
  || fail "folio first finding: $(q folio '.findings[0]')"
[ "$(q folio '[.findings[] | select(.rule == "module-symbol-missing") | .excerpt] | join(",")')" = \
  "folio_alloc_noprof,folio_end_read" ] || fail "folio symbol findings: $(q folio .findings)"
# mainline forbids none of the module-* rules, so exit 0; the score pays.
[ "$(q folio .maintainability.score)" -lt 100 ] || fail "folio score $(q folio .maintainability.score)"

# The console listing shows each kernel's build.
out=$("$KGATE" analyze --no-checkpatch "$DATA/folio_module" 2>&1)
grep -Eq '^  debian:6.1-cloud +FAILED \(6\.1\.0-[0-9]+-cloud-amd64\): no module, 0 warning\(s\), 0 kernel symbol\(s\) used' <<<"$out" \
  || fail "console 6.1 line: $out"
grep -q '^    not exported by debian:6.1-cloud: folio_alloc_noprof, folio_end_read$' <<<"$out" || fail "console missing line: $out"

analyze "$DATA/clean_module" nobuild 0 --no-build
[ "$(q nobuild .build.reason)" = "disabled with --no-build" ] || fail "--no-build: $(q nobuild .build)"
[ "$(q nobuild '.kernels | length')" = 0 ] || fail "--no-build built"

finish analyze_module_build
