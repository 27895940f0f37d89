#!/usr/bin/env bash
# http_limits.sh — the HTTP layer seen from outside: security headers, body and header limits,
# bad paths, error shape, static UI serving, idle timeout, graceful stop on SIGTERM.
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${HTTP_TEST_PORT:-18201}
BASE=http://127.0.0.1:$PORT
T=$(mktemp -d /tmp/dti-http.XXXXXX)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; [ -f "$T/err" ] && tail -5 "$T/err"; exit 1; }
ok() { echo "ok   $*"; }

# A small UI directory, with a symlink that must never be followed.
mkdir -p "$T/web/assets"
echo '<!doctype html><title>DTI</title>' > "$T/web/index.html"
echo 'console.log(1)' > "$T/web/assets/index-AbC123.js"
echo 'body{}' > "$T/web/assets/index-AbC123.css"
ln -s /etc/passwd "$T/web/passwd"
ln -s /etc "$T/web/assets/etc"

build/dti init --db "sqlite:$T/dti.db" --admin-password-file "$T/pw" >/dev/null 2>&1 || fail "dti init"
build/dti serve --db "sqlite:$T/dti.db" --listen 127.0.0.1:$PORT --web "$T/web" --threads 2 \
  --conn-timeout 2 >"$T/out" 2>"$T/err" &
PID=$!
for _ in $(seq 50); do curl -s -o /dev/null "$BASE/api/v1/health" && break; sleep 0.1; done
grep -q "Máy chủ DTI đang chạy tại http://127.0.0.1:$PORT" "$T/out" || fail "start-up line"
ok "server started"

# --- security headers on API and UI responses
for p in /api/v1/health / /assets/index-AbC123.js /api/v1/nope; do
  h=$(curl -s -D - -o /dev/null "$BASE$p")
  echo "$h" | grep -qi "^Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'" || fail "CSP on $p"
  echo "$h" | grep -qi '^X-Content-Type-Options: nosniff' || fail "nosniff on $p"
  echo "$h" | grep -qi '^Referrer-Policy: no-referrer' || fail "referrer on $p"
  echo "$h" | grep -qi '^X-Frame-Options: DENY' || fail "frame on $p"
done
curl -s -D - -o /dev/null "$BASE/api/v1/health" | grep -qi '^Cache-Control: no-store' || fail "no-store on api"
ok "security headers"

# --- health and the error shape
[ "$(curl -s "$BASE/api/v1/health")" = '{"status":"ok","database":"ok"}' ] || fail "health body"
body=$(curl -s -w '\n%{http_code}' "$BASE/api/v1/nope")
[ "$(echo "$body" | tail -1)" = 404 ] || fail "404 status"
echo "$body" | head -1 | /usr/bin/python3 -c '
import json,sys; e=json.load(sys.stdin)["error"]
assert e["code"]=="not_found" and len(e["message"])>5, e' || fail "404 shape: $body"
h=$(curl -s -D - -o /dev/null -X DELETE "$BASE/api/v1/health")
echo "$h" | grep -q '^HTTP/1.1 405' || fail "405"
echo "$h" | grep -qi '^Allow: GET' || fail "Allow header"
ok "health, 404 and 405 JSON errors"

# --- openapi is generated from the route table
curl -s "$BASE/api/v1/openapi.json" | /usr/bin/python3 -c '
import json,sys; d=json.load(sys.stdin)
op=d["paths"]["/api/v1/health"]["get"]
assert d["openapi"].startswith("3.") and op["x-roles"]==[] and op["x-csrf"] is False and op["x-own-unit"] is False, op
for p,ops in d["paths"].items():
  for m,o in ops.items(): assert isinstance(o["x-roles"],list) and "summary" in o, (p,m)' || fail "openapi"
ok "openapi.json"

# --- bad paths: 400 bad_path, never a file
for p in '/api/v1/../etc/passwd' '/api/v1/%2e%2e/etc/passwd' '/api/v1/health%00' '/api//v1/health' \
         '/assets/../../etc/passwd' '/%2e%2e/%2e%2e/etc/passwd' '/api/v1/%C3%28' '/api/v1/%zz'; do
  code=$(curl -s --path-as-is -o "$T/b" -w '%{http_code}' "$BASE$p")
  [ "$code" = 400 ] || fail "bad path $p gave $code"
  grep -q '"code":"bad_path"' "$T/b" || fail "bad path body $p"
done
ok "bad paths refused (.., %2e%2e, %00, //, invalid UTF-8, bad escapes)"

# --- body limits: 413 before reading, on an announced 50 MB body that is never sent
exec 3<>/dev/tcp/127.0.0.1/$PORT
printf 'GET /api/v1/health HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 52428800\r\n\r\n' >&3
resp=$(timeout 5 head -c 4096 <&3 || true)
exec 3<&-
echo "$resp" | head -1 | grep -q '413' || fail "413 on announced 50 MB: $(echo "$resp" | head -1)"
echo "$resp" | grep -q '"code":"payload_too_large"' || fail "413 body"
# a chunked body growing past 1 MiB
head -c 1200000 /dev/zero | tr '\0' ' ' > "$T/big"
code=$(curl -s -o "$T/b" -w '%{http_code}' -X GET -H 'Transfer-Encoding: chunked' \
  -H 'Content-Type: application/json' --data-binary @"$T/big" "$BASE/api/v1/health")
