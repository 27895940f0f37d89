/* request.c — what a handler can read from a request. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

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
    if (!s || *s < '1' || *s > '9')
        return false;
    errno = 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v <= 0)
        return false;
    *out = (int64_t)v;
    return true;
}

struct query_ctx {
    http_req *r;
};

/* MHD keeps GET arguments undecoded (our unescape callback is the identity, so that the path
 * reaches the router raw); decode each once, on first use. */
static enum MHD_Result collect_query(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
    (void)kind;
    http_req *r = cls;
    if (r->nquery == HTTP_MAX_QUERY)
        return MHD_NO;
    size_t kl = strlen(key), vl = value ? strlen(value) : 0;
    char *k = malloc(kl + 1), *v = malloc(vl + 1);
    if (!k || !v || router_decode(key, kl, k, kl + 1, true) < 0 ||
        router_decode(value ? value : "", vl, v, vl + 1, true) < 0) {
        free(k);
        free(v);
        return MHD_YES; /* undecodable parameters are ignored */
    }
    r->query_key[r->nquery] = k;
    r->query_value[r->nquery] = v;
    r->nquery++;
    return MHD_YES;
}

const char *http_query(const http_req *cr, const char *name)
{
    http_req *r = (http_req *)cr;
    if (!r->query_parsed) {
        r->query_parsed = true;
        MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, collect_query, r);
    }
    for (int i = 0; i < r->nquery; i++)
        if (strcmp(r->query_key[i], name) == 0)
            return r->query_value[i];
    return NULL;
}

const char *http_header(const http_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
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
