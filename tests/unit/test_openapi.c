/* test_openapi.c — the API contract is whole: every route of dti_routes has exactly one schema
 * entry and every entry names a route, every schema text is JSON, every $ref of openapi.json
 * resolves, request bodies refuse unknown fields (openapi_check); and the check fails on each
 * of those mistakes, so a new route without a schema fails this test. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "api/api_health.h"
#include "api/schemas.h"
#include "core/json_oom.h"

static char why[512];

static void test_real_tables_agree(void **state)
{
    (void)state;
    int rc = openapi_check(dti_routes, schema_parts, why, sizeof why);
    if (rc)
        fail_msg("openapi_check: %s", why);
}

/* every operation has its success responses (from the schema tables) and the Error ones */
static void test_document_has_schemas(void **state)
{
    (void)state;
    json_t *doc = openapi_document(dti_routes);
    assert_non_null(doc);
    assert_string_equal(json_string_value(json_object_get(doc, "openapi")), "3.0.3");
    json_t *schemas = json_object_get(json_object_get(doc, "components"), "schemas");
    assert_non_null(json_object_get(schemas, "Error"));
    assert_non_null(json_object_get(schemas, "User"));
    for (const struct route *r = dti_routes; r->method; r++) {
        char m[8] = {0};
        for (size_t i = 0; r->method[i] && i < 7; i++)
            m[i] = (char)(r->method[i] | 0x20);
        json_t *op = json_object_get(json_object_get(json_object_get(doc, "paths"), r->pattern), m);
        assert_non_null(op);
        json_t *resp = json_object_get(op, "responses");
        bool success = false;
        const char *status;
        json_t *v;
        json_object_foreach(resp, status, v) success |= status[0] == '2';
        if (!success)
            fail_msg("%s %s: no success response", r->method, r->pattern);
        assert_string_equal(
            json_string_value(json_object_get(json_object_get(resp, "500"), "$ref")),
            "#/components/responses/Error");
        assert_non_null(json_object_get(resp, "default"));
        /* a file body is marked as such (its handler answers its own errors) and documented
         * under its media type, the generator's "x-content-type" key consumed */
        bool raw = (r->flags & (ROUTE_RAW_BODY | ROUTE_STREAM_BODY)) != 0;
        assert_true(json_is_boolean(json_object_get(op, "x-raw-body")));
        assert_int_equal(json_is_true(json_object_get(op, "x-raw-body")), raw);
        const char *media;
        json_t *c;
        json_object_foreach(json_object_get(json_object_get(op, "requestBody"), "content"), media, c) {
            assert_null(json_object_get(json_object_get(c, "schema"), "x-content-type"));
            if (!strcmp(media, "application/json") && raw && strcmp(r->pattern, "/api/v1/frameworks"))
                fail_msg("%s %s: a file body documented as application/json", r->method, r->pattern);
        }
    }
    /* the evidence upload is multipart, not JSON (was documented as application/json) */
    json_t *up = json_object_get(
        json_object_get(json_object_get(json_object_get(doc, "paths"), "/api/v1/tasks/{id}/evidence"),
                        "post"),
        "requestBody");
    assert_non_null(json_object_get(json_object_get(up, "content"), "multipart/form-data"));
    /* a body-taking route documents it, closed */
    json_t *rb = json_object_get(
        json_object_get(json_object_get(json_object_get(doc, "paths"), "/api/v1/auth/login"),
                        "post"),
        "requestBody");
    json_t *s = json_object_get(json_object_get(json_object_get(rb, "content"), "application/json"),
                                "schema");
    assert_true(json_is_false(json_object_get(s, "additionalProperties")));
    json_decref(doc);
}

static int h(http_req *r)
{
    (void)r;
    return 0;
}

static const struct route two_routes[] = {
    {"GET", "/api/v1/a", h, ROLE_ANY_USER, 0, "a", 0, NULL},
    {"POST", "/api/v1/a/{id}", h, ROLE_ADMIN, ROUTE_WRITE, "b", 0, NULL},
    {NULL, NULL, NULL, 0, 0, NULL, 0, NULL},
};

static const struct schema_component comps_ok[] = {{"A", "{\"type\":\"object\"}"}, {NULL, NULL}};
static const struct schema_component comps_none[] = {{NULL, NULL}};

