/* api_openapi.c — GET /api/v1/openapi.json, generated from the route table so the document
 * and what the server enforces can never disagree. Extensions per operation:
 *   x-roles: role names allowed ([] = public), x-csrf, x-own-unit, x-password-change-ok,
 *   x-dti-unit-scope: {resource, own_unit} (null: not one unit's data). Query parameters are
 *   listed in `parameters` (in: query): the server refuses any other. */
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_health.h"
#include "core/json_oom.h"

/* Appends v (taken) to a; false (and a freed) when either is missing or the append fails, so
 * the document is whole or NULL, never a route short. */
static bool put(json_t **a, json_t *v)
{
    if (*a && v) {
        if (json_array_append_new(*a, v) == 0)
            return true; /* on failure append_new has released v */
    } else {
        json_decref(v);
    }
    json_decref(*a);
    *a = NULL;
    return false;
}

static json_t *role_names(unsigned roles)
{
    static const struct {
        unsigned bit;
        const char *name;
    } names[] = {{ROLE_ADMIN, "admin"},   {ROLE_APPRAISER, "appraiser"}, {ROLE_STAFF, "staff"},
                 {ROLE_LEADER, "leader"}, {ROLE_FEED, "feed"}};
    json_t *a = json_array();
    for (size_t i = 0; a && i < sizeof names / sizeof names[0]; i++)
        if (roles & names[i].bit)
            put(&a, json_string(names[i].name));
    return a;
}

/* "/api/v1/units/{id}" -> the OpenAPI path "/units/{id}" under servers[0].url = /api/v1,
 * kept whole here so tests can use the path as is. Then the query parameters the row allows
 * (the server refuses any other). */
static json_t *params(const char *pattern, const char *query)
{
    json_t *a = json_array();
    for (const char *q = query; a && q && *q;) {
        const char *e = strchr(q, ',');
        size_t n = e ? (size_t)(e - q) : strlen(q);
        put(&a, json_pack("{s:s%,s:s,s:b,s:{s:s}}", "name", q, n, "in", "query",
                                           "required", 0, "schema", "type", "string"));
        q = e ? e + 1 : NULL;
    }
    for (const char *p = strchr(pattern, '{'); a && p; p = strchr(p + 1, '{')) {
        const char *e = strchr(p, '}');
        if (!e)
            break;
        put(&a, json_pack("{s:s%,s:s,s:b,s:{s:s}}", "name", p + 1, (size_t)(e - p - 1), "in",
                         "path", "required", 1, "schema", "type", "string"));
    }
    return a;
}

static void lower(char *dst, const char *src, size_t cap)
{
    size_t i = 0;
    for (; src[i] && i + 1 < cap; i++)
        dst[i] = (char)tolower((unsigned char)src[i]);
    dst[i] = '\0';
}

json_t *openapi_document(const struct route *table)
{
    json_t *paths = json_object();
    for (const struct route *r = table; paths && r->method; r++) {
        json_t *item = json_object_get(paths, r->pattern);
        if (!item && (!(item = json_object()) || json_object_set_new(paths, r->pattern, item)))
            goto fail; /* set_new released item */
        char m[16];
        lower(m, r->method, sizeof m);
        json_t *op = json_pack(
            "{s:s,s:o,s:o,s:b,s:b,s:b,s:b,s:{s:{s:s}}}", "summary", r->summary ? r->summary : "",
            "parameters", params(r->pattern, r->query), "x-roles", role_names(r->roles), "x-csrf",
            (r->flags & ROUTE_WRITE) != 0 && r->roles != ROLE_PUBLIC, "x-own-unit",
            (r->flags & ROUTE_OWN_UNIT) != 0, "x-password-change-ok",
            (r->flags & ROUTE_PWCHANGE_OK) != 0, "x-totp-setup-ok",
            (r->flags & ROUTE_TOTP_SETUP_OK) != 0, "responses", "default", "description",
            "Xem docs/api.md");
        /* Whose unit the resource is: the server answers 403 for another unit (own_unit), 404
         * for a missing one, 404 for a retired unit's data to anyone but an admin. */
        const char *scope = unit_scope_name(r->unit_of);
        json_t *sc = scope ? json_pack("{s:s,s:b}", "resource", scope, "own_unit",
                                       (r->flags & ROUTE_OWN_UNIT) != 0)
                           : json_null();
        if (!op || !sc || json_object_set_new(op, "x-dti-unit-scope", sc)) {
            if (!op)
                json_decref(sc);
            json_decref(op);
            goto fail;
        }
        if (r->roles != ROLE_PUBLIC &&
            json_object_set_new(op, "security", json_pack("[{s:[]},{s:[]}]", "session", "bearer"))) {
            json_decref(op);
            goto fail;
        }
        if (json_object_set_new(item, m, op))
            goto fail;
    }
    if (!paths)
        return NULL;
    return json_pack(
        "{s:s,s:{s:s,s:s},s:[{s:s}],s:o,s:{s:{s:{s:s,s:s,s:s},s:{s:s,s:s}}}}", "openapi", "3.0.3",
        "info", "title", "DTI — API đánh giá chuyển đổi số", "version", "1", "servers", "url", "/",
        "paths", paths, "components", "securitySchemes", "session", "type", "apiKey", "in",
        "cookie", "name", "dti_session", "bearer", "type", "http", "scheme", "bearer");
fail:
    json_decref(paths);
    return NULL;
}

/* The table is constant for the life of the process: render the document once. A render that
 * ran out of memory is not kept: the next request tries again. */
static pthread_mutex_t render_lock = PTHREAD_MUTEX_INITIALIZER;
static char *rendered;

static const char *render(void)
{
    pthread_mutex_lock(&render_lock);
    if (!rendered) {
        json_t *doc = openapi_document(dti_routes);
        rendered = doc ? json_oom_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
        json_decref(doc);
    }
    const char *out = rendered;
    pthread_mutex_unlock(&render_lock);
    return out;
}

int api_openapi(http_req *r)
{
    const char *doc = render();
    if (!doc)
        return http_reply_error(r, 500, "internal_error", "Lỗi máy chủ nội bộ.", NULL);
    return http_reply_bytes(r, 200, "application/json; charset=utf-8", doc,
                            strlen(doc));
}
