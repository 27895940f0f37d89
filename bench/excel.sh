#!/usr/bin/env bash
# Excel round-trip figures (issue 10, docs/excel.md), on a demo province of N units (default
# 4400: about 700 of them report in the round — communes have no index set in the demo):
#  1. importing one filled 69-criterion template (excel_import in-process, dry run: read,
#     check, score 69 criteria, roll back; median of 200 runs) next to openpyxl.load_workbook
#     on the same file (median of 30 loads, same run) — target < 20 ms and ≥ 10× faster;
#  2. exporting every reporting unit's template of the round (dti template export --all, one
#     workbook each in one zip): time and files per second.
# Usage: bench/excel.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-4400}
PY=${PYTHON:-/usr/bin/python3}
make -s -j2 build/dti build/bench/excel_import >/dev/null
D=$(mktemp -d build/bench-excel.XXXXXX); trap 'rm -rf "$D"' EXIT
DB=sqlite:$D/b.db
build/dti init --db "$DB" --admin-password-file "$D/pw" >/dev/null 2>&1
build/dti demo --db "$DB" --units "$N" --rounds 1 --no-accounts >/dev/null
UNIT=$(sqlite3 "$D/b.db" "SELECT u.code FROM tasks t JOIN units u ON u.id = t.unit_id WHERE t.round_id = 1 GROUP BY u.code HAVING COUNT(*) = 69 AND SUM(t.state = 'not_started') = 69 LIMIT 1")
build/dti template export --db "$DB" --round 1 --unit "$UNIT" -o "$D/t.xlsx" >/dev/null
"$PY" tests/cli/excel_fill.py fill "$D/t.xlsx" "$D/f.xlsx" 2023 full >/dev/null
echo "== import of one filled 69-criterion template ($(stat -c %s "$D/f.xlsx") bytes)"
out=$(build/bench/excel_import "$DB" "$D/f.xlsx" 200)
dti_ms=$(sed -n 's/.*import_ms_median=\([0-9.]*\).*/\1/p' <<<"$out")
dti_min=$(sed -n 's/.*import_ms_min=\([0-9.]*\).*/\1/p' <<<"$out")
read_ms=$(sed -n 's/.*read_ms_median=\([0-9.]*\).*/\1/p' <<<"$out")
dti_cpu=$(sed -n 's/.*import_cpu_ms_median=\([0-9.]*\).*/\1/p' <<<"$out")
py=$("$PY" - "$D/f.xlsx" <<'PYEOF'
import statistics, sys, time
import openpyxl
ts, cs = [], []
for _ in range(30):
    t, c = time.perf_counter(), time.process_time()
    openpyxl.load_workbook(sys.argv[1])
    ts.append((time.perf_counter() - t) * 1000); cs.append((time.process_time() - c) * 1000)
print(f"{statistics.median(ts):.2f} {min(ts):.2f} {statistics.median(cs):.2f}")
PYEOF
)
read -r py_ms py_min py_cpu <<<"$py"
printf '  dti excel_import (dry run) median %6.2f ms wall, %6.2f ms CPU  (best %.2f ms; xlsx_read alone %.2f ms)   target < 20 ms\n' "$dti_ms" "$dti_cpu" "$dti_min" "$read_ms"
printf '  openpyxl.load_workbook    median %6.2f ms wall, %6.2f ms CPU  (best %.2f ms)\n' "$py_ms" "$py_cpu" "$py_min"
awk -v a="$py_ms" -v b="$dti_ms" -v c="$py_min" -v d="$dti_min" -v e="$py_cpu" -v f="$dti_cpu" 'BEGIN { printf "  speed-up: %.1fx wall medians, %.1fx CPU medians, %.1fx bests   target >= 10x\n", a / b, e / f, c / d }'
echo "== export of every reporting unit's template of the round (demo of $N units)"
s=$(date +%s%N)
build/dti template export --db "$DB" --round 1 --all -o "$D/all.zip" >/dev/null
e=$(date +%s%N)
files=$("$PY" -c 'import zipfile,sys; print(len(zipfile.ZipFile(sys.argv[1]).namelist()))' "$D/all.zip")
awk -v n="$files" -v ns=$((e - s)) -v sz="$(stat -c %s "$D/all.zip")" 'BEGIN { printf "  %d workbooks in %.2f s = %.0f files/s (zip %.1f MB)\n", n, ns / 1e9, n / (ns / 1e9), sz / 1e6 }'
