#!/usr/bin/env bash
# Files the CLI cannot read are explained in Vietnamese (strerror() is English): a missing file,
# a directory, a path through a file, a symlink loop, an unreadable file (skipped as root, who
# reads mode-000 files anyway). Exit 1, nothing else printed. Run from the repo root after the build.
set -euo pipefail
cd "$(dirname "$0")/../.."
DTI=${DTI:-build/dti}
[ -x "$DTI" ] || { echo "FAIL: $DTI not built" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
english='No such|directory$|Is a|Not a|Permission|Too many|denied'

# expect PATH MESSAGE [command...]: the command fails with exit 1 and says "PATH: MESSAGE"
expect() {
  local path=$1 msg=$2; shift 2
  local rc=0 out
  out=$("$@" 2>&1) || rc=$?
  [ "$rc" = 1 ] || fail "$*: exit $rc ($out)"
  grep -qF "không mở được tệp $path: $msg" <<<"$out" || fail "$*: $out"
  grep -Eq "$english" <<<"$out" && fail "English in: $out"
  return 0
}
mkdir -p "$tmp/dir"; echo x >"$tmp/file"
ln -s "$tmp/loop2" "$tmp/loop1"; ln -s "$tmp/loop1" "$tmp/loop2"

expect /nonexistent/x.json "không tồn tại" "$DTI" framework validate /nonexistent/x.json
expect "$tmp/dir" "đây là một thư mục, không phải tệp" "$DTI" framework validate "$tmp/dir"
expect "$tmp/dir" "đây là một thư mục, không phải tệp" "$DTI" framework show "$tmp/dir"
expect "$tmp/file/x.json" "một phần của đường dẫn không phải là thư mục" "$DTI" framework validate "$tmp/file/x.json"
expect "$tmp/loop1" "đường dẫn có quá nhiều liên kết tượng trưng" "$DTI" framework validate "$tmp/loop1"
# the inputs file of `dti score` too
expect "$tmp/dir" "đây là một thư mục, không phải tệp" "$DTI" score tests/data/sample-framework.json "$tmp/dir"
if [ "$(id -u)" != 0 ]; then
  echo '{}' >"$tmp/secret"; chmod 000 "$tmp/secret"
  expect "$tmp/secret" "không có quyền đọc" "$DTI" framework validate "$tmp/secret"
else
  echo "file_errors: unreadable file skipped (running as root)"
fi
echo "file_errors: unreadable files explained in Vietnamese"
