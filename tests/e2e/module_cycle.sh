#!/bin/bash
# End-to-end: `kgate analyze MODULE_DIR --load` builds the module against the
# Debian 6.1 and 6.12 cloud headers, boots each kernel under QEMU TCG
# (kernels fetched into the user's kgate cache on first run, reused later),
# and loads and unloads the module 20 times in the guest.
# Usage: module_cycle.sh path/to/kgate
# Checks, on the fixtures in analysis/testdata/:
#   clean_module  on both kernels: 20 loads, 20 unloads, nothing left loaded,
#                 SUnreclaim and vmalloc/percpu/module memory back within the
#                 threshold, no console splat, no finding. Taint: none before
#                 the warm-up load ("G"), "OE" after: O because the module is
#                 built out of tree, E because it is unsigned while Debian's
#                 kernels have CONFIG_MODULE_SIG (not enforced without Secure
#                 Boot, so it loads and taints).
#   leaky_module  leaks 16 x 4 KiB of kmalloc and 256 KiB of vmalloc per load
#                 on purpose: module-slab-leak and module-memory-leak on both
#                 kernels, with at least the 1280 kB and 5120 kB it leaks.
set -u
. "$(dirname "$0")/run_lib.sh"
DATA=$SRC/analysis/testdata

# load INPUT NAME WANT_EXIT: JSON of analyze --load into $WORK/NAME.json
load() {
  local input=$1 name=$2 want=$3
  local start=$SECONDS
  "$KGATE" analyze --json --no-checkpatch --load "$input" >"$WORK/$name.json" 2>"$WORK/$name.err"
  local rc=$?
  echo "analyze --load $name: $((SECONDS - start)) s"
  [ "$rc" -eq "$want" ] || fail "$name: exit $rc, want $want: $(cat "$WORK/$name.err")"
}
# c NAME I FILTER: FILTER over the first cycle of kernels[I]
c() { jq -r ".kernels[$2].load.cycles[0] | $3" "$WORK/$1.json"; }

load "$DATA/clean_module" clean 0
for i in 0 1; do
  ref=$(jq -r ".kernels[$i].ref" "$WORK/clean.json")
  [ "$(jq -r ".kernels[$i].load.ran" "$WORK/clean.json")" = true ] \
    || fail "clean $ref: load did not run: $(jq -r ".kernels[$i].load.reason" "$WORK/clean.json")"
  [ "$(c clean $i .status)" = ok ] || fail "clean $ref: status $(c clean $i .status): $(c clean $i .message)"
  [ "$(c clean $i .module)" = ra_hint ] || fail "clean $ref: module $(c clean $i .module)"
  [ "$(c clean $i '"\(.count) \(.loaded) \(.unloaded) \(.still_loaded)"')" = "20 20 20 false" ] \
    || fail "clean $ref: count/loaded/unloaded/still_loaded $(c clean $i '"\(.count) \(.loaded) \(.unloaded) \(.still_loaded)"'): $(c clean $i .errors)"
  [ "$(c clean $i '.errors | length')" = 0 ] || fail "clean $ref: errors $(c clean $i .errors)"
  [ "$(c clean $i '.delta.sunreclaim_kb < .thresholds.slab_leak_kb')" = true ] \
    || fail "clean $ref: SUnreclaim delta $(c clean $i .delta.sunreclaim_kb) kB"
  [ "$(c clean $i '.delta.memory_kb < .thresholds.memory_leak_kb')" = true ] \
    || fail "clean $ref: memory delta $(c clean $i .delta.memory_kb) kB"
  [ "$(c clean $i '.console_findings | length')" = 0 ] || fail "clean $ref: splats $(c clean $i .console_findings)"
  [ "$(c clean $i .taint.start.letters)" = G ] || fail "clean $ref: taint at start $(c clean $i .taint.start)"
  [ "$(c clean $i .taint.after.letters)" = OE ] || fail "clean $ref: taint after $(c clean $i .taint.after)"
  [ "$(c clean $i .taint.new_in_cycle)" = G ] || fail "clean $ref: new taint $(c clean $i .taint.new_in_cycle)"
  echo "clean $ref ($(c clean $i .version)): SUnreclaim $(c clean $i .delta.sunreclaim_kb) kB," \
       "vmalloc $(c clean $i .delta.vmalloc_used_kb) kB, memory $(c clean $i .delta.memory_kb) kB," \
       "loop $(c clean $i .cycle_seconds) s, boot $(c clean $i .wall_seconds) s"
done
[ "$(jq -r '.findings | length' "$WORK/clean.json")" = 0 ] || fail "clean findings: $(jq -c .findings "$WORK/clean.json")"

# mainline forbids none of the module-* rules, so exit 0; the findings say it.
load "$DATA/leaky_module" leaky 0
for i in 0 1; do
  ref=$(jq -r ".kernels[$i].ref" "$WORK/leaky.json")
  [ "$(c leaky $i .status)" = ok ] || fail "leaky $ref: status $(c leaky $i .status): $(c leaky $i .message)"
  [ "$(c leaky $i '[.findings[].rule] | join(",")')" = "module-slab-leak,module-memory-leak" ] \
    || fail "leaky $ref: findings $(c leaky $i '[.findings[].rule]')"
  [ "$(c leaky $i '.delta.sunreclaim_kb >= 1280')" = true ] || fail "leaky $ref: SUnreclaim delta $(c leaky $i .delta.sunreclaim_kb)"
  [ "$(c leaky $i '.delta.vmalloc_used_kb >= 5120')" = true ] || fail "leaky $ref: vmalloc delta $(c leaky $i .delta.vmalloc_used_kb)"
  [ -f "$(c leaky $i .console)" ] || fail "leaky $ref: console log $(c leaky $i .console) not kept"
  echo "leaky $ref: SUnreclaim $(c leaky $i .delta.sunreclaim_kb) kB, vmalloc $(c leaky $i .delta.vmalloc_used_kb) kB"
done
# (module-symbol-missing fires too: vmalloc is vmalloc_noprof on 6.12.)
[ "$(jq -r '[.findings[] | select(.rule | test("^module-(load|unload|slab|memory|splat)")) | .rule] | join(",")' "$WORK/leaky.json")" = \
  "module-slab-leak,module-memory-leak,module-slab-leak,module-memory-leak" ] \
  || fail "leaky top-level findings: $(jq -c '[.findings[].rule]' "$WORK/leaky.json")"
# Its logs are kept for the reader; remove them here, they are this test's.
for i in 0 1; do rm -rf "$(dirname "$(c leaky $i .console)")"; done

finish module_cycle
