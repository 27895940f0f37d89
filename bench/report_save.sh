#!/usr/bin/env bash
# bench/report_save.sh — report saves under load: BENCH_CLIENTS (32) concurrent staff clients each
# saving its own task (PUT /tasks/{id}/report: inputs -> engine score -> audit entry, one
# transaction) for BENCH_DURATION (10) s; saves/s and p99 on SQLite and, in the same run, on a
# throwaway PostgreSQL 15. Target (issue 8): SQLite >= 1,000 saves/s with p99 < 50 ms.
# The load comes from wrk (bench/report_save.lua: one thread per connection, each tracking its
# task's version); bench/report_save.mjs sets up the round, the staff session and the tasks
# (BENCH_NODE_CLIENT=1: the Node client drives the load instead). Also measured in the same
# run: SQLite without group commit (DTI_SQLITE_GROUP_COMMIT=0, synchronous=FULL).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${BENCH_PORT:-18220}
CLIENTS=${BENCH_CLIENTS:-32}
DUR=${BENCH_DURATION:-10}
export BENCH_CLIENTS=$CLIENTS BENCH_DURATION=$DUR
PG_PORT=${BENCH_PG_PORT:-$((PORT + 5))}
DTI=${DTI_BIN:-build/dti} # DTI_BIN: another binary (bench/compare.sh)
[ -x "$DTI" ] || { echo "bench/report_save.sh: $DTI missing (make build)"; exit 1; }
T=$(mktemp -d /tmp/dti-bench-save.XXXXXX); chmod 755 "$T"
SRV=
stop_server() { [ -n "$SRV" ] && kill "$SRV" 2>/dev/null && wait "$SRV" 2>/dev/null; SRV=; }
cleanup() { stop_server; if declare -F pg_temp_stop >/dev/null; then pg_temp_stop; fi; rm -rf "$T"; }
trap cleanup EXIT

run() { # engine db-url
  local engine=$1 url=$2 dir=$T/$1
  mkdir -p "$dir"
  "$DTI" init --db "$url" --demo --admin-password-file "$dir/admin-password" >"$dir/init.log" 2>&1 \
    || { cat "$dir/init.log"; exit 1; }
  "$DTI" serve --db "$url" --listen "127.0.0.1:$PORT" ${BENCH_THREADS:+--threads $BENCH_THREADS} \
    >"$dir/server.log" 2>&1 & SRV=$!
  for _ in $(seq 100); do
    node -e 'fetch(process.argv[1]).then(r => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))' \
      "http://127.0.0.1:$PORT/api/v1/health" && break
    sleep 0.2
  done
  local out
  if [ -n "${BENCH_NODE_CLIENT:-}" ]; then
    out=$(DTI_URL="http://127.0.0.1:$PORT" DTI_ADMIN_PASSWORD_FILE="$dir/admin-password" node bench/report_save.mjs)
  else
    DTI_URL="http://127.0.0.1:$PORT" DTI_ADMIN_PASSWORD_FILE="$dir/admin-password" \
      BENCH_WRK_SETUP="$dir/wrk.json" node bench/report_save.mjs
    out=$(BENCH_WRK_CFG="$dir/wrk.json" wrk -t"$CLIENTS" -c"$CLIENTS" -d"${DUR}s" \
      -s bench/report_save.lua "http://127.0.0.1:$PORT" | tail -1)
  fi
  stop_server
  echo "$engine $out"
}

sq=$(run sqlite "sqlite:$T/dti.db")
# the same without group commit (synchronous=FULL: one fsync per commit, inside the lock)
sqf=$(DTI_SQLITE_GROUP_COMMIT=0 run sqlite-full "sqlite:$T/dti-full.db" | sed 's/^sqlite-full /sqlite(FULL) /')
pg=
if [ -z "${BENCH_SQLITE_ONLY:-}" ]; then
  # shellcheck source=../scripts/pg-temp.sh
  source scripts/pg-temp.sh
  pg_temp_start "$PG_PORT" >/dev/null
  trap cleanup EXIT
  pg=$(run postgres "$(pg_temp_createdb dti_bench)")
fi

python3 - "$sq" "$sqf" ${pg:+"$pg"} <<'PY'
import json, sys
rows = [(l.split(' ', 1)[0], json.loads(l.split(' ', 1)[1])) for l in sys.argv[1:]]
print(f"{'engine':12} {'saves/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6}   target (SQLite): >= 1000 saves/s, p99 < 50 ms")
for e, r in rows:
    print(f"{e:12} {r['per_second']:>8} {r['p50_ms']:>7} {r['p99_ms']:>7} {r['errors']:>6}")
PY
