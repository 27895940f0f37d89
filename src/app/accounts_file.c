/* accounts_file.c — the bulk account list as CSV (UTF-8 with BOM, so Excel shows Vietnamese)
 * or .xlsx (libxlsxwriter). Only the accounts created by this run, never hashes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <sodium.h>

#include "app/accounts.h"
#include "core/sb.h"

static const char *const headers[] = {"Đơn vị", "Mã đơn vị", "Vai trò", "Tên đăng nhập",
                                      "Mật khẩu dùng một lần"};
#define NCOLS (sizeof headers / sizeof *headers)

/* The cells of row a, in the order of `headers`. */
static void cells(const struct account_row *a, const char *out[NCOLS])
{
    out[0] = a->unit_name;
    out[1] = a->unit_code;
    out[2] = account_label(a->kind);
    out[3] = a->username;
    out[4] = a->otp;
}

/* A quoted CSV field; a text Excel would read as a formula (= + - @ first) gets a leading
 * apostrophe (OWASP CSV injection). */
static void csv_field(struct sb *b, const char *s)
{
    sb_s(b, "\"");
    if (strchr("=+-@", s[0]) && s[0])
        sb_s(b, "'");
    for (const char *p = s; *p; p++)
        sb_mem(b, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1);
    sb_s(b, "\"");
}

char *accounts_csv(const struct account_batch *b, size_t *len)
{
    /* Upper bound: every byte doubled, plus quotes, apostrophes and separators. */
    size_t cap = 256;
    for (size_t i = 0; i < b->n; i++) {
        const char *c[NCOLS];
        cells(&b->rows[i], c);
        for (size_t k = 0; k < NCOLS; k++)
            cap += 2 * strlen(c[k]) + 4;
        cap += 2;
    }
    char *buf = malloc(cap);
    if (!buf)
        return NULL;
    struct sb s = {buf, 0, cap};
    buf[0] = '\0';
    sb_s(&s, "\xEF\xBB\xBF");
    for (size_t k = 0; k < NCOLS; k++) {
        if (k)
            sb_s(&s, ",");
        csv_field(&s, headers[k]);
    }
    sb_s(&s, "\r\n");
    for (size_t i = 0; i < b->n; i++) {
        if (!b->rows[i].user_id)
            continue;
        const char *c[NCOLS];
        cells(&b->rows[i], c);
        for (size_t k = 0; k < NCOLS; k++) {
            if (k)
                sb_s(&s, ",");
            csv_field(&s, c[k]);
        }
        sb_s(&s, "\r\n");
    }
    *len = s.n;
    return buf;
}

/* Reads the whole file at path (at most 64 MiB). */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct stat st;
    char *buf = NULL;
    if (fstat(fileno(f), &st) == 0 && st.st_size > 0 && st.st_size < (64 << 20)) {
        buf = malloc((size_t)st.st_size);
        if (buf && fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
            free(buf);
            buf = NULL;
        }
        *len = (size_t)st.st_size;
    }
    fclose(f);
    return buf;
}

char *accounts_xlsx(const struct account_batch *b, size_t *len)
{
    const char *dir = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/dti-accounts-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path); /* mode 0600: the file holds passwords until it is removed */
    if (fd < 0)
        return NULL;
    close(fd);
    char *out = NULL;
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, "Tài khoản") : NULL;
    lxw_format *bold = wb ? workbook_add_format(wb) : NULL;
    if (!ws || !bold) {
        if (wb)
            workbook_close(wb);
        goto done;
    }
    format_set_bold(bold);
    static const double widths[NCOLS] = {45, 14, 12, 28, 24};
    for (size_t k = 0; k < NCOLS; k++) {
        worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k, widths[k], NULL);
        worksheet_write_string(ws, 0, (lxw_col_t)k, headers[k], bold);
    }
    worksheet_freeze_panes(ws, 1, 0);
    lxw_row_t row = 1;
    for (size_t i = 0; i < b->n; i++) {
        if (!b->rows[i].user_id)
            continue;
        const char *c[NCOLS];
        cells(&b->rows[i], c);
        for (size_t k = 0; k < NCOLS; k++)
            worksheet_write_string(ws, row, (lxw_col_t)k, c[k], NULL);
        row++;
    }
    if (workbook_close(wb) == LXW_NO_ERROR)
        out = slurp(path, len);
done:
    unlink(path);
    return out;
}
