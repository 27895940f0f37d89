/* query_check.c — the query parameters a route row allows (its `query` column, e.g.
 * "limit,before_id"), enforced before the handler like a body's fields: an unknown, repeated,
 * undecodable (bad %-escape, invalid UTF-8, NUL) parameter is a 400 naming it, never ignored. */
#include <stdio.h>
#include <string.h>

#include "http/server_internal.h"

bool http_query_allowed(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; p && *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && n > 0 && memcmp(p, name, n) == 0)
            return true;
        p = e ? e + 1 : NULL;
    }
    return false;
}

void http_query_name_for_error(const char *name, char *out, size_t cap)
{
    if (cap == 0)
        return;
    size_t n = strlen(name);
    if (n > cap - 1)
        n = cap - 1;
    while (n > 0 && !utf8_valid(name, n))
        n--; /* cut on a character boundary when the name is UTF-8 ... */
    if (n == 0 && name[0]) { /* ... else its bytes, non-ASCII ones shown as '?' */
        for (; name[n] && n + 1 < cap; n++) {
            unsigned char c = (unsigned char)name[n];
            out[n] = c >= 0x20 && c < 0x7f ? (char)c : '?';
        }
        out[n] = '\0';
        return;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        out[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
    }
    out[n] = '\0';
}

bool http_query_check(http_req *r)
{
    char msg[200], name[72];
    (void)http_query(r, ""); /* parses the query string once */
    if (r->query_too_many) {
        snprintf(msg, sizeof msg, "Quá nhiều tham số truy vấn (tối đa %d).", HTTP_MAX_QUERY);
        http_reply_error(r, 400, "too_many_parameters", msg, NULL);
        return false;
    }
    if (r->query_invalid) {
        snprintf(msg, sizeof msg,
                 "Tham số truy vấn “%s” không hợp lệ (mã %% sai, ký tự NUL hoặc không phải UTF-8).",
                 r->query_bad);
        http_reply_error(r, 400, "invalid_value", msg, r->query_bad);
        return false;
    }
    for (int i = 0; i < r->nquery; i++) {
        if (!r->query_key[i][0]) { /* "?=1", "?a=1&&b=2": was "Tham số “” …" */
            http_reply_error(r, 400, "unknown_parameter",
                             "Chuỗi truy vấn có một tham số không có tên (như “?=1” hoặc “&&”).",
                             NULL);
            return false;
        }
        http_query_name_for_error(r->query_key[i], name, sizeof name);
        if (!http_query_allowed(r->route->query, r->query_key[i])) {
            snprintf(msg, sizeof msg, "Tham số truy vấn “%s” không được hỗ trợ ở địa chỉ này.",
                     name);
            http_reply_error(r, 400, "unknown_parameter", msg, name);
            return false;
        }
        for (int j = 0; j < i; j++)
            if (strcmp(r->query_key[j], r->query_key[i]) == 0) {
                snprintf(msg, sizeof msg, "Tham số truy vấn “%s” chỉ được gửi một lần.", name);
                http_reply_error(r, 400, "duplicate_parameter", msg, name);
                return false;
            }
    }
    return true;
}
