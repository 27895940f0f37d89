/* accounts_file.c — the bulk account list as CSV (UTF-8 with BOM, so Excel shows Vietnamese)
 * or .xlsx (libxlsxwriter). Only the accounts created by this run, never hashes. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "app/accounts.h"

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
static void csv_field(FILE *f, const char *s)
{
    fputc('"', f);
    if (strchr("=+-@", s[0]) && s[0])
        fputc('\'', f);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            fputc('"', f);
        fputc(*p, f);
    }
    fputc('"', f);
}

static void csv_row(FILE *f, const char *const c[NCOLS])
{
    for (size_t k = 0; k < NCOLS; k++) {
        if (k)
            fputc(',', f);
        csv_field(f, c[k]);
    }
    fputs("\r\n", f);
}

/* CSV into an anonymous memory file (never on disk). */
static int csv_fd(const struct account_batch *b)
{
    int fd = memfd_create("dti-accounts", MFD_CLOEXEC);
    int wfd = fd >= 0 ? dup(fd) : -1;
    FILE *f = wfd >= 0 ? fdopen(wfd, "w") : NULL;
    if (!f) {
        if (wfd >= 0)
            close(wfd);
        if (fd >= 0)
            close(fd);
        return -1;
    }
    fputs("\xEF\xBB\xBF", f);
    csv_row(f, headers);
    for (size_t i = 0; i < b->n; i++) {
        if (!b->rows[i].user_id)
            continue;
        const char *c[NCOLS];
        cells(&b->rows[i], c);
        csv_row(f, c);
    }
    if (fclose(f) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* .xlsx: libxlsxwriter writes to a path, so a private (0600) temporary file, reopened and
 * unlinked at once: the passwords in it live only as long as the descriptor. */
static int xlsx_fd(const struct account_batch *b)
{
    const char *dir = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/dti-accounts-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path); /* mode 0600 */
    if (fd < 0)
        return -1;
    close(fd);
    fd = -1;
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
        fd = open(path, O_RDONLY | O_CLOEXEC);
done:
    unlink(path);
    return fd;
}

int accounts_file_fd(const struct account_batch *b, bool xlsx, uint64_t *size)
{
    int fd = xlsx ? xlsx_fd(b) : csv_fd(b);
    struct stat st;
    if (fd >= 0 && (fstat(fd, &st) != 0 || lseek(fd, 0, SEEK_SET) != 0)) {
        close(fd);
        fd = -1;
    }
    if (fd >= 0)
        *size = (uint64_t)st.st_size;
    return fd;
}

/* The whole file in memory (the command line writes it out; at most 64 MiB). */
static char *read_all(const struct account_batch *b, bool xlsx, size_t *len)
{
    uint64_t size = 0;
    int fd = accounts_file_fd(b, xlsx, &size);
    if (fd < 0)
        return NULL;
    char *buf = size > 0 && size < (64u << 20) ? malloc((size_t)size) : NULL;
    size_t got = 0;
    while (buf && got < size) {
        ssize_t n = read(fd, buf + got, (size_t)size - got);
        if (n <= 0) {
            free(buf);
            buf = NULL;
        } else {
            got += (size_t)n;
        }
    }
    close(fd);
    *len = got;
    return buf;
}

char *accounts_csv(const struct account_batch *b, size_t *len)
{
    return read_all(b, false, len);
}

char *accounts_xlsx(const struct account_batch *b, size_t *len)
{
    return read_all(b, true, len);
}
