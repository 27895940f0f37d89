#!/usr/bin/env bash
# run.sh [sqlite|postgres] — API tests: a fresh database (dti init --demo), the server on a
# test port, then `node --test` over tests/api/*.test.mjs (one file at a time: the throttling
# tests count failures per client address and use their own 127.0.0.x source addresses).
# Env: DTI_TEST_PORT (default 18300), DTI_TEST_PG_PORT (default 55443).
set -euo pipefail
cd "$(dirname "$0")/../.."
ENGINE=${1:-sqlite}
PORT=${DTI_TEST_PORT:-18300}
[ -x build/dti ] || make -j2 build/dti >/dev/null
TMP=$(mktemp -d /tmp/dti-api.XXXXXX)
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT
if [ "$ENGINE" = postgres ]; then
  source scripts/pg-temp.sh
  pg_temp_start "${DTI_TEST_PG_PORT:-55443}" >/dev/null
  pg_temp_createdb dti_api >/dev/null
  DB=$DTI_PG_URL
  trap 'cleanup; pg_temp_stop' EXIT
else
  DB=sqlite:$TMP/dti.db
fi
build/dti init --db "$DB" --demo --admin-password-file "$TMP/admin.pw" >"$TMP/init.log"
build/dti serve --db "$DB" --listen "127.0.0.1:$PORT" >"$TMP/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do
  curl -fsS "http://127.0.0.1:$PORT/api/v1/health" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "server died:"; cat "$TMP/server.log"; exit 1; }
  sleep 0.1
done
export DTI_URL="http://127.0.0.1:$PORT" DTI_ADMIN_PASSWORD_FILE="$TMP/admin.pw"
status=0
node --test --test-concurrency=1 tests/api/*.test.mjs || status=$?
if [ $status -ne 0 ]; then echo "--- server log (tail)"; tail -30 "$TMP/server.log"; fi
exit $status
