/* template_layout.h — where everything sits in an Excel template of a unit's report (issue 10,
 * docs/excel.md): the sheet name of a level, the columns, one row per criterion followed by one
 * row per input the unit gives, and a hash of that structure for the fingerprint. Pure: the
 * writer (app/excel_template.c) and the importer (app/excel_import.c) both ask here, so they
 * can never disagree about a cell. */
#ifndef DTI_CORE_TEMPLATE_LAYOUT_H
#define DTI_CORE_TEMPLATE_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/framework.h"

#define TL_FORMAT "dti-template/1"
#define TL_META_SHEET "_dti"
/* Hidden, protected sheet of the choice lists the input cells validate against (a range, not an
 * inline list: labels may hold commas, lists may exceed 255 characters). Not in the fingerprint:
 * the importer never reads it. */
#define TL_LIST_SHEET "DANHMUC"

/* Columns, 0-based (A = 0). */
enum tl_col {
    TL_SEQ,       /* A  STT */
    TL_CODE,      /* B  Mã tiêu chí */
    TL_TITLE,     /* C  Tiêu chí / số liệu cần nhập */
    TL_MAX,       /* D  Điểm tối đa */
    TL_HINT,      /* E  Cách nhập (kiểu, khoảng) */
    TL_INPUT,     /* F  Số liệu (input rows only) */
    TL_SELF,      /* G  Điểm tự đánh giá */
    TL_EVIDENCE,  /* H  Tài liệu kiểm chứng */
    TL_NOTE,      /* I  Ghi chú */
    TL_APPRAISAL, /* J  Điểm thẩm định (locked, empty) */
    TL_KEY,       /* K  hidden: criterion key / input name */
    TL_NCOLS
};

#define TL_HEADER_ROW 3u /* 0-based: row 4 holds the column headers */
#define TL_FIRST_ROW 4u  /* 0-based: the first criterion row (Excel row 5) */

/* The column header as the sheet shows it (Vietnamese). */
const char *tl_col_header(enum tl_col c);
/* "CDS_CAPSO" for "department", … ; NULL for an unknown level. */
const char *tl_sheet_name(const char *level);

/* Manual criterion: its points are one points input; the unit types them in the self-assessed
 * column (no input row). Returns that input's index, or -1 when the criterion is not manual. */
int tl_manual_input(const struct fw_criterion *c);

struct tl_row {
    uint32_t row;  /* 0-based sheet row */
    uint32_t item; /* index into the criteria given to tl_build */
    int input;     /* -1: the criterion's own row; else the input index */
};

struct tl_layout {
    struct tl_row *rows;
    size_t n;
    uint32_t last_row; /* 0-based, the last row used */
    char hash[17];     /* FNV-1a 64 of the structure, hex */
};

/* Lays out the criteria of one sheet in the order given. -1 when memory ran out. */
int tl_build(const char *sheet, const struct fw_criterion *const *crits, size_t n,
             struct tl_layout *out);
void tl_free(struct tl_layout *l);

/* "F12" for (row 11, col 5), both 0-based. buf of 16. */
void tl_ref(uint32_t row, uint32_t col, char buf[16]);

/* What to type in an input cell ("Số nguyên từ 0", "Có / Không", "Tỉ lệ %", …) into buf. */
void tl_input_hint(const struct fw_input *in, char *buf, size_t n);

#endif
