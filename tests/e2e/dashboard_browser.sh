#!/bin/bash
# End-to-end: `kgate serve` over the synthetic fixture store, driven in
# headless Chromium by tests/web/dashboard.test.mjs (pages, escaping,
# refused paths, screenshots), and the store left exactly as it was: same
# sha256 and mtime, no -wal/-shm side files. Also: a missing store is exit 2
# and is not created; a port in use is exit 4; SIGTERM stops the server
# with exit 0.
# Usage: dashboard_browser.sh path/to/kgate path/to/kgate_web_fixture [ARTIFACT_DIR]
# Fails (never skips) when tests/web/node_modules or /usr/bin/chromium is
# missing: scripts/install-web-deps.sh installs them.
set -u
KGATE=${1:?usage: $0 path/to/kgate path/to/kgate_web_fixture [ARTIFACT_DIR]}
FIXTURE=${2:?usage: $0 path/to/kgate path/to/kgate_web_fixture [ARTIFACT_DIR]}
ARTIFACTS=${3:-test-artifacts/dashboard}
mkdir -p "$ARTIFACTS" && ARTIFACTS=$(cd "$ARTIFACTS" && pwd)  # node runs in tests/web
SRC=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d)
PID=
cleanup() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
FAILS=0
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }

if [ ! -f "$SRC/tests/web/node_modules/playwright-core/package.json" ]; then
  echo "FAIL: tests/web/node_modules has no playwright-core; run scripts/install-web-deps.sh"
  exit 1
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "FAIL: /usr/bin/chromium is missing; run scripts/install-web-deps.sh"
  exit 1
fi

DB=$WORK/store/kgate.db
mkdir -p "$WORK/store"
"$FIXTURE" "$DB" || { echo "FAIL: kgate_web_fixture could not write $DB"; exit 1; }
sum_before=$(sha256sum "$DB" | cut -d' ' -f1)
mtime_before=$(stat -c %y "$DB")
files_before=$(ls -A "$WORK/store")

# A missing store is bad input, and serve creates nothing.
"$KGATE" serve --db "$WORK/store/absent.db" --port 0 >"$WORK/absent.out" 2>&1
rc=$?
[ "$rc" -eq 2 ] || fail "serve on a missing store exited $rc, want 2: $(cat "$WORK/absent.out")"
[ ! -e "$WORK/store/absent.db" ] || fail "serve created the missing store"

"$KGATE" serve --db "$DB" --port 0 >"$WORK/serve.out" 2>"$WORK/serve.err" &
PID=$!
URL=
for _ in $(seq 100); do
  URL=$(sed -n 's|^kgate: serving \(http://127\.0\.0\.1:[0-9]*/\)$|\1|p' "$WORK/serve.out")
  [ -n "$URL" ] && break
  kill -0 "$PID" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$URL" ]; then
  echo "FAIL: kgate serve printed no URL: $(cat "$WORK/serve.out" "$WORK/serve.err")"
  exit 1
fi
echo "serving $URL"

# The port is taken: a second server must not share it (no SO_REUSEPORT).
PORT=${URL##*:}
PORT=${PORT%/}
timeout 10 "$KGATE" serve --db "$DB" --port "$PORT" >"$WORK/second.out" 2>&1
rc=$?
[ "$rc" -eq 4 ] || fail "a second serve on port $PORT exited $rc, want 4: $(cat "$WORK/second.out")"

(cd "$SRC/tests/web" && node dashboard.test.mjs "$URL" "$ARTIFACTS") || fail "browser checks failed"

kill -TERM "$PID"
wait "$PID"
rc=$?
PID=
[ "$rc" -eq 0 ] || fail "serve exited $rc on SIGTERM, want 0: $(cat "$WORK/serve.err")"

[ "$(sha256sum "$DB" | cut -d' ' -f1)" = "$sum_before" ] || fail "the store's bytes changed"
[ "$(stat -c %y "$DB")" = "$mtime_before" ] || fail "the store's mtime changed"
[ "$(ls -A "$WORK/store")" = "$files_before" ] \
  || fail "files beside the store changed: $(ls -A "$WORK/store" | tr '\n' ' ')"

if [ "$FAILS" -eq 0 ]; then echo "dashboard_browser: ok"; else echo "dashboard_browser: $FAILS failure(s)"; exit 1; fi
