/* api_openapi.c — GET /api/v1/openapi.json (and `dti openapi`), generated from the route table
 * and the schema tables (src/api/schemas_<part>.c, listed in schemas.c) so the document and
 * what the server enforces can never disagree. Each operation gets its requestBody and success
 * responses from its schema entry, and the error statuses it can answer (all sharing
 * components.responses.Error -> components.schemas.Error, the shape of docs/api.md) from its
 * route flags. Extensions per operation:
 *   x-roles: role names allowed ([] = public), x-csrf, x-own-unit, x-password-change-ok,
 *   x-dti-unit-scope: {resource, own_unit} (null: not one unit's data), x-raw-body (the body is
 *   a file the handler reads itself — its own errors, e.g. 422 — not a JSON request the
 *   pipeline parses first). Query parameters are listed in `parameters` (in: query): the server
 *   refuses any other. A request schema's "x-content-type" names its media type (a file
 *   upload: multipart/form-data, text/csv, .xlsx), as for responses. */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_health.h"
#include "api/schema_text.h"
#include "api/schemas.h"
#include "core/framework.h"
#include "core/json_oom.h"
#include "core/workflow.h"

/* The one error shape of docs/api.md; `errors` lists every problem when there are several. */
static const char error_schema[] = J_OBJ(
    Q("error"),
    P("error",
      J_OBJ(Q("code") "," Q("message"),
            P("code", "{\"type\":\"string\",\"pattern\":\"^[a-z][a-z0-9_]*$\"}") ","
            P("message", "{\"type\":\"string\",\"minLength\":1}") ","
            P("field", J_STR) ","
            /* 409 version_conflict: the task as it is now, so the client shows what changed */
            P("current", "{\"type\":\"object\"}") ","
            P("errors", J_ARRAY(J_OBJ(Q("field") "," Q("message"),
                                      P("field", J_STR) "," P("message", J_STR)))))));

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

/* ---- query parameters: their types, as the handlers read them ----
 * The route table's query column names the parameters a row allows; this table types them.
 * One row per name (path NULL) unless routes read the same name differently (then one row per
 * path, before the name's general row). A name without a row is a plain string. Kinds: an
 * integer range, a flag ("1", "0", "true", "false": in_query_bool), an enum from a core table. */
enum q_kind { Q_INT, Q_FLAG, Q_STR, Q_LEVEL, Q_STATE };
static const struct query_type {
    const char *path, *name;
    enum q_kind kind;
    int64_t min, max; /* Q_INT bounds (max 0: none); Q_STR maxLength (max) */
    const char *description;
} query_types[] = {
    {"/api/v1/tasks", "limit", Q_INT, 0, 1000, "Số nhiệm vụ tối đa một trang (mặc định 100)"},
    {"/api/v1/tasks", "round_id", Q_INT, 0, 0, "Mã đợt đánh giá (0: mọi đợt)"},
    {"/api/v1/tasks", "unit_id", Q_INT, 0, 0, "Mã đơn vị (0: mọi đơn vị trong phạm vi)"},
    {NULL, "limit", Q_INT, 1, 200, "Số mục tối đa (mặc định 50)"},
    {NULL, "offset", Q_INT, 0, INT32_MAX, "Bỏ qua bao nhiêu mục đầu"},
    {NULL, "unit_id", Q_INT, 1, 0, "Mã đơn vị"},
    {NULL, "before_id", Q_INT, 1, 0, "Chỉ các mục có mã nhỏ hơn (trang tiếp theo)"},
    {NULL, "version", Q_INT, 1, 0, "Phiên bản (mặc định: mới nhất)"},
    {NULL, "overdue", Q_FLAG, 0, 0, "1/true: chỉ nhiệm vụ quá hạn; 0/false: chỉ chưa quá hạn"},
    {NULL, "include_retired", Q_FLAG, 0, 0, "1/true: gồm cả đơn vị đã ngừng (chỉ quản trị)"},
    {NULL, "level", Q_LEVEL, 0, 0, "Cấp đơn vị"},
    {NULL, "state", Q_STATE, 0, 0, "Trạng thái nhiệm vụ"},
    {NULL, "entity", Q_STR, 0, 64, "Loại đối tượng"},
    {NULL, "entity_id", Q_STR, 0, 64, "Mã đối tượng"},
    {NULL, "pillar", Q_STR, 0, 0, "Mã trụ cột"},
};

static json_t *enum_of(const char *(*name)(int), int n)
{
    json_t *e = json_array();
    for (int i = 0; e && i < n; i++)
        put(&e, json_string(name(i)));
    return json_pack("{s:s,s:o}", "type", "string", "enum", e);
}

