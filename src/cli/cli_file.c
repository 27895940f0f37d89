/* cli_file.c — whole-file reads with a size limit and Vietnamese errors. */
#include "cli/cli_file.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/errno_vi.h"

const char *cli_errno_vi(int e)
{
    /* reading is what the CLI does with the files it is given */
    return e == EACCES || e == EPERM ? "không có quyền đọc" : errno_vi(e);
}

/* The message for errno e, with its number when it is the generic sentence (for support). */
static void describe(char *err, size_t errlen, const char *what, const char *path, int e)
{
    const char *vi = cli_errno_vi(e);
    if (!strcmp(vi, cli_errno_vi(-1)))
        snprintf(err, errlen, "%s %s: %s (mã lỗi %d)", what, path, vi, e);
    else
        snprintf(err, errlen, "%s %s: %s", what, path, vi);
}

char *cli_read_file(const char *path, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        describe(err, errlen, "không mở được tệp", path, errno);
        return NULL;
    }
    /* fopen() opens a directory for reading; only the first read would fail */
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        describe(err, errlen, "không mở được tệp", path, EISDIR);
        fclose(f);
        return NULL;
    }
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        size_t k = fread(buf + n, 1, cap - n, f);
        n += k;
        if (n < cap)
            break;
        if (cap >= CLI_FILE_MAX) {
            snprintf(err, errlen, "tệp %s lớn quá %u MiB", path, CLI_FILE_MAX >> 20);
            free(buf);
            fclose(f);
            return NULL;
        }
        cap *= 2;
        char *nb = realloc(buf, cap + 1);
        if (!nb)
            free(buf);
        buf = nb;
    }
    int e = !buf ? ENOMEM : ferror(f) ? errno : 0;
    fclose(f);
    if (e) {
        describe(err, errlen, "không đọc được tệp", path, e);
        free(buf);
        return NULL;
    }
    buf[n] = 0;
    *len = n;
    return buf;
}
