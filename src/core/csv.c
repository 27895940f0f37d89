/* csv.c — a bounded RFC 4180 reader for imports (core/csv.h). */
#include "core/csv.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>


static char pick_sep(const char *s, size_t n)
{
    bool comma = false, semi = false, q = false;
    for (size_t i = 0; i < n && (q || (s[i] != '\n' && s[i] != '\r')); i++) {
        if (s[i] == '"')
            q = !q;
        else if (!q && s[i] == ',')
            comma = true;
        else if (!q && s[i] == ';')
            semi = true;
    }
    return semi && !comma ? ';' : ',';
}

/* appends the field s[a..b) with "" unescaped when quoted */
static bool add_field(json_t *row, const char *s, size_t a, size_t b, bool quoted)
{
    char buf[4096];
    size_t k = 0;
    for (size_t i = a; i < b; i++) {
        if (quoted && s[i] == '"' && i + 1 < b && s[i + 1] == '"')
            i++;
        if (k + 1 >= sizeof buf)
            return false;
        buf[k++] = s[i];
    }
    buf[k] = 0;
    json_t *v = json_stringn(buf, k); /* NULL for invalid UTF-8 */
    return v && json_array_append_new(row, v) == 0;
}

json_t *csv_parse(const char *s, size_t n, char *err, size_t errlen)
{
    if (n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) {
        s += 3;
        n -= 3;
    }
    char sep = pick_sep(s, n);
    json_t *rows = json_array(), *row = NULL;
    size_t i = 0, line = 1;
    if (!rows)
        goto oom;
    while (i < n) {
        size_t start_line = line;
        row = json_array();
        if (!row)
            goto oom;
        bool blank = true;
        for (;;) { /* one field */
            bool quoted = i < n && s[i] == '"';
            size_t a, b;
            if (quoted) {
                a = ++i;
                for (;;) {
                    if (i >= n) {
                        snprintf(err, errlen, "dòng %zu: thiếu dấu \" đóng", start_line);
                        goto fail;
                    }
                    if (s[i] == '"') {
                        if (i + 1 < n && s[i + 1] == '"') {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    if (s[i] == '\n')
                        line++;
                    i++;
                }
                b = i++;
                if (i < n && s[i] != sep && s[i] != '\n' && s[i] != '\r') {
                    snprintf(err, errlen, "dòng %zu: có ký tự sau dấu \" đóng", line);
                    goto fail;
                }
            } else {
                a = i;
                while (i < n && s[i] != sep && s[i] != '\n' && s[i] != '\r')
                    i++;
                b = i;
            }
            if (b > a || quoted)
                blank = false;
            if (json_array_size(row) >= CSV_MAX_FIELDS) {
                snprintf(err, errlen, "dòng %zu: quá %d cột", start_line, CSV_MAX_FIELDS);
                goto fail;
            }
            if (!add_field(row, s, a, b, quoted)) {
                snprintf(err, errlen, "dòng %zu: ô quá dài hoặc không phải văn bản UTF-8", start_line);
                goto fail;
            }
            if (i < n && s[i] == sep) {
                blank = false;
                i++;
                continue;
            }
            break;
        }
        if (i < n && s[i] == '\r')
            i++;
        if (i < n && s[i] == '\n') {
            i++;
            line++;
        }
        if (blank) {
            json_decref(row);
            row = NULL;
            continue;
        }
        if (json_array_size(rows) >= CSV_MAX_ROWS) {
            snprintf(err, errlen, "quá %d dòng", CSV_MAX_ROWS);
            goto fail;
        }
        json_t *item = json_pack("{s:I,s:o}", "line", (json_int_t)start_line, "fields", row);
        row = NULL; /* taken by json_pack, also on failure */
        if (!item || json_array_append_new(rows, item))
            goto oom;
    }
    return rows;
oom:
    snprintf(err, errlen, "hết bộ nhớ khi đọc tệp CSV");
fail:
    json_decref(row);
    json_decref(rows);
    return NULL;
}
