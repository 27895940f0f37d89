#!/usr/bin/python3
"""Fills a DTI Excel template the way a user would (openpyxl), for tests/cli/excel_roundtrip.sh
and bench/excel.sh.

usage: excel_fill.py check TEMPLATE            -> checks protection, validation, fingerprint
       excel_fill.py fill TEMPLATE OUT YEAR SCENARIO
SCENARIO: full | text_in_number | out_of_range | date_in_number | appraisal | insert_row |
          delete_col | formula | points_mismatch | unchanged
Prints a JSON object {manual: {key: value}, inputs: n} describing what was typed (fill).
"""
import datetime
import json
import re
import sys

import openpyxl

KEY_COL, HINT_COL, INPUT_COL, SELF_COL, EVID_COL, APPR_COL = 11, 5, 6, 7, 8, 10


def dv_map(ws):
    m = {}
    for dv in ws.data_validations.dataValidation:
        for ref in str(dv.sqref).split():
            m[ref] = dv
    return m


def check(path):
    wb = openpyxl.load_workbook(path)
    names = wb.sheetnames
    assert names[-1] == "_dti", names
    assert wb["_dti"].sheet_state in ("hidden", "veryHidden"), wb["_dti"].sheet_state
    assert wb["_dti"]["B1"].value == "dti-template/1"
    lists = wb["DANHMUC"] if "DANHMUC" in names else None
    if lists is not None:  # the choice lists: hidden, protected, before the fingerprint
        assert names[-2] == "DANHMUC", names
        assert lists.sheet_state == "hidden" and lists.protection.sheet
    choices = 0
    for ws in wb.worksheets[:-2 if lists is not None else -1]:
        assert re.match(r"^CDS_CAP(SO|HUYEN|XA|TINH)(_\d+)?$|^CDS_KHAC", ws.title), ws.title
        assert ws.protection.sheet, "sheet not protected"
        dvs = dv_map(ws)
        assert ws.cell(4, APPR_COL).value == "Điểm thẩm định"
        assert ws.cell(4, SELF_COL).value == "Điểm tự đánh giá"
        assert ws.cell(4, EVID_COL).value == "Tài liệu kiểm chứng"
        assert ws.cell(4, 9).value == "Ghi chú"
        crit = inputs = 0
        for r in range(5, ws.max_row + 1):
            key = ws.cell(r, KEY_COL).value
            if not key:
                continue
            appr = ws.cell(r, APPR_COL)
            assert appr.protection.locked and appr.value is None, f"J{r}"
            assert ws.cell(r, 2).protection.locked and ws.cell(r, 3).protection.locked
            if "." in key:
                inputs += 1
                c = ws.cell(r, INPUT_COL)
                assert not c.protection.locked, f"F{r} locked"
                hint = ws.cell(r, HINT_COL).value or ""
                assert f"F{r}" in dvs, f"F{r} has no validation ({hint})"
                if "danh sách" in hint:  # a choice: a dropdown over its list on DANHMUC
                    dv = dvs[f"F{r}"]
                    m = re.fullmatch(r"DANHMUC!\$([A-Z]+)\$1:\$\1\$(\d+)", dv.formula1 or "")
                    assert dv.type == "list" and m and lists is not None, (r, dv.type, dv.formula1)
                    opts = [lists[f"{m.group(1)}{i}"].value for i in range(1, int(m.group(2)) + 1)]
                    assert all(opts) and len(set(opts)) == len(opts), (r, opts)
                    choices += 1
            else:
                crit += 1
                for col in (SELF_COL, EVID_COL, 9):
                    assert not ws.cell(r, col).protection.locked, f"{r}:{col} locked"
                assert f"G{r}" in dvs, f"G{r} has no validation"
        assert crit > 0
        print(f"{ws.title}: {crit} criteria, {inputs} inputs, protected, validated")
    print(f"choice dropdowns: {choices}")


def number_in(hint, default):
    lo = re.search(r"từ (-?[\d,]+)", hint or "")
    return float(lo.group(1).replace(",", ".")) if lo else default


