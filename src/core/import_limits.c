/* import_limits.c — see import_limits.h. */
#include "core/import_limits.h"

#include "core/template_layout.h"

void import_limits(const struct import_bound *b, uint32_t max_sheets, struct xlsx_limits *lim)
{
    uint64_t keep_file = lim->max_file_bytes;
    xlsx_limits_default(lim);
    lim->max_file_bytes = keep_file;
    /* bounded inputs: a round cannot hold more rows than this anyway, and no overflow below */
    uint64_t crit = b->crit_rows < 100000 ? b->crit_rows : 100000;
    uint64_t inputs = b->input_rows < 1000000 ? b->input_rows : 1000000;
    uint64_t lcols = b->list_cols < 16384 ? b->list_cols : 16384;
    uint64_t lrows = b->list_rows < 100000 ? b->list_rows : 100000;
    uint64_t rows = TL_FIRST_ROW + crit + inputs + lrows + IMPORT_SPARE_ROWS;
    uint64_t cols = (lcols > TL_NCOLS ? lcols : TL_NCOLS) + IMPORT_SPARE_COLS;
    uint64_t bytes = IMPORT_BASE_BYTES + rows * IMPORT_ROW_BYTES + crit * IMPORT_TEXT_BYTES +
                     lcols * lrows * IMPORT_OPTION_BYTES;
    lim->max_sheets = max_sheets;
    lim->max_rows = rows < lim->max_rows ? (uint32_t)rows : lim->max_rows;
    lim->max_cols = cols < lim->max_cols ? (uint32_t)cols : lim->max_cols;
    /* every row full across the table's columns, twice over (the fingerprint sheet, strays),
     * and every option of every list */
    uint64_t cells = 2 * rows * TL_NCOLS + lcols * lrows;
    lim->max_cells = cells < lim->max_cells ? cells : lim->max_cells;
    lim->max_shared_strings = (uint32_t)lim->max_cells;
    lim->max_inflated_total = bytes < lim->max_inflated_total ? bytes : lim->max_inflated_total;
    lim->max_part_inflated = lim->max_inflated_total;
}
