#!/usr/bin/env bash
# Excel round-trip (issue 10, docs/excel.md): `dti template export` writes a template that
# openpyxl opens (protection, validation, hidden fingerprint checked) and LibreOffice converts
# without repair; a template filled with openpyxl the way a user would ("8,5" as text, 8.5 as a
# number, Có/Không, lists, dates) imports: dry run saves nothing, the real import saves values
# and points with one audit entry per changed task; every error case names its sheet and cell
# and changes nothing; a file that is not a workbook exits 1; usage errors exit 2; the zip of
# all units holds one template per unit. SQLite.
set -euo pipefail
cd "$(dirname "$0")/../.."
DTI=${DTI:-build/dti}
PY=${PYTHON:-/usr/bin/python3}
FILL=tests/cli/excel_fill.py
[ -x "$DTI" ] || { echo "FAIL: $DTI not built" >&2; exit 1; }
"$PY" -c 'import openpyxl' 2>/dev/null || { echo "FAIL: python3-openpyxl missing (scripts/install-deps.sh)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
. tests/cli/lib/excel_round.sh
UID_=$(q "SELECT id FROM units WHERE code = '$UNIT'")
state() { q "SELECT group_concat(id || ':' || version || ':' || inputs || ':' || COALESCE(self_points,'-') || ':' || COALESCE(content,''), '|') FROM tasks WHERE unit_id = $UID_" | md5sum; }

# --- export
"$DTI" template export --db "$DB" --round 1 --unit "$UNIT" -o "$tmp/t.xlsx" >/dev/null || fail "export"
"$PY" "$FILL" check "$tmp/t.xlsx" >"$tmp/check.out" || fail "openpyxl check: $(cat "$tmp/check.out")"
grep -q "CDS_CAPSO: 69 criteria" "$tmp/check.out" || fail "sheet: $(cat "$tmp/check.out")"
# every choice cell has a dropdown over its list on the hidden sheet DANHMUC, also the Hue
# signer list whose labels hold commas ("Người đứng đầu cơ quan, đơn vị": no inline list can)
grep -q "choice dropdowns: [1-9]" "$tmp/check.out" || fail "no choice dropdown: $(cat "$tmp/check.out")"
"$PY" - "$tmp/t.xlsx" <<'PYEOF' || fail "DANHMUC lacks the comma label"
import openpyxl, sys
col = [c.value for c in openpyxl.load_workbook(sys.argv[1])["DANHMUC"]["A"]]
assert "Người đứng đầu cơ quan, đơn vị" in col, col
PYEOF
# an older template of the round (written before DANHMUC existed: no list sheet, no dropdown on
# those cells) has the same fingerprint and still imports
"$PY" - "$tmp/t.xlsx" "$tmp/old.xlsx" <<'PYEOF'
import openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1]); ws = wb.worksheets[0]
ws.data_validations.dataValidation = [d for d in ws.data_validations.dataValidation
                                      if "DANHMUC" not in (d.formula1 or "")]
del wb["DANHMUC"]; wb.save(sys.argv[2])
PYEOF
"$DTI" import "$tmp/old.xlsx" --dry-run --json --db "$DB" >"$tmp/old.out" || fail "older template refused: $(head -c 800 "$tmp/old.out")"
if command -v soffice >/dev/null; then
  mkdir -p "$tmp/lo"
  HOME=$tmp timeout 120 soffice --headless --norestore --convert-to "csv:Text - txt - csv (StarCalc):44,34,76" --outdir "$tmp/lo" "$tmp/t.xlsx" >"$tmp/lo.out" 2>&1 \
    || fail "libreoffice convert: $(cat "$tmp/lo.out")"
  grep -q "Điểm tự đánh giá" "$tmp/lo/t.csv" || fail "libreoffice read nothing"
  grep -qi "repair\|corrupt" "$tmp/lo.out" && fail "libreoffice repaired: $(cat "$tmp/lo.out")"
  echo "libreoffice: converted without repair"
else
  echo "SKIP libreoffice check: soffice not installed (libreoffice-calc-nogui)"
fi

# --- usage errors: exit 2
set +e
"$DTI" template export --db "$DB" --round 1 -o "$tmp/x.xlsx" 2>/dev/null; [ $? = 2 ] || fail "export without unit: exit 2"
"$DTI" import --db "$DB" 2>/dev/null; [ $? = 2 ] || fail "import without file: exit 2"
"$DTI" import "$tmp/t.xlsx" --bogus --db "$DB" 2>/dev/null; [ $? = 2 ] || fail "unknown option: exit 2"
# --- not a workbook: exit 1 with a message, never a crash
echo "hello" >"$tmp/not.xlsx"
out=$("$DTI" import "$tmp/not.xlsx" --json --db "$DB"); rc=$?
[ $rc = 1 ] || fail "not a workbook: exit $rc"
grep -q '"ok": false' <<<"$out" && grep -q '"code": "not_a_workbook"' <<<"$out" || fail "not a workbook json: $out"
# a password-protected workbook (an OLE2 container): said as such, not "corrupt"
{ printf '\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1'; head -c 4088 /dev/zero; } >"$tmp/enc.xlsx"
out=$("$DTI" import "$tmp/enc.xlsx" --db "$DB" 2>&1); rc=$?
[ $rc = 1 ] && grep -q "mật khẩu" <<<"$out" || fail "encrypted: exit $rc: $out"
out=$("$DTI" import "$tmp/missing.xlsx" --db "$DB" 2>&1); [ $? = 1 ] || fail "missing file: exit 1"
set -e

