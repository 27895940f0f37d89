#!/usr/bin/env bash
# bench/upload.sh — a 20 MB evidence upload (multipart, curl -F) over loopback:
#   - the server's resident memory during the upload (VmRSS sampled every 10 ms) minus its RSS
#     just before it (after one small warm-up upload), target < 4 MB: the body is streamed to
#     a temporary file, never held in memory;
#   - throughput against nginx receiving the same curl upload into a file
#     (`client_body_in_file_only on`, body then handed to a trivial upstream) in the same run,
#     target >= 0.5x. nginx gets one worker; one upload at a time uses one dti thread too.
#     dti also hashes (SHA-256), sniffs the type and fsyncs the file and its directory, which
#     nginx does not.
# Each side: REPS (5) uploads of distinct 20,000,000-byte files of each kind, a PDF-headed one
# (dti also runs the PDF signature check on it) and a JPEG-headed one (no PDF work); the
# median time per kind is reported.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${BENCH_PORT:-18213}
NPORT=$((PORT + 1))
NUP=$((PORT + 2))
REPS=${BENCH_REPS:-5}
SIZE=20000000
DTI_EXE=${DTI_BIN:-build/dti} # DTI_BIN: another binary (bench/compare.sh)
[ -x "$DTI_EXE" ] || { echo "bench/upload.sh: $DTI_EXE missing (make build)"; exit 1; }
command -v nginx >/dev/null || { echo "bench/upload.sh: nginx missing (scripts/install-deps.sh)"; exit 1; }

