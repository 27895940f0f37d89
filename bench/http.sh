#!/usr/bin/env bash
# bench/http.sh — `dti serve` side by side with nginx in one run (the machine is shared: only
# the ratios of one run mean something). wrk -t2 -c32 -d${DUR}s --latency on
#   (a) a static UI asset: nginx serving the same bytes from disk vs dti from memory;
#   (b) authenticated GET /api/v1/me (session cookie; forced password change done first)
#       vs nginx's static figure.
# Targets: static >= 0.5x nginx; /me >= 0.3x nginx with p99 < 10 ms; RSS < 30 MB idle,
# < 100 MB under load.
# BENCH_BASE_DTI=/path/to/an/older/dti: that binary serves the same database on another port
# and its /me is measured in the same run, alternating with ours (regression check: issue 7
# demands the hardening cost < 5 % of /me throughput).
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS=${BENCH_THREADS:-2}
DUR=${BENCH_DURATION:-10}
CONNS=${BENCH_CONNS:-32}
PORT=${BENCH_PORT:-18210}
NGX_PORT=${BENCH_NGINX_PORT:-18250}
command -v wrk >/dev/null || { echo "bench/http.sh: wrk missing (make deps)"; exit 1; }
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { echo "bench/http.sh: nginx missing"; exit 1; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x build/dti ] || { echo "bench/http.sh: build/dti missing (make build)"; exit 1; }

