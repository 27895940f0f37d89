#!/usr/bin/env bash
# conn_exhaustion.sh — connection exhaustion (issue 7 item 3), loopback only, about 25 s.
# From 127.0.0.1 an attacker opens 200 connections that drip a request head one byte a second
# and 1,000 connections that send nothing, re-opening any that close. Meanwhile a client bound
# to 127.0.0.2 sends GET /api/v1/health 200 times, a new connection each time.
# Asserted (tests/cli/conn_exhaustion.py check): no probe failure and p99 < 100 ms; every
# dripper closed by the head deadline (--header-timeout 5) although it never went idle; the idle
# connections beyond --max-conn-per-address 256 refused at accept (closed within 1 s, no reply);
# the few idle ones accepted also closed at the deadline. Then the options' usage errors.
# CONN_TEST_DTI=/path/to/other/dti CONN_TEST_BASELINE=1 measures a server without these options
# (figures only, no assertions).
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${CONN_TEST_PORT:-18230}
DTI=${CONN_TEST_DTI:-build/dti}
BASELINE=${CONN_TEST_BASELINE:-}
LIMIT=256
HT=5
PY=/usr/bin/python3
T=$(mktemp -d /tmp/dti-conn.XXXXXX)
PID=; APID=
cleanup() {
  [ -n "$APID" ] && kill "$APID" 2>/dev/null
  [ -n "$PID" ] && kill "$PID" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; [ -f "$T/err" ] && tail -5 "$T/err"; exit 1; }
ok() { echo "ok   $*"; }

# 1,200 attacker sockets + the probe in the client, as many in the server: raise the soft limit.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge 1500 ] || fail "ulimit -n $(ulimit -n) < 1500"

"$DTI" init --db "sqlite:$T/dti.db" --admin-password-file "$T/pw" >/dev/null 2>&1 || fail "dti init"
opts=(--max-conn-per-address $LIMIT --header-timeout $HT)
[ -n "$BASELINE" ] && opts=()
# The server starts with a soft limit of 1024 (a common default) and must raise it itself.
(ulimit -Sn 1024; exec "$DTI" serve --db "sqlite:$T/dti.db" --listen 127.0.0.1:$PORT --threads 4 \
  --no-access-log "${opts[@]}" >"$T/out" 2>"$T/err") &
PID=$!
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$PORT/api/v1/health" && break; sleep 0.1; done
curl -sf -o /dev/null "http://127.0.0.1:$PORT/api/v1/health" || fail "server did not start"
if [ -z "$BASELINE" ]; then
  lim=$(awk '/Max open files/ {print $4}' /proc/$PID/limits)
  if [ "$(ulimit -Hn)" = unlimited ] || [ "$(ulimit -Hn)" -ge 1256 ]; then
    [ "$lim" = unlimited ] || [ "$lim" -ge 1256 ] || fail "server's open-file limit $lim < 1256"
  fi
  ok "server started (open-file soft limit $lim)"
fi

start=$(date +%s)
$PY tests/cli/conn_exhaustion.py attack 127.0.0.1 "$PORT" "$T/attack.json" "$T/ready" "$T/stop" \
  --idle 1000 --drip 200 --drip-interval 1 --reopen-delay 1 --max-seconds 50 &
APID=$!
for _ in $(seq 300); do [ -f "$T/ready" ] && break; sleep 0.1; done
[ -f "$T/ready" ] || fail "attacker did not open its connections within 30 s"
ok "attacker connected 1,200 sockets in $(cat "$T/ready") s"
probe_args=(--count 200 --gap 0.03 --timeout 5)
[ -n "$BASELINE" ] && probe_args=(--count 200 --gap 0.03 --timeout 30)
$PY tests/cli/conn_exhaustion.py probe 127.0.0.2 127.0.0.1 "$PORT" "$T/probe.json" "${probe_args[@]}"
# Let the first drippers reach their deadline even if the probe was quick.
while [ $(( $(date +%s) - start )) -lt $((HT + 4)) ]; do sleep 0.5; done
touch "$T/stop"
wait "$APID" || fail "attacker failed"
APID=
check=(--limit $LIMIT --header-timeout $HT --idle 1000 --drip 200 --drip-interval 1)
[ -n "$BASELINE" ] && check+=(--baseline)
$PY tests/cli/conn_exhaustion.py check "$T/attack.json" "$T/probe.json" "${check[@]}" \
  || fail "connection exhaustion"
curl -sf -o /dev/null "http://127.0.0.1:$PORT/api/v1/health" || fail "server not answering after the attack"
kill -0 "$PID" || fail "server died"
[ -n "$BASELINE" ] && { echo "conn_exhaustion: baseline measured"; exit 0; }
ok "health from another address stayed fast; drippers cut at ${HT} s; excess refused at accept"

# --- a keep-alive connection: the next head is due within the deadline after a request
exec 3<>/dev/tcp/127.0.0.1/$PORT
printf 'GET /api/v1/health HTTP/1.1\r\nHost: t\r\n\r\n' >&3
t0=$(date +%s%N)
timeout $((HT + 5)) cat <&3 >"$T/ka" || fail "keep-alive connection not closed within $((HT + 5)) s"
exec 3<&-
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
head -1 "$T/ka" | grep -q '^HTTP/1.1 200' || fail "keep-alive request not answered"
[ "$ms" -ge $((HT * 1000 - 300)) ] && [ "$ms" -le $((HT * 1000 + 2000)) ] \
  || fail "idle keep-alive connection closed after ${ms} ms, expected ~${HT} s"
ok "idle keep-alive connection closed ${ms} ms after its request"

# --- SIGTERM: the reaper stops with the server, exit 0
kill -TERM "$PID"
rc=0; wait "$PID" || rc=$?
PID=
[ "$rc" = 0 ] || fail "exit code after SIGTERM: $rc"
ok "SIGTERM -> exit 0"

# --- usage errors, in Vietnamese, exit 2
for bad in "--max-conn-per-address -1" "--max-conn-per-address x" "--max-conn-per-address 100001" \
           "--header-timeout 0" "--header-timeout 3601" "--header-timeout"; do
  rc=0; "$DTI" serve $bad 2>"$T/e" >/dev/null || rc=$?
  [ "$rc" = 2 ] || fail "$bad: exit $rc"
  grep -q 'dti serve: .*\(phải là\|thiếu giá trị\)' "$T/e" || fail "$bad: message $(cat "$T/e")"
done
"$DTI" serve --help | grep -q -- '--max-conn-per-address N' || fail "--help lacks --max-conn-per-address"
"$DTI" serve --help | grep -q -- '--header-timeout GIÂY' || fail "--help lacks --header-timeout"
ok "usage errors exit 2; --help lists both options"
echo "conn_exhaustion: all passed"
