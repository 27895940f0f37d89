#!/usr/bin/env bash
# Browser tests: a fresh SQLite database with the demo province, `dti serve` on 127.0.0.1:18610
# serving build/web, then Playwright (Debian's chromium) from web/node_modules. The server is
# always stopped. Always the real server: no stand-in API (DEVELOPERS: no mocks where the real
# part runs here).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
PORT=${DTI_BROWSER_PORT:-18610}

[ -d web/node_modules ] || scripts/install-deps.sh
[ -f build/web/index.html ] || scripts/build-web.sh

TMP=$(mktemp -d /tmp/dti-browser.XXXXXX)
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

[ -x build/dti ] || { echo "browser tests: build/dti is missing (run make build)"; exit 1; }
build/dti init --db "sqlite:$TMP/dti.db" --demo --admin-password-file "$TMP/pw" >"$TMP/init.log" 2>&1 \
  || { cat "$TMP/init.log"; exit 1; }
# rounds.spec.mjs has its own administrator (enrols its own TOTP), so it runs alone or after dti.spec.mjs.
build/dti user add --db "sqlite:$TMP/dti.db" --username qtv.dotdanhgia --role admin --unit HUE \
  --full-name "Quản trị đợt đánh giá" >"$TMP/admin2.log" 2>&1 || { cat "$TMP/admin2.log"; exit 1; }
sed -n 's/^Mật khẩu dùng một lần: //p' "$TMP/admin2.log" >"$TMP/pw2"
# unitpage.spec.mjs (part: unitpage) has its own administrator too.
build/dti user add --db "sqlite:$TMP/dti.db" --username qtv.unitpage --role admin --unit HUE \
  --full-name "Quản trị trang đơn vị" >"$TMP/admin-unitpage.log" 2>&1 || { cat "$TMP/admin-unitpage.log"; exit 1; }
sed -n 's/^Mật khẩu dùng một lần: //p' "$TMP/admin-unitpage.log" >"$TMP/pw-unitpage"
build/dti serve --db "sqlite:$TMP/dti.db" --listen "127.0.0.1:$PORT" --web build/web >"$TMP/server.log" 2>&1 &
SERVER_PID=$!

for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$PORT/api/v1/health" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "server exited:"; cat "$TMP/server.log"; exit 1; }
  sleep 0.1
done
for _ in $(seq 1 50); do [ -s "$TMP/pw" ] && break; sleep 0.1; done

# Module resolution: the specs import @playwright/test, found through this symlink.
ln -sfn ../../web/node_modules tests/browser/node_modules

status=0
(cd web && DTI_BASE_URL="http://127.0.0.1:$PORT" DTI_ADMIN_PW_FILE="$TMP/pw" DTI_ROUNDS_ADMIN_PW_FILE="$TMP/pw2" DTI_UNITPAGE_ADMIN_PW_FILE="$TMP/pw-unitpage" DTI_PW_OUT="$TMP/results" \
  node node_modules/@playwright/test/cli.js test --config ../tests/browser/playwright.config.mjs "$@") || status=$?
if [ $status -ne 0 ]; then echo "--- server log (tail)"; tail -40 "$TMP/server.log"; fi
exit $status