static const char *level_name(int i) { return fw_unit_kind_name((enum fw_unit_kind)i); }
static const char *state_name(int i) { return wf_state_code((enum wf_state)i); }

/* {name, in: query, required: false, schema, description?} of parameter `name` of `path`. */
static json_t *query_param(const char *path, const char *name, size_t n)
{
    const struct query_type *t = NULL;
    for (size_t i = 0; !t && i < sizeof query_types / sizeof *query_types; i++) {
        const struct query_type *q = &query_types[i];
        if (strlen(q->name) == n && !strncmp(q->name, name, n) && (!q->path || !strcmp(q->path, path)))
            t = q;
    }
    json_t *schema = NULL;
    bool ok = true;
    switch (t ? t->kind : Q_STR) {
    case Q_INT:
        schema = json_pack("{s:s,s:I}", "type", "integer", "minimum", (json_int_t)t->min);
        if (schema && t->max)
            ok = json_object_set_new(schema, "maximum", json_integer(t->max)) == 0;
        break;
    case Q_FLAG:
        schema = json_pack("{s:s,s:[ssss]}", "type", "string", "enum", "1", "0", "true", "false");
        break;
    case Q_LEVEL:
        schema = enum_of(level_name, UK_COUNT);
        break;
    case Q_STATE:
        schema = enum_of(state_name, WS_COUNT);
        break;
    case Q_STR:
        schema = json_pack("{s:s}", "type", "string");
        if (schema && t && t->max)
            ok = json_object_set_new(schema, "maxLength", json_integer(t->max)) == 0;
        break;
    }
    if (!ok) { /* out of memory: no parameter rather than a wrong one */
        json_decref(schema);
        return NULL;
    }
    json_t *p = json_pack("{s:s%,s:s,s:b,s:o}", "name", name, n, "in", "query", "required", 0,
                          "schema", schema);
    if (p && t && t->description &&
        json_object_set_new(p, "description", json_string(t->description)) != 0) {
        json_decref(p);
        return NULL;
    }
    return p;
}

/* "/api/v1/units/{id}" -> the OpenAPI path "/units/{id}" under servers[0].url = /api/v1,
 * kept whole here so tests can use the path as is. Then the query parameters the row allows
 * (the server refuses any other), typed by query_types. */
