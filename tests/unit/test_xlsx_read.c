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

#include "core/import_limits.h"
#include "core/utf8.h"
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
    bool formula, date, percent;
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
    g->percent = c->is_percent;
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
    text_is(cell(&cs, S, "H1"), "dòng 1\r\ndòng 2 _x0041_ _xD800_ é"); /* _xHHHH_ escapes decoded */
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
    /* percentages (the importer refuses them where a count is due: 100 % shown, 1 stored) */
    number_is(cell(&cs, S, "K2"), 0.95, false);
    assert_true(cell(&cs, S, "K2")->percent);
    assert_true(cell(&cs, S, "L2")->percent);
    assert_false(cell(&cs, S, "M2")->percent);
    assert_false(cell(&cs, S, "I2")->percent);
    assert_false(cell(&cs, S, "E2")->percent);
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
    assert_int_equal(cs.n, 34); /* with the three percentage cells K2:M2 */
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

/* The same workbook after LibreOffice Calc saved it: it writes t="n", computes and caches
 * formulas, and turns a boolean into the formula TRUE() (an importer refusing formulas must
 * know: a LibreOffice user's TRUE is a formula cell). */
static void libreoffice_file(void **state)
{
    (void)state;
    struct cells cs = {0};
    read_file(FIX "libreoffice_basic.xlsx", &cs);
    const char *S = "CDS_CAPSO";
    text_is(cell(&cs, S, "C1"), "Điểm tự đánh giá");
    number_is(cell(&cs, S, "C2"), 8.5, false);
    text_is(cell(&cs, S, "D2"), "8,5");
    number_is(cell(&cs, S, "E2"), 45356, true); /* yyyy\-mm\-dd\ h:mm:ss */
    number_is(cell(&cs, S, "F2"), 17, false);   /* C2*2, cached by LibreOffice */
    assert_true(cell(&cs, S, "F2")->formula);
    number_is(cell(&cs, S, "G2"), 3.25, false);
    assert_int_equal(cell(&cs, S, "D3")->type, XLSX_BOOL);
    assert_true(cell(&cs, S, "D3")->formula);
    number_is(cell(&cs, S, "H5"), -7, false);
    assert_true(cell(&cs, "_dti", "A1")->hidden);
    assert_int_equal(cs.n, 17);
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


/* ---------- hostile files: one child process each ---------- */

static char g_hostile[200]; /* the private directory make_hostile.py filled */

struct outcome {
    int code;
    char message[320], sheet[128], ref[16];
    double seconds;    /* CPU time of the read (the machine is shared: wall time is noise) */
    long peak_kb;      /* VmHWM after − VmRSS before: what reading this file added at most */
    int wrote;         /* files the read left in the child's private working directory */
};

static int count_cells(const struct xlsx_cell *c, void *ud)
{
    (void)c;
    ++*(size_t *)ud;
    return 0;
}

static long status_kb(const char *key)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long v = -1;
    size_t kl = strlen(key);
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, key, kl) == 0)
            v = atol(line + kl);
    if (f)
        fclose(f);
    return v;
}

static int dir_entries(const char *path)
{
    DIR *d = opendir(path);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    if (d)
        closedir(d);
    return n;
}

/* Reads `name` from the hostile directory in a child: its own empty working directory and
 * TMPDIR, an address-space cap (plain build; ASan reserves terabytes of shadow), a CPU alarm. */
