#!/usr/bin/env bash
# Only `dti init` creates a SQLite database file. serve, migrate, user and audit on a missing
# file exit 1 with a Vietnamese message that says the database does not exist and suggests
# dti init, and leave no file behind (a later `dti migrate` used to turn that empty file into a
# database without an administrator). On an existing but uninitialised file they refuse too.
set -euo pipefail
cd "$(dirname "$0")/../.."
DTI=${DTI:-build/dti}
[ -x "$DTI" ] || { echo "FAIL: $DTI not built" >&2; exit 1; }
T=$(mktemp -d /tmp/dti-open.XXXXXX); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
PORT=${OPEN_TEST_PORT:-18203}

missing() { # command... : exit 1, the message, no file
  set +e; timeout 10 "$@" >"$T/out" 2>"$T/err"; local rc=$?; set -e
  [ "$rc" = 1 ] || fail "$* exited $rc, wanted 1: $(cat "$T/err")"
  grep -q "không tồn tại" "$T/err" || fail "$*: no 'không tồn tại' in: $(cat "$T/err")"
  grep -q "dti init" "$T/err" || fail "$*: does not suggest dti init: $(cat "$T/err")"
  [ "$(wc -l <"$T/err")" = 1 ] || fail "$*: not one line: $(cat "$T/err")"
  [ -z "$(ls -A "$T/db")" ] || fail "$* left files behind: $(ls -A "$T/db")"
}
mkdir "$T/db"
DB=sqlite:$T/db/new.db
missing "$DTI" user add --db "$DB" --username abc --role staff --unit STC --full-name "Nguyễn Văn A"
missing "$DTI" user reset-password --db "$DB" --username abc
missing "$DTI" user disable --db "$DB" --username abc
missing "$DTI" migrate --db "$DB"
missing "$DTI" audit verify --db "$DB"
missing "$DTI" serve --db "$DB" --listen "127.0.0.1:$PORT"
# the sequence from the QA report: a failed user add, then migrate — still nothing
missing "$DTI" user add --db "$DB" --username abc --role staff --unit STC --full-name "A"
missing "$DTI" migrate --db "$DB"

# an existing file that dti init never set up (e.g. left by an older version) is refused
: >"$T/db/empty.db"
for cmd in "migrate" "audit verify" "user reset-password --username abc"; do
  set +e; timeout 10 "$DTI" $cmd --db "sqlite:$T/db/empty.db" >"$T/out" 2>"$T/err"; rc=$?; set -e
  [ "$rc" = 1 ] || fail "$cmd on an empty file exited $rc"
  grep -q "chưa được khởi tạo (chạy dti init trước)" "$T/err" || fail "$cmd: $(cat "$T/err")"
done
set +e; timeout 10 "$DTI" serve --db "sqlite:$T/db/empty.db" --listen "127.0.0.1:$PORT" >"$T/out" 2>"$T/err"; rc=$?; set -e
[ "$rc" = 1 ] || fail "serve on an empty file exited $rc"
[ "$(sqlite3 "$T/db/empty.db" "SELECT COUNT(*) FROM sqlite_master")" = 0 ] || fail "a schema was created in the empty file"

# dti init still creates it, and then the others work
"$DTI" init --db "$DB" --demo --admin-password-file "$T/pw" >/dev/null 2>&1 || fail "init"
"$DTI" migrate --db "$DB" >/dev/null || fail "migrate after init"
"$DTI" user add --db "$DB" --username abc --role staff --unit STC --full-name "Nguyễn Văn A" >/dev/null || fail "user add after init"
"$DTI" audit verify --db "$DB" >/dev/null || fail "audit verify after init"
echo "ok   tests/cli/open_existing.sh"
