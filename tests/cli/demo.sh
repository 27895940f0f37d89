#!/usr/bin/env bash
# dti demo: a small synthetic province with two rounds; tasks in every workflow state; the same
# --seed and --today give identical units and task tables on two fresh databases, another seed
# another one; refuses a database that already has data (and changes nothing); bad options exit
# 2; the audit chain stays valid; the demo accounts cannot log in (no password). SQLite only.
set -euo pipefail
cd "$(dirname "$0")/../.."
DTI=${DTI:-build/dti}
[ -x "$DTI" ] || { echo "FAIL: $DTI not built" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

mk() { # mk NAME SEED -> a fresh database with the demo
  "$DTI" init --db "sqlite:$tmp/$1.db" --province-name "Tỉnh Mẫu" --admin-password-file "$tmp/$1.pw" >/dev/null 2>&1 || fail "init $1"
  "$DTI" demo --db "sqlite:$tmp/$1.db" --units 120 --rounds 2 --seed "$2" --today 2025-06-01
}
out=$(mk a 42) || fail "demo a: $out"
grep -q "^Đã tạo dữ liệu mẫu: 120 đơn vị, 242 tài khoản, 2 đợt đánh giá" <<<"$out" || fail "output: $out"
grep -q "giây" <<<"$out" || fail "no time printed: $out"
mk b 42 >/dev/null || fail "demo b"
mk c 43 >/dev/null || fail "demo c"
q() { sqlite3 "$tmp/$1.db" "$2"; }

# every state of the workflow is present in the current round; last year's is finalised
for s in not_started draft submitted returned in_appraisal explanation_requested explained approved; do
  n=$(q a "SELECT COUNT(*) FROM tasks WHERE round_id = 2 AND state = '$s'")
  [ "$n" -gt 0 ] || fail "no task in state $s"
done
[ "$(q a "SELECT status FROM rounds WHERE id = 1")" = finalised ] || fail "last year's round not finalised"
[ "$(q a "SELECT COUNT(*) FROM tasks WHERE round_id = 1 AND state <> 'approved'")" = 0 ] || fail "last year not settled"
# 69 tasks per department (Hue cấp sở set), self and approved points within the maximum
[ "$(q a "SELECT COUNT(*) FROM (SELECT subject_unit_id FROM tasks t JOIN units u ON u.id = t.subject_unit_id
  WHERE round_id = 2 AND u.kind = 'department' GROUP BY subject_unit_id HAVING COUNT(*) <> 69)")" = 0 ] || fail "69 per department"
[ "$(q a "SELECT COUNT(*) FROM tasks WHERE self_points > max_points OR approved_points > max_points OR approved_points < 0")" = 0 ] || fail "points out of range"
[ "$(q a "SELECT COUNT(*) FROM tasks WHERE state = 'approved' AND approved_points IS NULL")" = 0 ] || fail "approved without points"
[ "$(q a "SELECT COUNT(*) FROM tasks WHERE state IN ('submitted','in_appraisal') AND self_points IS NULL")" = 0 ] || fail "reported without self points"
[ "$(q a "SELECT COUNT(*) FROM task_comments")" -gt 0 ] || fail "no comments"
# the current round's explanation phase contains --today
[ "$(q a "SELECT COUNT(*) FROM round_phases WHERE round_id = 2 AND phase = 'explanation'
  AND starts_at <= 1748710800 AND ends_at > 1748710800")" = 1 ] || fail "explanation phase not open on --today"

# determinism: same seed -> identical unit tree, tasks (every column) and comments; another
# seed differs (created_at is the real time of the run)
dump() { q "$1" "SELECT id, code, name, kind, parent_id FROM units ORDER BY id; SELECT * FROM tasks ORDER BY id; SELECT * FROM task_comments ORDER BY id" | md5sum; }
[ "$(dump a)" = "$(dump b)" ] || fail "two runs with --seed 42 differ"
[ "$(dump a)" != "$(dump c)" ] || fail "--seed 43 gives the same data as --seed 42"

# a database with data is refused, nothing changed
before=$(q a "SELECT COUNT(*) FROM units")/$(q a "SELECT COUNT(*) FROM audit_log")
if out=$("$DTI" demo --db "sqlite:$tmp/a.db" --units 10 2>&1); then fail "second demo accepted"; fi
grep -q "đã có dữ liệu" <<<"$out" || fail "refusal message: $out"
[ "$(q a "SELECT COUNT(*) FROM units")/$(q a "SELECT COUNT(*) FROM audit_log")" = "$before" ] || fail "refused demo changed data"

# bad options: exit 2
for args in "--units 0" "--units x" "--units 10 --rounds 3" "--units 10 --seed -1" "--units 10 --today 2025-02-30" ""; do
  set +e; "$DTI" demo --db "sqlite:$tmp/a.db" $args >/dev/null 2>&1; rc=$?; set -e
  [ "$rc" = 2 ] || fail "dti demo $args: exit $rc"
done

"$DTI" audit verify --db "sqlite:$tmp/a.db" >/dev/null || fail "audit chain broken"
[ "$(q a "SELECT COUNT(*) FROM audit_log WHERE action = 'demo.generate'")" = 1 ] || fail "demo.generate audit entry"
[ "$(q a "SELECT COUNT(*) FROM users WHERE password_hash LIKE '\$argon2id\$%'")" = 1 ] || fail "demo accounts must have no password"
echo "demo: ok"
