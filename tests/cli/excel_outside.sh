#!/usr/bin/env bash
# The Excel import as people outside use it (docs/excel.md "What users' inputs mean"): values
# typed and pasted the way they are (NBSP and full-width digits from Word or a web page,
# thousands groups, "Có" decomposed, a percentage format, dates as dd.mm.yyyy text), the
# same file re-saved by LibreOffice in a Vietnamese locale (xlsx → xlsx, xlsx → ods → xlsx),
# sheets added or unhidden, and the other formats users upload instead (.xls, a .xls with a
# password, .ods, .csv, .html, .xlsm written by LibreOffice): each read right or refused with
# its exact Vietnamese message at its sheet and cell, and a refusal changes nothing. Every file
# is built here with openpyxl (tests/cli/excel_outside.py) and soffice. SQLite.
set -euo pipefail
cd "$(dirname "$0")/../.."
DTI=${DTI:-build/dti}
PY=${PYTHON:-/usr/bin/python3}
MK=tests/cli/excel_outside.py
[ -x "$DTI" ] || { echo "FAIL: $DTI not built" >&2; exit 1; }
"$PY" -c 'import openpyxl' 2>/dev/null || { echo "FAIL: python3-openpyxl missing (scripts/install-deps.sh)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
. tests/cli/lib/excel_round.sh
# the district (a ratio and two dates); its demo tasks are appraised: back to draft so it may save,
# and its ratio saved the way the API keeps what a person typed ("82%")
DIST=$(q "SELECT u.code FROM units u WHERE u.kind = 'district' AND EXISTS (SELECT 1 FROM tasks t WHERE t.unit_id = u.id AND t.round_id = 1) LIMIT 1")
[ -n "$DIST" ] || fail "no district in the demo"
q "UPDATE tasks SET state = 'draft' WHERE unit_id = (SELECT id FROM units WHERE code = '$DIST');
   UPDATE tasks SET inputs = json_set(inputs, '\$.rate', '82%') WHERE criterion_key = 'vii-1' AND unit_id = (SELECT id FROM units WHERE code = '$DIST');"
[ "$(q "SELECT inputs FROM tasks WHERE criterion_key = 'vii-1' AND unit_id = (SELECT id FROM units WHERE code = '$DIST')")" = '{"rate":"82%"}' ] || fail "district ratio setup"
state() { q "SELECT group_concat(id || ':' || version || ':' || inputs || ':' || COALESCE(self_points,'-') || ':' || COALESCE(content,''), '|') FROM tasks" | md5sum; }
"$DTI" template export --db "$DB" --round 1 --unit "$UNIT" -o "$tmp/t.xlsx" >/dev/null || fail "export"
"$DTI" template export --db "$DB" --round 1 --unit "$DIST" -o "$tmp/h.xlsx" >/dev/null || fail "export district"

# check FILE WANT.json [LABEL]: the dry run reads exactly the expected values, or refuses with the
# expected code, cell and words (and then nothing changed)
check() {
  local f=$1 want=$2 label=${3:-$(basename "$1")} before rc
  before=$(state)
  set +e; "$DTI" import "$f" --dry-run --json --db "$DB" >"$tmp/out.json"; rc=$?; set -e
  "$PY" - "$tmp/out.json" "$want" "$rc" "$label" <<'PYEOF' || fail "$label: $(head -c 1500 "$tmp/out.json")"
import json, sys
rep = json.load(open(sys.argv[1])); want = json.load(open(sys.argv[2])); rc = int(sys.argv[3])
if want["ok"]:
    assert rc == 0 and rep["ok"], [e["message"] for e in rep["errors"]][:3]
    got = {}
    for c in rep["criteria"]:
        for k, v in c["new"]["inputs"].items():
            got[f'{c["criterion_key"]}.{k}'] = v
    for k, v in want["inputs"].items():
        key = k[:-len(".points")] + ".points" if k.endswith(".points") else k
        assert got.get(key) == v, (k, got.get(key), v)
    print(f"  {sys.argv[4]}: read {len(want['inputs'])} values as typed")
else:
    assert rc == 1 and not rep["ok"], rc
    hits = [e for e in rep["errors"] if e["code"] == want["code"]]
    assert hits, [e["message"] for e in rep["errors"]]
    e = hits[0]
    if want.get("cell"):
        assert e["cell"] == want["cell"], (e["cell"], want["cell"])
        assert e["message"].startswith(f'Trang {e["sheet"]}, ô {want["cell"]}: '), e["message"]
    assert want["contains"] in e["message"], e["message"]
    print(f"  {sys.argv[4]}: {e['message'][:120]}")
PYEOF
  [ "$(state)" = "$before" ] || fail "$label: the dry run changed the tasks"
}
build() { "$PY" "$MK" "$1" "$2" "$3" >"$tmp/$1.want" || fail "build $1"; }

# --- values as typed and pasted
build typed "$tmp/t.xlsx" "$tmp/typed.xlsx"
check "$tmp/typed.xlsx" "$tmp/typed.want" typed
for c in ambiguous ambiguous_comma percent_count thin_space; do
  build $c "$tmp/t.xlsx" "$tmp/$c.xlsx"; check "$tmp/$c.xlsx" "$tmp/$c.want" $c
done
build district_typed "$tmp/h.xlsx" "$tmp/dt.xlsx"; check "$tmp/dt.xlsx" "$tmp/district_typed.want" district_typed
build district_ratio_95 "$tmp/h.xlsx" "$tmp/d95.xlsx"; check "$tmp/d95.xlsx" "$tmp/district_ratio_95.want" district_ratio_95
build district_date_year "$tmp/h.xlsx" "$tmp/dy.xlsx"; check "$tmp/dy.xlsx" "$tmp/district_date_year.want" district_date_year
# the untouched district template: its ratio saved as "82%" and read back as 0.82 is no change
out=$("$DTI" import "$tmp/h.xlsx" --dry-run --json --db "$DB") || fail "untouched district template refused: $(head -c 800 <<<"$out")"
grep -q '"changed": 0' <<<"$out" || fail "untouched district template shows changes: $(grep -o '"criterion_key": "[^"]*", "code": "[^"]*", "title": "[^"]*", "max_points": [0-9.]*, "changed": true' <<<"$out" | head -3)"
echo "  untouched district template: no change (82% saved = 0.82 read)"

# --- structure people change
for c in renamed sorted extra_sheet unhidden_fingerprint hidden_row; do
  build $c "$tmp/t.xlsx" "$tmp/$c.xlsx"; check "$tmp/$c.xlsx" "$tmp/$c.want" $c
done

# --- the real import of the pasted values saves them
"$DTI" import "$tmp/typed.xlsx" --db "$DB" >/dev/null || fail "import typed"
"$PY" - "$tmp/typed.want" "$tmp/dti.db" "$UNIT" <<'PYEOF' || fail "saved values"
import json, sqlite3, sys
want = json.load(open(sys.argv[1]))["inputs"]; db = sqlite3.connect(sys.argv[2])
rows = {k: json.loads(i) for k, i in db.execute(
    "SELECT t.criterion_key, t.inputs FROM tasks t JOIN units u ON u.id = t.unit_id WHERE u.code = ?", (sys.argv[3],))}
for k, v in want.items():
    key, name = k.split(".", 1)
    assert rows[key].get(name) == v, (k, rows[key], v)
print(f"  saved: {len(want)} pasted values")
PYEOF

if ! command -v soffice >/dev/null; then
  echo "SKIP libreoffice cases: soffice not installed (libreoffice-calc-nogui)"
  echo "PASS excel_outside"; exit 0
fi
# LibreOffice with a Vietnamese locale (a profile of its own, as a user's)
prof=$tmp/home/.config/libreoffice/4/user
mkdir -p "$prof"
cat >"$prof/registrymodifications.xcu" <<'XCU'
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>vi-VN</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse"><value>vi-VN</value></prop></item>
</oor:items>
XCU
lo() { # FORMAT SRC OUTDIR
  mkdir -p "$3"
  HOME=$tmp/home timeout 180 soffice --headless --norestore --convert-to "$1" --outdir "$3" "$2" >"$tmp/lo.log" 2>&1 \
    || fail "soffice $1 $2: $(cat "$tmp/lo.log")"
}
# re-saved by LibreOffice: the same values read, also after a trip through .ods
lo xlsx "$tmp/typed.xlsx" "$tmp/lo1"
check "$tmp/lo1/typed.xlsx" "$tmp/typed.want" "typed, re-saved by LibreOffice (vi-VN)"
lo ods "$tmp/typed.xlsx" "$tmp/lo2"
lo xlsx "$tmp/lo2/typed.ods" "$tmp/lo3"
check "$tmp/lo3/typed.xlsx" "$tmp/typed.want" "typed, xlsx → ods → xlsx"
lo xlsx "$tmp/dt.xlsx" "$tmp/lo4"
check "$tmp/lo4/dt.xlsx" "$tmp/district_typed.want" "district, re-saved by LibreOffice"
build percent_count "$tmp/t.xlsx" "$tmp/pc.xlsx"; lo xlsx "$tmp/pc.xlsx" "$tmp/lo5"
check "$tmp/lo5/pc.xlsx" "$tmp/percent_count.want" "percent format, re-saved by LibreOffice"

# other formats saved from the template and uploaded as they are (or renamed .xlsx): each named
wrong() { # FILE words
  local before rc; before=$(state)
  set +e; "$DTI" import "$1" --dry-run --json --db "$DB" >"$tmp/w.json"; rc=$?; set -e
  [ $rc = 1 ] || fail "$1: exit $rc"
  "$PY" -c 'import json,sys; r=json.load(open(sys.argv[1])); e=r["errors"][0]; assert e["code"]=="not_a_workbook" and sys.argv[2] in e["message"], e; print("  " + sys.argv[3] + ": " + e["message"][:130])' \
    "$tmp/w.json" "$2" "$(basename "$1")" || fail "$1: $(head -c 600 "$tmp/w.json")"
  [ "$(state)" = "$before" ] || fail "$1 changed the tasks"
}
lo xls "$tmp/typed.xlsx" "$tmp/fmt"
lo csv "$tmp/typed.xlsx" "$tmp/fmt"
lo html "$tmp/typed.xlsx" "$tmp/fmt"
lo "xlsm:Calc MS Excel 2007 VBA XML" "$tmp/typed.xlsx" "$tmp/fmt"
wrong "$tmp/fmt/typed.xls" "Tệp là bảng tính Excel 97-2003 (.xls), hệ thống chỉ đọc .xlsx: hãy mở tệp bằng Excel hoặc LibreOffice, chọn Lưu thành"
wrong "$tmp/lo2/typed.ods" "Tệp là bảng tính OpenDocument (.ods) của LibreOffice, hệ thống chỉ đọc .xlsx"
wrong "$tmp/fmt/typed.csv" "Tệp là văn bản (CSV hoặc TXT), không phải bảng tính Excel"
wrong "$tmp/fmt/typed.html" "Tệp là trang web (HTML)"
wrong "$tmp/fmt/typed.xlsm" "Tệp có macro: hãy lưu thành bảng tính .xlsx thường (không macro)"
# a password-protected .xls, written by LibreOffice through a Basic macro in the test's profile
basic=$prof/basic/Standard
[ -f "$basic/Module1.xba" ] || fail "no Basic library in the LibreOffice profile"
cat >"$basic/Module1.xba" <<'XBA'
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub Enc(src As String, dst As String, filt As String)
  Dim a(0) As New com.sun.star.beans.PropertyValue
  a(0).Name = &quot;Hidden&quot; : a(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(src), &quot;_blank&quot;, 0, a())
  Dim s(1) As New com.sun.star.beans.PropertyValue
  s(0).Name = &quot;FilterName&quot; : s(0).Value = filt
  s(1).Name = &quot;Password&quot; : s(1).Value = &quot;mk123&quot;
  doc.storeToURL(ConvertToURL(dst), s())
  doc.close(True)
End Sub
</script:module>
XBA
HOME=$tmp/home timeout 180 soffice --headless --norestore \
  "macro:///Standard.Module1.Enc(\"$tmp/typed.xlsx\",\"$tmp/fmt/pw.xls\",\"MS Excel 97\")" >"$tmp/lo.log" 2>&1 || true
[ -s "$tmp/fmt/pw.xls" ] || fail "LibreOffice wrote no password-protected .xls: $(cat "$tmp/lo.log")"
wrong "$tmp/fmt/pw.xls" "Tệp là bảng tính Excel 97-2003 (.xls) có mật khẩu, hệ thống chỉ đọc .xlsx không mật khẩu: hãy mở tệp, bỏ mật khẩu"
cp "$tmp/fmt/typed.xls" "$tmp/fmt/renamed.xlsx"
wrong "$tmp/fmt/renamed.xlsx" "Tệp là bảng tính Excel 97-2003 (.xls)"
# the template saved as .xls and back as .xlsx by LibreOffice is still the template
lo xlsx "$tmp/fmt/typed.xls" "$tmp/lo6"
check "$tmp/lo6/typed.xlsx" "$tmp/typed.want" "typed, xlsx → xls → xlsx"
echo "PASS excel_outside"
