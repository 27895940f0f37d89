#!/usr/bin/env bash
# Installs what the project needs on Debian 12, only when something is missing.
# Idempotent and quiet when everything is present; `make run` and `make test` call it.
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS=(build-essential pkg-config clang libclang-rt-14-dev
  libmicrohttpd-dev libjansson-dev libsqlite3-dev libpq-dev libsodium-dev libutf8proc-dev
  libicu-dev libzxcvbn-dev liboath-dev libxlsxwriter-dev libmagic-dev libssl-dev
  libzip-dev libexpat1-dev python3-openpyxl libreoffice-calc-nogui libqpdf-dev qpdf poppler-utils
  libnss3-tools strace
  libcmocka-dev postgresql chromium nginx wrk sqlite3 valgrind curl python3 nodejs npm
  devscripts)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# nodejs/npm may come from outside Debian (already on PATH): accept that.
if command -v node >/dev/null && command -v npm >/dev/null; then
  tmp=(); for p in "${missing[@]}"; do [[ $p == nodejs || $p == npm ]] || tmp+=("$p"); done
  missing=("${tmp[@]+"${tmp[@]}"}")
fi
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The web toolchain (esbuild, TypeScript, Playwright 1.61) runs on Node.js 18, Debian 12's own
# (tests/cli/node18_build.sh proves it); say so plainly rather than fail deep inside npm.
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 18 ]; then
  echo "install-deps: Node.js >= 18 is required for the web UI build (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi

# The web UI's toolchain, from its lockfile; re-run only when the lockfile changed.
stamp=web/node_modules/.lock-stamp
if [ -f web/package-lock.json ]; then
  if [ ! -f "$stamp" ] || ! cmp -s web/package-lock.json "$stamp"; then
    echo "install-deps: npm ci (web)"
    (cd web && npm ci --no-audit --no-fund --loglevel=error)
    cp web/package-lock.json "$stamp"
  fi
fi