def fill(src, dst, year, scenario):
    wb = openpyxl.load_workbook(src)
    ws = wb.worksheets[0]
    dvs = dv_map(ws)
    typed, manual_rows, count_rows, computed_rows = {}, [], [], []
    n_inputs = 0
    first_crit = None
    for r in range(5, ws.max_row + 1):
        key = ws.cell(r, KEY_COL).value
        if not key:
            continue
        hint = ws.cell(r, HINT_COL).value or ""
        if "." not in key:
            first_crit = first_crit or r
            ws.cell(r, EVID_COL).value = f"Quyết định số {r}/QĐ-UBND"
            if hint == "Nhập điểm tự đánh giá":
                manual_rows.append(r)
            elif hint.startswith("Điểm do hệ thống"):
                computed_rows.append(r)
            continue
        if scenario == "unchanged":
            continue
        c = ws.cell(r, INPUT_COL)
        n_inputs += 1
        if "Có / Không" in hint:
            c.value = "Có"
        elif "danh sách" in hint:
            dv = dvs.get(f"F{r}")  # the dropdown's first entry, as a user picks it
            m = re.fullmatch(r"DANHMUC!\$([A-Z]+)\$1:.*", dv.formula1 or "") if dv else None
            c.value = (wb["DANHMUC"][f"{m.group(1)}1"].value if m
                       else dv.formula1.strip('"').split(",")[0] if dv else None)
        elif "Ngày" in hint:
            c.value = datetime.datetime(int(year), 3, 1)
            c.number_format = "dd/mm/yyyy"
        elif "Tỉ lệ" in hint:
            c.value = 0.9
        elif hint.startswith("Số nguyên"):
            c.value = int(number_in(hint, 0)) + 3
            count_rows.append(r)
        else:
            c.value = number_in(hint, 1)
        typed[key] = c.value if not isinstance(c.value, datetime.datetime) else str(c.value)
    manual = {}
    for i, r in enumerate(manual_rows):
        mx = float(ws.cell(r, 4).value)
        v = 8.5 if mx >= 8.5 else mx / 2
        # as a user types it: "8,5" as text in one, 8.5 as a number in the next
        ws.cell(r, SELF_COL).value = (f"{v:g}".replace(".", ",")) if i % 2 == 0 else v
        manual[ws.cell(r, KEY_COL).value] = v
    target = {}
    if scenario == "text_in_number":
        ws.cell(manual_rows[0], SELF_COL).value = "tám rưỡi"
        target = {"cell": f"G{manual_rows[0]}"}
    elif scenario == "out_of_range":
        r = manual_rows[0]
        ws.cell(r, SELF_COL).value = float(ws.cell(r, 4).value) + 1
        target = {"cell": f"G{r}"}
    elif scenario == "date_in_number":
        r = manual_rows[0]
        ws.cell(r, SELF_COL).value = datetime.datetime(int(year), 5, 8)
        ws.cell(r, SELF_COL).number_format = "d/m"
        target = {"cell": f"G{r}"}
    elif scenario == "appraisal":
        ws.cell(first_crit, APPR_COL).value = 5
        target = {"cell": f"J{first_crit}"}
    elif scenario == "insert_row":
        ws.insert_rows(first_crit + 3)
        target = {"cell": None}
    elif scenario == "delete_col":
        ws.delete_cols(9)
        target = {"cell": "I4"}
    elif scenario == "points_mismatch":
        r = computed_rows[1]  # the unit types points the inputs do not give
        ws.cell(r, SELF_COL).value = "0,25"
        target = {"cell": f"G{r}"}
    elif scenario == "formula":
        r = count_rows[0]
        ws.cell(r, INPUT_COL).value = "=2+3"
        target = {"cell": f"F{r}", "key": ws.cell(r, KEY_COL).value}
    wb.save(dst)
    print(json.dumps({"manual": manual, "inputs": n_inputs, "typed": typed, **target},
                     ensure_ascii=False))


if __name__ == "__main__":
    if sys.argv[1] == "check":
        check(sys.argv[2])
    else:
        fill(*sys.argv[2:6])
