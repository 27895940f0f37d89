#!/usr/bin/env bash
# CLI tests for `dti migrate` and `dti audit verify` (SQLite): exit codes and messages.
set -euo pipefail
cd "$(dirname "$0")/../.."
DTI=build/dti
T=$(mktemp -d /tmp/dti-cli.XXXXXX); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_rc() { local want=$1; shift; set +e; "$@" >"$T/out" 2>"$T/err"; local rc=$?; set -e
  [ "$rc" = "$want" ] || { cat "$T/out" "$T/err" >&2; fail "$* exited $rc, wanted $want"; }; }

DB=sqlite:$T/dti.db
# Only dti init creates a database; migrate upgrades an initialised one (here: already current).
expect_rc 0 $DTI init --db "$DB" --province-name "Tỉnh Thử" --admin-password-file "$T/pw"
expect_rc 0 $DTI migrate --db "$DB"
grep -q 'mới nhất' "$T/out" || fail "migrate on a current database was not a no-op"
expect_rc 0 $DTI migrate --db "$DB"
grep -q 'mới nhất' "$T/out" || fail "second migrate was not a no-op"
# each migration recorded once, none missing (versions 1..n)
[ "$(sqlite3 "$T/dti.db" 'SELECT COUNT(*) - COUNT(DISTINCT version) FROM schema_migrations')" = 0 ] || fail "migration recorded twice"
[ "$(sqlite3 "$T/dti.db" 'SELECT MAX(version) = COUNT(*) FROM schema_migrations')" = 1 ] || fail "a migration is missing"
[ "$(sqlite3 "$T/dti.db" 'PRAGMA journal_mode')" = wal ] || fail "database not in WAL mode"

expect_rc 0 $DTI audit verify --db "$DB"
n=$(sqlite3 "$T/dti.db" 'SELECT COUNT(*) FROM audit_log')
grep -q "Chuỗi nhật ký hợp lệ: $n bản ghi" "$T/out" || fail "chain of $n entries not reported valid: $(cat "$T/out")"

# A row edited by hand is found.
sqlite3 "$T/dti.db" "UPDATE audit_log SET action = 'unit.retire' WHERE id = 1"
expect_rc 1 $DTI audit verify --db "$DB"
grep -q 'Nhật ký bị sửa đổi tại bản ghi 1:' "$T/err" || fail "edited row not reported: $(cat "$T/err")"

# Errors and usage.
expect_rc 1 $DTI audit verify --db "sqlite:$T/missing.db"
[ ! -e "$T/missing.db" ] || fail "verify created a database file"
expect_rc 1 $DTI migrate --db "sqlite:$T/no/such/dir.db"
grep -q 'không tồn tại' "$T/err" || fail "missing directory not explained"
expect_rc 1 $DTI migrate --db "mysql://x"
expect_rc 2 $DTI migrate --bogus
expect_rc 2 $DTI audit
expect_rc 2 $DTI audit frobnicate
expect_rc 0 $DTI migrate --help
expect_rc 0 $DTI audit verify --help
echo "ok   tests/cli/migrate_audit.sh"