static struct outcome run_hostile(const char *name, const struct xlsx_limits *lim)
{
    char path[300];
    snprintf(path, sizeof path, "%s/%s", g_hostile, name);
    size_t len;
    unsigned char *data = load(path, &len);
    char work[] = "/tmp/xlsxread-cwd-XXXXXX";
    assert_non_null(mkdtemp(work));
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        if (chdir(work) != 0)
            _exit(3);
        setenv("TMPDIR", work, 1);
        alarm(20);
        if (!UNDER_ASAN) {
            struct rlimit rl = {.rlim_cur = (rlim_t)status_kb("VmSize:") * 1024 + (256u << 20)};
            rl.rlim_max = rl.rlim_cur;
            setrlimit(RLIMIT_AS, &rl);
        }
        struct outcome o;
        memset(&o, 0, sizeof o);
        struct xlsx_error err;
        size_t count = 0;
        long rss0 = status_kb("VmRSS:");
        struct timespec t0, t1;
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
        o.code = xlsx_read(data, len, lim, count_cells, &count, &err);
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
        o.peak_kb = status_kb("VmHWM:") - rss0;
        o.seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        memcpy(o.message, err.message, sizeof o.message);
        memcpy(o.sheet, err.sheet, sizeof o.sheet);
        memcpy(o.ref, err.ref, sizeof o.ref);
        o.wrote = dir_entries(".");
        if (write(fds[1], &o, sizeof o) != (ssize_t)sizeof o)
            _exit(4);
        _exit(0);
    }
    close(fds[1]);
    struct outcome o;
    memset(&o, 0, sizeof o);
    ssize_t got = read(fds[0], &o, sizeof o);
    close(fds[0]);
    int st = 0;
    waitpid(pid, &st, 0);
    if (got != (ssize_t)sizeof o || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        fail_msg("%s: the child died (status %d)", name, st);
    o.wrote += dir_entries(work);
    rmdir(work);
    free(data);
    return o;
}

static void expect(const char *name, const struct xlsx_limits *lim, enum xlsx_err_code code,
                   const char *msg_part)
{
    struct outcome o = run_hostile(name, lim);
    if (o.code != (int)code || !strstr(o.message, msg_part))
        fail_msg("%s: got code %d \"%s\", want %d with \"%s\"", name, o.code, o.message, code, msg_part);
    double max_s = UNDER_ASAN ? 5.0 : 1.0;
    if (o.seconds > max_s)
        fail_msg("%s: %.3f s (limit %.1f s)", name, o.seconds, max_s);
    if (o.peak_kb > 64 * 1024)
        fail_msg("%s: %ld KB more memory at peak (limit 64 MB)", name, o.peak_kb);
    if (o.wrote)
        fail_msg("%s: the read left %d files behind", name, o.wrote);
    if (getenv("XLSX_VERBOSE"))
        fprintf(stderr, "%-22s %.3f s %6ld KB  %s\n", name, o.seconds, o.peak_kb, o.message);
}

static int make_hostile(void **state)
{
    (void)state;
    snprintf(g_hostile, sizeof g_hostile, "/tmp/xlsxread-hostile-XXXXXX");
    if (!mkdtemp(g_hostile))
        return -1;
    char cmd[400];
    snprintf(cmd, sizeof cmd, "python3 " FIX "make_hostile.py %s", g_hostile);
    return system(cmd) == 0 ? 0 : -1;
}

static int drop_hostile(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", g_hostile);
    return system(cmd) == 0 ? 0 : -1;
}

static void valid_control(void **state)
{
    (void)state; /* the base all hostile files are made from reads fine */
    struct outcome o = run_hostile("valid.xlsx", NULL);
    assert_int_equal(o.code, XLSX_OK);
}

static void not_zip(void **state)
{
    (void)state;
    expect("not_zip.xlsx", NULL, XLSX_E_NOT_ZIP, "Tệp là trang web (HTML), không phải bảng tính Excel");
    expect("empty.xlsx", NULL, XLSX_E_NOT_ZIP, "không phải là bảng tính Excel (.xlsx): hãy nhập");
    /* other kinds named .xlsx: each says what it is and how to get back to .xlsx */
    expect("biff8.xlsx", NULL, XLSX_E_ENCRYPTED, "Tệp là bảng tính Excel 97-2003 (.xls), hệ thống chỉ đọc .xlsx");
    expect("biff8_password.xlsx", NULL, XLSX_E_ENCRYPTED, "Tệp là bảng tính Excel 97-2003 (.xls) có mật khẩu");
    expect("ods.xlsx", NULL, XLSX_E_NOT_ZIP, "Tệp là bảng tính OpenDocument (.ods)");
    expect("csv.xlsx", NULL, XLSX_E_NOT_ZIP, "Tệp là văn bản (CSV hoặc TXT)");
    expect("pdf.xlsx", NULL, XLSX_E_NOT_ZIP, "Tệp là PDF");
    expect("xlsb.xlsx", NULL, XLSX_E_NOT_ZIP, "Tệp là bảng tính nhị phân (.xlsb)");
}

