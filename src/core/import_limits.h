/* import_limits.h — the Excel reader's limits for importing a filled template (issue 10,
 * docs/excel.md "Limits"): derived from the largest template the file can be, so a crafted
 * upload (26 MB of empty <c/> in a 30 KB zip) is refused after the bytes a real template could
 * inflate to, not after the reader's general 100 MB. Pure. */
#ifndef DTI_CORE_IMPORT_LIMITS_H
#define DTI_CORE_IMPORT_LIMITS_H

#include <stdint.h>

#include "core/xlsx_read.h"

/* The largest template: criterion rows (the tasks a unit reports) and input rows (at most one
 * per input of those criteria), across all its sheets; the choice lists' sheet (one column per
 * distinct list, one row per option): at most list_cols lists of at most list_rows options. */
struct import_bound {
    uint64_t crit_rows, input_rows;
    uint64_t list_cols, list_rows;
};

/* Bytes a real template may inflate to besides its rows: styles (LibreOffice writes tens of KB),
 * theme, workbook, relationships, document properties, the hidden fingerprint sheet. */
#define IMPORT_BASE_BYTES (1u << 20)
/* One row's XML: 11 cells with references and styles, the short texts' shared strings. */
#define IMPORT_ROW_BYTES 2048u
/* One option of a choice list: its cell and its label. */
#define IMPORT_OPTION_BYTES 1024u
/* A criterion row's long texts at the template's own maxima (evidence 10,000, note 4,000
 * characters) in UTF-8's 3 bytes a character. */
#define IMPORT_TEXT_BYTES (3u * (10000u + 4000u))
/* Rows and columns a user may add by mistake: still read, so the importer names the stray cell
 * ("Trang X, ô L7: …") instead of the reader refusing the file as too big. */
#define IMPORT_SPARE_ROWS 200u
#define IMPORT_SPARE_COLS 53u /* up to column BL */

/* Fills lim (starting from the reader's defaults) for a template within b; max_file_bytes is
 * kept. Sheets: at most max_sheets (the importer ignores any beyond). */
void import_limits(const struct import_bound *b, uint32_t max_sheets, struct xlsx_limits *lim);

#endif
