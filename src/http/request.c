/* request.c — what a handler can read from a request. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/server_internal.h"

const char *http_method(const http_req *r)
{
    return r->method;
}

const char *http_path(const http_req *r)
{
    return r->match.path;
}

const char *http_param(const http_req *r, const char *name)
{
    return router_param(&r->match, name);
}

bool http_param_id(const http_req *r, const char *name, int64_t *out)
{
    const char *s = http_param(r, name);
    return s && http_parse_uint(s, 1, INT64_MAX, out);
}

/* Digits only: strtoll alone would also take " +5", "-0" and saturate 10^20 to INT64_MAX,
 * so such a query value used to be read as another number instead of refused. */
bool http_parse_uint(const char *s, int64_t min, int64_t max, int64_t *out)
{
    if (!s || *s < '0' || *s > '9' || (s[0] == '0' && s[1]))
        return false;
    uint64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > ((uint64_t)INT64_MAX - (uint64_t)(*s - '0')) / 10)
            return false;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    if ((int64_t)v < min || (int64_t)v > max)
        return false;
    *out = (int64_t)v;
    return true;
}

bool http_query_int(http_req *r, const char *name, int64_t min, int64_t max, int64_t *out)
{
    const char *q = http_query(r, name);
    if (!q || http_parse_uint(q, min, max, out))
        return true;
    char msg[200];
    if (max == INT64_MAX)
        snprintf(msg, sizeof msg, "Tham số “%s” phải là số nguyên %s.", name,
                 min > 0 ? "dương" : "không âm");
    else
        snprintf(msg, sizeof msg, "Tham số “%s” phải là số nguyên từ %lld đến %lld.", name,
                 (long long)min, (long long)max);
    http_reply_error(r, 400, "invalid_value", msg, name);
    return false;
}

/* ---- the fields the transport filled in ---- */

bool http_req_add_header(http_req *r, const char *name, const char *value, size_t value_len)
{
    if (r->nhdr == HTTP_MAX_HEADER_FIELDS) {
        r->too_many_headers = true;
        return false;
    }
    r->hdr_name[r->nhdr] = name;
    r->hdr_value[r->nhdr] = value ? value : "";
    r->hdr_value_len[r->nhdr] = value ? value_len : 0;
    r->nhdr++;
    return true;
}

bool http_req_add_query(http_req *r, const char *key, const char *value)
{
    if (r->nqraw == HTTP_MAX_QUERY) {
        r->query_too_many = true; /* refused by http_query_check */
        return false;
    }
    r->qraw_key[r->nqraw] = key;
    r->qraw_value[r->nqraw] = value;
    r->nqraw++;
    return true;
}

const char *http_req_header(const http_req *r, const char *name)
{
    for (int i = 0; i < r->nhdr; i++)
        if (strcasecmp(r->hdr_name[i], name) == 0)
            return r->hdr_value[i];
    return NULL;
}

/* Cookie: a=b; c=d (RFC 6265 §4.2.1; a value may be in double quotes). Several Cookie fields
 * are read in order; the first cookie with this name wins. */
enum http_cookie_read http_req_cookie(const http_req *r, const char *name, char *out, size_t cap)
{
    size_t nlen = strlen(name);
    const char *first = NULL;
    size_t first_len = 0;
    for (int i = 0; i < r->nhdr; i++) {
        if (strcasecmp(r->hdr_name[i], "Cookie") != 0)
            continue;
        const char *p = r->hdr_value[i], *end = p + r->hdr_value_len[i];
        while (p < end) {
            while (p < end && (*p == ' ' || *p == '\t' || *p == ';'))
                p++;
            const char *pair = p;
            while (p < end && *p != ';')
                p++;
            const char *eq = memchr(pair, '=', (size_t)(p - pair));
            if (!eq || (size_t)(eq - pair) != nlen || memcmp(pair, name, nlen) != 0)
                continue;
            const char *v = eq + 1, *ve = p;
            while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
                ve--;
            if (ve - v >= 2 && v[0] == '"' && ve[-1] == '"')
                v++, ve--;
            size_t vl = (size_t)(ve - v);
            if (!first) {
                first = v;
                first_len = vl;
            } else if (vl != first_len || memcmp(v, first, vl) != 0) {
                return HTTP_COOKIE_CONFLICT;
            }
        }
    }
    if (!first || first_len >= cap || memchr(first, '\0', first_len))
        return HTTP_COOKIE_NONE;
    memcpy(out, first, first_len);
    out[first_len] = '\0';
    return HTTP_COOKIE_FOUND;
}

/* Query arguments are kept undecoded (our unescape callback is the identity, so that the path
 * reaches the router raw); decode each once, on first use. An undecodable one is refused by
 * http_query_check (400 naming the parameter), never silently dropped. */
static void decode_query(http_req *r)
{
    for (int i = 0; i < r->nqraw; i++) {
        const char *key = r->qraw_key[i], *value = r->qraw_value[i];
        size_t kl = strlen(key), vl = value ? strlen(value) : 0;
        char *k = malloc(kl + 1), *v = malloc(vl + 1);
        bool key_ok = k && router_decode(key, kl, k, kl + 1, true) >= 0;
        if (!key_ok || !v || router_decode(value ? value : "", vl, v, vl + 1, true) < 0) {
            if (!r->query_invalid)
                http_query_name_for_error(key_ok ? k : key, r->query_bad, sizeof r->query_bad);
            r->query_invalid = true;
            free(k);
            free(v);
            continue;
        }
        r->query_key[r->nquery] = k;
        r->query_value[r->nquery] = v;
        r->nquery++;
    }
}

const char *http_query(const http_req *cr, const char *name)
{
    http_req *r = (http_req *)cr;
    if (!r->query_parsed) {
        r->query_parsed = true;
        decode_query(r);
    }
    for (int i = 0; i < r->nquery; i++)
        if (strcmp(r->query_key[i], name) == 0)
            return r->query_value[i];
    return NULL;
}

const char *http_header(const http_req *r, const char *name)
{
    return http_req_header(r, name);
}

const char *http_cookie(const http_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

json_t *http_json(const http_req *r)
{
    return r->json;
}

const char *http_body(const http_req *r, size_t *len)
{
    if (len)
        *len = r->body_len;
    return r->body ? r->body : "";
}

const struct caller *http_caller(const http_req *r)
{
    return &r->caller;
}

db_conn *http_db(http_req *r)
{
    if (!r->db && r->srv->o.pool)
        r->db = db_acquire(r->srv->o.pool);
    return r->db;
}

db *http_pool(http_req *r)
{
    return r->srv->o.pool;
}

const char *http_client_addr(const http_req *r)
{
    return r->client_addr;
}

bool http_cookie_secure(const http_req *r)
{
    return r->srv->o.secure_cookies;
}
