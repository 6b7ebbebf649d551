#!/bin/bash
# End-to-end: the debian-cloud config base. Debian's own cloud kernel
# config (from the linux-image-6.12.*-cloud-amd64-unsigned package) built
# by kgate from linux-source-6.12, modules and all, then
# proposals/debian-cloud-rebuild: Debian's prebuilt package against that
# rebuild, which must PASS. Not in CI: Debian's config builds about 1,140
# modules with DWARF and BTF (an hour or more cold on 2 cores), so
# ./run verify debian-cloud runs it.
#   - the build records the package its config came from
#   - every module is signed with the cache's key (the kernel embeds its
#     certificate), so loading one taints nothing
#   - the rebuilt kernel boots with its own modules (virtio from
#     root/lib/modules) and the run PASSes with no taint finding
set -u
. "$(dirname "$0")/run_lib.sh"
proposal=$SRC/proposals/debian-cloud-rebuild/proposal.yaml

start=$(date +%s)
"$KGATE" kernel build "$proposal" >"$WORK/build.txt" 2>&1
rc=$?
cat "$WORK/build.txt"
echo "debian_cloud: kgate kernel build took $(( $(date +%s) - start )) s"
[ "$rc" -eq 0 ] || fail "Debian's cloud config did not build (exit $rc)"
grep -q '^  config   debian-cloud from linux-image-6\.12\..*-cloud-amd64-unsigned' "$WORK/build.txt" \
  || fail "the build does not name the package its config came from"
dir=$(sed -n 's|^  bzImage  \(.*\)/bzImage$|\1|p' "$WORK/build.txt" | head -1)
mods=$(find "$dir/root/lib/modules" -name '*.ko*' 2>/dev/null | wc -l)
echo "debian_cloud: $mods modules"
[ "$mods" -gt 500 ] || fail "only $mods modules in $dir/root/lib/modules"
virtio=$(find "$dir/root/lib/modules" -name 'virtio_blk.ko*' | head -1)
signer=$(modinfo -F signer "$virtio" 2>&1)
[ "$signer" = "kgate module signing key (one kgate cache)" ] || fail "virtio_blk is signed by '$signer'"

run_kgate run.txt "$proposal" --scenarios microbench
[ "$RC" -eq 0 ] || fail "debian-cloud-rebuild exited $RC, want 0 (PASS)"
[ "$(q 'SELECT verdict FROM verdicts')" = PASS ] || fail "debian-cloud-rebuild is not PASS"
[ "$(q "SELECT count(*) FROM trials WHERE arm = 'candidate' AND status = 'ok'")" -gt 0 ] \
  || fail "no candidate trial is ok"
[ "$(q "SELECT count(*) FROM findings WHERE rule = 'console-taint'")" = 0 ] \
  || fail "a trial reported a tainted kernel: $(q "SELECT arm, message FROM findings WHERE rule = 'console-taint'")"
finish debian_cloud
