#!/usr/bin/env bash
# Reading a filled 69-criterion template (80 rows × 12 columns, shared strings, a hidden
# fingerprint sheet) with our reader (core/xlsx_read.c) vs openpyxl.load_workbook on the same
# file, side by side in one run (issue 10: the whole import under 20 ms, >= 10x openpyxl).
set -euo pipefail
cd "$(dirname "$0")/.."
make -s build/bench/xlsx_read_bench
py=python3
$py -c 'import openpyxl' 2>/dev/null || py=/usr/bin/python3   # Debian's python3-openpyxl
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
$py bench/make_xlsx_template.py "$tmp/template.xlsx"
read -r ours_med ours_min cells bytes < <(build/bench/xlsx_read_bench "$tmp/template.xlsx" 300)
read -r py_med py_min < <($py - "$tmp/template.xlsx" <<'PY'
import sys, time, statistics, openpyxl
p = sys.argv[1]
ts = []
for _ in range(30):
    t = time.perf_counter()
    wb = openpyxl.load_workbook(p)
    n = sum(1 for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None)
    ts.append((time.perf_counter() - t) * 1e3)
print("%.3f %.3f" % (statistics.median(ts), min(ts)))
PY
)
echo "workbook: $bytes bytes, $cells non-empty cells"
printf 'xlsx_read (ours)        median %8.3f ms  best %8.3f ms\n' "$ours_med" "$ours_min"
printf 'openpyxl.load_workbook  median %8.3f ms  best %8.3f ms\n' "$py_med" "$py_min"
awk -v a="$ours_med" -v b="$py_med" 'BEGIN { printf "ratio: ours is %.0fx faster (target >= 10x); reader under 20 ms: %s\n", b / a, (a < 20 ? "yes" : "NO") }'
