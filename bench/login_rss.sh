#!/usr/bin/env bash
# bench/login_rss.sh — memory of a login storm. Every argon2id verification holds 19 MiB, so N
# logins at once cost N x 19 MiB unless `dti serve --max-hashing` bounds them (default: the
# number of cores). Fires LOGINS (32) concurrent logins with wrong passwords, each for its own
# (non-existent: same cost, dummy hash) user name from its own 127.0.0.x address so neither the
# per-account nor the per-address throttle answers before the hash is computed, then prints the
# server's VmHWM (peak resident memory) and the storm's duration, once with --max-hashing 64
# (effectively unbounded: the thread pool is the limit), with the default, and with 1.
# Target (bench/http.sh): RSS < 100 MB under load.
set -euo pipefail
cd "$(dirname "$0")/.."
LOGINS=${BENCH_LOGINS:-32}
THREADS=${BENCH_THREADS:-}   # empty: the server's default, 2 x cores
PORT=${BENCH_PORT:-18212}
[ -x build/dti ] || { echo "bench/login_rss.sh: build/dti missing (make build)"; exit 1; }
command -v curl >/dev/null || { echo "bench/login_rss.sh: curl missing"; exit 1; }

T=$(mktemp -d /tmp/dti-loginrss.XXXXXX)
DTI=
cleanup() {
  [ -n "$DTI" ] && kill "$DTI" 2>/dev/null && wait "$DTI" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT
build/dti init --db "sqlite:$T/dti.db" >"$T/init.out" 2>&1 ||
  { echo "bench/login_rss.sh: dti init failed"; cat "$T/init.out"; exit 1; }
mkdir -p "$T/web"; echo '<!doctype html><title>DTI</title>' > "$T/web/index.html"

mb() { awk -v k="$1" '$1==k":"{printf "%.1f", $2/1024}' "/proc/$DTI/status"; }

# storm LABEL [serve options...]
storm() {
  local label=$1; shift
  build/dti serve --db "sqlite:$T/dti.db" --listen 127.0.0.1:$PORT --web "$T/web" \
    --no-access-log ${THREADS:+--threads "$THREADS"} "$@" >"$T/serve.out" 2>"$T/serve.log" & DTI=$!
  for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$PORT/api/v1/health" && break
    sleep 0.1
  done
  local idle; idle=$(mb VmHWM)
  rm -f "$T"/code.*
  local t0; t0=$(date +%s%N)
  for i in $(seq "$LOGINS"); do
    curl -s -o /dev/null -w '%{http_code}' --interface "127.0.0.$((i + 1))" \
      -H 'Content-Type: application/json' \
      -d "{\"username\":\"storm$i-$label\",\"password\":\"sai-mat-khau-$i\"}" \
      "http://127.0.0.1:$PORT/api/v1/auth/login" >"$T/code.$i" &
  done
  wait $(jobs -p | grep -vx "$DTI") 2>/dev/null || true
  local t1; t1=$(date +%s%N)
  local peak; peak=$(mb VmHWM)
  local bad; bad=$(cat "$T"/code.* | tr -d '\n' | sed 's/401//g')
  printf '%-22s VmHWM idle %6.1f MB, after %d logins %6.1f MB; storm %5d ms%s\n' \
    "$label" "$idle" "$LOGINS" "$peak" $(((t1 - t0) / 1000000)) \
    "${bad:+   NOT ALL 401: $(cat "$T"/code.* | tr '\n' ' ')}"
  kill "$DTI"; wait "$DTI" 2>/dev/null || true; DTI=
}

echo "bench/login_rss.sh: $LOGINS concurrent wrong-password logins, $(nproc) cores," \
  "threads ${THREADS:-default (2 x cores)}"
storm "--max-hashing 64" --max-hashing 64
storm "default ($(nproc))"
storm "--max-hashing 1" --max-hashing 1
echo "target: RSS < 100 MB under load"