T=$(mktemp -d /tmp/dti-upload-bench.XXXXXX)
chmod 755 "$T"
DTI= NGX=
cleanup() {
  [ -n "$DTI" ] && kill "$DTI" 2>/dev/null && wait "$DTI" 2>/dev/null
  [ -n "$NGX" ] && kill "$NGX" 2>/dev/null && wait "$NGX" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT

# ---- files: a PDF header then random bytes (libmagic: application/pdf), distinct per rep;
# the same with a JPEG header (image/jpeg)
JPEG_HEAD='\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00'
for i in $(seq 0 $((2 * REPS))); do
  { printf '%%PDF-1.4\n'; head -c $((SIZE - 9)) /dev/urandom; } >"$T/f$i.pdf"
  { printf "$JPEG_HEAD"; head -c $((SIZE - 20)) /dev/urandom; } >"$T/j$i.jpg"
done

# ---- dti: a staff account and a task in a round's trial phase
DB=sqlite:$T/dti.db
"$DTI_EXE" init --db "$DB" --demo --admin-password-file "$T/pw" >/dev/null 2>&1
OTP=$("$DTI_EXE" user add --db "$DB" --username bstaff --role staff --unit STC --full-name "Cán bộ" |
  sed -n 's/^Mật khẩu dùng một lần: //p')
sqlite3 "$T/dti.db" "
  INSERT INTO rounds (title, year, created_at) VALUES ('Bench', 2026, strftime('%s','now'));
  INSERT INTO round_phases (round_id, phase, starts_at, ends_at)
    VALUES (1, 'trial', strftime('%s','now') - 86400, strftime('%s','now') + 86400);
  INSERT INTO tasks (round_id, subject_unit_id, unit_id, framework_id, framework_version,
    criterion_key, pillar_key, seq, max_points)
    SELECT 1, id, id, 'b', 1, 'c1', 'p1', 1, 100 FROM units WHERE code = 'STC';"
"$DTI_EXE" serve --db "$DB" --listen 127.0.0.1:$PORT --data-dir "$T/data" --no-access-log \
  >"$T/serve.out" 2>"$T/serve.log" & DTI=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/api/v1/health" && break; sleep 0.1; done
B=http://127.0.0.1:$PORT/api/v1
NEWPW='Mật khẩu đo hiệu năng 2026!'
csrf=$(curl -s -c "$T/jar" -H 'Content-Type: application/json' \
  -d "{\"username\":\"bstaff\",\"password\":\"$OTP\"}" "$B/auth/login" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
curl -s -b "$T/jar" -o /dev/null -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" \
  -d "{\"current_password\":\"$OTP\",\"new_password\":\"$NEWPW\"}" "$B/auth/password"
ctype() { case "$1" in *.pdf) echo "filename=bao-cao.pdf;type=application/pdf" ;; *) echo "filename=anh.jpg;type=image/jpeg" ;; esac; }
up() { # file -> "http_code time_total"
  curl -s -o "$T/resp" -w '%{http_code} %{time_total}\n' -b "$T/jar" -H "X-CSRF-Token: $csrf" \
    -H 'Expect:' -F "file=@$1;$(ctype "$1")" "$B/tasks/1/evidence"
}
# warm-up: a small file (libmagic loaded, code paths paged in)
head -c 100000 "$T/f0.pdf" >"$T/small.pdf"
read -r code _ < <(up "$T/small.pdf")
[ "$code" = 201 ] || { echo "bench/upload.sh: warm-up upload failed ($code): $(cat "$T/resp")"; exit 1; }

rss() { awk '$1=="VmRSS:"{print $2}' "/proc/$DTI/status"; }
# Timed uploads first (nothing else running: the machine has 2 cores), then the same size
# again while RSS is sampled.
dti_times=() dti_jtimes=() growth=()
for i in $(seq 1 "$REPS"); do
  read -r code t < <(up "$T/f$i.pdf")
  [ "$code" = 201 ] || { echo "bench/upload.sh: upload failed ($code): $(cat "$T/resp")"; exit 1; }
  dti_times+=("$t")
  read -r code t < <(up "$T/j$i.jpg")
  [ "$code" = 201 ] || { echo "bench/upload.sh: upload failed ($code): $(cat "$T/resp")"; exit 1; }
  dti_jtimes+=("$t")
done
for i in $(seq $((REPS + 1)) $((2 * REPS))); do
  base=$(rss)
  echo "$base" >"$T/peak"; touch "$T/sampling"
  ( peak=$base; while [ -e "$T/sampling" ]; do r=$(rss); [ "$r" -gt "$peak" ] && peak=$r && echo "$peak" >"$T/peak"; sleep 0.01; done ) &
  SAMPLER=$!
  read -r code _ < <(up "$T/f$i.pdf")
  rm -f "$T/sampling"; wait "$SAMPLER" 2>/dev/null || true
  [ "$code" = 201 ] || { echo "bench/upload.sh: upload failed ($code): $(cat "$T/resp")"; exit 1; }
  growth+=($(($(cat "$T/peak") - base)))
done

# ---- nginx: the same upload into a file
mkdir -p "$T/ngx/tmp" "$T/ngx/html"
cat >"$T/ngx/nginx.conf" <<CONF
worker_processes 1; daemon off; pid $T/ngx/nginx.pid; error_log $T/ngx/error.log warn;
events { worker_connections 1024; }
http { access_log off; client_body_temp_path $T/ngx/tmp/body; proxy_temp_path $T/ngx/tmp/proxy;
  fastcgi_temp_path $T/ngx/tmp/fcgi; uwsgi_temp_path $T/ngx/tmp/uwsgi; scgi_temp_path $T/ngx/tmp/scgi;
  server { listen 127.0.0.1:$NPORT;
    location /upload { client_body_in_file_only on; client_max_body_size 100m;
      client_body_buffer_size 128k; proxy_pass_request_body off;
      proxy_set_header Content-Length ""; proxy_set_header Content-Type "";
      proxy_set_header X-File \$request_body_file; proxy_pass http://127.0.0.1:$NUP/done; } }
  server { listen 127.0.0.1:$NUP; location /done { return 201 "{}"; } } }
CONF
nginx -p "$T/ngx" -c "$T/ngx/nginx.conf" -e "$T/ngx/error.log" & NGX=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$NPORT/" && break; sleep 0.05; done
ngx_times=() ngx_jtimes=()
nup() { # file -> seconds
  local code t
  read -r code t < <(curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H 'Expect:' \
    -F "file=@$1;$(ctype "$1")" "http://127.0.0.1:$NPORT/upload")
  [ "$code" = 201 ] || { echo "bench/upload.sh: nginx upload failed ($code)" >&2; cat "$T/ngx/error.log" >&2; echo FAIL; return; }
  find "$T/ngx/tmp/body" -type f -delete 2>/dev/null || true
  echo "$t"
}
for i in $(seq 1 "$REPS"); do
  ngx_times+=("$(nup "$T/f$i.pdf")")
  ngx_jtimes+=("$(nup "$T/j$i.jpg")")
done
case " ${ngx_times[*]} ${ngx_jtimes[*]} " in *FAIL*) exit 1 ;; esac

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
dt=$(median "${dti_times[@]}"); nt=$(median "${ngx_times[@]}"); g=$(median "${growth[@]}")
djt=$(median "${dti_jtimes[@]}"); njt=$(median "${ngx_jtimes[@]}")
awk -v s=$SIZE -v dt="$dt" -v nt="$nt" -v djt="$djt" -v njt="$njt" -v g="$g" -v gs="${growth[*]}" 'BEGIN {
  dmb = s / 1e6 / dt; nmb = s / 1e6 / nt
  printf "upload 20 MB (PDF-headed):  dti %.3f s (%.0f MB/s), nginx client_body_in_file_only %.3f s (%.0f MB/s): %.2fx (target >= 0.5x)\n", dt, dmb, nt, nmb, dmb / nmb
  dmb = s / 1e6 / djt; nmb = s / 1e6 / njt
  printf "upload 20 MB (JPEG-headed): dti %.3f s (%.0f MB/s), nginx client_body_in_file_only %.3f s (%.0f MB/s): %.2fx (target >= 0.5x)\n", djt, dmb, njt, nmb, dmb / nmb
  printf "note: nginx writes the body to a file and stops; dti also parses the multipart body, hashes it (SHA-256), sniffs its type, makes it durable (fdatasync + atomic rename + directory fsync) and commits a row with its audit entry. nginx does not fsync.\n"
  printf "server RSS growth during the upload: %.2f MB median (runs, KiB: %s) (target < 4 MB)\n", g / 1024, gs
}'