T=$(mktemp -d /tmp/dti-bench.XXXXXX); chmod 755 "$T"
DTI=; NGX=; BASE=
BASE_DTI=${BENCH_BASE_DTI:-}
BASE_PORT=${BENCH_BASE_PORT:-$((PORT + 2))}
cleanup() {
  [ -n "$DTI" ] && kill "$DTI" 2>/dev/null && wait "$DTI" 2>/dev/null
  [ -n "$BASE" ] && kill "$BASE" 2>/dev/null && wait "$BASE" 2>/dev/null
  [ -n "$NGX" ] && kill "$NGX" 2>/dev/null && wait "$NGX" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT

# --- the same bytes for both servers: a real hashed UI asset if the UI is built
mkdir -p "$T/web/assets" "$T/html/assets" "$T/tmp"
asset=$(ls build/web/assets/*.js 2>/dev/null | head -1 || true)
if [ -n "$asset" ]; then
  cp -r build/web/. "$T/web/"
  name=$(basename "$asset")
else
  name=index-BENCH123.js
  /usr/bin/python3 -c 'import sys; sys.stdout.write(("console.log(\"DTI bench\");\n" * 300)[:5500])' > "$T/web/assets/$name"
  echo '<!doctype html><title>DTI</title>' > "$T/web/index.html"
fi
cp "$T/web/assets/$name" "$T/html/assets/$name"
size=$(stat -c %s "$T/html/assets/$name")

# --- nginx, one worker per server thread
cat > "$T/nginx.conf" <<CONF
worker_processes $THREADS; daemon off; pid $T/nginx.pid; error_log $T/error.log warn;
events { worker_connections 1024; }
http { access_log off; client_body_temp_path $T/tmp/body; proxy_temp_path $T/tmp/proxy;
  fastcgi_temp_path $T/tmp/fcgi; uwsgi_temp_path $T/tmp/uwsgi; scgi_temp_path $T/tmp/scgi;
  include /etc/nginx/mime.types; server { listen 127.0.0.1:$NGX_PORT; root $T/html; } }
CONF
"$NGINX" -p "$T" -c "$T/nginx.conf" -e "$T/error.log" & NGX=$!

# --- dti on a fresh SQLite database
init_out=$(build/dti init --db "sqlite:$T/dti.db" 2>&1) || echo "bench/http.sh: dti init failed: $init_out"
otp=$(echo "$init_out" | sed -n 's/^Mật khẩu dùng một lần: //p')
build/dti serve --db "sqlite:$T/dti.db" --listen 127.0.0.1:$PORT --web "$T/web" \
  --threads "$THREADS" >"$T/dti.out" 2>"$T/dti.log" & DTI=$!
for _ in $(seq 100); do
  curl -s -o /dev/null "http://127.0.0.1:$PORT/api/v1/health" && curl -s -o /dev/null "http://127.0.0.1:$NGX_PORT/assets/$name" && break
  sleep 0.1
done

# --- log in, change the one-time password, keep the session cookie
B=http://127.0.0.1:$PORT/api/v1
cookie=
if [ -n "$otp" ]; then
  csrf=$(curl -s -c "$T/jar" -H 'Content-Type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$otp\"}" "$B/auth/login" |
    /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin).get("csrf_token",""))' 2>/dev/null || true)
  if [ -n "$csrf" ]; then
    newpw="Bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')-Mật-khẩu"
    curl -s -o /dev/null -b "$T/jar" -c "$T/jar" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" \
      -d "{\"current_password\":\"$otp\",\"new_password\":\"$newpw\"}" "$B/auth/password"
    cookie=$(awk '$6=="dti_session"{print $7}' "$T/jar" | tail -1)
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: dti_session=$cookie" "$B/me")
    [ "$code" = 200 ] || { echo "bench/http.sh: GET /me gave $code after login"; cookie=; }
  fi
fi

rss() { awk '/^VmRSS/{printf "%.1f", $2/1024}' "/proc/$DTI/status"; }
hwm() { awk '/^VmHWM/{printf "%.1f", $2/1024}' "/proc/$DTI/status"; }
idle_rss=$(rss)
# VmHWM is useless here: one argon2id hash at login touches 64 MiB once. Sample VmRSS instead.
echo 0 > "$T/rss_max"
( while kill -0 "$DTI" 2>/dev/null; do
    r=$(awk '/^VmRSS/{print $2}' "/proc/$DTI/status" 2>/dev/null || echo 0)
    [ "${r:-0}" -gt "$(cat "$T/rss_max")" ] && echo "$r" > "$T/rss_max"
    sleep 0.2
  done ) & SAMPLER=$!

# run NAME URL [header]: prints req/s and p99 (ms) into $T/NAME
run() {
  local name=$1 url=$2; shift 2
  wrk -t2 -c"$CONNS" -d"${DUR}s" --latency "$@" "$url" > "$T/$name.wrk"
  local rps p99 non2xx
  rps=$(awk '/^Requests\/sec/{print $2}' "$T/$name.wrk")
  p99=$(awk '$1=="99%"{v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}' "$T/$name.wrk")
  non2xx=$(awk '/Non-2xx/{print $5}' "$T/$name.wrk")
  printf '%-28s %10.0f req/s   p99 %7.2f ms%s\n' "$name" "$rps" "$p99" "${non2xx:+   NON-2XX: $non2xx}"
  echo "$rps $p99" > "$T/$name"
}

echo "bench/http.sh: wrk -t2 -c$CONNS -d${DUR}s, $THREADS server thread(s) / nginx worker(s), asset $size bytes"
run nginx_static "http://127.0.0.1:$NGX_PORT/assets/$name"
run dti_static "http://127.0.0.1:$PORT/assets/$name"
if [ -n "$cookie" ] && [ -n "$BASE_DTI" ]; then
  "$BASE_DTI" serve --db "sqlite:$T/dti.db" --listen 127.0.0.1:$BASE_PORT --web "$T/web" \
    --threads "$THREADS" >"$T/base.out" 2>"$T/base.log" & BASE=$!
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$BASE_PORT/api/v1/health" && break; sleep 0.1; done
  for round in 1 2; do
    run "dti_me#$round" "$B/me" -H "Cookie: dti_session=$cookie"
    run "base_me#$round" "http://127.0.0.1:$BASE_PORT/api/v1/me" -H "Cookie: dti_session=$cookie"
  done
  cat "$T/dti_me#1" "$T/dti_me#2" | awk '{s+=$1; p=($2>p)?$2:p} END{print s/2, p}' > "$T/dti_me"
  cat "$T/base_me#1" "$T/base_me#2" | awk '{s+=$1} END{print s/2}' > "$T/base_me"
elif [ -n "$cookie" ]; then
  run dti_me "$B/me" -H "Cookie: dti_session=$cookie"
else
  echo "dti_me                        skipped (login not available in this build)"
fi
kill "$SAMPLER" 2>/dev/null; wait "$SAMPLER" 2>/dev/null || true
load_rss=$(awk '{printf "%.1f", $1/1024}' "$T/rss_max")
login_peak=$(hwm)

ng=$(cut -d' ' -f1 "$T/nginx_static"); st=$(cut -d' ' -f1 "$T/dti_static")
echo "---"
awk -v a="$st" -v b="$ng" 'BEGIN{r=a/b; printf "static  dti/nginx = %.2f  (target >= 0.50) %s\n", r, ((r>=0.5)?"ok":"MISSED")}'
if [ -f "$T/dti_me" ]; then
  me=$(cut -d' ' -f1 "$T/dti_me"); p99=$(cut -d' ' -f2 "$T/dti_me")
  awk -v a="$me" -v b="$ng" -v p="$p99" 'BEGIN{r=a/b; printf "/me     dti/nginx = %.2f  (target >= 0.30) %s; p99 %.2f ms (target < 10) %s\n", r, ((r>=0.3)?"ok":"MISSED"), p, ((p<10)?"ok":"MISSED")}'
fi
if [ -f "$T/base_me" ]; then
  awk -v a="$(cut -d' ' -f1 "$T/dti_me")" -v b="$(cat "$T/base_me")" 'BEGIN{d=(a/b-1)*100; printf "/me     this build vs BENCH_BASE_DTI = %.0f vs %.0f req/s (%+.1f %%; target > -5 %%) %s\n", a, b, d, ((d>-5)?"ok":"MISSED")}'
fi
awk -v i="$idle_rss" -v l="$load_rss" -v h="$login_peak" 'BEGIN{printf "RSS     idle %.1f MB (target < 30) %s; max under load %.1f MB (target < 100) %s; VmHWM %.1f MB (argon2id at login)\n", i, ((i<30)?"ok":"MISSED"), l, ((l<100)?"ok":"MISSED"), h}'