static void truncated(void **state)
{
    (void)state;
    expect("truncated.xlsx", NULL, XLSX_E_TRUNCATED, "bị hỏng hoặc tải lên chưa hết");
    expect("corrupt_data.xlsx", NULL, XLSX_E_TRUNCATED, "bị hỏng");
}

static void duplicate_members(void **state)
{
    (void)state;
    expect("dup_member.xlsx", NULL, XLSX_E_DUP_MEMBER, "có hai phần cùng tên");
    expect("dup_case.xlsx", NULL, XLSX_E_DUP_MEMBER, "có hai phần cùng tên");
}

static void bad_paths(void **state)
{
    (void)state;
    expect("dotdot.xlsx", NULL, XLSX_E_BAD_PATH, "\"../evil.xml\" không an toàn");
    expect("dotdot_inner.xlsx", NULL, XLSX_E_BAD_PATH, "không an toàn");
    expect("absolute.xlsx", NULL, XLSX_E_BAD_PATH, "\"/etc/evil.xml\" không an toàn");
    expect("backslash.xlsx", NULL, XLSX_E_BAD_PATH, "không an toàn");
}

static void doctype_shared_strings(void **state)
{
    (void)state; /* billion laughs */
    expect("doctype_sst.xlsx", NULL, XLSX_E_DOCTYPE, "xl/sharedStrings.xml có khai báo DOCTYPE");
}

static void doctype_sheet(void **state)
{
    (void)state;
    expect("doctype_sheet.xlsx", NULL, XLSX_E_DOCTYPE, "xl/worksheets/sheet1.xml có khai báo DOCTYPE");
    expect("xxe_workbook.xlsx", NULL, XLSX_E_DOCTYPE, "DOCTYPE");
    expect("doctype_plain.xlsx", NULL, XLSX_E_DOCTYPE, "DOCTYPE");
}

static void encrypted(void **state)
{
    (void)state;
    expect("encrypted_ole.xlsx", NULL, XLSX_E_ENCRYPTED, "Tệp có mật khẩu: hãy mở tệp, bỏ mật khẩu");
    expect("ole_header.xlsx", NULL, XLSX_E_ENCRYPTED, "Tệp có mật khẩu");
    expect("encrypted_zip.xlsx", NULL, XLSX_E_ENCRYPTED, "Tệp có mật khẩu");
}

static void macros(void **state)
{
    (void)state;
    expect("macro_vba.xlsx", NULL, XLSX_E_MACRO, "Tệp có macro");
    expect("macro_ct.xlsx", NULL, XLSX_E_MACRO, "Tệp có macro");
}

static void cell_too_long(void **state)
{
    (void)state;
    struct outcome o = run_hostile("long_inline.xlsx", NULL); /* 32,768 × "ệ": characters, not bytes */
    assert_int_equal(o.code, XLSX_E_CELL_TOO_LONG);
    assert_string_equal(o.message, "Trang S1, ô F7: nội dung dài quá 32.767 ký tự");
    assert_string_equal(o.sheet, "S1");
    assert_string_equal(o.ref, "F7");
    expect("long_shared.xlsx", NULL, XLSX_E_CELL_TOO_LONG, "Tệp Excel có một chuỗi dài quá 32.767 ký tự (chuỗi dùng chung thứ 1)");
    expect("long_number.xlsx", NULL, XLSX_E_CELL_TOO_LONG, "Trang S1, ô B2");
}

static void too_many(void **state)
{
    (void)state;
    expect("many_rows.xlsx", NULL, XLSX_E_TOO_MANY, "Trang S1, ô A100001: bảng tính có quá nhiều dòng");
    expect("many_sheets.xlsx", NULL, XLSX_E_TOO_MANY, "quá nhiều trang (tối đa 64)");
    struct xlsx_limits lim;
    xlsx_limits_default(&lim);
    lim.max_cells = 1000; /* the file has 1,010 */
    expect("many_cells.xlsx", &lim, XLSX_E_TOO_MANY, "quá nhiều ô có dữ liệu (tối đa 1000)");
    xlsx_limits_default(&lim);
    lim.max_members = 20; /* the file has 25 */
    expect("many_members.xlsx", &lim, XLSX_E_TOO_MANY, "quá nhiều phần (tối đa 20)");
    xlsx_limits_default(&lim);
    lim.max_cols = 9;
    expect("many_cells.xlsx", &lim, XLSX_E_TOO_MANY, "Trang S1, ô J1: bảng tính có quá nhiều cột");
}

