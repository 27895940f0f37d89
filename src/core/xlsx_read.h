/* xlsx_read.h — a safe, streaming reader of .xlsx workbooks (libzip + expat) for imports.
 *
 * The workbook is attack surface: every limit is counted on what is actually read (bytes really
 * inflated, cells really seen), never on what a header claims. Nothing is extracted to disk.
 * Refused with a Vietnamese message (struct xlsx_error): not a zip, truncated zip, duplicate member
 * names, member paths with ".." or absolute, DOCTYPE or entity declarations in any XML part,
 * encrypted workbooks (an OLE2/CFB file: "tệp có mật khẩu"), macro-enabled workbooks (vbaProject
 * part or a macroEnabled content type, whatever the extension), cells longer than 32,767
 * characters, more rows / columns / cells / inflated bytes than the limits.
 *
 * Cells are delivered in document order, sheets in workbook order (hidden and veryHidden sheets
 * too, flagged), with shared strings resolved and date-formatted numbers flagged (styles.xml). */
#ifndef DTI_CORE_XLSX_READ_H
#define DTI_CORE_XLSX_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum xlsx_cell_type {
    XLSX_NUMBER, /* <c> with a numeric <v> (t absent or "n"); also dates: see is_date */
    XLSX_TEXT,   /* shared string (t="s"), inline string (t="inlineStr"), formula string (t="str") */
    XLSX_BOOL,   /* t="b": number is 0 or 1 */
    XLSX_ERROR,  /* t="e": text is the error, e.g. "#DIV/0!" */
};

struct xlsx_cell {
    const char *sheet;    /* the sheet's name as in workbook.xml (UTF-8) */
    bool sheet_hidden;    /* state="hidden" or "veryHidden" */
    uint32_t row;         /* 1-based */
    uint32_t col;         /* 1-based: A = 1 */
    char ref[16];         /* "F12" */
    enum xlsx_cell_type type;
    double number;        /* XLSX_NUMBER, XLSX_BOOL */
    const char *text;     /* XLSX_TEXT, XLSX_ERROR: UTF-8, NUL-terminated, valid until the callback returns */
    size_t text_len;
    bool is_formula;      /* the cell had <f>: the value given is the cached one, never evaluated */
    bool is_date;         /* XLSX_NUMBER whose style has a date/time number format (built-in 14-22,
                             45-47, or a custom format with d/m/y/h/s outside quotes and brackets) */
    bool is_percent;      /* XLSX_NUMBER whose style is a percentage (built-in 9, 10, or a custom
                             format with % outside quotes and brackets): 0.95 shown as 95 % */
};

struct xlsx_limits {
    uint64_t max_file_bytes;      /* the archive itself */
    uint64_t max_inflated_total;  /* bytes actually inflated, all parts together */
    uint64_t max_part_inflated;   /* bytes actually inflated from one part */
    uint32_t max_members;         /* zip entries */
    uint32_t max_sheets;
    uint32_t max_rows;            /* highest row number accepted in any sheet */
    uint32_t max_cols;            /* highest column number accepted */
    uint64_t max_cells;           /* non-empty cells, all sheets */
    uint32_t max_shared_strings;
    uint32_t max_cell_chars;      /* 32767, Excel's own limit (characters, not bytes) */
};

/* Worksheets and shared strings go through a fast XML path (core/xml_fast.h) when they are in
 * the plain subset it proves well-formed, else through expat. Tests set this false to compare
 * every result with expat's alone. */
extern bool xlsx_read_fast_xml;

/* 20 MB file, 100 MB inflated (50 MB a part), 10,000 members, 64 sheets, 100,000 rows,
 * 16,384 columns, 2,000,000 cells, 1,000,000 shared strings, 32,767 characters a cell. */
void xlsx_limits_default(struct xlsx_limits *lim);

enum xlsx_err_code {
    XLSX_OK = 0,
    XLSX_E_NOT_ZIP,       /* not a zip archive at all (HTML, PDF, text…) */
    XLSX_E_TRUNCATED,     /* a zip that ends early or whose data does not match its directory */
    XLSX_E_ENCRYPTED,     /* OLE2/CFB container (password-protected workbook) or encrypted zip entries */
    XLSX_E_MACRO,         /* vbaProject part or macroEnabled content type */
    XLSX_E_DUP_MEMBER,
    XLSX_E_BAD_PATH,      /* ".." segment, absolute path, backslash or NUL in a member name */
    XLSX_E_DOCTYPE,       /* DOCTYPE, ENTITY or external reference in an XML part */
    XLSX_E_TOO_BIG,       /* a byte limit (file, inflated total, one part) */
    XLSX_E_TOO_MANY,      /* members, sheets, rows, columns, cells or shared strings */
    XLSX_E_CELL_TOO_LONG,
    XLSX_E_BAD_XML,       /* malformed XML, bad cell reference, bad number, bad shared-string index */
    XLSX_E_MISSING_PART,  /* no [Content_Types].xml, workbook, or a sheet the workbook names */
    XLSX_E_NOMEM,
    XLSX_E_STOPPED,       /* the callback returned non-zero */
};

struct xlsx_error {
    enum xlsx_err_code code;
    char message[320];    /* Vietnamese, for the user, e.g. "Tệp có mật khẩu: hãy bỏ mật khẩu rồi tải lên lại" */
    char sheet[128];      /* where known, else "" */
    char ref[16];         /* cell reference where known, else "" */
};

/* Called once per non-empty cell. Return 0 to go on, non-zero to stop (xlsx_read then returns
 * XLSX_E_STOPPED and leaves err as the callback left it). */
typedef int (*xlsx_cell_fn)(const struct xlsx_cell *cell, void *ud);

/* Reads the workbook held in data[0..len). Pure: no file or network I/O, no temporary files.
 * Returns XLSX_OK or an error code with err filled in. Bounded time and memory for any input. */
enum xlsx_err_code xlsx_read(const void *data, size_t len, const struct xlsx_limits *lim,
                             xlsx_cell_fn fn, void *ud, struct xlsx_error *err);

/* Added (helper xlsxread): a stable snake_case name for a code, for JSON error codes and logs:
 * "ok", "not_zip", "truncated", "encrypted", "macro", "dup_member", "bad_path", "doctype",
 * "too_big", "too_many", "cell_too_long", "bad_xml", "missing_part", "nomem", "stopped";
 * "unknown" for anything else. */
const char *xlsx_err_name(enum xlsx_err_code code);

#endif