static int check(const struct route_schema *s, const struct schema_component *c)
{
    const struct schema_part parts[] = {{"t", s, c}, {NULL, NULL, NULL}};
    return openapi_check(two_routes, parts, why, sizeof why);
}

#define CLOSED "{\"type\":\"object\",\"additionalProperties\":false}"

static json_t *query_schema(json_t *doc, const char *path, const char *name)
{
    json_t *ps = json_object_get(
        json_object_get(json_object_get(json_object_get(doc, "paths"), path), "get"), "parameters");
    size_t i;
    json_t *p;
    json_array_foreach(ps, i, p) if (!strcmp(json_string_value(json_object_get(p, "in")), "query") &&
                                     !strcmp(json_string_value(json_object_get(p, "name")), name))
        return json_object_get(p, "schema");
    return NULL;
}

/* query parameters are typed as the handlers read them (api_openapi.c query_types), the same
 * name per route where routes differ; every query parameter of every route has a schema */
static void test_query_parameters_typed(void **state)
{
    (void)state;
    json_t *doc = openapi_document(dti_routes);
    assert_non_null(doc);
    json_t *s = query_schema(doc, "/api/v1/audit", "limit");
    assert_string_equal(json_string_value(json_object_get(s, "type")), "integer");
    assert_int_equal(json_integer_value(json_object_get(s, "minimum")), 1);
    assert_int_equal(json_integer_value(json_object_get(s, "maximum")), 200);
    s = query_schema(doc, "/api/v1/tasks", "limit");
    assert_int_equal(json_integer_value(json_object_get(s, "minimum")), 0);
    assert_int_equal(json_integer_value(json_object_get(s, "maximum")), 1000);
    s = query_schema(doc, "/api/v1/tasks", "overdue");
    assert_string_equal(json_string_value(json_object_get(s, "type")), "string");
    assert_int_equal(json_array_size(json_object_get(s, "enum")), 4);
    s = query_schema(doc, "/api/v1/tasks", "state");
    assert_int_equal(json_array_size(json_object_get(s, "enum")), 8);
    assert_string_equal(json_string_value(json_array_get(json_object_get(s, "enum"), 0)),
                        "not_started");
    s = query_schema(doc, "/api/v1/rounds/{id}/summary", "level");
    assert_string_equal(json_string_value(json_array_get(json_object_get(s, "enum"), 1)),
                        "department");
    s = query_schema(doc, "/api/v1/users", "unit_id");
    assert_string_equal(json_string_value(json_object_get(s, "type")), "integer");
    assert_int_equal(json_integer_value(json_object_get(s, "minimum")), 1);
    s = query_schema(doc, "/api/v1/frameworks/{id}", "version");
    assert_string_equal(json_string_value(json_object_get(s, "type")), "integer");
    for (const struct route *r = dti_routes; r->method; r++)
        for (const char *q = r->query; q && *q;) {
            const char *e = strchr(q, ',');
            char name[64];
            snprintf(name, sizeof name, "%.*s", (int)(e ? (size_t)(e - q) : strlen(q)), q);
            if (!strcmp(r->method, "GET") && !query_schema(doc, r->pattern, name))
                fail_msg("%s %s ?%s: no schema", r->method, r->pattern, name);
            q = e ? e + 1 : NULL;
        }
    json_decref(doc);
}

static void test_sound_tables_pass(void **state)
{
    (void)state;
    const struct route_schema s[] = {
        {"GET", "/api/v1/a", NULL, "{\"200\":{\"$ref\":\"#/components/schemas/A\"}}"},
        {"POST", "/api/v1/a/{id}", CLOSED, "{\"204\":null}"},
        {NULL, NULL, NULL, NULL}};
    assert_int_equal(check(s, comps_ok), 0);
}

static void test_route_without_schema_fails(void **state)
{
    (void)state;
    const struct route_schema s[] = {{"GET", "/api/v1/a", NULL, "{\"200\":{}}"},
                                     {NULL, NULL, NULL, NULL}};
    assert_int_equal(check(s, comps_none), -1);
    assert_non_null(strstr(why, "POST /api/v1/a/{id} has no schema entry"));
}