# --- the error cases: each names sheet + cell, exit 1, nothing changes
before=$(state)
check_err() { # scenario code cell-or-empty
  local sc=$1 code=$2
  "$PY" "$FILL" fill "$tmp/t.xlsx" "$tmp/$sc.xlsx" 2023 "$sc" >"$tmp/$sc.json"
  local cell; cell=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1])).get("cell") or "")' "$tmp/$sc.json")
  set +e
  "$DTI" import "$tmp/$sc.xlsx" --json --db "$DB" >"$tmp/$sc.out"; local rc=$?
  set -e
  [ $rc = 1 ] || fail "$sc: exit $rc: $(head -c 600 "$tmp/$sc.out")"
  "$PY" - "$tmp/$sc.out" "$code" "$cell" <<'PYEOF' || fail "$sc: $(head -c 1500 "$tmp/$sc.out")"
import json, sys
rep = json.load(open(sys.argv[1])); code, cell = sys.argv[2], sys.argv[3]
assert rep["ok"] is False
hits = [e for e in rep["errors"] if e["code"] == code]
assert hits, [e["code"] for e in rep["errors"]]
e = hits[0]
assert set(e) == {"sheet", "cell", "criterion", "code", "message"}, e
if cell:
    assert e["cell"] == cell, (e["cell"], cell)
    assert e["message"].startswith(f"Trang CDS_CAPSO, ô {cell}: "), e["message"]
else:
    assert e["message"].startswith("Trang CDS_CAPSO"), e["message"]
print(f"  {code}: {e['message'][:110]}")
PYEOF
  [ "$(state)" = "$before" ] || fail "$sc changed the tasks"
}
check_err text_in_number text_in_number
check_err out_of_range out_of_range
check_err date_in_number date_in_number
check_err appraisal appraisal_filled
check_err insert_row structure_changed
check_err delete_col structure_changed
# another round's file: the fingerprint names a round the unit is not in
"$PY" - "$tmp/t.xlsx" "$tmp/other_round.xlsx" <<'PYEOF'
import openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1]); wb["_dti"]["B2"].value = "99"; wb.save(sys.argv[2])
PYEOF
set +e; out=$("$DTI" import "$tmp/other_round.xlsx" --json --db "$DB"); rc=$?; set -e
[ $rc = 1 ] && grep -q '"code": "wrong_round"' <<<"$out" || fail "other round: $rc $out"
# a tampered fingerprint hash
"$PY" - "$tmp/t.xlsx" "$tmp/tampered.xlsx" <<'PYEOF'
import openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1]); wb["_dti"]["F5"].value = "0000000000000000"; wb.save(sys.argv[2])
PYEOF
set +e; out=$("$DTI" import "$tmp/tampered.xlsx" --json --db "$DB"); rc=$?; set -e
[ $rc = 1 ] && grep -q '"code": "structure_changed"' <<<"$out" || fail "tampered: $rc $out"
[ "$(state)" = "$before" ] || fail "refusals changed the tasks"

# --- a formula: its cached value is used (LibreOffice computes it), with a warning
if command -v soffice >/dev/null; then
  "$PY" "$FILL" fill "$tmp/t.xlsx" "$tmp/formula_raw.xlsx" 2023 formula >"$tmp/formula.json"
  mkdir -p "$tmp/lo2"
  HOME=$tmp timeout 120 soffice --headless --norestore --convert-to xlsx --outdir "$tmp/lo2" "$tmp/formula_raw.xlsx" >/dev/null 2>&1 || fail "lo formula convert"
  set +e; "$DTI" import "$tmp/lo2/formula_raw.xlsx" --dry-run --json --db "$DB" >"$tmp/formula.out"; rc=$?; set -e
  "$PY" - "$tmp/formula.out" "$tmp/formula.json" <<'PYEOF' || fail "formula: $(head -c 1500 "$tmp/formula.out")"
import json, sys
rep = json.load(open(sys.argv[1])); want = json.load(open(sys.argv[2]))
w = [x for x in rep["warnings"] if x["code"] == "formula" and x["cell"] == want["cell"]]
assert w, rep["warnings"][:3]
key, name = want["key"].split(".", 1)
crit = [c for c in rep["criteria"] if c["criterion_key"] == key][0]
assert crit["new"]["inputs"][name] == 5, crit["new"]["inputs"]
print(f"  formula: {w[0]['message'][:100]}")
PYEOF
fi

