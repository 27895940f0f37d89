#!/usr/bin/env bash
# upload_kill.sh — "nothing lost" for evidence files: `dti serve` is SIGKILLed while two clients
# stream uploads (random PDFs of 0.25–3 MB, sent in 64 KiB pieces). After a restart:
#   - the blob store's tmp/ is empty (partial uploads are removed at start), and a partial file
#     was indeed left by at least one kill (the kill hit an upload in flight);
#   - every upload the server acknowledged (201) is there: its row, its blob file, whose bytes
#     hash to the SHA-256 the client computed;
#   - every file under blobs/ab/… hashes to its own name (no half-written blob is visible), and
#     every evidence row has its blob;
#   - `dti audit verify` accepts the audit chain.
# Done twice (the second kill hits a server that recovered from the first). Port:
# UPLOAD_KILL_PORT (default 18231).
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${UPLOAD_KILL_PORT:-18231}
T=$(mktemp -d /tmp/dti-upload-kill.XXXXXX)
DB=sqlite:$T/dti.db
DATA=$T/data
PID=
cleanup() { [ -n "$PID" ] && kill -KILL "$PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$T"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; [ -f "$T/server.log" ] && tail -5 "$T/server.log"; exit 1; }
ok() { echo "ok   $*"; }

make -j2 build/dti >/dev/null
build/dti init --db "$DB" --demo --admin-password-file "$T/pw" >/dev/null 2>&1 || fail "dti init"
OTP=$(build/dti user add --db "$DB" --username kstaff --role staff --unit STC --full-name "Cán bộ thử" |
  sed -n 's/^Mật khẩu dùng một lần: //p')
[ -n "$OTP" ] || fail "dti user add"
# A round in its trial phase with one task of the staff's unit (the rounds API is not under test).
sqlite3 "$T/dti.db" "
  INSERT INTO rounds (title, year, created_at) VALUES ('Kill', 2026, strftime('%s','now'));
  INSERT INTO round_phases (round_id, phase, starts_at, ends_at)
    VALUES (1, 'trial', strftime('%s','now') - 86400, strftime('%s','now') + 86400);
  INSERT INTO tasks (round_id, subject_unit_id, unit_id, framework_id, framework_version,
    criterion_key, pillar_key, seq, max_points)
    SELECT 1, id, id, 'k', 1, 'c1', 'p1', 1, 100 FROM units WHERE code = 'STC';" || fail "round"

start() {
  build/dti serve --db "$DB" --listen 127.0.0.1:$PORT --data-dir "$DATA" --no-access-log \
    >>"$T/server.log" 2>&1 &
  PID=$!
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/api/v1/health" && return 0; sleep 0.1; done
  fail "server did not start"
}

# The clients: log in (changing the one-time password the first time), then upload until the
# server is gone; each acknowledged upload appends "id sha256" to $T/acked.
cat >"$T/client.py" <<'PY'
import hashlib, http.client, json, os, random, sys, threading, time
port, otp, ackfile, ready = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
NEWPW = "Mật khẩu mới thật dài 2026!"