[ "$code" = 413 ] || fail "chunked 413 gave $code"
# non-JSON content type
code=$(curl -s -o "$T/b" -w '%{http_code}' -X GET -H 'Content-Type: text/plain' --data 'x' "$BASE/api/v1/health")
[ "$code" = 415 ] && grep -q unsupported_media_type "$T/b" || fail "415 gave $code"
# invalid JSON body on a JSON route
code=$(curl -s -o "$T/b" -w '%{http_code}' -X GET -H 'Content-Type: application/json' --data '{"a":' "$BASE/api/v1/health")
[ "$code" = 400 ] && grep -q invalid_json "$T/b" || fail "invalid json gave $code"
ok "413 (announced and chunked), 415, 400 invalid_json"

# --- headers larger than ~16 KiB are refused by MHD itself
big=$(head -c 30000 /dev/zero | tr '\0' 'a')
hcode=$(curl -s -o /dev/null -w '%{http_code}' -H "X-Big: $big" "$BASE/api/v1/health")
[ "$hcode" = 431 ] || [ "$hcode" = 413 ] || fail "big headers gave $hcode"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: x=$(head -c 4000 /dev/zero | tr '\0' 'b')" "$BASE/api/v1/health")
[ "$code" = 200 ] || fail "4 KB cookie refused ($code)"
ok "header limit ($hcode for 30 KB, 200 for 4 KB)"

# --- static UI
h=$(curl -s -D - -o "$T/b" "$BASE/assets/index-AbC123.js")
echo "$h" | grep -qi '^Content-Type: text/javascript' || fail "js type"
echo "$h" | grep -qi '^Cache-Control: public, max-age=31536000, immutable' || fail "asset cache"
curl -s -D - -o /dev/null "$BASE/assets/index-AbC123.css" | grep -qi '^Content-Type: text/css' || fail "css type"
h=$(curl -s -D - -o "$T/b" "$BASE/units/12/tasks")
echo "$h" | grep -qi '^Cache-Control: no-cache' || fail "index no-cache"
echo "$h" | grep -qi '^Content-Type: text/html' || fail "index type"
grep -q '<title>DTI</title>' "$T/b" || fail "SPA fallback to index.html"
etag=$(echo "$h" | grep -i '^ETag:' | cut -d' ' -f2 | tr -d '\r')
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$BASE/")" = 304 ] || fail "ETag 304"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/assets/missing-1.js")" = 404 ] || fail "missing asset 404"
curl -s "$BASE/passwd" | grep -q root: && fail "symlink followed"
curl -s "$BASE/assets/etc/passwd" | grep -q root: && fail "symlinked dir followed"
[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$BASE/")" = 405 ] || fail "POST on UI"
ok "static UI (types, caching, SPA fallback, ETag, no symlinks)"

# --- a client that stops sending is dropped after --conn-timeout (2 s here)
exec 3<>/dev/tcp/127.0.0.1/$PORT
printf 'GET /api/v1/health HTTP/1.1\r\nHost: t\r\n' >&3
start=$(date +%s%N)
timeout 8 cat <&3 >/dev/null || fail "slow client not disconnected within 8 s"
exec 3<&-
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$ms" -ge 1500 ] || fail "disconnected too early (${ms} ms)"
ok "idle client disconnected after ${ms} ms"

# --- the access log: one JSON line per request, no query string, no cookie (an unknown
# query parameter is refused with 400, and its value is not logged either)
curl -s -o /dev/null -H 'Cookie: dti_session=SECRETCOOKIE' "$BASE/api/v1/health?token=SECRETQUERY"
sleep 0.2
grep -q 'SECRET' "$T/err" && fail "secret in access log"
tail -1 "$T/err" | /usr/bin/python3 -c '
import json,sys; l=json.loads(sys.stdin.readline())
assert l["path"]=="/api/v1/health" and l["status"]==400 and l["method"]=="GET" and "duration_ms" in l and "client" in l and "time" in l, l' \
  || fail "access log line"
ok "access log"

# --- SIGTERM: graceful stop, exit 0
kill -TERM "$PID"
rc=0; wait "$PID" || rc=$?
PID=
[ "$rc" = 0 ] || fail "exit code after SIGTERM: $rc"
ok "SIGTERM -> exit 0"

# --- usage errors
build/dti serve --help | grep -q 'Cách dùng: dti serve' || fail "--help"
rc=0; build/dti serve --threads 0 2>/dev/null || rc=$?; [ "$rc" = 2 ] || fail "--threads 0 exit $rc"
rc=0; build/dti serve --listen nonsense 2>/dev/null || rc=$?; [ "$rc" = 2 ] || fail "--listen exit $rc"
ok "usage errors exit 2"
echo "http_limits: all passed"
