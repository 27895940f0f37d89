#!/usr/bin/env bash
# dti init and dti user: the demo province, the admin's one-time password (printed, or only in
# a 0600 file), refusal to initialise twice, user add / reset-password / reset-totp / disable with exit codes
# and audit entries. SQLite only (the API tests cover PostgreSQL). Run from the repo root.
set -euo pipefail
cd "$(dirname "$0")/../.."
DTI=${DTI:-build/dti}
[ -x "$DTI" ] || { echo "FAIL: $DTI not built" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
DB=sqlite:$tmp/nested/dir/dti.db

out=$("$DTI" init --db "$DB" --demo --admin-password-file "$tmp/pw" 2>&1) || fail "init: $out"
[ -f "$tmp/nested/dir/dti.db" ] || fail "init did not create the parent directories"
[ "$(stat -c %a "$tmp/pw")" = 600 ] || fail "password file mode $(stat -c %a "$tmp/pw")"
pw=$(cat "$tmp/pw")
[[ "$pw" =~ ^[A-HJ-NP-Za-km-z2-9]{16}$ ]] || fail "one-time password looks wrong: $pw"
grep -qx "Tài khoản quản trị: admin" <<<"$out" || fail "init output: $out"
# with a password file the secret goes only to the file, not into logs
grep -qF -- "$pw" <<<"$out" && fail "password echoed although --admin-password-file was given"
q() { sqlite3 "$tmp/nested/dir/dti.db" "$1"; }
[ "$(q 'SELECT COUNT(*) FROM units')" = 29 ] || fail "demo units: $(q 'SELECT COUNT(*) FROM units')"
[ "$(q "SELECT name FROM units WHERE code='SLDTBXH'")" = "Sở Lao động thương binh và xã hội" ] || fail "demo names"
[ "$(q "SELECT role || must_change_password FROM users WHERE username='admin'")" = admin1 ] || fail "admin row"
[ "$(q "SELECT COUNT(*) FROM users WHERE password_hash LIKE '\$argon2id\$%'")" = 1 ] || fail "argon2id hash"
[ "$(q "SELECT COUNT(*) FROM audit_log WHERE actor_name='cli'")" = 30 ] || fail "init audit entries"

# a second init refuses and changes nothing
before=$(q 'SELECT COUNT(*) FROM audit_log')
set +e; out=$("$DTI" init --db "$DB" 2>&1); rc=$?; set -e
[ $rc = 1 ] || fail "second init exit $rc"
grep -q "đã được khởi tạo" <<<"$out" || fail "second init message: $out"
[ "$(q 'SELECT COUNT(*) FROM audit_log')" = "$before" ] || fail "second init changed the audit log"
[ "$(cat "$tmp/pw")" = "$pw" ] || fail "second init touched the password file"

# without --demo: one province unit with the given name
out=$("$DTI" init --db "sqlite:$tmp/p2.db" --province-name "Tỉnh Quảng Trị" 2>&1) || fail "init p2: $out"
grep -Eqx "Mật khẩu dùng một lần: [A-HJ-NP-Za-km-z2-9]{16}" <<<"$out" || fail "password not printed: $out"
[ "$(sqlite3 "$tmp/p2.db" 'SELECT kind || name FROM units')" = "provinceTỉnh Quảng Trị" ] || fail "province name"

# dti user
out=$("$DTI" user add --db "$DB" --username Nguyen.Van.A --role staff --unit STC --full-name "Nguyễn Văn A") || fail "user add"
grep -q "^Tài khoản: nguyen.van.a$" <<<"$out" || fail "user add output: $out"
grep -Eq "^Mật khẩu dùng một lần: [A-HJ-NP-Za-km-z2-9]{16}$" <<<"$out" || fail "user add password: $out"
expect_rc() { local want=$1; shift; set +e; "$@" >/dev/null 2>"$tmp/err"; local rc=$?; set -e
  [ $rc = "$want" ] || fail "$* -> exit $rc, want $want ($(cat "$tmp/err"))"; }
expect_rc 1 "$DTI" user add --db "$DB" --username nguyen.van.a --role staff --unit STC --full-name "Người Khác"
grep -q "đã có người dùng" "$tmp/err" || fail "duplicate message: $(cat "$tmp/err")"
expect_rc 1 "$DTI" user add --db "$DB" --username khac --role staff --unit KHONGCO --full-name "Khác"
expect_rc 1 "$DTI" user add --db "$DB" --username khac --role boss --unit STC --full-name "Khác"
expect_rc 2 "$DTI" user add --db "$DB" --username khac
expect_rc 2 "$DTI" user add --db "$DB" --bogus
expect_rc 0 "$DTI" user add --help
expect_rc 0 "$DTI" user reset-password --help
expect_rc 0 "$DTI" user disable --help
expect_rc 0 "$DTI" init --help
old=$(q "SELECT password_hash FROM users WHERE username='nguyen.van.a'")
out=$("$DTI" user reset-password --db "$DB" --username NGUYEN.VAN.A) || fail "reset"
[ "$(q "SELECT password_hash FROM users WHERE username='nguyen.van.a'")" != "$old" ] || fail "reset kept the hash"
# reset-totp: an admin who lost the phone and the recovery codes (TOTP set here as if enrolled)
q "UPDATE users SET totp_enabled = 1, totp_secret = 'JBSWY3DPEHPK3PXP', totp_last_step = 5 WHERE username='nguyen.van.a';
   INSERT INTO recovery_codes (user_id, code_hash) SELECT id, 'x' FROM users WHERE username='nguyen.van.a'"
expect_rc 0 "$DTI" user reset-totp --help
out=$("$DTI" user reset-totp --db "$DB" --username nguyen.van.a) || fail "reset-totp"
grep -q "Đã xoá xác thực hai bước của nguyen.van.a" <<<"$out" || fail "reset-totp output: $out"
[ "$(q "SELECT totp_enabled || coalesce(totp_secret, '-') FROM users WHERE username='nguyen.van.a'")" = "0-" ] || fail "reset-totp kept TOTP"
[ "$(q "SELECT COUNT(*) FROM recovery_codes")" = 0 ] || fail "reset-totp kept recovery codes"
expect_rc 1 "$DTI" user reset-totp --db "$DB" --username khongco
expect_rc 0 "$DTI" user disable --db "$DB" --username nguyen.van.a
[ "$(q "SELECT disabled FROM users WHERE username='nguyen.van.a'")" = 1 ] || fail "disable"
expect_rc 1 "$DTI" user disable --db "$DB" --username khongco
[ "$(q "SELECT group_concat(action, ',') FROM (SELECT action FROM audit_log WHERE entity='user' AND actor_name='cli' ORDER BY id)")" = \
  "user.create,user.create,user.reset_password,user.totp_reset,user.disable" ] || fail "user audit: $(q "SELECT group_concat(action) FROM audit_log WHERE entity='user'")"
[ "$(q "SELECT COUNT(*) FROM audit_log WHERE new_value LIKE '%argon2%' OR old_value LIKE '%argon2%'")" = 0 ] || fail "hash in audit"
expect_rc 1 "$DTI" user add --db "sqlite:$tmp/none.db" --username abc --role staff --unit STC --full-name "A"
# the full name follows the API's text rule (one place: text_clean_line)
expect_rc 2 "$DTI" user add --db "$DB" --username khac --role staff --unit STC
expect_rc 1 "$DTI" user add --db "$DB" --username khac --role staff --unit STC --full-name $'\u00a0 \u3000'
grep -q "Họ và tên không được để trống" "$tmp/err" || fail "blank full name: $(cat "$tmp/err")"
expect_rc 1 "$DTI" user add --db "$DB" --username khac --role staff --unit STC --full-name $'L\u200be'
grep -q "U+200B" "$tmp/err" || fail "zero-width space: $(cat "$tmp/err")"
expect_rc 0 "$DTI" user add --db "$DB" --username khac --role staff --unit STC --full-name $'  Nguye\u0302\u0303n Thi\u0323 Hoa\u0300  '
[ "$(q "SELECT full_name FROM users WHERE username='khac'")" = "Nguyễn Thị Hoà" ] || fail "full name not NFC/trimmed: $(q "SELECT hex(full_name) FROM users WHERE username='khac'")"
echo "ok   tests/cli/init_user.sh"