def call(method, path, body=None, headers=None, cookie=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    h = dict(headers or {})
    if cookie: h["Cookie"] = cookie
    if isinstance(body, dict):
        body = json.dumps(body).encode(); h["Content-Type"] = "application/json"
    c.request(method, path, body=body, headers=h)
    r = c.getresponse(); data = r.read()
    return r.status, r.getheader("Set-Cookie") or "", data

def login():
    for pw in (NEWPW, otp):
        st, ck, data = call("POST", "/api/v1/auth/login", {"username": "kstaff", "password": pw})
        if st == 200:
            cookie = ck.split(";")[0]; csrf = json.loads(data)["csrf_token"]
            if pw == otp:
                st, _, _ = call("POST", "/api/v1/auth/password",
                                {"current_password": otp, "new_password": NEWPW},
                                {"X-CSRF-Token": csrf}, cookie)
                assert st == 204, st
            return cookie, csrf
    sys.exit("login failed")

cookie, csrf = login()
lock = threading.Lock()
open(ready, "w").close()

def uploader(w):
    rnd = random.Random(w * 7919 + int(time.time()))
    while True:
        data = b"%PDF-1.4\n" + os.urandom(rnd.randint(256 << 10, 3 << 20))
        sha = hashlib.sha256(data).hexdigest()
        b = "kill%d%d" % (w, rnd.randint(0, 1 << 30))
        head = ('--%s\r\nContent-Disposition: form-data; name="file"; filename="kill-%d.pdf"\r\n'
                'Content-Type: application/pdf\r\n\r\n' % (b, w)).encode()
        body = head + data + ("\r\n--%s--\r\n" % b).encode()
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            c.putrequest("POST", "/api/v1/tasks/1/evidence")
            c.putheader("Content-Type", "multipart/form-data; boundary=" + b)
            c.putheader("Content-Length", str(len(body)))
            c.putheader("Cookie", cookie); c.putheader("X-CSRF-Token", csrf)
            c.endheaders()
            for off in range(0, len(body), 65536):
                c.send(body[off:off + 65536]); time.sleep(0.002)
            r = c.getresponse(); out = r.read()
        except Exception:
            return  # the server is gone
        if r.status == 201:
            with lock, open(ackfile, "a") as f:
                f.write("%d %s\n" % (json.loads(out)["id"], sha))
        else:
            sys.stderr.write("upload refused: %d %s\n" % (r.status, out[:200]))
            os._exit(3)

ts = [threading.Thread(target=uploader, args=(w,)) for w in (1, 2)]
for t in ts: t.start()
for t in ts: t.join()
PY

partial_seen=0
: >"$T/acked"
for round in 1 2; do
  start
  rm -f "$T/ready"
  python3 "$T/client.py" "$PORT" "$OTP" "$T/acked" "$T/ready" 2>"$T/client.err" &
  CLIENT=$!
  for _ in $(seq 100); do [ -f "$T/ready" ] && break; sleep 0.1; done
  [ -f "$T/ready" ] || fail "client did not log in: $(cat "$T/client.err")"
  sleep 2.5
  kill -KILL "$PID"; wait "$PID" 2>/dev/null || true; PID=
  wait "$CLIENT" || fail "client: $(cat "$T/client.err")"
  n=$(find "$DATA/blobs/tmp" -type f | wc -l)
  [ "$n" -gt 0 ] && partial_seen=1
  ok "kill $round: $(wc -l <"$T/acked") uploads acknowledged so far, $n partial file(s) left in tmp/"

  start
  [ "$(find "$DATA/blobs/tmp" -type f | wc -l)" = 0 ] || fail "tmp/ not emptied at start"
  # every acknowledged upload: row, blob file, bytes
  while read -r id sha; do
    [ "$(sqlite3 "$T/dti.db" "SELECT sha256 FROM evidence WHERE id = $id")" = "$sha" ] || fail "row $id lost"
    f=$DATA/blobs/${sha:0:2}/${sha:2}
    [ -f "$f" ] || fail "blob of $id missing"
    [ "$(sha256sum "$f" | cut -d' ' -f1)" = "$sha" ] || fail "blob of $id damaged"
  done <"$T/acked"
  # no visible blob is half-written; every row has its blob
  for f in "$DATA"/blobs/??/*; do
    name=$(basename "$(dirname "$f")")$(basename "$f")
    [ "$(sha256sum "$f" | cut -d' ' -f1)" = "$name" ] || fail "visible blob $f does not match its name"
  done
  for sha in $(sqlite3 "$T/dti.db" "SELECT sha256 FROM evidence"); do
    [ -f "$DATA/blobs/${sha:0:2}/${sha:2}" ] || fail "row without its blob: $sha"
  done
  [ "$(sqlite3 "$T/dti.db" "SELECT COUNT(*) FROM evidence")" -ge "$(wc -l <"$T/acked")" ] || fail "rows"
  kill -TERM "$PID"; wait "$PID" 2>/dev/null || true; PID=
  build/dti audit verify --db "$DB" >/dev/null || fail "audit verify"
  ok "after restart $round: tmp/ empty, $(wc -l <"$T/acked") acknowledged files intact, every blob matches its name, audit chain verified"
done
[ "$(wc -l <"$T/acked")" -gt 0 ] || fail "no upload was acknowledged"
[ "$partial_seen" = 1 ] || fail "no kill hit an upload in flight"
ok "a kill hit an upload in flight; nothing acknowledged was lost"