static void test_schema_of_no_route_fails(void **state)
{
    (void)state;
    const struct route_schema s[] = {{"GET", "/api/v1/a", NULL, "{\"200\":{}}"},
                                     {"POST", "/api/v1/a/{id}", CLOSED, "{\"204\":null}"},
                                     {"DELETE", "/api/v1/a/{id}", NULL, "{\"204\":null}"},
                                     {NULL, NULL, NULL, NULL}};
    assert_int_equal(check(s, comps_none), -1);
    assert_non_null(strstr(why, "DELETE /api/v1/a/{id}: no such route"));
}

static void test_bad_json_fails(void **state)
{
    (void)state;
    const struct route_schema s[] = {{"GET", "/api/v1/a", NULL, "{\"200\":{}"},
                                     {"POST", "/api/v1/a/{id}", CLOSED, "{\"204\":null}"},
                                     {NULL, NULL, NULL, NULL}};
    assert_int_equal(check(s, comps_none), -1);
    const struct schema_component bad[] = {{"A", "{\"type\":\"object\",}"}, {NULL, NULL}};
    const struct route_schema ok[] = {{"GET", "/api/v1/a", NULL, "{\"200\":{}}"},
                                      {"POST", "/api/v1/a/{id}", CLOSED, "{\"204\":null}"},
                                      {NULL, NULL, NULL, NULL}};
    assert_int_equal(check(ok, bad), -1);
    assert_non_null(strstr(why, "component A"));
}

static void test_dangling_ref_fails(void **state)
{
    (void)state;
    const struct route_schema s[] = {
        {"GET", "/api/v1/a", NULL, "{\"200\":{\"$ref\":\"#/components/schemas/Nope\"}}"},
        {"POST", "/api/v1/a/{id}", CLOSED, "{\"204\":null}"},
        {NULL, NULL, NULL, NULL}};
    assert_int_equal(check(s, comps_ok), -1);
    assert_non_null(strstr(why, "#/components/schemas/Nope"));
}

static void test_open_request_and_bad_status_fail(void **state)
{
    (void)state;
    const struct route_schema open[] = {{"GET", "/api/v1/a", NULL, "{\"200\":{}}"},
                                        {"POST", "/api/v1/a/{id}", "{\"type\":\"object\"}",
                                         "{\"204\":null}"},
                                        {NULL, NULL, NULL, NULL}};
    assert_int_equal(check(open, comps_none), -1);
    assert_non_null(strstr(why, "additionalProperties"));
    const struct route_schema status[] = {{"GET", "/api/v1/a", NULL, "{\"ok\":{}}"},
                                          {"POST", "/api/v1/a/{id}", CLOSED, "{\"204\":null}"},
                                          {NULL, NULL, NULL, NULL}};
    assert_int_equal(check(status, comps_none), -1);
    assert_non_null(strstr(why, "not a status code"));
}

static void test_duplicates_fail(void **state)
{
    (void)state;
    const struct route_schema s[] = {{"GET", "/api/v1/a", NULL, "{\"200\":{}}"},
                                     {"GET", "/api/v1/a", NULL, "{\"200\":{}}"},
                                     {"POST", "/api/v1/a/{id}", CLOSED, "{\"204\":null}"},
                                     {NULL, NULL, NULL, NULL}};
    assert_int_equal(check(s, comps_none), -1);
    assert_non_null(strstr(why, "more than one"));
    const struct route_schema ok[] = {{"GET", "/api/v1/a", NULL, "{\"200\":{}}"},
                                      {"POST", "/api/v1/a/{id}", CLOSED, "{\"204\":null}"},
                                      {NULL, NULL, NULL, NULL}};
    const struct schema_component twice[] = {{"A", "{}"}, {"A", "{}"}, {NULL, NULL}};
    assert_int_equal(check(ok, twice), -1);
    assert_non_null(strstr(why, "defined twice"));
    const struct schema_component err[] = {{"Error", "{}"}, {NULL, NULL}};
    assert_int_equal(check(ok, err), -1);
}

int main(void)
{
    json_oom_install();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_tables_agree),
        cmocka_unit_test(test_document_has_schemas),
        cmocka_unit_test(test_query_parameters_typed),
        cmocka_unit_test(test_sound_tables_pass),
        cmocka_unit_test(test_route_without_schema_fails),
        cmocka_unit_test(test_schema_of_no_route_fails),
        cmocka_unit_test(test_bad_json_fails),
        cmocka_unit_test(test_dangling_ref_fails),
        cmocka_unit_test(test_open_request_and_bad_status_fail),
        cmocka_unit_test(test_duplicates_fail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