/* 26 MB of empty <c/> in a 41 KB file, and 650,000 rows of them: under the import's limits for
 * a 69-criterion template (98 input rows) refused at the first cell past the template's rows or
 * columns, in well under the general limits' seconds (expect() checks time, memory, no files). */
static void empty_cells_import_limits(void **state)
{
    (void)state;
    struct xlsx_limits lim;
    xlsx_limits_default(&lim);
    struct import_bound b = {69, 98, 0, 0};
    import_limits(&b, 32, &lim);
    assert_int_equal(lim.max_rows, 4 + 69 + 98 + IMPORT_SPARE_ROWS);
    assert_int_equal(lim.max_cols, 11 + IMPORT_SPARE_COLS);
    /* 1 MB + 371 rows x 2 KB + 69 x 42 KB of long texts */
    assert_int_equal(lim.max_inflated_total, (1u << 20) + 371u * 2048u + 69u * 42000u);
    /* 100 choice lists of up to 12 options: their sheet's columns and rows */
    struct xlsx_limits with_lists = lim;
    struct import_bound bl = {69, 98, 100, 12};
    import_limits(&bl, 32, &with_lists);
    assert_int_equal(with_lists.max_cols, 100 + IMPORT_SPARE_COLS);
    assert_int_equal(with_lists.max_rows, 4 + 69 + 98 + 12 + IMPORT_SPARE_ROWS);
    assert_int_equal(with_lists.max_inflated_total,
                     (1u << 20) + 383u * 2048u + 69u * 42000u + 1200u * 1024u);
    assert_true(lim.max_inflated_total < (5u << 20));
    assert_int_equal(lim.max_file_bytes, 20u << 20); /* kept */
    struct outcome o = run_hostile("empty_cells_wide.xlsx", &lim);
    assert_int_equal(o.code, XLSX_E_TOO_MANY);
    assert_non_null(strstr(o.message, "Trang S1, ô BM1: bảng tính có quá nhiều cột"));
    double fast = UNDER_ASAN ? 0.25 : 0.05;
    assert_true(o.seconds < fast);
    o = run_hostile("empty_cells_tall.xlsx", &lim);
    assert_int_equal(o.code, XLSX_E_TOO_MANY);
    assert_non_null(strstr(o.message, "Trang S1, ô A372: bảng tính có quá nhiều dòng"));
    assert_true(o.seconds < fast);
    /* the general limits read the wide one whole (6,500 rows x 1,000 columns, no value):
     * the cost the import's limits avoid */
    o = run_hostile("empty_cells_wide.xlsx", NULL);
    assert_int_equal(o.code, XLSX_OK);
    if (getenv("XLSX_VERBOSE"))
        fprintf(stderr, "empty cells, general limits: %.3f s\n", o.seconds);
}