# --- points typed for a computed criterion that disagree with the engine: a warning, not a refusal
"$PY" "$FILL" fill "$tmp/t.xlsx" "$tmp/pm.xlsx" 2023 points_mismatch >"$tmp/pm.json"
"$DTI" import "$tmp/pm.xlsx" --dry-run --json --db "$DB" >"$tmp/pm.out" || fail "points mismatch refused: $(head -c 800 "$tmp/pm.out")"
"$PY" - "$tmp/pm.out" "$tmp/pm.json" <<'PYEOF' || fail "points mismatch: $(head -c 1500 "$tmp/pm.out")"
import json, sys
rep = json.load(open(sys.argv[1])); cell = json.load(open(sys.argv[2]))["cell"]
w = [x for x in rep["warnings"] if x["code"] == "points_mismatch"]
assert rep["ok"] and w and w[0]["cell"] == cell, rep["warnings"]
print(f"  points_mismatch (warning): {w[0]['message'][:100]}")
PYEOF

# --- the full fill: dry run saves nothing, then the import saves
"$PY" "$FILL" fill "$tmp/t.xlsx" "$tmp/full.xlsx" 2023 full >"$tmp/full.json"
"$DTI" import "$tmp/full.xlsx" --dry-run --json --db "$DB" >"$tmp/dry.out" || fail "dry run: $(head -c 2000 "$tmp/dry.out")"
[ "$(state)" = "$before" ] || fail "dry run changed the tasks"
grep -q '"dry_run": true' "$tmp/dry.out" && grep -q '"changed": 69' "$tmp/dry.out" || fail "dry run report: $(grep -m3 'changed\|dry_run' "$tmp/dry.out")"
audit0=$(q "SELECT COUNT(*) FROM audit_log WHERE action = 'task.save'")
"$DTI" import "$tmp/full.xlsx" --db "$DB" >"$tmp/save.out" || fail "import: $(tail -20 "$tmp/save.out")"
audit1=$(q "SELECT COUNT(*) FROM audit_log WHERE action = 'task.save'")
[ $((audit1 - audit0)) = 69 ] || fail "audit entries: $((audit1 - audit0))"
[ "$(q "SELECT COUNT(*) FROM tasks WHERE unit_id = $UID_ AND state = 'draft' AND version = 2")" = 69 ] || fail "states/versions"
"$PY" - "$tmp/full.json" "$tmp/dti.db" "$UID_" <<'PYEOF' || fail "saved values"
import json, sqlite3, sys
want = json.load(open(sys.argv[1])); db = sqlite3.connect(sys.argv[2])
rows = {k: (json.loads(i), p, c) for k, i, p, c in db.execute(
    "SELECT criterion_key, inputs, self_points, content FROM tasks WHERE unit_id = ?", (sys.argv[3],))}
assert want["manual"], "no manual criterion in the set"
for key, v in want["manual"].items():   # "8,5" typed as text and 8.5 as a number: both 8.5
    inputs, pts, _ = rows[key]
    assert list(inputs.values()) == [v], (key, inputs, v)
    assert pts == round(v * 100), (key, pts)
for k, v in want["typed"].items():
    key, name = k.split(".", 1)
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        assert rows[key][0].get(name) == v, (k, rows[key][0], v)
    elif v == "Có":
        assert rows[key][0].get(name) is True, (k, rows[key][0])
scored = sum(1 for r in rows.values() if r[1] is not None)
assert scored >= 60, scored
assert all(r[2].startswith("Quyết định số") for r in rows.values())
print(f"  saved: {len(rows)} tasks, {scored} with points, manual {want['manual']}")
PYEOF
"$DTI" audit verify --db "$DB" >/dev/null || fail "audit chain"
# importing the same file again changes nothing
"$DTI" import "$tmp/full.xlsx" --json --db "$DB" >"$tmp/again.out" || fail "reimport"
grep -q '"changed": 0' "$tmp/again.out" || fail "reimport changed something"

# --- many files in one go: a per-file report, exit 1 when one is refused
set +e
"$DTI" import "$tmp/full.xlsx" "$tmp/not.xlsx" --dry-run --json --db "$DB" >"$tmp/many.out"; rc=$?
set -e
[ $rc = 1 ] || fail "many: exit $rc"
"$PY" -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["ok"] is False and [f["ok"] for f in r["files"]] == [True, False], r' "$tmp/many.out" || fail "many report"

# --- a coordinator's zip of every unit's template
"$DTI" template export --db "$DB" --round 1 --all -o "$tmp/all.zip" >/dev/null || fail "zip"
n=$("$PY" -c 'import zipfile,sys; print(len(zipfile.ZipFile(sys.argv[1]).namelist()))' "$tmp/all.zip")
[ "$n" = "$(q "SELECT COUNT(DISTINCT unit_id) FROM tasks WHERE round_id = 1")" ] || fail "zip holds $n files"
echo "PASS excel_roundtrip"
