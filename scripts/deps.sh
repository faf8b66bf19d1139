#!/bin/sh
# Installs what the build (and, with "test", the test suites) need and is missing, from Debian 12's
# packages and, for the browser tests only, the npm registry. Idempotent: installs nothing that is there.
set -eu
want="build-essential cmake pkg-config libmicrohttpd-dev libsqlite3-dev libsodium-dev libicu-dev
libopencc-dev libopencc-data libjansson-dev libcurl4-openssl-dev"
if [ "${1:-}" = test ] || [ "${1:-}" = bench ]; then
  want="$want nodejs chromium wrk"
fi
missing=""
for p in $want; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# npm ships with the machine's Node.js on some images and as Debian's package "npm" on others.
if [ "${1:-}" = test ] && ! command -v npm >/dev/null 2>&1; then
  missing="$missing npm"
fi
if [ -n "$missing" ]; then
  echo "installing:$missing"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
if [ "${1:-}" = test ] && [ ! -d tests/e2e/node_modules/playwright-core ]; then
  (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
fi
