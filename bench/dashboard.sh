#!/usr/bin/env bash
# bench/dashboard.sh — the "Báo cáo chỉ số DTI" dashboard (issue 9, part dash) on
# `dti demo --units 10000`, every figure beside its reference, in one run (the machine is shared:
# only the ratios of one run mean something).
#   (a) GET /rounds/{id}/dashboard for one level (the department level, all its units in one
#       reply, and the first page the UI asks for) vs nginx serving the same bytes from a static
#       file: wrk -t2 -c32 -d${DUR}s --latency on both; target: dti's mean time per request
#       <= 2x nginx's.
#   (b) diacritic-insensitive search over 10,000 unit names (the demo round plus every commune,
#       so the round holds all 10,000 units): wrk with a different q on every request (a Lua
#       script cycling through 400 folded and accented names; the reply cache never helps), p99
#       end to end; target < 20 ms.
#   (d) the one-off rebuild of the round's rows: the first request, and the first request after
#       a save (a task row written from the sqlite3 shell: the stamp trigger fires as on a report
#       save), median of 5, beside a request on the built rows.
#   (c) first render of the table in headless chromium (Performance API mark
#       "dti-dashboard-table", from navigation start), on the communes' tab (8,399 units, paged);
#       target < 1 s; and the JavaScript the page loads, gzip -9: target <= 150 KB.
# Env: BENCH_PORT, BENCH_NGINX_PORT, BENCH_DURATION (s, default 5), BENCH_UNITS (10000).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
DUR=${BENCH_DURATION:-5}
UNITS=${BENCH_UNITS:-10000}
PORT=${BENCH_PORT:-18220}
NGX_PORT=${BENCH_NGINX_PORT:-18260}
THREADS=2
command -v wrk >/dev/null || { echo "bench/dashboard.sh: wrk missing"; exit 1; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || { echo "bench/dashboard.sh: nginx missing"; exit 1; }
[ -x build/dti ] || { echo "bench/dashboard.sh: build/dti missing (make build)"; exit 1; }
[ -f build/web/index.html ] || { echo "bench/dashboard.sh: build/web missing (make web)"; exit 1; }

T=$(mktemp -d /tmp/dti-dash-bench.XXXXXX); chmod 755 "$T"
DTI=; NGX=
cleanup() {
  [ -n "$DTI" ] && kill "$DTI" 2>/dev/null && wait "$DTI" 2>/dev/null
  [ -n "$NGX" ] && kill "$NGX" 2>/dev/null && wait "$NGX" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT

DB="sqlite:$T/dti.db"
build/dti init --db "$DB" >/dev/null 2>&1
build/dti demo --units "$UNITS" --no-accounts --db "$DB" | head -1
# every other unit joins the round at its kind's level (the demo gives them no tasks: a unit without tasks has zeros)
sqlite3 "$T/dti.db" "INSERT INTO round_units (round_id, unit_id, level) SELECT 1, id, kind FROM units WHERE id NOT IN (SELECT unit_id FROM round_units WHERE round_id = 1)"
n_units=$(sqlite3 "$T/dti.db" "SELECT COUNT(*) FROM round_units WHERE round_id = 1")
root=$(sqlite3 "$T/dti.db" "SELECT code FROM units WHERE parent_id IS NULL")
otp=$(build/dti user add --db "$DB" --username bench.thamdinh --role appraiser --unit "$root" \
  --full-name "Thẩm định (bench)" | sed -n 's/^Mật khẩu dùng một lần: //p')

build/dti serve --db "$DB" --listen 127.0.0.1:$PORT --web build/web --threads $THREADS \
  >"$T/dti.out" 2>"$T/dti.log" & DTI=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/api/v1/health" && break; sleep 0.1; done
B=http://127.0.0.1:$PORT/api/v1
cookie=$(bench_first_login "$B" bench.thamdinh "$otp" "$T/jar")
H="Cookie: dti_session=$cookie"

# the one-off cost: the first request builds the round's rows (every task read once)
cold=$(curl -s -o /dev/null -w '%{time_total}' -H "$H" "$B/rounds/1/dashboard?level=department")
warm=$(curl -s -o /dev/null -w '%{time_total}' -H "$H" "$B/rounds/1/dashboard?level=department&q=x")
# the first request after a save: a task written (the stamp trigger fires, as on a report save),
# then the page; 5 times, the median
tid=$(sqlite3 "$T/dti.db" "SELECT MIN(id) FROM tasks WHERE round_id = 1")
after_save=$(for i in 1 2 3 4 5; do
  sqlite3 -cmd '.timeout 5000' "$T/dti.db" "UPDATE tasks SET note = 'bench $i', version = version + 1 WHERE id = $tid"
  curl -s -o /dev/null -w '%{time_total}\n' -H "$H" "$B/rounds/1/dashboard?level=department"
done | sort -n | sed -n 3p)

# --- (a) the same bytes from nginx
FULL="/rounds/1/dashboard?level=department&limit=10000"
PAGE="/rounds/1/dashboard?level=department"
mkdir -p "$T/html" "$T/tmp"
curl -s -H "$H" "$B$FULL" > "$T/html/full.json"
curl -s -H "$H" "$B$PAGE" > "$T/html/page.json"
cat > "$T/nginx.conf" <<CONF
worker_processes $THREADS; daemon off; pid $T/nginx.pid; error_log $T/error.log warn;
events { worker_connections 1024; }
http { access_log off; client_body_temp_path $T/tmp/body; proxy_temp_path $T/tmp/proxy;
  fastcgi_temp_path $T/tmp/fcgi; uwsgi_temp_path $T/tmp/uwsgi; scgi_temp_path $T/tmp/scgi;
  include /etc/nginx/mime.types; server { listen 127.0.0.1:$NGX_PORT; root $T/html; } }
CONF
"$NGINX" -p "$T" -c "$T/nginx.conf" -e "$T/error.log" & NGX=$!
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$NGX_PORT/page.json" && break; sleep 0.1; done

# run NAME URL [wrk args]: "req/s p99_ms" into $T/NAME
run() {
  local name=$1 url=$2; shift 2
  wrk -t2 -c32 -d"${DUR}s" --latency "$@" "$url" > "$T/$name.wrk"
  local rps p99 non2xx
  rps=$(awk '/^Requests\/sec/{print $2}' "$T/$name.wrk")
  p99=$(awk '$1=="99%"{v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}' "$T/$name.wrk")
  non2xx=$(awk '/Non-2xx/{print $5}' "$T/$name.wrk")
  printf '  %-26s %9.0f req/s   p99 %8.2f ms%s\n' "$name" "$rps" "$p99" "${non2xx:+   NON-2XX: $non2xx}"
  echo "$rps $p99" > "$T/$name"
}
echo "bench/dashboard.sh: $n_units units in the round; wrk -t2 -c32 -d${DUR}s; $THREADS server threads / nginx workers"
echo "(a) one level as JSON: $(stat -c %s "$T/html/full.json") bytes (1,100 departments), first page $(stat -c %s "$T/html/page.json") bytes"
run nginx_full "http://127.0.0.1:$NGX_PORT/full.json"
run dti_full "$B$FULL" -H "$H"
run nginx_page "http://127.0.0.1:$NGX_PORT/page.json"
run dti_page "$B$PAGE" -H "$H"

# --- (b) search: a different q every request (names of every level, folded or accented)
sqlite3 "$T/dti.db" "SELECT name FROM units ORDER BY (id * 7919) % 10007 LIMIT 400" | /usr/bin/python3 -c '
import sys, unicodedata, urllib.parse, random
random.seed(1)
out = []
for i, line in enumerate(sys.stdin):
    words = line.split()
    q = " ".join(words[-2:]) if len(words) > 1 else line.strip()
    if i % 3 == 0:   # no diacritics, no đ
        q = "".join(c for c in unicodedata.normalize("NFD", q) if unicodedata.category(c) != "Mn").replace("đ", "d").replace("Đ", "D")
    elif i % 3 == 1: # upper case, decomposed
        q = unicodedata.normalize("NFD", q.upper())
    out.append(urllib.parse.quote(q))
print("qs = {" + ",".join("\"%s\"" % q for q in out) + "}")
' > "$T/qs.lua"
cat >> "$T/qs.lua" <<LUA
i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/v1/rounds/1/dashboard?q=" .. qs[(i % #qs) + 1] .. "&limit=50")
end
LUA
echo "(b) search over $n_units unit names, a different q each request (400 names, a third without diacritics, a third upper-case NFD)"
# one user typing (one connection: the latency of a search, not of a queue), then saturated
run1() { local n=$1; shift; wrk -t1 -c1 -d"${DUR}s" --latency "$@" > "$T/$n.wrk"; local rps p99
  rps=$(awk '/^Requests\/sec/{print $2}' "$T/$n.wrk")
  p99=$(awk '$1=="99%"{v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}' "$T/$n.wrk")
  printf '  %-26s %9.0f req/s   p99 %8.2f ms\n' "$n" "$rps" "$p99"; echo "$rps $p99" > "$T/$n"; }
run1 dti_search_1conn "http://127.0.0.1:$PORT" -H "$H" -s "$T/qs.lua"
run dti_search_32conn "http://127.0.0.1:$PORT" -H "$H" -s "$T/qs.lua"
hits=$(curl -s -H "$H" "$B/rounds/1/dashboard?q=$(sed -n 's/^qs = {"\([^"]*\)".*/\1/p' "$T/qs.lua")" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')

# --- (c) first render and JavaScript size in headless chromium
cat > "$T/render.mjs" <<'JS'
import { createRequire } from 'node:module';
const require = createRequire(process.env.WEB_DIR + '/package.json');
const { chromium } = require('playwright-core');
const [base, cookie] = [process.env.BASE, process.env.COOKIE];
const browser = await chromium.launch({ executablePath: '/usr/lib/chromium/chromium' });
const times = [], dcls = [];
let js = [];
for (let i = 0; i < 5; i++) {
  const ctx = await browser.newContext();
  await ctx.addCookies([{ name: 'dti_session', value: cookie, url: base }]);
  const page = await ctx.newPage();
  await page.goto(base + '/rounds/1/dashboard?level=commune');
  await page.waitForFunction(() => performance.getEntriesByName('dti-dashboard-table').length > 0, null, { timeout: 20000 });
  const r = await page.evaluate(() => ({
    t: performance.getEntriesByName('dti-dashboard-table')[0].startTime,
    rows: document.querySelectorAll('#dash-table tbody tr').length,
    js: performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('.js')),
    dcl: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd,
    api: performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/v1/rounds/1'))
      .map((e) => [new URL(e.name).pathname.split('/').pop(), Math.round(e.startTime), Math.round(e.responseEnd)]),
  }));
  times.push(r.t);
  dcls.push(r.dcl);
  if (process.env.VERBOSE) console.error(JSON.stringify(r.api), Math.round(r.dcl), Math.round(r.t));
  js = r.js;
  if (r.rows !== 50) throw new Error('expected 50 rows, got ' + r.rows);
  await ctx.close();
}
await browser.close();
times.sort((a, b) => a - b);
dcls.sort((a, b) => a - b);
console.log(JSON.stringify({ median: times[2], max: times[4], dcl: dcls[2], js: js.map((u) => new URL(u).pathname) }));
JS
echo "(c) first render of the communes' tab (8,399 units, 50 a page), 5 fresh page loads"
render=$(WEB_DIR="$PWD/web" BASE="http://127.0.0.1:$PORT" COOKIE="$cookie" node "$T/render.mjs")
median=$(echo "$render" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["median"])')
rmax=$(echo "$render" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["max"])')
dcl=$(echo "$render" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["dcl"])')
jsgz=0; jsraw=0
for p in $(echo "$render" | /usr/bin/python3 -c 'import json,sys; print(" ".join(json.load(sys.stdin)["js"]))'); do
  f="build/web$p"
  jsgz=$((jsgz + $(gzip -9c "$f" | wc -c))); jsraw=$((jsraw + $(stat -c %s "$f")))
done

echo "---"
awk -v c="$cold" -v w="$warm" -v a="$after_save" 'BEGIN{printf "(d) rows of the round built once: first request %.0f ms; first request after a save (a task written) median %.0f ms of 5; reference: a request on the built rows %.1f ms\n", c*1000, a*1000, w*1000}'
ratio() { awk -v a="$(cut -d' ' -f1 "$T/$1")" -v b="$(cut -d' ' -f1 "$T/$2")" -v n="$3" 'BEGIN{r=b/a; printf "(a) %-22s dti time/request = %.2fx nginx (%.0f vs %.0f req/s; target <= 2x) %s\n", n, r, a, b, ((r<=2)?"ok":"MISSED")}'; }
ratio dti_full nginx_full "whole level:"
ratio dti_page nginx_page "first page (50 rows):"
awk -v p="$(cut -d' ' -f2 "$T/dti_search_1conn")" -v q="$(cut -d' ' -f2 "$T/dti_search_32conn")" -v r="$(cut -d' ' -f1 "$T/dti_search_32conn")" -v n="$n_units" -v h="$hits" 'BEGIN{printf "(b) search over %d names: p99 %.2f ms one request at a time (target < 20 ms) %s; saturated (32 connections, %.0f req/s) p99 %.2f ms [first q matched %s]\n", n, p, ((p<20)?"ok":"MISSED"), r, q, h}'
awk -v m="$median" -v x="$rmax" -v d="$dcl" 'BEGIN{printf "(c) first render of the table: median %.0f ms (target < 1000 ms) %s, worst %.0f ms of 5; reference: DOMContentLoaded of the bare page (HTML + entry script) median %.0f ms\n", m, ((m<1000)?"ok":"MISSED"), x, d}'
awk -v g="$jsgz" -v r="$jsraw" 'BEGIN{printf "(c) dashboard page JavaScript: %.1f KB gzipped (%.1f KB raw) (target <= 150 KB) %s\n", g/1024, r/1024, ((g<=150*1024)?"ok":"MISSED")}'
echo "The machine is shared with other work: compare the ratios of one run, not absolute figures across runs."
