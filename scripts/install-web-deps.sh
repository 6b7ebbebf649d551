#!/usr/bin/env bash
# Installs what the browser and schema tests need, when it is missing:
# Node.js and npm (Debian's, unless a node >= 18 is already there) and
# Chromium from Debian, then tests/web's npm packages at the versions
# package-lock.json pins (playwright-core drives /usr/bin/chromium; it never
# downloads a browser). npm's download cache lives in kgate's cache directory,
# so a second CI run on the same machine installs offline.
# Usage: install-web-deps.sh   (as root when packages are missing)
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
node_major=$(node -e 'console.log(process.versions.node.split(".")[0])' 2>/dev/null || echo 0)
if [ "$node_major" -lt 18 ] || ! command -v npm >/dev/null; then missing+=(nodejs npm); fi
command -v chromium >/dev/null || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-web-deps: missing ${missing[*]}; run as root to install them" >&2
    exit 4
  fi
  echo "install-web-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

cache=${KGATE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kgate}
stamp=tests/web/node_modules/.kgate-lock-sha256
want=$(sha256sum tests/web/package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "install-web-deps: tests/web/node_modules up to date"
  exit 0
fi
mkdir -p "$cache/npm"
(cd tests/web && npm ci --legacy-peer-deps --no-audit --no-fund --prefer-offline \
   --cache "$cache/npm" --loglevel error)
echo "$want" >"$stamp"
echo "install-web-deps: tests/web/node_modules installed"
