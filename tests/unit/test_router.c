/* test_router.c — path validation, decoding and route matching. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "http/router.h"

static int h(http_req *r)
{
    (void)r;
    return 0;
}

static const struct route table[] = {
    {"GET", "/api/v1/health", h, 0, 0, "health", 0, NULL},
    {"GET", "/api/v1/units", h, ROLE_ANY_USER, 0, "list", 0, NULL},
    {"POST", "/api/v1/units", h, ROLE_ADMIN, ROUTE_WRITE, "create", 0, NULL},
    {"GET", "/api/v1/units/{id}", h, ROLE_ANY_USER, 0, "get", 0, NULL},
    {"PATCH", "/api/v1/units/{id}", h, ROLE_ADMIN, ROUTE_WRITE, "patch", 0, NULL},
    {"POST", "/api/v1/units/{id}/retire", h, ROLE_ADMIN, ROUTE_WRITE, "retire", 0, NULL},
    {"GET", "/api/v1/rounds/{round}/units/{unit}/tasks", h, ROLE_ANY_USER, ROUTE_OWN_UNIT, "tasks",
     UNIT_OF_PATH_UNIT, NULL},
    {NULL, NULL, NULL, 0, 0, NULL, 0, NULL},
};

static struct router_match m;

static enum router_status run(const char *method, const char *path)
{
    memset(&m, 0xAB, sizeof m);
    return router_match(table, method, path, &m);
}

static void test_match_static_and_params(void **state)
{
    (void)state;
    assert_int_equal(run("GET", "/api/v1/health"), ROUTER_MATCH);
    assert_string_equal(m.route->summary, "health");
    assert_int_equal(m.nparams, 0);

    assert_int_equal(run("GET", "/api/v1/units/42"), ROUTER_MATCH);
    assert_string_equal(m.route->summary, "get");
    assert_string_equal(router_param(&m, "id"), "42");
    assert_null(router_param(&m, "unit"));
    assert_string_equal(m.path, "/api/v1/units/42");

    assert_int_equal(run("GET", "/api/v1/rounds/7/units/12/tasks"), ROUTER_MATCH);
    assert_string_equal(router_param(&m, "round"), "7");
    assert_string_equal(router_param(&m, "unit"), "12");

    assert_int_equal(run("POST", "/api/v1/units/3/retire"), ROUTER_MATCH);
    assert_string_equal(m.route->summary, "retire");
}

static void test_head_matches_get(void **state)
{
    (void)state;
    assert_int_equal(run("HEAD", "/api/v1/units"), ROUTER_MATCH);
    assert_string_equal(m.route->summary, "list");
}

static void test_params_are_decoded(void **state)
{
    (void)state;
    /* "Sở" percent-encoded */
    assert_int_equal(run("GET", "/api/v1/units/S%E1%BB%9F%20A"), ROUTER_MATCH);
    assert_string_equal(router_param(&m, "id"), "S\xE1\xBB\x9F A");
    /* '+' stays '+' in a path */
    assert_int_equal(run("GET", "/api/v1/units/a+b"), ROUTER_MATCH);
    assert_string_equal(router_param(&m, "id"), "a+b");
}

static void test_404_vs_405(void **state)
{
    (void)state;
    assert_int_equal(run("GET", "/api/v1/nothing"), ROUTER_NOT_FOUND);
    assert_int_equal(run("GET", "/api/v1/units/1/extra"), ROUTER_NOT_FOUND);
    assert_int_equal(run("GET", "/api/v1/units/"), ROUTER_NOT_FOUND); /* {id} never empty */
    assert_int_equal(run("GET", "/api/v1"), ROUTER_NOT_FOUND);
    assert_int_equal(run("DELETE", "/api/v1/units"), ROUTER_METHOD_NOT_ALLOWED);
    assert_string_equal(m.allow, "GET, POST");
    assert_int_equal(run("PUT", "/api/v1/units/5"), ROUTER_METHOD_NOT_ALLOWED);
    assert_string_equal(m.allow, "GET, PATCH");
    assert_int_equal(run("GET", "/api/v1/units/5/retire"), ROUTER_METHOD_NOT_ALLOWED);
    assert_string_equal(m.allow, "POST");
}

