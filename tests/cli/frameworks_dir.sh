#!/usr/bin/env bash
# dti init / dti serve find the shipped index sets from any working directory: --frameworks DIR,
# then DTI_FRAMEWORKS_DIR, then ./frameworks, then <dir of the binary>/../frameworks. Nothing
# found: init still creates the database (exit 0) but its warning lists every place looked at;
# an explicit directory that does not exist is an error and creates nothing. SQLite only.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DTI=$ROOT/${DTI:-build/dti}
[ -x "$DTI" ] || { echo "FAIL: $DTI not built" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
PORT=${FWDIR_TEST_PORT:-18951}
shipped=$(ls "$ROOT"/frameworks/*.json | wc -l)
count() { sqlite3 "$1" 'SELECT COUNT(*) FROM frameworks'; }
mkdir -p "$tmp/elsewhere" "$tmp/own" "$tmp/web"
cp "$ROOT/frameworks/national-province-demo.json" "$tmp/own/"
cd "$tmp/elsewhere" # no ./frameworks here
unset DTI_FRAMEWORKS_DIR

# beside the binary: build/dti -> <repo>/frameworks
out=$("$DTI" init --db "sqlite:$tmp/a.db" --admin-password-file "$tmp/pw" 2>&1) || fail "init: $out"
[ "$(count "$tmp/a.db")" = "$shipped" ] || fail "init from elsewhere loaded $(count "$tmp/a.db") sets: $out"
grep -qF "Đã nạp $shipped bộ chỉ số từ $ROOT/frameworks." <<<"$out" || fail "init output: $out"

# the environment variable, then the option, which wins
out=$(DTI_FRAMEWORKS_DIR=$tmp/own "$DTI" init --db "sqlite:$tmp/b.db" --admin-password-file "$tmp/pw" 2>&1) ||
  fail "init with DTI_FRAMEWORKS_DIR: $out"
[ "$(count "$tmp/b.db")" = 1 ] || fail "DTI_FRAMEWORKS_DIR not used: $out"
out=$(DTI_FRAMEWORKS_DIR=$ROOT/frameworks "$DTI" init --db "sqlite:$tmp/c.db" --frameworks "$tmp/own" \
  --admin-password-file "$tmp/pw" 2>&1) || fail "init --frameworks: $out"
[ "$(count "$tmp/c.db")" = 1 ] || fail "--frameworks does not win over the variable: $out"

# ./frameworks before the binary's
mkdir -p "$tmp/cwd/frameworks" && cp "$tmp/own/"*.json "$tmp/cwd/frameworks/"
out=$(cd "$tmp/cwd" && "$DTI" init --db "sqlite:$tmp/d.db" --admin-password-file "$tmp/pw" 2>&1) || fail "init ./frameworks: $out"
[ "$(count "$tmp/d.db")" = 1 ] || fail "./frameworks not preferred: $out"

# an explicit directory that does not exist: exit 1, no database
set +e; out=$("$DTI" init --db "sqlite:$tmp/e.db" --frameworks "$tmp/nope" 2>&1); rc=$?; set -e
[ $rc = 1 ] || fail "missing --frameworks dir: exit $rc ($out)"
grep -qF -- "--frameworks $tmp/nope không phải là thư mục" <<<"$out" || fail "missing dir message: $out"
[ ! -e "$tmp/e.db" ] || fail "a database was created although --frameworks was wrong"
set +e; out=$(DTI_FRAMEWORKS_DIR=$tmp/nope "$DTI" init --db "sqlite:$tmp/e.db" 2>&1); rc=$?; set -e
[ $rc = 1 ] && grep -qF "DTI_FRAMEWORKS_DIR: $tmp/nope" <<<"$out" || fail "missing env dir: exit $rc ($out)"

# nowhere to be found: a copy of the binary with no frameworks/ beside it
mkdir -p "$tmp/opt/bin" && cp "$DTI" "$tmp/opt/bin/dti"
out=$("$tmp/opt/bin/dti" init --db "sqlite:$tmp/f.db" --admin-password-file "$tmp/pw" 2>&1) ||
  fail "init without any frameworks dir must still succeed: $out"
[ "$(count "$tmp/f.db")" = 0 ] || fail "sets loaded from nowhere"
for w in "Cảnh báo: không tìm thấy thư mục các bộ chỉ số đi kèm" "$tmp/elsewhere/frameworks" \
  "$tmp/opt/frameworks" "--frameworks THƯ_MỤC" "DTI_FRAMEWORKS_DIR"; do
  grep -qF -- "$w" <<<"$out" || fail "warning does not say '$w': $out"
done
"$DTI" init --help | grep -q -- "--frameworks THƯ_MỤC" || fail "init --help lacks --frameworks"
"$DTI" serve --help | grep -q "DTI_FRAMEWORKS_DIR" || fail "serve --help lacks DTI_FRAMEWORKS_DIR"

# dti serve from elsewhere, on a database initialised without sets (f.db), installs the shipped sets beside the binary
rc=0; timeout 3 "$DTI" serve --db "sqlite:$tmp/f.db" --listen "127.0.0.1:$PORT" --web "$tmp/web" \
  --threads 1 >"$tmp/serve.out" 2>&1 || rc=$?
[ "$rc" = 124 ] || fail "serve exited $rc: $(cat "$tmp/serve.out")"
grep -qF "đã nạp $shipped bộ chỉ số mới từ $ROOT/frameworks" "$tmp/serve.out" || fail "serve: $(cat "$tmp/serve.out")"
rc=0; timeout 3 "$DTI" serve --db "sqlite:$tmp/f.db" --listen "127.0.0.1:$PORT" --frameworks "$tmp/nope" \
  >"$tmp/serve.out" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "serve with a missing --frameworks exited $rc: $(cat "$tmp/serve.out")"
echo "frameworks_dir: found from any directory; where it looked is said when not"
