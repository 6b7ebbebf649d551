#!/bin/bash
# Reproducible kernel builds without ccache: the guest config (with the
# harmless one-file patch, so a series is part of it) is built in kgate's
# usual cache, where ccache serves most objects, and again in a new cache
# with ccache disabled (CCACHE_DISABLE=1: ccache runs gcc and stores
# nothing), so every object is compiled afresh in another slot folder. Both
# must have the same key, and byte-identical bzImage and vmlinux files.
# tests/e2e/bisect.sh checks the same across slots with ccache on; this is
# the check that ccache is not what makes them equal. About 12 minutes on 2
# cores (the uncached build); ./run verify reproducible runs it, CI does not.
set -u
. "$(dirname "$0")/run_lib.sh"

build() {  # OUT: kgate kernel build of the guest config plus harmless.patch
  local out=$1
  shift
  env "$@" "$KGATE" kernel build debian:6.12 --patch "$SRC/proposals/patch-harmless/harmless.patch" \
    >"$WORK/$out" 2>"$WORK/$out.err"
  local rc=$?
  cat "$WORK/$out"
  [ "$rc" -eq 0 ] || { cat "$WORK/$out.err"; fail "kgate kernel build ($out) exited $rc"; }
}
field() { awk -v f="$1" '$1 == f {print $2}' "$WORK/$2"; }

build usual.txt
start=$(date +%s)
build fresh.txt KGATE_CACHE="$WORK/cache" CCACHE_DISABLE=1
echo "reproducible_build: the build without ccache took $(( $(date +%s) - start )) s"
grep -q 'built in' "$WORK/fresh.txt" || fail "the new cache did not build: $(cat "$WORK/fresh.txt")"
[ -n "$(field bzImage usual.txt)" ] || fail "no bzImage in the usual build's output"
[ "$(head -1 "$WORK/usual.txt" | awk '{print $3}')" = "$(head -1 "$WORK/fresh.txt" | awk '{print $3}')" ] \
  || fail "the two builds have different keys: $(head -1 "$WORK/usual.txt") / $(head -1 "$WORK/fresh.txt")"
for f in bzImage vmlinux; do
  a=$(field "$f" usual.txt) b=$(field "$f" fresh.txt)
  if cmp -s "$a" "$b"; then
    echo "reproducible_build: $f identical ($(stat -c %s "$a") bytes)"
  else
    fail "$f differs between the usual cache ($a) and the build without ccache ($b)"
  fi
done
# The known way they differ: ccache, given CCACHE_BASEDIR, hands gcc the
# source as ../src/<file>, which Kbuild's -fmacro-prefix-map (made for the
# absolute path) does not rewrite, so __FILE__ becomes "../src/init/main.c"
# instead of "init/main.c" in WARN and BUG strings.
for which in usual fresh; do
  v=$(field vmlinux "$which.txt")
  echo "reproducible_build: $which vmlinux has $(strings -n 8 "$v" | grep -c '^\.\./src/') '../src/' file names"
done
if [ "$FAILS" -gt 0 ]; then
  keep=/tmp/kgate-reproducible-$(date +%Y%m%d-%H%M%S)
  mv "$WORK/cache/kbuild/kernels" "$keep" && echo "reproducible_build: the uncached build is kept in $keep"
fi
# ccache 4 keeps results and manifests as files ending in R and M.
stored=$(find "$WORK/cache/ccache" -type f \( -name '*R' -o -name '*M' \) 2>/dev/null | wc -l)
[ "$stored" -eq 0 ] || fail "ccache stored $stored files although disabled"
finish reproducible_build
