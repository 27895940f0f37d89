/* openapi_check.c — the route table and the schema tables agree (schemas.h): a new route
 * without a schema, a schema of a route that is gone, a text that is not JSON or a $ref to
 * nothing fails tests/unit/test_openapi.c and `dti openapi` (so the web build) at once. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "api/schemas.h"
#include "core/json_oom.h"

__attribute__((format(printf, 3, 4))) static int fail(char *why, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, n, fmt, ap);
    va_end(ap);
    return -1;
}

/* Parses text; on failure writes what and where into why. */
static json_t *parse(const char *text, const char *what, char *why, size_t n)
{
    json_error_t e;
    bool oom = false;
    json_t *j = json_oom_loadb(text, strlen(text), JSON_REJECT_DUPLICATES, &e, &oom);
    if (!j)
        fail(why, n, "%s: %s", what, oom ? "out of memory" : e.text);
    return j;
}

/* "#/a/b" -> the node of doc, or NULL (no ~ escapes: our names have no '/' or '~'). */
static json_t *pointer(json_t *doc, const char *ref)
{
    if (strncmp(ref, "#/", 2))
        return NULL;
    json_t *at = doc;
    for (const char *p = ref + 2; at && *p;) {
        const char *e = strchr(p, '/');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char key[128];
        if (len >= sizeof key)
            return NULL;
        memcpy(key, p, len);
        key[len] = '\0';
        at = json_object_get(at, key);
        p = e ? e + 1 : p + len;
    }
    return at;
}

/* Every "$ref" under node resolves in doc. */
static int refs_resolve(json_t *doc, json_t *node, char *why, size_t n)
{
    const char *k;
    json_t *v;
    size_t i;
    if (json_is_object(node)) {
        json_object_foreach(node, k, v) {
            if (!strcmp(k, "$ref")) {
                if (!json_is_string(v) || !pointer(doc, json_string_value(v)))
                    return fail(why, n, "$ref %s does not resolve",
                                json_is_string(v) ? json_string_value(v) : "(not a string)");
            } else if (refs_resolve(doc, v, why, n)) {
                return -1;
            }
        }
    } else if (json_is_array(node)) {
        json_array_foreach(node, i, v)
            if (refs_resolve(doc, v, why, n))
                return -1;
    }
    return 0;
}

/* A request body of an object type must refuse unknown fields, as every handler does. */
static int request_closed(json_t *doc, json_t *schema, const char *what, char *why, size_t n)
{
    json_t *ref = json_object_get(schema, "$ref");
    if (json_is_string(ref))
        schema = pointer(doc, json_string_value(ref));
    const char *type = json_string_value(json_object_get(schema, "type"));
    if (type && !strcmp(type, "object") &&
        !json_is_false(json_object_get(schema, "additionalProperties")))
        return fail(why, n, "%s: request body without \"additionalProperties\": false", what);
    return 0;
}

static int check_entry(json_t *doc, const struct route_schema *s, const struct route *table,
                       char *why, size_t n)
{
    char what[200];
    snprintf(what, sizeof what, "schema of %s %s", s->method, s->path);
    const struct route *r = table;
    while (r->method && (strcmp(r->method, s->method) || strcmp(r->pattern, s->path)))
        r++;
    if (!r->method)
        return fail(why, n, "%s: no such route in the route table", what);
    if (s->request) {
        json_t *j = parse(s->request, what, why, n);
        int rc = !j ? -1
                 : !json_is_object(j)
                     ? fail(why, n, "%s: request schema is not an object", what)
                     : (r->flags & ROUTE_RAW_BODY) ? 0 : request_closed(doc, j, what, why, n);
        json_decref(j);
        if (rc)
            return -1;
    }
    if (!s->responses)
        return fail(why, n, "%s: no responses", what);
    json_t *resp = parse(s->responses, what, why, n);
    if (!resp)
        return -1;
    const char *status;
    json_t *v;
    int rc = json_is_object(resp) && json_object_size(resp) > 0
                 ? 0
                 : fail(why, n, "%s: responses must map status codes to schemas", what);
    json_object_foreach(resp, status, v) {
        if (rc)
            break;
        if (strlen(status) != 3 || status[0] < '1' || status[0] > '5' ||
            strspn(status, "0123456789") != 3)
            rc = fail(why, n, "%s: \"%s\" is not a status code", what, status);
        else if (!json_is_object(v) && !json_is_null(v))
            rc = fail(why, n, "%s: response %s is neither a schema nor null", what, status);
    }
    json_decref(resp);
    return rc;
}

int openapi_check(const struct route *table, const struct schema_part *parts, char *why,
                  size_t why_len)
{
    why[0] = '\0';
    /* names, texts and duplicates first: the document is built only from sound parts */
    for (const struct schema_part *p = parts; p->name; p++)
        for (const struct schema_component *c = p->components; c->name; c++) {
            char what[160];
            snprintf(what, sizeof what, "component %s (part %s)", c->name, p->name);
            if (!strcmp(c->name, "Error"))
                return fail(why, why_len, "%s: Error is the generator's", what);
            for (const struct schema_part *q = parts; q <= p; q++)
                for (const struct schema_component *d = q->components; d->name && d != c; d++)
                    if (!strcmp(d->name, c->name))
                        return fail(why, why_len, "%s: defined twice", what);
            json_t *j = parse(c->schema, what, why, why_len);
            bool obj = json_is_object(j);
            json_decref(j);
            if (!j)
                return -1;
            if (!obj)
                return fail(why, why_len, "%s: not a JSON object", what);
        }
    for (const struct route *r = table; r->method; r++) {
        int count = 0;
        for (const struct schema_part *p = parts; p->name; p++)
            for (const struct route_schema *s = p->routes; s->method; s++)
                count += !strcmp(s->method, r->method) && !strcmp(s->path, r->pattern);
        if (count != 1)
            return fail(why, why_len, "route %s %s has %s schema entry (src/api/schemas_*.c)",
                        r->method, r->pattern, count ? "more than one" : "no");
    }
    json_t *doc = openapi_document_parts(table, parts);
    if (!doc)
        return fail(why, why_len, "openapi_document: NULL");
    int rc = 0;
    for (const struct schema_part *p = parts; !rc && p->name; p++)
        for (const struct route_schema *s = p->routes; !rc && s->method; s++)
            rc = check_entry(doc, s, table, why, why_len);
    if (!rc)
        rc = refs_resolve(doc, doc, why, why_len);
    json_decref(doc);
    return rc;
}
