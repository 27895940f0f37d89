#!/usr/bin/env bash
# The publication receipt, checked the way anyone would (docs/publication.md): a demo province
# whose last year's round is finalised; `dti round publish` prints the receipt; the public JSON
# export downloaded with curl (no login) has exactly that SHA-256 (sha256sum); the CSV's
# SHA-256 is the csv_sha256 inside the JSON; an open round is refused and nothing is published;
# a republication without a reason is refused. SQLite. Port: $PUB_RECEIPT_PORT (default 18695).
set -euo pipefail
cd "$(dirname "$0")/../.."
DTI=${DTI:-build/dti}
PORT=${PUB_RECEIPT_PORT:-18695}
[ -x "$DTI" ] || { echo "FAIL: $DTI not built" >&2; exit 1; }
tmp=$(mktemp -d)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
DB=sqlite:$tmp/dti.db
q() { sqlite3 -cmd '.timeout 5000' "$tmp/dti.db" "$1"; }

"$DTI" init --db "$DB" --admin-password-file "$tmp/pw" >/dev/null 2>&1 || fail "init"
"$DTI" demo --db "$DB" --units 40 --rounds 2 --no-accounts >/dev/null 2>&1 || fail "demo"
done_round=$(q "SELECT id FROM rounds WHERE status = 'finalised' ORDER BY id LIMIT 1")
open_round=$(q "SELECT id FROM rounds WHERE status = 'open' ORDER BY id LIMIT 1")
[ -n "$done_round" ] && [ -n "$open_round" ] || fail "demo rounds: $(q 'SELECT id, status FROM rounds')"

# an open round: refused (exit 1, Vietnamese message), nothing published
if out=$("$DTI" round publish --db "$DB" --round "$open_round" 2>&1); then fail "open round published: $out"; fi
grep -q "hoàn thành" <<<"$out" || fail "refusal message: $out"
[ "$(q 'SELECT COUNT(*) FROM publications')" = 0 ] || fail "a refused publication left a row"
rc=0; "$DTI" round publish --db "$DB" >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "no --round: exit $rc, wanted 2 (usage)"

out=$("$DTI" round publish --db "$DB" --round "$done_round") || fail "publish: $out"
receipt=$(sed -n 's/^Mã kiểm tra SHA-256: \([0-9a-f]\{64\}\)$/\1/p' <<<"$out")
[ -n "$receipt" ] || fail "no receipt printed: $out"
[ "$(q "SELECT COUNT(*) FROM audit_log WHERE action = 'round.publish' AND entity_id = '$done_round' AND actor_name = 'cli'")" = 1 ] \
  || fail "audit entry"

"$DTI" serve --db "$DB" --listen "127.0.0.1:$PORT" --threads 1 --no-access-log >"$tmp/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 100); do
  curl -s -o /dev/null "http://127.0.0.1:$PORT/api/v1/health" && break
  kill -0 "$PID" 2>/dev/null || fail "serve exited: $(cat "$tmp/server.log")"
  sleep 0.1
done
base=http://127.0.0.1:$PORT/api/v1/public/rounds/$done_round

# THE check: what anyone downloads hashes to the receipt
curl -fsS -D "$tmp/h.txt" -o "$tmp/export.json" "$base/export.json" || fail "download json"
got=$(sha256sum "$tmp/export.json" | cut -d' ' -f1)
[ "$got" = "$receipt" ] || fail "sha256sum of the export $got != receipt $receipt"
echo "$receipt  $tmp/export.json" | sha256sum --check --status || fail "sha256sum --check"
grep -qi '^content-disposition: attachment; filename="dti-cong-bo-dot-'"$done_round"'-v1.json"' "$tmp/h.txt" || fail "json headers: $(cat "$tmp/h.txt")"

# the CSV: its SHA-256 is in the JSON the receipt covers
curl -fsS -o "$tmp/export.csv" "$base/export.csv" || fail "download csv"
csv_in_json=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["csv_sha256"])' "$tmp/export.json")
[ "$(sha256sum "$tmp/export.csv" | cut -d' ' -f1)" = "$csv_in_json" ] || fail "csv sha256"
units=$(/usr/bin/python3 -c 'import json,sys; print(sum(len(l["units"]) for l in json.load(open(sys.argv[1]))["rankings"]))' "$tmp/export.json")
[ "$units" -gt 0 ] || fail "no unit ranked"
[ "$(($(tail -n +2 "$tmp/export.csv" | wc -l)))" = "$units" ] || fail "csv rows != ranked units ($units)"

# a changed byte changes the hash (the receipt proves the content)
sed 's/"rank": 1,/"rank": 2,/' "$tmp/export.json" >"$tmp/forged.json"
cmp -s "$tmp/export.json" "$tmp/forged.json" && fail "forgery did not change the file"
[ "$(sha256sum "$tmp/forged.json" | cut -d' ' -f1)" != "$receipt" ] || fail "forged file has the receipt"

# the unpublished open round: 404 on every public route
for p in "" /rankings /export.json /export.csv; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/api/v1/public/rounds/$open_round$p")
  [ "$code" = 404 ] || fail "open round $p: HTTP $code"
done

# republishing needs a reason; the published version stays
if out=$("$DTI" round publish --db "$DB" --round "$done_round" 2>&1); then fail "republish without --note: $out"; fi
grep -q "lý do" <<<"$out" || fail "republish message: $out"
curl -fsS "$base/export.json" | sha256sum | grep -q "^$receipt " || fail "version 1 changed"
"$DTI" audit verify --db "$DB" >/dev/null || fail "audit chain"
echo "publication_receipt: OK (receipt $receipt)"
