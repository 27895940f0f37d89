#!/usr/bin/env bash
# bench/report_save.sh — report saves under load: BENCH_CLIENTS (32) concurrent staff clients each
# saving its own task (PUT /tasks/{id}/report: inputs -> engine score -> audit entry, one
# transaction) for BENCH_DURATION (10) s; saves/s and p99 on SQLite and, in the same run, on a
# throwaway PostgreSQL 15. Target (issue 8): SQLite >= 1,000 saves/s with p99 < 50 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${BENCH_PORT:-18220}
PG_PORT=${BENCH_PG_PORT:-$((PORT + 5))}
[ -x build/dti ] || { echo "bench/report_save.sh: build/dti missing (make build)"; exit 1; }
T=$(mktemp -d /tmp/dti-bench-save.XXXXXX); chmod 755 "$T"
SRV=
stop_server() { [ -n "$SRV" ] && kill "$SRV" 2>/dev/null && wait "$SRV" 2>/dev/null; SRV=; }
cleanup() { stop_server; if declare -F pg_temp_stop >/dev/null; then pg_temp_stop; fi; rm -rf "$T"; }
trap cleanup EXIT

run() { # engine db-url
  local engine=$1 url=$2 dir=$T/$1
  mkdir -p "$dir"
  build/dti init --db "$url" --demo --admin-password-file "$dir/admin-password" >"$dir/init.log" 2>&1 \
    || { cat "$dir/init.log"; exit 1; }
  build/dti serve --db "$url" --listen "127.0.0.1:$PORT" ${BENCH_THREADS:+--threads $BENCH_THREADS} \
    >"$dir/server.log" 2>&1 & SRV=$!
  for _ in $(seq 100); do
    node -e 'fetch(process.argv[1]).then(r => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))' \
      "http://127.0.0.1:$PORT/api/v1/health" && break
    sleep 0.2
  done
  local out
  out=$(DTI_URL="http://127.0.0.1:$PORT" DTI_ADMIN_PASSWORD_FILE="$dir/admin-password" node bench/report_save.mjs)
  stop_server
  echo "$engine $out"
}

sq=$(run sqlite "sqlite:$T/dti.db")
pg=
if [ -z "${BENCH_SQLITE_ONLY:-}" ]; then
  # shellcheck source=../scripts/pg-temp.sh
  source scripts/pg-temp.sh
  pg_temp_start "$PG_PORT" >/dev/null
  trap cleanup EXIT
  pg=$(run postgres "$(pg_temp_createdb dti_bench)")
fi

python3 - "$sq" ${pg:+"$pg"} <<'PY'
import json, sys
rows = [(l.split(' ', 1)[0], json.loads(l.split(' ', 1)[1])) for l in sys.argv[1:]]
print(f"{'engine':10} {'saves/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6}   target (SQLite): >= 1000 saves/s, p99 < 50 ms")
for e, r in rows:
    print(f"{e:10} {r['per_second']:>8} {r['p50_ms']:>7} {r['p99_ms']:>7} {r['errors']:>6}")
PY
