/* access_log.c — one JSON line per request on stderr. Never cookies, tokens or query strings
 * (a query may carry a search term or, by mistake, a secret). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "http/server_internal.h"

/* Appends s as JSON string content (without quotes), escaping what JSON requires. */
static size_t put_escaped(char *out, size_t o, size_t cap, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    for (; *s && o + 8 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            out[o++] = '\\';
            out[o++] = (char)c;
        } else if (c < 0x20 || c >= 0x7f) {
            /* Non-ASCII is escaped byte-wise: the raw URL may not be valid UTF-8. */
            out[o++] = '\\';
            out[o++] = 'u';
            out[o++] = '0';
            out[o++] = '0';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 15];
        } else {
            out[o++] = (char)c;
        }
    }
    return o;
}

void http_access_log(const http_req *r)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double ms = (double)(now.tv_sec - r->start.tv_sec) * 1e3 +
                (double)(now.tv_nsec - r->start.tv_nsec) / 1e6;
    struct timespec wall;
    clock_gettime(CLOCK_REALTIME, &wall);
    struct tm tm;
    gmtime_r(&wall.tv_sec, &tm);

    char line[1536];
    size_t o = (size_t)snprintf(line, sizeof line,
                                "{\"time\":\"%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ\",\"method\":\"",
                                tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                                tm.tm_min, tm.tm_sec, wall.tv_nsec / 1000000);
    o = put_escaped(line, o, sizeof line, r->method ? r->method : "");
    o += (size_t)snprintf(line + o, sizeof line - o, "\",\"path\":\"");
    /* Path only, as received: the query string is left out on purpose. */
    char path[512];
    snprintf(path, sizeof path, "%s", r->raw_url ? r->raw_url : "");
    char *q = strchr(path, '?');
    if (q)
        *q = '\0';
    o = put_escaped(line, o, sizeof line - 200, path);
    o += (size_t)snprintf(line + o, sizeof line - o,
                          "\",\"status\":%d,\"duration_ms\":%.3f,\"bytes\":%zu,\"client\":\"%s\"",
                          r->status, ms, r->bytes, r->client_addr);
    if (r->caller.authenticated && r->caller.user_id)
        o += (size_t)snprintf(line + o, sizeof line - o, ",\"user_id\":%lld",
                              (long long)r->caller.user_id);
    if (r->caller.authenticated && r->caller.token_id)
        o += (size_t)snprintf(line + o, sizeof line - o, ",\"token_id\":%lld",
                              (long long)r->caller.token_id);
    if (o < sizeof line - 2) {
        line[o++] = '}';
        line[o++] = '\n';
        /* One write() per line so lines from several threads never interleave. */
        ssize_t w = write(2, line, o);
        (void)w;
    }
}
