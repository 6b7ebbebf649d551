#!/bin/bash
# End-to-end: `kgate kernel fetch` and `kgate kernel list` against Debian's
# registry, into the user's kgate cache (so CI can cache the download).
# Usage: kernel_fetch_list.sh path/to/kgate
# Checks: a real fetch yields the bzImage, an ELF vmlinux and modules.dep; a
# second fetch is a no-op (fast, same directory); list shows the kernel; a
# fetch records the kernel in the store named by --db; bad refs exit 2 with a
# message listing what exists.
set -u
KGATE=${1:?usage: $0 path/to/kgate}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
FAILS=0
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }

out=$("$KGATE" --db "$WORK/k.db" kernel fetch debian:6.12-cloud 2>&1) || fail "fetch: $out"
vmlinux=$(awk '$1 == "vmlinux" {print $2}' <<<"$out")
modules=$(awk '$1 == "modules" {print $2}' <<<"$out")
[ "$(head -c4 "$vmlinux" | od -An -c | tr -d ' ')" = '177ELF' ] || fail "vmlinux $vmlinux is not ELF"
grep -q '^kernel/drivers/block/virtio_blk.ko.xz:' "$modules/modules.dep" || fail "no virtio_blk in modules.dep"
version=$(basename "$modules")

start=$(date +%s%N)
again=$("$KGATE" kernel fetch debian:6.12-cloud 2>&1) || fail "second fetch: $again"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$ms" -lt 5000 ] || fail "second fetch took $ms ms; the cache was not used"
grep -qF "$vmlinux" <<<"$again" || fail "second fetch names another vmlinux: $again"

list=$("$KGATE" kernel list 2>&1) || fail "list: $list"
grep -q "linux-image-6\.12\..*cloud-amd64-unsigned *$version" <<<"$list" || fail "list lacks $version: $list"

if command -v sqlite3 >/dev/null; then
  rec=$(sqlite3 "$WORK/k.db" "select version from kernels" 2>&1)
  grep -qxF "$version" <<<"$rec" || fail "store has no kernel $version: $rec"
fi

err=$("$KGATE" kernel fetch debian:6.12-clod 2>&1); rc=$?
[ "$rc" -eq 2 ] || fail "bad flavour: exit $rc, want 2"
grep -q "unknown flavour 'clod'.*did you mean 'cloud'" <<<"$err" || fail "bad flavour message: $err"
err=$("$KGATE" kernel fetch debian:5.4 2>&1); rc=$?
[ "$rc" -eq 2 ] || fail "unknown series: exit $rc, want 2"
grep -q "available: .*debian:6.12-cloud" <<<"$err" || fail "unknown series message: $err"
err=$("$KGATE" kernel fetch path:/etc/hostname 2>&1); rc=$?
[ "$rc" -eq 2 ] || fail "path: non-bzImage: exit $rc, want 2"

[ "$FAILS" -eq 0 ] && echo "PASS kernel_fetch_list" || exit 1
