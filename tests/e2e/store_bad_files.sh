#!/bin/bash
# End-to-end: kgate refuses a results store it must not touch — random bytes,
# a store from a newer kgate, another application's SQLite file, a read-only
# file, a directory — with a one-line message naming the file, the right exit
# code (2 bad input, 4 infrastructure), and the file's bytes unchanged.
# Usage: store_bad_files.sh path/to/kgate
set -u
KGATE=${1:?usage: $0 path/to/kgate}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
PROPOSAL=$SRC/benchmarks/proposals/boot-overhead.yaml
WORK=$(mktemp -d)
trap 'chmod -R u+w "$WORK"; rm -rf "$WORK"' EXIT
FAILS=0
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }

# expect DB WANT_EXIT WANT_TEXT: kgate run on DB must exit WANT_EXIT, print one
# line containing WANT_TEXT, and leave DB's bytes as they were.
expect() {
  local db=$1 want_rc=$2 want=$3 before after out rc
  before=$( [ -f "$db" ] && sha256sum <"$db" || echo dir)
  out=$("$KGATE" --db "$db" run "$PROPOSAL" 2>&1); rc=$?
  after=$( [ -f "$db" ] && sha256sum <"$db" || echo dir)
  [ "$rc" -eq "$want_rc" ] || fail "$db: exit $rc, want $want_rc ($out)"
  grep -qF -- "$want" <<<"$out" || fail "$db: message lacks '$want': $out"
  [ "$(wc -l <<<"$out")" -eq 1 ] || fail "$db: want a one-line message, got: $out"
  [ "$before" = "$after" ] || fail "$db: bytes changed"
  ls "$db"-wal "$db"-shm >/dev/null 2>&1 && fail "$db: kgate left a WAL or SHM file beside it"
}

head -c 8192 /dev/urandom >"$WORK/random.db"
expect "$WORK/random.db" 2 "random.db: is not a kgate database"

sqlite3 "$WORK/newer.db" "PRAGMA application_id = 1801937268; PRAGMA user_version = 99;
                          CREATE TABLE t (x);"
expect "$WORK/newer.db" 2 "made by a newer kgate (schema 99"

sqlite3 "$WORK/other.db" "PRAGMA application_id = 1234; CREATE TABLE t (x);"
expect "$WORK/other.db" 2 "is a SQLite database of another application"

sqlite3 "$WORK/readonly.db" "CREATE TABLE t (x);"
chmod 444 "$WORK/readonly.db"
expect "$WORK/readonly.db" 4 "readonly.db: file is read-only"

mkdir "$WORK/dir.db"
expect "$WORK/dir.db" 2 "dir.db: is a directory"

[ "$FAILS" -eq 0 ] && echo "store_bad_files: ok" || { echo "store_bad_files: $FAILS failure(s)"; exit 1; }