static void test_bad_paths(void **state)
{
    (void)state;
    const char *bad[] = {
        "/api/v1/../etc/passwd", "/api/v1/./units", "/api/v1/units/..", "/api/v1/units/.",
        "/api/v1/%2e%2e/etc/passwd", "/api/v1/%2E%2e/x", "/api/v1/units/%2e", "/api//v1/units",
        "//api/v1/units", "/api/v1/units/%00", "/api/v1/units/1%00.json", "/api/v1/units/%",
        "/api/v1/units/%4", "/api/v1/units/%zz", "/api/v1/units/%2F", "/api/v1/units/a%2fb",
        "/api/v1/units/a%5cb", "/api/v1/units/%C3%28", "/api/v1/units/%C0%AF",
        "/api/v1/units/%ED%A0%80", "/api/v1/units/%F4%90%80%80", "/api/v1/units/%0a",
        "/api/v1/units/\xff", "api/v1/units", "", "/..", "/.",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        enum router_status st = run("GET", bad[i]);
        if (st != ROUTER_BAD_PATH)
            fail_msg("accepted bad path [%s] -> %d", bad[i], st);
    }
    /* too long */
    char longp[ROUTER_MAX_PATH + 10];
    memset(longp, 'a', sizeof longp);
    longp[0] = '/';
    longp[sizeof longp - 1] = '\0';
    assert_int_equal(run("GET", longp), ROUTER_BAD_PATH);
}

static void test_root_and_ui_paths_are_valid(void **state)
{
    (void)state;
    assert_int_equal(run("GET", "/"), ROUTER_NOT_FOUND);
    assert_string_equal(m.path, "/");
    assert_int_equal(run("GET", "/units/12/"), ROUTER_NOT_FOUND);
    assert_string_equal(m.path, "/units/12/");
    assert_int_equal(run("GET", "/assets/index-abc.js"), ROUTER_NOT_FOUND);
    assert_int_equal(run("GET", "/a..b/c.d"), ROUTER_NOT_FOUND); /* dots inside a name are fine */
}

static void test_decode(void **state)
{
    (void)state;
    char out[32];
    assert_int_equal(router_decode("a%20b+c", 7, out, sizeof out, true), 5);
    assert_string_equal(out, "a b c");
    assert_int_equal(router_decode("a%20b+c", 7, out, sizeof out, false), 5);
    assert_string_equal(out, "a b+c");
    assert_int_equal(router_decode("%00", 3, out, sizeof out, false), -1);
    assert_int_equal(router_decode("%g0", 3, out, sizeof out, false), -1);
    assert_int_equal(router_decode("abc%", 4, out, sizeof out, false), -1);
    assert_int_equal(router_decode("abcdef", 6, out, 4, false), -1); /* does not fit */
    assert_int_equal(router_decode("", 0, out, sizeof out, false), 0);
    assert_string_equal(out, "");
}

static void test_utf8(void **state)
{
    (void)state;
    assert_true(utf8_valid("Vi\xe1\xbb\x87t Nam", 10));
    assert_true(utf8_valid("\xf0\x9f\x98\x80", 4));
    assert_false(utf8_valid("\xe1\xbb", 2));   /* truncated */
    assert_false(utf8_valid("\xc1\x81", 2));   /* overlong */
    assert_false(utf8_valid("\xe0\x80\xaf", 3)); /* overlong */
    assert_false(utf8_valid("\xed\xb0\x80", 3)); /* surrogate */
    assert_false(utf8_valid("\x80", 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_match_static_and_params),
        cmocka_unit_test(test_head_matches_get),
        cmocka_unit_test(test_params_are_decoded),
        cmocka_unit_test(test_404_vs_405),
        cmocka_unit_test(test_bad_paths),
        cmocka_unit_test(test_root_and_ui_paths_are_valid),
        cmocka_unit_test(test_decode),
        cmocka_unit_test(test_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
