# Shared by the tests/e2e/*.sh tests; source it after setting nothing.
# Gives: KGATE (from $1), HERE, SRC, WORK (removed on exit), fail, q (a query
# on $WORK/run.db; a test may redefine it), finish NAME (prints the tally,
# exits 1 on failures), and run_kgate OUT ARGS... (kgate run on $WORK/run.db
# with its output in $WORK/OUT; sets RC).
KGATE=${1:?usage: $0 path/to/kgate}
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
FAILS=0
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
q() { sqlite3 "$WORK/run.db" "$1"; }
run_kgate() {
  local out=$1
  shift
  "$KGATE" --db "$WORK/run.db" run "$@" --work-dir "$WORK/trials" >"$WORK/$out" 2>&1
  RC=$?
  cat "$WORK/$out"
}
finish() {
  if [ "$FAILS" -eq 0 ]; then echo "$1: ok"; else echo "$1: $FAILS failure(s)"; exit 1; fi
}
