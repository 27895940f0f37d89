#!/usr/bin/env bash
# dti round accounts: the CLI twin of POST /rounds/{id}/accounts. Two units in a round (one
# already has a staff account) -> 3 accounts, a 0600 CSV with a BOM and distinct one-time
# passwords that verify against the stored hashes' format, audit entries (cli) without
# passwords, rerun creates nothing, xlsx and json outputs, usage errors. SQLite only.
set -euo pipefail
cd "$(dirname "$0")/../.."
DTI=${DTI:-build/dti}
[ -x "$DTI" ] || { echo "FAIL: $DTI not built" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
DB=sqlite:$tmp/dti.db
"$DTI" init --db "$DB" --demo --admin-password-file "$tmp/pw" >/dev/null 2>&1 || fail "init"
q() { sqlite3 -cmd '.timeout 5000' "$tmp/dti.db" "$1"; }
now=$(date +%s)
q "INSERT INTO rounds (id, title, year, created_at) VALUES (7, 'Đợt thử', 2025, $now);
   INSERT INTO round_units (round_id, unit_id, level) SELECT 7, id, 'department' FROM units WHERE code IN ('STC', 'SNV');"
"$DTI" user add --db "$DB" --username stc.canbo.cu --role staff --unit STC --full-name "Cán bộ cũ" >/dev/null || fail "user add"

out=$("$DTI" round accounts --db "$DB" --round 7 --format csv -o "$tmp/a.csv") || fail "accounts: $out"
grep -q "Đã tạo 3 tài khoản cho 2 đơn vị" <<<"$out" || fail "summary line: $out"
[ "$(stat -c %a "$tmp/a.csv")" = 600 ] || fail "csv mode $(stat -c %a "$tmp/a.csv")"
[ "$(head -c 3 "$tmp/a.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ] || fail "no BOM"
[ "$(wc -l <"$tmp/a.csv")" = 4 ] || fail "rows: $(cat "$tmp/a.csv")"
grep -q '^"Sở Tài chính","STC","Lãnh đạo","stc.lanhdao","' "$tmp/a.csv" || fail "stc leader row: $(cat "$tmp/a.csv")"
grep -q '"snv.canbo"' "$tmp/a.csv" && grep -q '"snv.lanhdao"' "$tmp/a.csv" || fail "snv rows"
grep -q '"stc.canbo"' "$tmp/a.csv" && fail "STC already had a staff account"
pws=$(tail -n +2 "$tmp/a.csv" | awk -F'","' '{print $5}' | tr -d '"\r')
[ "$(sort -u <<<"$pws" | wc -l)" = 3 ] || fail "passwords not distinct: $pws"
[ "$(q "SELECT COUNT(*) FROM users WHERE username IN ('stc.lanhdao','snv.canbo','snv.lanhdao') AND must_change_password = 1 AND password_hash LIKE '\$argon2id\$%'")" = 3 ] || fail "user rows"
[ "$(q "SELECT COUNT(*) FROM audit_log WHERE action = 'user.create' AND actor_name = 'cli'")" -ge 4 ] || fail "user.create entries"
[ "$(q "SELECT COUNT(*) FROM audit_log WHERE action = 'round.accounts' AND entity_id = '7'")" = 1 ] || fail "batch entry"
for p in $pws; do
  [ "$(q "SELECT COUNT(*) FROM audit_log WHERE new_value LIKE '%$p%' OR old_value LIKE '%$p%'")" = 0 ] || fail "password in audit"
done
"$DTI" audit verify --db "$DB" >/dev/null || fail "audit chain"

# rerun: nothing missing
out=$("$DTI" round accounts --db "$DB" --round 7 --format json -o "$tmp/b.json") || fail "rerun: $out"
grep -q "Đã tạo 0 tài khoản" <<<"$out" || fail "rerun line: $out"
grep -q '"accounts": \[\]' "$tmp/b.json" || fail "rerun json: $(cat "$tmp/b.json")"

# xlsx: a zip with the rows
q "INSERT INTO round_units (round_id, unit_id, level) SELECT 7, id, 'department' FROM units WHERE code = 'SYT';"
"$DTI" round accounts --db "$DB" --round 7 --format xlsx -o "$tmp/c.xlsx" >/dev/null || fail "xlsx"
[ "$(head -c 2 "$tmp/c.xlsx")" = PK ] || fail "not a zip"

# usage and user errors change nothing
n=$(q 'SELECT COUNT(*) FROM users')
set +e
"$DTI" round accounts --db "$DB" --round 7 -o "$tmp/x" --format pdf 2>/dev/null; [ $? = 2 ] || fail "bad format exit"
"$DTI" round accounts --db "$DB" --round x -o "$tmp/x" 2>/dev/null; [ $? = 2 ] || fail "bad round exit"
"$DTI" round accounts --db "$DB" --round 7 2>/dev/null; [ $? = 2 ] || fail "missing -o exit"
out=$("$DTI" round accounts --db "$DB" --round 999 -o "$tmp/x" 2>&1); [ $? = 1 ] || fail "unknown round exit"
set -e
grep -q "Không tìm thấy đợt đánh giá" <<<"$out" || fail "unknown round message: $out"
[ "$(q 'SELECT COUNT(*) FROM users')" = "$n" ] || fail "errors created users"
[ ! -e "$tmp/x" ] || fail "an error wrote the output file"
echo "ok   tests/cli/round_accounts.sh"
