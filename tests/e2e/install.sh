#!/bin/bash
# End-to-end: kgate installed with `cmake --install` into a temporary prefix
# works with the source and build trees out of reach: doctor, validate and a
# real trial run from the prefix alone (data from share/kgate, kgate-agent
# and kgate-microbench from libexec/kgate). As root the trees are hidden
# under an empty tmpfs in a private mount namespace; otherwise the test says
# it could only check from another working directory. Then `cpack -G DEB`
# packs the same layout into a .deb.
# Usage: install.sh path/to/kgate BUILD_DIR
set -u
. "$(dirname "$0")/run_lib.sh"
BUILD=$(cd "${2:?usage: install.sh KGATE BUILD_DIR}" && pwd)
PREFIX=$WORK/prefix

cmake --install "$BUILD" --prefix "$PREFIX" >"$WORK/install.log" 2>&1 || fail "cmake --install failed: $(tail -3 "$WORK/install.log")"
for f in bin/kgate libexec/kgate/kgate-agent libexec/kgate/kgate-microbench \
         share/kgate/scenarios/hackbench-pipe/workload.yaml share/kgate/policies/mainline.yaml \
         share/kgate/suites/quick.yaml share/kgate/proposals/aa-control/proposal.yaml; do
  [ -e "$PREFIX/$f" ] || fail "the prefix has no $f"
done
[ -e "$PREFIX/share/kgate/scenarios/parsers" ] && fail "parser sources were installed"
[ -e "$PREFIX/share/kgate/scenarios/fio-randread/testdata" ] && fail "golden test data was installed"

# The checks, run from the prefix with the source and build trees hidden.
cat >"$WORK/from-prefix.sh" <<SCRIPT
set -u
cd /
K=$PREFIX/bin/kgate
\$K --version || exit 10
[ -e "$SRC/CMakeLists.txt" ] && echo "the source tree is still visible"
\$K doctor >$WORK/doctor.txt 2>&1 || exit 11
\$K validate $PREFIX/share/kgate/proposals/aa-control/proposal.yaml || exit 12
\$K --db $WORK/run.db run $PREFIX/share/kgate/proposals/aa-control/proposal.yaml \
  --scenarios microbench --runs 1 --tier tcg --work-dir $WORK/trials >$WORK/run.txt 2>&1
rc=\$?
case \$rc in 0|1|3) exit 0 ;; *) exit 13 ;; esac
SCRIPT
if [ "$(id -u)" -eq 0 ] && unshare --mount true 2>/dev/null; then
  hide="mount -t tmpfs none $SRC"
  case "$BUILD" in "$SRC"/*) ;; *) hide="$hide && mount -t tmpfs none $(cd "$BUILD" && pwd)" ;; esac
  unshare --mount sh -c "$hide && bash $WORK/from-prefix.sh" >"$WORK/prefix.log" 2>&1
  rc=$?
  grep -q "the source tree is still visible" "$WORK/prefix.log" && fail "the source tree was not hidden"
else
  echo "install: not root or no mount namespaces: checked from / with the trees in place"
  bash "$WORK/from-prefix.sh" >"$WORK/prefix.log" 2>&1
  rc=$?
fi
cat "$WORK/prefix.log"
[ "$rc" -eq 0 ] || fail "from the prefix: step failed (exit $rc; 10 version, 11 doctor, 12 validate, 13 run)"
cat "$WORK/doctor.txt" 2>/dev/null
grep -q "^tcg-boot   ok" "$WORK/doctor.txt" || grep -q "^tcg-boot   not checked" "$WORK/doctor.txt" \
  || fail "doctor from the prefix could not boot a guest"
cat "$WORK/run.txt" 2>/dev/null
[ "$(q "SELECT count(*) FROM trials WHERE status = 'ok' AND scenario = 'microbench'")" = 2 ] \
  || fail "the installed kgate did not run two ok microbench trials: $(q "SELECT status || ' ' || message FROM trials")"
[ "$(q "SELECT count(*) FROM run_files WHERE path LIKE '$PREFIX/share/kgate/scenarios/%'")" -ge 1 ] \
  || fail "the run did not read its scenarios from the prefix"

# The same layout as a Debian package.
if command -v cpack >/dev/null && command -v dpkg-deb >/dev/null; then
  (cd "$WORK" && cpack -G DEB --config "$BUILD/CPackConfig.cmake" -B "$WORK/deb") >"$WORK/cpack.log" 2>&1 \
    || fail "cpack failed: $(tail -3 "$WORK/cpack.log")"
  deb=$(ls "$WORK"/deb/kgate_*.deb 2>/dev/null | head -1)
  [ -n "$deb" ] || fail "cpack made no .deb"
  if [ -n "$deb" ]; then
    dpkg-deb -c "$deb" >"$WORK/deb.txt"
    for f in ./usr/bin/kgate ./usr/libexec/kgate/kgate-agent ./usr/share/kgate/policies/mainline.yaml; do
      grep -q " $f\$" "$WORK/deb.txt" || fail "the .deb has no $f"
    done
    echo "package: $(basename "$deb"), $(wc -l <"$WORK/deb.txt") entries"
  fi
fi
finish install
