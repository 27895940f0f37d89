#!/usr/bin/env bash
# bench/http_ab.sh [REF] — what a change costs: authenticated GET /api/v1/me served by build/dti
# and by dti built from git revision REF (default: the commit before issue 7's hardening,
# 4b27129), side by side in one run, alternating A B A B (the machine is shared: only the ratio
# of one run means something). Each server gets a fresh SQLite database with the demo province,
# a staff user (no second factor) logged in once; wrk -t2 -c32 -d${DUR}s per round.
# Target (issue 7): new/ref >= 0.95.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
REF=${1:-${BENCH_REF:-4b27129}}
DUR=${BENCH_DURATION:-5}
ROUNDS=${BENCH_ROUNDS:-3}
THREADS=${BENCH_THREADS:-2}
PORT=${BENCH_PORT:-18244}
command -v wrk >/dev/null || { echo "bench/http_ab.sh: wrk missing (make deps)"; exit 1; }
[ -x build/dti ] || { echo "bench/http_ab.sh: build/dti missing (make build)"; exit 1; }

T=$(mktemp -d /tmp/dti-ab.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  git -C "$ROOT" worktree remove --force "$T/ref" 2>/dev/null || true
  rm -rf "$T"
}
trap cleanup EXIT

echo "bench/http_ab.sh: building dti at $REF"
git -C "$ROOT" worktree add -q --detach "$T/ref" "$REF"
make -C "$T/ref" -j"$THREADS" build/dti >"$T/ref-build.log" 2>&1 || { tail -20 "$T/ref-build.log"; exit 1; }

# start NAME BIN PORT: fresh database, staff user logged in; writes the cookie to $T/NAME.cookie
start() {
  local name=$1 bin=$2 port=$3 db="sqlite:$T/$1.db" out otp pw csrf
  "$bin" init --db "$db" --demo --admin-password-file "$T/$name.adminpw" >/dev/null 2>&1
  out=$("$bin" user add --db "$db" --username benchstaff --role staff --unit STC --full-name "Người đo" 2>&1)
  otp=$(sed -n 's/.*: *\([^ ]*\)$/\1/p' <<<"$out" | tail -1)
  "$bin" serve --db "$db" --listen "127.0.0.1:$port" --threads "$THREADS" >"$T/$name.out" 2>"$T/$name.log" &
  PIDS+=($!)
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/api/v1/health" && break; sleep 0.1; done
  local B=http://127.0.0.1:$port/api/v1
  csrf=$(curl -s -c "$T/$name.jar" -H 'Content-Type: application/json' \
    -d "{\"username\":\"benchstaff\",\"password\":\"$otp\"}" "$B/auth/login" |
    /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin).get("csrf_token",""))')
  pw="Bench-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')-Mật-khẩu"
  curl -s -o /dev/null -b "$T/$name.jar" -c "$T/$name.jar" -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $csrf" -d "{\"current_password\":\"$otp\",\"new_password\":\"$pw\"}" "$B/auth/password"
  awk '$6=="dti_session"{print $7}' "$T/$name.jar" | tail -1 >"$T/$name.cookie"
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: dti_session=$(cat "$T/$name.cookie")" "$B/me")
  [ "$code" = 200 ] || { echo "bench/http_ab.sh: $name: GET /me gave $code after login"; tail "$T/$name.log"; exit 1; }
}
start ref "$T/ref/build/dti" "$PORT"
start new "$ROOT/build/dti" $((PORT + 1))

rps() { # NAME PORT
  wrk -t2 -c32 -d"${DUR}s" -H "Cookie: dti_session=$(cat "$T/$1.cookie")" \
    "http://127.0.0.1:$2/api/v1/me" | awk '/^Requests\/sec/{print $2} /Non-2xx/{print "NON2XX " $5 > "/dev/stderr"}'
}
echo "wrk -t2 -c32 -d${DUR}s GET /api/v1/me, $THREADS server threads, $ROUNDS rounds alternating"
for i in $(seq "$ROUNDS"); do
  a=$(rps ref "$PORT"); b=$(rps new $((PORT + 1)))
  printf 'round %d: ref %s (%s)  %10.0f req/s   new %10.0f req/s   new/ref %.3f\n' "$i" "$REF" \
    "$(git -C "$ROOT" log -1 --format=%h "$REF")" "$a" "$b" "$(awk -v a="$a" -v b="$b" 'BEGIN{print b/a}')"
  echo "$a $b" >>"$T/rounds"
done
sort -n -k1 "$T/rounds" | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}' >"$T/ma"
sort -n -k2 "$T/rounds" | awk '{b[NR]=$2} END{print b[int((NR+1)/2)]}' >"$T/mb"
awk -v a="$(cat "$T/ma")" -v b="$(cat "$T/mb")" 'BEGIN{r=b/a; printf "---\nmedian: ref %.0f req/s, new %.0f req/s, new/ref = %.3f (target >= 0.95) %s\n", a, b, r, (r>=0.95)?"ok":"MISSED"}'
