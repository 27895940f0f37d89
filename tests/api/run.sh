#!/usr/bin/env bash
# tests/api/run.sh ENGINE — the API test suite against a fresh database on ENGINE (sqlite |
# postgres) and a freshly started `dti serve`.
#
#   postgres: starts a throwaway PostgreSQL 15 (scripts/pg-temp.sh), first runs the storage
#             unit tests (build/tests/test_db, test_audit) against it, then the API tests.
#   Both:     `dti init --db URL --demo --admin-password-file FILE`, `dti serve` on
#             127.0.0.1:$DTI_TEST_PORT (default 18090; the next free port is used if busy),
#             waits for GET /api/v1/health, runs `node --test tests/api/` (*.test.mjs files)
#             with DTI_URL, DTI_DB_URL, DTI_ADMIN_PASSWORD_FILE, DTI_ENGINE, DTI_BIN and, for
#             the kill test, DTI_KILL_PORT / DTI_KILL_DB_URL (its own port and database).
# Everything it starts is stopped and removed on exit, whatever happens. Exit status non-zero
# on any failure. Server logs are printed when a test fails.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

ENGINE=${1:-}
case "$ENGINE" in
  sqlite | postgres) ;;
  *) echo "usage: tests/api/run.sh sqlite|postgres" >&2; exit 2 ;;
esac

DTI=$ROOT/build/dti
make -j2 build/dti >/dev/null # no-op when up to date
command -v node >/dev/null || { echo "run.sh: node (>= 18) not found" >&2; exit 1; }

WORK=$(mktemp -d /tmp/dti-api-$ENGINE.XXXXXX)
SERVER_PID=
cleanup() {
  local rc=$?
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  # The kill test's own server, should the test process have died without stopping it.
  if [ -f "$WORK/kill-server.pid" ]; then
    kp=$(cat "$WORK/kill-server.pid")
    if [ -n "$kp" ] && [ "$(cat "/proc/$kp/comm" 2>/dev/null)" = dti ]; then kill -KILL "$kp" 2>/dev/null || true; fi
  fi
  if [ "$rc" != 0 ] && [ -f "$WORK/server.log" ]; then
    echo "---- server log (last 60 lines) ----" >&2; tail -60 "$WORK/server.log" >&2
  fi
  if declare -F pg_temp_stop >/dev/null; then pg_temp_stop; fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# First port at or above $1 nobody listens on (loopback only).
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local p=$1
  for _ in $(seq 40); do
    port_in_use "$p" || { echo "$p"; return 0; }
    p=$((p + 1))
  done
  echo "run.sh: no free port from $1" >&2; return 1
}

PORT=$(free_port "${DTI_TEST_PORT:-18090}")
KILL_PORT=$(free_port "${DTI_TEST_KILL_PORT:-$((PORT + 1))}")
[ "$KILL_PORT" != "$PORT" ] || KILL_PORT=$(free_port $((PORT + 1)))

if [ "$ENGINE" = postgres ]; then
  # shellcheck source=../../scripts/pg-temp.sh
  source scripts/pg-temp.sh
  pg_temp_start "${DTI_TEST_PG_PORT:-55441}"
  trap cleanup EXIT # pg_temp_start installed its own; ours calls pg_temp_stop too
  echo "== storage unit tests on PostgreSQL"
  make -j2 build/tests/test_db build/tests/test_audit >/dev/null
  DTI_TEST_PG_URL=$(pg_temp_createdb dti_unit)
  for t in build/tests/test_db build/tests/test_audit; do
    if out=$(DTI_TEST_PG_URL=$DTI_TEST_PG_URL "$t" 2>&1); then echo "ok   $t (SQLite + PostgreSQL)"
    else echo "$out" | tail -40; echo "FAIL $t"; exit 1; fi
  done
  DB_URL=$(pg_temp_createdb dti)
  KILL_DB_URL=$(pg_temp_createdb dti_kill)
else
  DB_URL=sqlite:$WORK/dti.db
  KILL_DB_URL=sqlite:$WORK/kill/dti.db
  mkdir -p "$WORK/kill"
fi

echo "== dti init ($ENGINE)"
"$DTI" init --db "$DB_URL" --demo --admin-password-file "$WORK/admin-password" >"$WORK/init.log" 2>&1 \
  || { cat "$WORK/init.log" >&2; echo "run.sh: dti init failed" >&2; exit 1; }
[ -s "$WORK/admin-password" ] || { echo "run.sh: dti init wrote no admin password file" >&2; exit 1; }
if [ "$(stat -c %a "$WORK/admin-password")" != 600 ]; then
  echo "run.sh: admin password file is mode $(stat -c %a "$WORK/admin-password"), want 600" >&2; exit 1
fi
if grep -qF -- "$(cat "$WORK/admin-password")" "$WORK/init.log"; then
  # Not fatal (the contract does not forbid it), but CI logs then hold a live password.
  echo "run.sh: warning: dti init also printed the admin password given --admin-password-file" >&2
fi

# part: pdfsig — a test PKI and signed PDFs (signatures.test.mjs); the server trusts its root and CRL.
echo "== test PKI and PDFs (tests/fixtures/pdf/make.py)"
PDF_FIX=$WORK/pdf
/usr/bin/python3 tests/fixtures/pdf/make.py "$PDF_FIX" >/dev/null

echo "== dti serve on 127.0.0.1:$PORT"
# Evidence files under $WORK/data (on SQLite the default would be $WORK, next to the database).
DATA_DIR=$WORK/data
"$DTI" serve --db "$DB_URL" --listen "127.0.0.1:$PORT" --data-dir "$DATA_DIR" \
  --trust "$PDF_FIX/pki/root.pem" --crl "$PDF_FIX/pki/crl.pem" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for i in $(seq 150); do
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "run.sh: server exited during start-up" >&2; exit 1; }
  if node -e 'fetch(process.argv[1]).then(r => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))' \
       "http://127.0.0.1:$PORT/api/v1/health"; then break; fi
  [ "$i" = 150 ] && { echo "run.sh: /api/v1/health not ready after 30 s" >&2; exit 1; }
  sleep 0.2
done

echo "== API tests ($ENGINE)"
export DTI_URL="http://127.0.0.1:$PORT" DTI_DB_URL="$DB_URL" DTI_ADMIN_PASSWORD_FILE="$WORK/admin-password"
export DTI_ENGINE="$ENGINE" DTI_BIN="$DTI" DTI_KILL_PORT="$KILL_PORT" DTI_KILL_DB_URL="$KILL_DB_URL"
export DTI_TEST_WORK="$WORK" DTI_DATA_DIR="$DATA_DIR" DTI_PDF_FIXTURES="$PDF_FIX"
node --test --test-reporter=spec ${DTI_API_TESTS:-tests/api/} # DTI_API_TESTS: a subset of files
echo "API tests ($ENGINE) passed"
