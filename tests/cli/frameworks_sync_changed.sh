#!/usr/bin/env bash
# A shipped index set is immutable once stored: `dti serve` (and `dti init`) must refuse a file
# whose (id, version) is already stored with other content, naming file, id and version, and
# exit 1; the same file with a raised version is accepted. SQLite only. Run from the repo root.
set -euo pipefail
cd "$(dirname "$0")/../.."
DTI=${DTI:-build/dti}
[ -x "$DTI" ] || { echo "FAIL: $DTI not built" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
PORT=${SYNC_TEST_PORT:-18202}
DB=sqlite:$tmp/dti.db
mkdir -p "$tmp/fw" "$tmp/web"
cp frameworks/national-province-demo.json "$tmp/fw/demo.json"
id=$(node -p 'require(process.argv[1]).id' "$tmp/fw/demo.json")
ver=$(node -p 'require(process.argv[1]).version' "$tmp/fw/demo.json")

out=$("$DTI" init --db "$DB" --frameworks-dir "$tmp/fw" --admin-password-file "$tmp/pw" 2>&1) ||
  fail "init: $out"
q() { sqlite3 "$tmp/dti.db" "$1"; }
[ "$(q "SELECT COUNT(*) FROM frameworks WHERE id='$id'")" = 1 ] || fail "init did not store $id"
sha=$(q "SELECT sha256 FROM frameworks WHERE id='$id'")

# Same id and version, other content (a corrected title): refused, nothing changes.
edit() { node -e '
const fs = require("fs"); const f = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
f.title += " (sửa)"; if (process.argv[2]) f.version += 1;
fs.writeFileSync(process.argv[1], JSON.stringify(f, null, 2));' "$tmp/fw/demo.json" "${1:-}"; }
edit
serve() { timeout 5 "$DTI" serve --db "$DB" --listen "127.0.0.1:$PORT" --web "$tmp/web" \
  --frameworks "$tmp/fw" --threads 1 >"$tmp/serve.out" 2>&1; }
rc=0; serve || rc=$?
[ "$rc" = 1 ] || fail "serve with a changed stored version exited $rc, expected 1: $(cat "$tmp/serve.out")"
for w in "$tmp/fw/demo.json" "$id" "phiên bản $ver" "sha256" "\"version\""; do
  grep -qF -- "$w" "$tmp/serve.out" || fail "serve error does not say '$w': $(cat "$tmp/serve.out")"
done
[ "$(q "SELECT sha256 FROM frameworks WHERE id='$id'")" = "$sha" ] || fail "stored file changed"
[ "$(q "SELECT COUNT(*) FROM frameworks WHERE id='$id'")" = 1 ] || fail "a version was added"

# init on a fresh database stores the edited file; a second sync of the same file is a no-op.
rc=0; "$DTI" init --db "sqlite:$tmp/b.db" --frameworks-dir "$tmp/fw" \
  --admin-password-file "$tmp/pw2" >"$tmp/init.out" 2>&1 || rc=$?
[ "$rc" = 0 ] || fail "init on a fresh database: $(cat "$tmp/init.out")"

# The same change as a new version is accepted: serve starts and installs it.
edit raise
rc=0; serve || rc=$?
[ "$rc" = 124 ] || fail "serve with a raised version exited $rc: $(cat "$tmp/serve.out")"
grep -q "đã nạp 1 bộ chỉ số mới" "$tmp/serve.out" || fail "new version not installed: $(cat "$tmp/serve.out")"
[ "$(q "SELECT COUNT(*) FROM frameworks WHERE id='$id'")" = 2 ] || fail "raised version not stored"

# A file saved with a UTF-8 byte-order mark: stored with the sha256 of the file without it (as an
# upload is, and as its audit entry says), and a later sync of the same file is a no-op.
mkdir -p "$tmp/bom"
printf '\xef\xbb\xbf' >"$tmp/bom/demo.json"
cat frameworks/national-province-demo.json >>"$tmp/bom/demo.json"
want=$(sha256sum frameworks/national-province-demo.json | cut -d' ' -f1)
rc=0; "$DTI" init --db "sqlite:$tmp/c.db" --frameworks-dir "$tmp/bom" \
  --admin-password-file "$tmp/pw3" >"$tmp/init.out" 2>&1 || rc=$?
[ "$rc" = 0 ] || fail "init with a BOM file: $(cat "$tmp/init.out")"
got=$(sqlite3 "$tmp/c.db" "SELECT sha256 FROM frameworks WHERE id='$id'")
[ "$got" = "$want" ] || fail "BOM file stored with sha256 $got, want $want (the file without its BOM)"
rc=0; timeout 5 "$DTI" serve --db "sqlite:$tmp/c.db" --listen "127.0.0.1:$PORT" --web "$tmp/web" \
  --frameworks "$tmp/bom" --threads 1 >"$tmp/serve.out" 2>&1 || rc=$?
[ "$rc" = 124 ] || fail "serve after syncing a BOM file exited $rc: $(cat "$tmp/serve.out")"

echo "frameworks_sync_changed: a changed stored version is refused; a raised one is installed; a BOM file keeps one sha256"
