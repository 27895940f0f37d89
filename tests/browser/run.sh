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
# Spec files with an administrator of their own (an admin enrols TOTP once and sessions are not
# shared between spec files). One row each: username, full name, the variable naming the file
# that holds its one-time password (the spec reads it).
SPEC_ADMINS=(
  "qtv.unitpage|Quản trị trang đơn vị|DTI_UNITPAGE_ADMIN_PW_FILE"
  "qtv.congbo|Quản trị công bố|DTI_PUB_ADMIN_PW_FILE"
  "qtv.xephang|Quản trị xếp hạng|DTI_RANK_ADMIN_PW_FILE"
  "qtv.dotdanhgia|Quản trị đợt đánh giá|DTI_ROUNDS_ADMIN_PW_FILE"
  "qtv.banphim|Quản trị thử bàn phím|DTI_KEYBOARD_ADMIN_PW_FILE"
  "qtv.excel|Quản trị Excel|DTI_EXCEL_ADMIN_PW_FILE"
  "qtv.dash|Quản trị báo cáo chỉ số|DTI_DASH_ADMIN_PW_FILE"
  "qtv.tour|Quản trị tham quan giao diện|DTI_TOUR_ADMIN_PW_FILE"
)
for row in "${SPEC_ADMINS[@]}"; do
  IFS='|' read -r user name var <<<"$row"
  build/dti user add --db "sqlite:$TMP/dti.db" --username "$user" --role admin --unit HUE \
    --full-name "$name" >"$TMP/$user.log" 2>&1 || { cat "$TMP/$user.log"; exit 1; }
  sed -n 's/^Mật khẩu dùng một lần: //p' "$TMP/$user.log" >"$TMP/$user.pw"
  export "$var=$TMP/$user.pw"
done
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
(cd web && DTI_BASE_URL="http://127.0.0.1:$PORT" DTI_ADMIN_PW_FILE="$TMP/pw" DTI_BROWSER_DB="$TMP/dti.db" DTI_PW_OUT="$TMP/results" \
  node node_modules/@playwright/test/cli.js test --config ../tests/browser/playwright.config.mjs "$@") || status=$?
if [ $status -ne 0 ]; then echo "--- server log (tail)"; tail -40 "$TMP/server.log"; fi
exit $status