static json_t *params(const char *pattern, const char *query)
{
    json_t *a = json_array();
    for (const char *q = query; a && q && *q;) {
        const char *e = strchr(q, ',');
        size_t n = e ? (size_t)(e - q) : strlen(q);
        put(&a, query_param(pattern, q, n));
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

/* A schema text as JSON; NULL when it is not JSON or memory ran out (openapi_check tells). */
static json_t *load(const char *text)
{
    bool oom;
    return json_oom_loadb(text, strlen(text), JSON_REJECT_DUPLICATES, NULL, &oom);
}

static json_t *error_ref(void)
{
    return json_pack("{s:s}", "$ref", "#/components/responses/Error");
}

/* The error statuses a route can answer, from its row: every route refuses a bad query (400)
 * and can fail (500); a signed-in route (and login) 401/403; one with a path parameter 404; a
 * write 409/413/422/429. The rest fall under "default". */
static bool add_errors(json_t *out, const struct route *r)
{
    bool auth = r->roles != ROLE_PUBLIC || (r->flags & ROUTE_WRITE);
    const struct {
        const char *status;
        bool when;
    } errs[] = {{"400", true},
                {"401", auth},
                {"403", auth},
                {"404", strchr(r->pattern, '{') != NULL},
                {"409", (r->flags & ROUTE_WRITE) != 0},
                {"413", (r->flags & ROUTE_WRITE) != 0},
                {"422", (r->flags & ROUTE_WRITE) != 0},
                {"429", (r->flags & ROUTE_WRITE) != 0},
                {"500", true},
                {"default", true}};
    for (size_t i = 0; i < sizeof errs / sizeof errs[0]; i++)
        if (errs[i].when && !json_object_get(out, errs[i].status) &&
            json_object_set_new(out, errs[i].status, error_ref()))
            return false;
    return true;
}

/* The responses object of a route: its entry's statuses (a schema: a JSON body; null: no body),
 * then the error statuses. */
static json_t *responses(const struct route *r, const struct route_schema *e)
{
    json_t *out = json_object();
    json_t *given = e && e->responses ? load(e->responses) : json_object();
    const char *status;
    json_t *schema;
    bool ok = out && json_is_object(given);
    if (ok) {
        json_object_foreach(given, status, schema) {
            /* "x-content-type" in a schema names a body that is not JSON (a file download):
             * documented under that media type, the key itself left out. */
            const char *media = json_string_value(json_object_get(schema, "x-content-type"));
            json_t *body = media ? json_deep_copy(schema) : json_incref(schema);
            if (media && body)
                json_object_del(body, "x-content-type");
            json_t *resp =
                !body ? NULL
                : json_is_null(schema)
                    ? json_pack("{s:s}", "description", "Không có nội dung")
                    : json_pack("{s:s,s:{s:{s:O}}}", "description", "Thành công", "content",
                                media ? media : "application/json", "schema", body);
            json_decref(body);
            if (!resp || json_object_set_new(out, status, resp)) {
                ok = false;
                break;
            }
        }
    }
    json_decref(given);
    if (ok && add_errors(out, r))
        return out;
    json_decref(out);
    return NULL;
}

/* components: Error, every part's schemas, the shared Error response, the security schemes. */
static json_t *components(const struct schema_part *parts)
{
    json_t *schemas = json_object();
    if (!schemas || json_object_set_new(schemas, "Error", load(error_schema)))
        goto fail;
    for (const struct schema_part *p = parts; p->name; p++)
        for (const struct schema_component *c = p->components; c->name; c++)
            if (json_object_set_new(schemas, c->name, load(c->schema)))
                goto fail;
    return json_pack("{s:o,s:{s:{s:s,s:{s:{s:{s:s}}}}},s:{s:{s:s,s:s,s:s},s:{s:s,s:s}}}",
                     "schemas", schemas, "responses", "Error", "description",
                     "Lỗi (docs/api.md)", "content", "application/json", "schema", "$ref",
                     "#/components/schemas/Error", "securitySchemes", "session", "type",
                     "apiKey", "in", "cookie", "name", "dti_session", "bearer", "type", "http",
                     "scheme", "bearer");
fail:
    json_decref(schemas);
    return NULL;
}

json_t *openapi_document_parts(const struct route *table, const struct schema_part *parts)
{
    json_t *paths = json_object();
    for (const struct route *r = table; paths && r->method; r++) {
        json_t *item = json_object_get(paths, r->pattern);
        if (!item && (!(item = json_object()) || json_object_set_new(paths, r->pattern, item)))
            goto fail; /* set_new released item */
        char m[16];
        lower(m, r->method, sizeof m);
        json_t *op = json_pack(
            "{s:s,s:o,s:o,s:b,s:b,s:b,s:b,s:o}", "summary", r->summary ? r->summary : "",
            "parameters", params(r->pattern, r->query), "x-roles", role_names(r->roles), "x-csrf",
            (r->flags & ROUTE_WRITE) != 0 && r->roles != ROLE_PUBLIC, "x-own-unit",
            (r->flags & ROUTE_OWN_UNIT) != 0, "x-password-change-ok",
            (r->flags & ROUTE_PWCHANGE_OK) != 0, "x-totp-setup-ok",
            (r->flags & ROUTE_TOTP_SETUP_OK) != 0, "responses",
            responses(r, schema_find(parts, r->method, r->pattern)));
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
        const struct route_schema *e = schema_find(parts, r->method, r->pattern);
        if (e && e->request) {
            json_t *schema = load(e->request);
            char media[96] = "application/json";
            const char *given = json_string_value(json_object_get(schema, "x-content-type"));
            if (given) {
                snprintf(media, sizeof media, "%s", given);
                json_object_del(schema, "x-content-type");
            }
            json_t *body = schema ? json_pack("{s:b,s:{s:{s:o}}}", "required", 1, "content",
                                              media, "schema", schema)
                                  : NULL;
            if (!body || json_object_set_new(op, "requestBody", body)) {
                json_decref(op);
                goto fail;
            }
        }
        if (json_object_set_new(op, "x-raw-body",
                                json_boolean(r->flags & (ROUTE_RAW_BODY | ROUTE_STREAM_BODY)))) {
            json_decref(op);
            goto fail;
        }
        if (json_object_set_new(item, m, op))
            goto fail;
    }
    json_t *comps = paths ? components(parts) : NULL;
    if (!comps)
        goto fail;
    return json_pack("{s:s,s:{s:s,s:s},s:[{s:s}],s:o,s:o}", "openapi", "3.0.3", "info", "title",
                     "DTI — API đánh giá chuyển đổi số", "version", "1", "servers", "url", "/",
                     "paths", paths, "components", comps);
fail:
    json_decref(paths);
    return NULL;
}

json_t *openapi_document(const struct route *table)
{
    return openapi_document_parts(table, schema_parts);
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
