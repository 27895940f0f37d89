#!/usr/bin/env bash
# Seeds of fuzz_excel_import (tests/fuzz/corpus/excel_import/): the real template of the
# target's own round (the binary writes it: FUZZ_EXCEL_TEMPLATE), filled by
# tests/cli/excel_fill.py the way a user would and broken the ways the importer refuses, each
# as the .xlsx itself and as "PARTS" text (fuzz_parts.h; theme and document properties left
# out, the importer does not need them) so mutations reach the XML.
# Usage: tests/fuzz/make_excel_import_corpus.sh   (after make build/fuzz/fuzz_excel_import)
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-/usr/bin/python3}
OUT=tests/fuzz/corpus/excel_import
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
FUZZ_EXCEL_TEMPLATE=$T/template.xlsx build/fuzz/fuzz_excel_import 2>/dev/null
mkdir -p "$OUT"
cp "$T/template.xlsx" "$OUT/template.xlsx"
for s in full appraisal text_in_number out_of_range date_in_number formula points_mismatch insert_row delete_col; do
  "$PY" tests/cli/excel_fill.py fill "$T/template.xlsx" "$OUT/$s.xlsx" 2023 "$s" >/dev/null
done
"$PY" - "$OUT" <<'PYEOF'
import os, sys, zipfile
out = sys.argv[1]
for name in ("template", "full", "formula", "appraisal"):
    with zipfile.ZipFile(os.path.join(out, name + ".xlsx")) as z:
        parts = [n for n in z.namelist() if not n.startswith(("docProps/", "xl/theme/"))]
        text = "PARTS\n" + "".join("@%s\n%s\n" % (n, z.read(n).decode()) for n in parts)
    open(os.path.join(out, "parts_" + name + ".txt"), "w").write(text)
PYEOF
ls -l "$OUT"
