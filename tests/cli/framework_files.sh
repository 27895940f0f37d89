#!/usr/bin/env bash
# dti framework validate / show / score with files as people save them: a UTF-8 byte order mark
# (Windows Notepad) is accepted in the index set and the inputs file; a JSON syntax error is
# told in Vietnamese with its line and column, never in the parser's English. Run from the repo
# root after the build.
set -euo pipefail
cd "$(dirname "$0")/../.."
DTI=${DTI:-build/dti}
[ -x "$DTI" ] || { echo "FAIL: $DTI not built" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# --- a BOM at the start of the index set and of the inputs file
printf '\xef\xbb\xbf' | cat - tests/data/sample-framework.json >"$tmp/bom.json"
out=$("$DTI" framework validate "$tmp/bom.json" 2>&1) || fail "validate with BOM: $out"
"$DTI" framework show "$tmp/bom.json" --json >"$tmp/show.json" || fail "show with BOM"
grep -q '"id": *"mau-thu-nghiem"' "$tmp/show.json" || fail "show with BOM: $(head -c 300 "$tmp/show.json")"
printf '\xef\xbb\xbf{"unit_kind":"department","criteria":{"i-1-1":{"inputs":{"signer":"head"}}}}' >"$tmp/in.json"
out=$("$DTI" score "$tmp/bom.json" "$tmp/in.json" 2>&1) || fail "score with BOMs: $out"
grep -q "Tổng điểm: 10 /" <<<"$out" || fail "score with BOMs: $out"

# --- JSON syntax errors in Vietnamese
english='near|expected|invalid|duplicate|unable|premature|control|maximum|token'
printf '{"format":"dti-framework/1",\n  "id":"abc", "id":"abd"}' >"$tmp/dup.json"
set +e; out=$("$DTI" framework validate "$tmp/dup.json" 2>&1); rc=$?; set -e
[ $rc = 1 ] || fail "duplicate key: exit $rc"
grep -qF '$: JSON không hợp lệ (dòng 2, cột 18): trường "id" bị lặp lại' <<<"$out" || fail "duplicate key: $out"
grep -Eq "$english" <<<"$out" && fail "English in: $out"
printf '{"a":\xff}' >"$tmp/latin1.json"
set +e; out=$("$DTI" framework validate "$tmp/latin1.json" 2>&1); set -e
grep -q "byte 0xff không phải mã UTF-8" <<<"$out" || fail "bad UTF-8: $out"
grep -Eq "$english" <<<"$out" && fail "English in: $out"
printf '{"unit_kind":"department",}' >"$tmp/in-bad.json"
set +e; out=$("$DTI" score tests/data/sample-framework.json "$tmp/in-bad.json" 2>&1); rc=$?; set -e
[ $rc = 1 ] || fail "bad inputs file: exit $rc"
grep -q "in-bad.json: JSON không hợp lệ (dòng 1, cột 27): cần tên trường" <<<"$out" || fail "bad inputs: $out"
grep -Eq "$english" <<<"$out" && fail "English in: $out"
echo "framework_files: ok"

# --- levels, unit kinds and statuses in Vietnamese (show and score)
out=$("$DTI" framework show tests/data/sample-framework.json)
head -2 <<<"$out" | tail -1 | grep -qx "mau-thu-nghiem, phiên bản 1, năm 2023, Cấp sở, dự thảo" || fail "show header: $(head -2 <<<"$out")"
grep -qx "        Áp dụng cho: Cấp sở, Cấp huyện" <<<"$out" || fail "show applies_to: $out"
grep -Eq "province|department|district|commune|official|draft" <<<"$out" && fail "a code in show: $(grep -E "province|department|district|commune|official|draft" <<<"$out")"
out=$("$DTI" framework show frameworks/hue-cap-so-2023.json | sed -n 2p)
grep -q ", Cấp sở, chính thức$" <<<"$out" || fail "show official: $out"
printf '{"unit_kind":"commune","criteria":{}}' >"$tmp/commune.json"
out=$("$DTI" score tests/data/sample-framework.json "$tmp/commune.json")
grep -qx "Loại đơn vị: Cấp xã" <<<"$out" || fail "score unit kind: $out"
grep -q "iii-2b-1 .*không áp dụng cho loại đơn vị này (Cấp xã)" <<<"$out" || fail "score n/a by kind: $out"
grep -Eq "province|department|district|commune" <<<"$out" && fail "a code in score: $out"
printf '{"unit_kind":"ministry","criteria":{}}' >"$tmp/ministry.json"
set +e; out=$("$DTI" score tests/data/sample-framework.json "$tmp/ministry.json" 2>&1); set -e
grep -q "department (cấp sở)" <<<"$out" || fail "unknown unit kind message: $out"
echo "framework_files: labels ok"
