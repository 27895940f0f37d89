# Sourced by the Excel CLI tests (excel_roundtrip.sh, excel_outside.sh): a demo province of 30
# units with one round whose official self-assessment phase is open (saving allowed), and a
# department with 69 untouched tasks. Expects DTI, tmp and fail(); sets DB, q(), now, UNIT.
DB=sqlite:$tmp/dti.db
"$DTI" init --db "$DB" --admin-password-file "$tmp/pw" >/dev/null 2>&1 || fail "init"
"$DTI" demo --db "$DB" --units 30 --rounds 1 --no-accounts >/dev/null || fail "demo"
q() { sqlite3 -cmd '.timeout 5000' "$tmp/dti.db" "$1"; }
now=$(date +%s)
q "UPDATE round_phases SET starts_at = $now - 30*86400, ends_at = $now - 20*86400 WHERE round_id = 1 AND phase = 'trial';
   UPDATE round_phases SET starts_at = $now - 20*86400, ends_at = $now + 20*86400 WHERE round_id = 1 AND phase = 'self_assessment';
   UPDATE round_phases SET starts_at = $now + (20 + 10 * (CASE phase WHEN 'appraisal1' THEN 0 WHEN 'explanation' THEN 1 WHEN 'appraisal2' THEN 2 ELSE 3 END))*86400,
                           ends_at = $now + (30 + 10 * (CASE phase WHEN 'appraisal1' THEN 0 WHEN 'explanation' THEN 1 WHEN 'appraisal2' THEN 2 ELSE 3 END))*86400
     WHERE round_id = 1 AND phase IN ('appraisal1','explanation','appraisal2','finalised');"
UNIT=$(q "SELECT u.code FROM tasks t JOIN units u ON u.id = t.unit_id WHERE t.round_id = 1 GROUP BY u.code HAVING COUNT(*) = 69 AND SUM(t.state = 'not_started') = 69 LIMIT 1")
[ -n "$UNIT" ] || fail "no department with 69 untouched tasks"
