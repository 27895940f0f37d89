/* access_log.c — one JSON line per request on stderr. Never cookies, tokens or query strings
 * (a query may carry a search term or, by mistake, a secret).
 *
 * Every byte of the method and path comes from the client, so the line is built with a
 * length-tracked writer that cannot pass its buffer, and both fields are cut at a fixed number
 * of input bytes (`"method_truncated":true` / `"path_truncated":true` then say so). With the
 * cuts below, the longest possible line fits the buffer; if it ever did not, the writer stops
 * and a shorter line without those fields is written instead, so there is always exactly one
 * valid JSON line per request. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "http/server_internal.h"

/* Input bytes kept of each client-controlled field. An escaped byte takes at most 6 output
 * bytes (\u00XX), so the two fields need at most (64 + 512) * 6 = 3456 bytes; the rest of the
 * line (time, numbers, address, markers) is under 300. */
#define LOG_METHOD_MAX 64
#define LOG_PATH_MAX 512
#define LOG_LINE_CAP 4096

struct lw {
    char *buf;
    size_t cap, len;
    bool full; /* a write did not fit: nothing was written past cap */
};

static void lw_bytes(struct lw *w, const char *s, size_t n)
{
    if (w->full || n > w->cap - w->len) {
        w->full = true;
        return;
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

static void lw_str(struct lw *w, const char *s)
{
    lw_bytes(w, s, strlen(s));
}

/* Formatted piece through a small local buffer: a format never writes into the line itself. */
__attribute__((format(printf, 2, 3))) static void lw_fmt(struct lw *w, const char *fmt, ...)
{
    char tmp[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp) {
        w->full = true;
        return;
    }
    lw_bytes(w, tmp, (size_t)n);
}

/* Appends the first n bytes of s as JSON string content (no quotes), at most max of them;
 * returns true when it had to cut. Non-ASCII is escaped byte-wise: the raw URL may not be
 * UTF-8. */
static bool lw_escaped(struct lw *w, const char *s, size_t n, size_t max)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n && i < max; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char)c};
            lw_bytes(w, e, 2);
        } else if (c < 0x20 || c >= 0x7f) {
            char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            lw_bytes(w, e, 6);
        } else {
            lw_bytes(w, (const char *)&c, 1);
        }
    }
    return n > max;
}

size_t http_access_log_line(const http_req *r, char *buf, size_t cap)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double ms = (double)(now.tv_sec - r->start.tv_sec) * 1e3 +
                (double)(now.tv_nsec - r->start.tv_nsec) / 1e6;
    struct timespec wall;
    clock_gettime(CLOCK_REALTIME, &wall);
    struct tm tm;
    gmtime_r(&wall.tv_sec, &tm);

    for (int attempt = 0; attempt < 2; attempt++) {
        bool with_fields = attempt == 0;
        struct lw w = {.buf = buf, .cap = cap};
        lw_fmt(&w, "{\"time\":\"%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ\"", tm.tm_year + 1900,
               tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
               wall.tv_nsec / 1000000);
        bool method_cut = false, path_cut = false;
        if (with_fields) {
            lw_str(&w, ",\"method\":\"");
            const char *m = r->method ? r->method : "";
            method_cut = lw_escaped(&w, m, strlen(m), LOG_METHOD_MAX);
            lw_str(&w, "\",\"path\":\"");
            /* Path only, as received: the query string is left out on purpose (MHD has
             * already cut it off at '?', but a raw URL handed in by the fuzzer may have one). */
            const char *p = r->raw_url ? r->raw_url : "";
            path_cut = lw_escaped(&w, p, strcspn(p, "?"), LOG_PATH_MAX);
            lw_str(&w, "\"");
        } else {
            lw_str(&w, ",\"fields_dropped\":true");
        }
        lw_fmt(&w, ",\"status\":%d,\"duration_ms\":%.3f,\"bytes\":%zu,\"client\":\"", r->status,
               ms, r->bytes);
        lw_escaped(&w, r->client_addr, strnlen(r->client_addr, sizeof r->client_addr),
                   sizeof r->client_addr);
        lw_str(&w, "\"");
        if (r->refused_by_mhd)
            lw_str(&w, ",\"refused_by\":\"libmicrohttpd\"");
        if (method_cut)
            lw_str(&w, ",\"method_truncated\":true");
        if (path_cut)
            lw_str(&w, ",\"path_truncated\":true");
        if (r->caller.authenticated && r->caller.user_id)
            lw_fmt(&w, ",\"user_id\":%lld", (long long)r->caller.user_id);
        if (r->caller.authenticated && r->caller.token_id)
            lw_fmt(&w, ",\"token_id\":%lld", (long long)r->caller.token_id);
        lw_str(&w, "}\n");
        if (!w.full)
            return w.len;
    }
    return 0; /* cap too small even for the short line */
}

void http_access_log(const http_req *r)
{
    char line[LOG_LINE_CAP];
    size_t n = http_access_log_line(r, line, sizeof line);
    if (n) {
        /* One write() per line so lines from several threads never interleave. */
        ssize_t w = write(2, line, n);
        (void)w;
    }
}
