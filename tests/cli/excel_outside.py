#!/usr/bin/python3
"""Builds the workbooks of tests/cli/excel_outside.sh: a DTI template filled the way people
really type and paste (NBSP and full-width digits from Word or a web page, thousands groups,
"Có" decomposed by a Mac, percentages, dates as text) or changed the way they change it
(sheets renamed, added, unhidden, rows sorted).

usage: excel_outside.py CASE TEMPLATE OUT     -> writes OUT, prints the expectation as JSON
CASES below; the expectation is {"ok": true, "inputs": {"key.input": value}} for a file that
must import, or {"ok": false, "code", "cell", "contains"} for one that must be refused.
"""
import json
import sys

import openpyxl

KEY_COL, HINT_COL, INPUT_COL, SELF_COL = 11, 5, 6, 7
NBSP, THIN, NNBSP = "\u00a0", "\u2009", "\u202f"


def rows(ws):
    """criterion and input rows by kind, in sheet order"""
    out = {"manual": [], "count": [], "bool": [], "date": [], "ratio": []}
    for r in range(5, ws.max_row + 1):
        key = ws.cell(r, KEY_COL).value
        hint = ws.cell(r, HINT_COL).value or ""
        if not key:
            continue
        if hint == "Nhập điểm tự đánh giá":
            out["manual"].append((r, key))
        elif hint.startswith("Số nguyên"):
            out["count"].append((r, key))
        elif "Có / Không" in hint:
            out["bool"].append((r, key))
        elif hint.startswith("Ngày"):
            out["date"].append((r, key))
        elif hint.startswith("Tỉ lệ"):
            out["ratio"].append((r, key))
    return out


def typed(ws, rs):
    """A valid file of the department template: every value as someone pastes it."""
    m, c, b = rs["manual"], rs["count"], rs["bool"]
    want = {}
    for (r, key), text, value in zip(m, [NBSP + "8,5" + NBSP, "\uff18,\uff15", "'7,25", "\t6.5\n"],
                                     [8.5, 8.5, 7.25, 6.5]):
        ws.cell(r, SELF_COL).value = text
        want[key + ".points"] = value
    for (r, key), text, value in zip(c, ["1.234.567", "1" + NBSP + "234", "9", "1" + NNBSP + "000",
                                         "\u200b7", "2 500 000"],
                                     [1234567, 1234, 9, 1000, 7, 2500000]):
        ws.cell(r, INPUT_COL).value = text
        want[key] = value
    decomposed = "Co\u0301"  # "Có" as NFD, as text copied on a Mac arrives
    for (r, key), text, value in zip(b, ["có" + NBSP, decomposed, "x", "KHÔNG", "Không ", "co"],
                                     [True, True, True, False, False, True]):
        ws.cell(r, INPUT_COL).value = text
        want[key] = value
    return {"ok": True, "inputs": want}


def refuse(ws, rs, case):
    r, key = rs["count"][0]
    cell = f"F{r}"
    if case == "ambiguous":  # 1234 in Vietnamese, 1.234 in English habits: never guessed
        ws[cell] = "1.234"
        return {"code": "ambiguous_number", "cell": cell, "contains": '"1.234" không rõ'}
    if case == "ambiguous_comma":
        ws[cell] = "12,500"
        return {"code": "ambiguous_number", "cell": cell, "contains": '"12,500" không rõ'}
    if case == "percent_count":  # the user sees 100 %, the cell holds 1
        ws[cell] = 1
        ws[cell].number_format = "0%"
        return {"code": "percent_in_number", "cell": cell, "contains": "định dạng phần trăm (hiện 100%)"}
    if case == "thin_space":  # "8 5": not a group of three, not a number
        r, key = rs["manual"][0]
        cell = f"G{r}"
        ws[cell] = "8" + THIN + "5"
        return {"code": "text_in_number", "cell": cell, "contains": "không phải là số"}
    raise SystemExit(f"unknown case {case}")


def district(ws, rs, case):
    """the district template: a ratio and a date input"""
    (rr, rkey), (dr, dkey) = rs["ratio"][0], rs["date"][0]
    if case == "district_typed":
        ws.cell(rr, INPUT_COL).value = "95" + NBSP + "%"
        ws.cell(dr, INPUT_COL).value = "15.11.2024"
        ws.cell(rs["date"][1][0], INPUT_COL).value = "20-12-2023"
        return {"ok": True, "inputs": {rkey: 0.95, dkey: "2024-11-15", rs["date"][1][1]: "2023-12-20"}}
    if case == "district_ratio_95":  # 95 for 95 %: refused, not guessed
        ws.cell(rr, INPUT_COL).value = 95
        return {"code": "out_of_range", "cell": f"F{rr}", "contains": "tỉ lệ nhập dạng 95% hoặc 0,95"}
    if case == "district_date_year":  # the engine's refusal, at the cell, without its internal name
        ws.cell(dr, INPUT_COL).value = "15/11/2025"
        return {"code": "invalid_value", "cell": f"F{dr}",
                "contains": f"ô F{dr}: ngày 15/11/2025 không thuộc năm 2024 của bộ chỉ số"}
    raise SystemExit(f"unknown case {case}")


def structure(wb, ws, rs, case):
    if case == "renamed":
        ws.title = "Trang1"
        return {"code": "structure_changed", "cell": None, "contains": "thiếu trang này"}
    if case == "sorted":  # two criterion rows swapped, as a sort on a column does
        a, b = rs["manual"][0][0], rs["manual"][1][0]
        va = [c.value for c in ws[a]]
        for i, c in enumerate(ws[b]):
            ws.cell(a, i + 1).value = c.value
        for i, v in enumerate(va):
            ws.cell(b, i + 1).value = v
        return {"code": "structure_changed", "cell": None, "contains": f"hàng {a}: đây phải là hàng"}
    r, key = rs["manual"][0]
    ws.cell(r, SELF_COL).value = "8,5"
    if case == "extra_sheet":  # a sheet of one's own notes, before and after: ignored
        wb.create_sheet("Ghi chú riêng", 0)["A1"] = "bản nháp"
        wb.create_sheet("Tính toán")["B2"] = 17
    elif case == "unhidden_fingerprint":
        wb["_dti"].sheet_state = "visible"
    elif case == "hidden_row":
        ws.row_dimensions[r + 1].hidden = True
    else:
        raise SystemExit(f"unknown case {case}")
    return {"ok": True, "inputs": {key + ".points": 8.5}}


def main():
    case, src, dst = sys.argv[1:4]
    wb = openpyxl.load_workbook(src)
    ws = wb.worksheets[0]
    rs = rows(ws)
    if case == "typed":
        want = typed(ws, rs)
    elif case.startswith("district"):
        want = district(ws, rs, case)
    elif case in ("renamed", "sorted", "extra_sheet", "unhidden_fingerprint", "hidden_row"):
        want = structure(wb, ws, rs, case)
    else:
        want = refuse(ws, rs, case)
    want.setdefault("ok", False)
    wb.save(dst)
    print(json.dumps(want, ensure_ascii=False))


if __name__ == "__main__":
    main()