static void missing_or_broken(void **state)
{
    (void)state;
    expect("missing_sheet.xlsx", NULL, XLSX_E_MISSING_PART, "thiếu phần xl/worksheets/sheet1.xml");
    expect("missing_ct.xlsx", NULL, XLSX_E_MISSING_PART, "thiếu phần [Content_Types].xml");
    expect("bad_xml.xlsx", NULL, XLSX_E_BAD_XML, "phần xl/workbook.xml không phải XML hợp lệ");
    expect("bad_sst_index.xlsx", NULL, XLSX_E_BAD_XML, "Trang S1, ô C3: chỉ số chuỗi dùng chung không hợp lệ");
    expect("dup_sheet_name.xlsx", NULL, XLSX_E_BAD_XML, "có hai trang cùng tên \"s1\"");
    expect("dup_cell.xlsx", NULL, XLSX_E_BAD_XML, "Trang S1, ô E4: ô lặp lại hoặc sai thứ tự trong tệp");
    expect("unordered.xlsx", NULL, XLSX_E_BAD_XML, "Trang S1, ô A2: ô lặp lại hoặc sai thứ tự trong tệp");
    struct outcome o = run_hostile("long_sheet_name.xlsx", NULL);
    assert_int_equal(o.code, XLSX_E_BAD_XML);
    assert_true(strncmp(o.message, "Trang ĐĐ", strlen("Trang ĐĐ")) == 0);
    assert_int_equal(strlen(o.sheet), 126); /* 63 × "Đ": cut on a character, not inside one */
    assert_true(utf8_count(o.message, strlen(o.message)) > 0); /* valid UTF-8 though cut */
    assert_true(utf8_count(o.sheet, strlen(o.sheet)) == 63);
    expect("bad_ref.xlsx", NULL, XLSX_E_BAD_XML, "địa chỉ ô \"XFE1\" không hợp lệ");
}

static void zip_bomb_lying_header(void **state)
{
    (void)state; /* claims 1,000 bytes, inflates to 64 MiB: stopped at 50 MiB really inflated */
    expect("bomb_lying.xlsx", NULL, XLSX_E_TOO_BIG, "phần xl/worksheets/sheet1.xml vượt 50 MB");
}

static void part_over_limit(void **state)
{
    (void)state;
    expect("big_part.xlsx", NULL, XLSX_E_TOO_BIG, "phần xl/sharedStrings.xml vượt 50 MB");
    struct xlsx_limits lim;
    xlsx_limits_default(&lim);
    lim.max_inflated_total = 1u << 20;
    expect("big_total.xlsx", &lim, XLSX_E_TOO_BIG, "vượt 1 MB khi giải nén");
    expect("huge_tag.xlsx", NULL, XLSX_E_TOO_BIG, "phần xl/worksheets/sheet1.xml có một thẻ XML quá lớn");
    expect("huge_comment.xlsx", NULL, XLSX_E_TOO_BIG, "phần xl/sharedStrings.xml có một thẻ XML quá lớn");
    xlsx_limits_default(&lim);
    lim.max_file_bytes = 1000;
    expect("valid.xlsx", &lim, XLSX_E_TOO_BIG, "Tệp quá lớn (tối đa 1 KB)");
}

static void err_names(void **state)
{
    (void)state;
    assert_string_equal(xlsx_err_name(XLSX_OK), "ok");
    assert_string_equal(xlsx_err_name(XLSX_E_ENCRYPTED), "encrypted");
    assert_string_equal(xlsx_err_name(XLSX_E_CELL_TOO_LONG), "cell_too_long");
    assert_string_equal(xlsx_err_name(XLSX_E_STOPPED), "stopped");
    assert_string_equal(xlsx_err_name((enum xlsx_err_code)99), "unknown");
    for (int c = XLSX_OK; c <= XLSX_E_STOPPED; c++) /* every code named */
        assert_string_not_equal(xlsx_err_name((enum xlsx_err_code)c), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(handmade),
        cmocka_unit_test(openpyxl_file),
        cmocka_unit_test(libreoffice_file),
        cmocka_unit_test(xlsxwriter_file),
        cmocka_unit_test(callback_stops),
        cmocka_unit_test(err_names),
    };
    const struct CMUnitTest hostile[] = {
        cmocka_unit_test(valid_control),
        cmocka_unit_test(not_zip),
        cmocka_unit_test(truncated),
        cmocka_unit_test(duplicate_members),
        cmocka_unit_test(bad_paths),
        cmocka_unit_test(doctype_shared_strings),
        cmocka_unit_test(doctype_sheet),
        cmocka_unit_test(encrypted),
        cmocka_unit_test(macros),
        cmocka_unit_test(cell_too_long),
        cmocka_unit_test(too_many),
        cmocka_unit_test(empty_cells_import_limits),
        cmocka_unit_test(missing_or_broken),
        cmocka_unit_test(zip_bomb_lying_header),
        cmocka_unit_test(part_over_limit),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    return rc | cmocka_run_group_tests(hostile, make_hostile, drop_hostile);
}
