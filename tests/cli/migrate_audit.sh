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
expect_rc 0 $DTI migrate --db "$DB"
grep -q 'lên 1' "$T/out" || fail "migrate did not report the new version"
expect_rc 0 $DTI migrate --db "$DB"
grep -q 'mới nhất' "$T/out" || fail "second migrate was not a no-op"
[ "$(sqlite3 "$T/dti.db" 'SELECT COUNT(*) FROM schema_migrations')" = 1 ] || fail "migration recorded twice"
[ "$(sqlite3 "$T/dti.db" 'PRAGMA journal_mode')" = wal ] || fail "database not in WAL mode"

expect_rc 0 $DTI audit verify --db "$DB"
grep -q 'Chuỗi nhật ký hợp lệ: 0 bản ghi' "$T/out" || fail "empty chain not reported valid"

# A row forged by hand is found.
sqlite3 "$T/dti.db" "INSERT INTO audit_log (id, at, actor_name, action, entity, prev_hash, hash)
  VALUES (1, 1, 'x', 'unit.create', 'unit', '$(printf '0%.0s' {1..64})', 'deadbeef')"
expect_rc 1 $DTI audit verify --db "$DB"
grep -q 'Nhật ký bị sửa đổi tại bản ghi 1:' "$T/err" || fail "forged row not reported: $(cat "$T/err")"

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
