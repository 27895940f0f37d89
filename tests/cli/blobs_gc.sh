#!/usr/bin/env bash
# blobs_gc.sh — `dti blobs gc` (src/app/blob_gc.c): a blob file whose evidence row was never
# committed (a crash between the store's put and the commit) is removed once older than the
# grace period; a blob with its row, and an orphan still inside the grace period, are kept;
# --dry-run removes nothing; bad arguments exit 2 with a message. No server needed: the blob
# files and rows are made as the upload path leaves them (blobs/ab/cdef…, table blobs).
set -euo pipefail
cd "$(dirname "$0")/../.."
T=$(mktemp -d /tmp/dti-blobs-gc.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
ok() { echo "ok   $*"; }

make -j2 build/dti >/dev/null
DB=sqlite:$T/dti.db
build/dti init --db "$DB" --admin-password-file "$T/pw" >/dev/null 2>&1 || fail "dti init"
put() { # content mtime-spec -> sha (file under $T/blobs)
  local sha; sha=$(printf '%s' "$1" | sha256sum | cut -c1-64)
  mkdir -p "$T/blobs/${sha:0:2}"
  printf '%s' "$1" >"$T/blobs/${sha:0:2}/${sha:2}"
  touch -d "$2" "$T/blobs/${sha:0:2}/${sha:2}"
  echo "$sha"
}
exists() { [ -f "$T/blobs/${1:0:2}/${1:2}" ]; }
kept=$(put "tệp có bản ghi" '3 days ago')
old=$(put "tệp mồ côi cũ" '3 days ago')
young=$(put "tệp mồ côi mới" '1 hour ago')
sqlite3 "$T/dti.db" "INSERT INTO blobs (sha256, size, mime, created_at) VALUES ('$kept', 10, 'application/pdf', 0)"

out=$(build/dti blobs gc --db "$DB" --dry-run)
echo "$out" | grep -q "3 tệp, 2 tệp không có bản ghi; sẽ xoá 1 tệp" || fail "dry run said: $out"
exists "$old" && exists "$young" && exists "$kept" || fail "--dry-run removed a file"
ok "--dry-run lists one removable orphan, removes nothing"

out=$(build/dti blobs gc --db "$DB")
echo "$out" | grep -q "đã xoá 1 tệp" || fail "gc said: $out"
exists "$old" && fail "the old orphan is still there"
exists "$young" || fail "the orphan inside the grace period was removed"
exists "$kept" || fail "a blob with its row was removed"
ok "the old orphan removed; the young orphan and the referenced blob kept"

out=$(build/dti blobs gc --db "$DB" --older-than 0 --data-dir "$T")
echo "$out" | grep -q "đã xoá 1 tệp" || fail "--older-than 0 said: $out"
exists "$young" && fail "--older-than 0 kept the young orphan"
exists "$kept" || fail "--older-than 0 removed a blob with its row"
ok "--older-than 0 removes every orphan, never a referenced blob"

for bad in "--older-than x" "--older-than -1" "--bogus"; do
  set +e; msg=$(build/dti blobs gc --db "$DB" $bad 2>&1); rc=$?; set -e
  [ "$rc" = 2 ] || fail "'$bad' exited $rc"
  [ -n "$msg" ] || fail "'$bad' gave no message"
done
set +e; build/dti blobs gc --db "sqlite:$T/none.db" >/dev/null 2>&1; rc=$?; set -e
[ "$rc" = 1 ] || fail "a missing database exited $rc"
[ -e "$T/none.db" ] && fail "a missing database was created"
ok "bad arguments exit 2 with a message; a missing database 1"
echo "ok   tests/cli/blobs_gc.sh"
