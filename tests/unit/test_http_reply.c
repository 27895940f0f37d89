/* test_http_reply.c — replies when memory runs out, headers that cannot be stored, the access
 * log line's bounds, and the cookie reader; through the request pipeline with a fake
 * transport (no socket, no libmicrohttpd connection). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "http/server_internal.h"

static struct http_server srv;
static unsigned last_status;
static char last_body[4096];
static int nqueued;
static bool last_close;

static int h_ok(http_req *r)
{
    return http_reply_json(r, 200, json_pack("{s:b}", "ok", 1));
}

static const struct route routes[] = {
    {"GET", "/api/v1/x", h_ok, ROLE_PUBLIC, 0, "", 0, NULL},
    {"POST", "/api/v1/x", h_ok, ROLE_PUBLIC, 0, "", 0, NULL},
    {NULL, NULL, NULL, 0, 0, NULL, 0, NULL},
};

static bool capture(http_req *r, unsigned status, struct MHD_Response *resp)
{
    const char *c = MHD_get_response_header(resp, "Connection");
    last_close = c && strcmp(c, "close") == 0;
    last_status = status;
    nqueued++;
    /* The prebuilt 500 carries no reply_body (it is static); read it from its known text. */
    snprintf(last_body, sizeof last_body, "%.*s", r->reply_body ? (int)r->reply_len : 0,
             r->reply_body ? r->reply_body : "");
    return true;
}

static int setup(void **state)
{
    (void)state;
    memset(&srv, 0, sizeof srv);
    srv.queue = capture;
    srv.o.routes = routes;
    assert_true(http_server_prebuild(&srv));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    MHD_destroy_response(srv.oom);
    return 0;
}

static http_req *new_req(void)
{
    nqueued = 0;
    last_status = 0;
    last_body[0] = '\0';
    http_req *r = http_req_new(&srv, NULL, "GET", "/api/v1/x", "HTTP/1.1");
    assert_non_null(r);
    return r;
}

/* ---- jansson allocations that fail from the n-th on ---- */
static int alloc_budget; /* allocations left; < 0 = unlimited */
static void *limited_malloc(size_t n)
{
    if (alloc_budget == 0)
        return NULL;
    if (alloc_budget > 0)
        alloc_budget--;
    return malloc(n);
}

static void test_error_reply_without_memory_is_the_prebuilt_500(void **state)
{
    (void)state;
    http_req *r = new_req();
    alloc_budget = 0;
    json_set_alloc_funcs(limited_malloc, free);
    http_reply_error(r, 400, "bad", "Sai.", "field");
    json_set_alloc_funcs(malloc, free);
    assert_int_equal(nqueued, 1); /* once: no recursion between reply_json and reply_error */
    assert_int_equal(last_status, 500);
    assert_int_equal(r->status, 500);
    http_req_done(r);

    r = new_req();
    http_reply_json(r, 200, NULL); /* a failed json_pack in a handler */
    assert_int_equal(last_status, 500);
    http_req_done(r);
}

static void test_every_failing_allocation_of_an_error_reply(void **state)
{
    (void)state;
    /* n = 0, 1, 2, ...: the n-th jansson allocation fails. Each run ends in exactly one
     * reply, either the intended 400 or the 500; ASan checks that nothing leaks. */
    int n, ok400 = 0;
    for (n = 0; n < 64; n++) {
        http_req *r = new_req();
        alloc_budget = n;
        json_set_alloc_funcs(limited_malloc, free);
        http_reply_error(r, 400, "invalid_length", "Tên quá dài (tối đa 10 ký tự).", "name");
        json_set_alloc_funcs(malloc, free);
        assert_int_equal(nqueued, 1);
        assert_true(last_status == 400 || last_status == 500);
        if (last_status == 400) {
            ok400++;
            assert_non_null(strstr(last_body, "\"field\":\"name\""));
        }
        http_req_done(r);
        if (ok400 > 2)
            break;
    }
    assert_true(ok400 > 0); /* enough allocations: the real reply */
    assert_true(n > 3);     /* and several earlier points did fail */
}

static void test_cookie_that_cannot_be_stored_makes_a_500(void **state)
{
    (void)state;
    /* A value with ';' would add attributes: refused, and the login reply must not go out. */
    http_req *r = new_req();
    assert_false(http_set_cookie(r, "dti_session", "abc; Domain=evil", 60));
    http_reply_json(r, 200, json_pack("{s:b}", "ok", 1));
    assert_int_equal(last_status, 500);
    http_req_done(r);

    /* Too many headers: the 7th cannot be stored. */
    r = new_req();
    for (int i = 0; i < HTTP_MAX_EXTRA_HEADERS; i++)
        assert_true(http_add_header(r, "X-A", "b"));
    assert_false(http_set_cookie(r, "dti_session", "abc", 60));
    http_reply_json(r, 200, json_pack("{s:b}", "ok", 1));
    assert_int_equal(last_status, 500);
    http_req_done(r);

    /* Header injection. */
    r = new_req();
    assert_false(http_add_header(r, "X-A", "a\r\nSet-Cookie: x=y"));
    http_reply_no_content(r);
    assert_int_equal(last_status, 500);
    http_req_done(r);

    /* And the ordinary case still works. */
    r = new_req();
    assert_true(http_set_cookie(r, "dti_session", "abc", 60));
    http_reply_json(r, 200, json_pack("{s:b}", "ok", 1));
    assert_int_equal(last_status, 200);
    http_req_done(r);
}

static void test_access_log_line_is_bounded_and_valid(void **state)
{
    (void)state;
    static char method[65537];
    memset(method, 'A', sizeof method - 1);
    method[100] = '"';
    method[101] = '\x01';
    static char url[20000];
    memset(url, '/', sizeof url - 1);
    memcpy(url + 5000, "?secret=1", 9);
    http_req *r = http_req_new(&srv, NULL, method, url, "HTTP/1.1");
    r->status = 405;
    char line[4096];
    size_t n = http_access_log_line(r, line, sizeof line);
    assert_true(n > 0 && n < sizeof line);
    assert_int_equal(line[n - 1], '\n');
    json_error_t je;
    json_t *j = json_loadb(line, n, 0, &je);
    assert_non_null(j);
    assert_true(json_is_true(json_object_get(j, "method_truncated")));
    assert_true(json_is_true(json_object_get(j, "path_truncated")));
    assert_int_equal(json_string_length(json_object_get(j, "method")), 64);
    json_decref(j);
    assert_null(strstr(line, "secret"));

    /* A buffer too small for the long fields: a shorter line without them, still valid. */
    n = http_access_log_line(r, line, 300);
    assert_true(n > 0 && n <= 300);
    j = json_loadb(line, n, 0, &je);
    assert_non_null(j);
    assert_true(json_is_true(json_object_get(j, "fields_dropped")));
    json_decref(j);
    /* Far too small: nothing, never a partial line. */
    assert_int_equal(http_access_log_line(r, line, 20), 0);
    http_req_done(r);
}

static void test_cookie_reader(void **state)
{
    (void)state;
    http_req *r = new_req();
    const char *c1 = "a=1; dti_session=\"tok\" ; b=2";
    http_req_add_header(r, "Cookie", c1, strlen(c1));
    char out[8];
    assert_true(http_req_cookie(r, "dti_session", out, sizeof out));
    assert_string_equal(out, "tok");
    assert_true(http_req_cookie(r, "b", out, sizeof out));
    assert_string_equal(out, "2");
    assert_false(http_req_cookie(r, "c", out, sizeof out));
    assert_false(http_req_cookie(r, "dti", out, sizeof out));
    http_req_done(r);

    r = new_req();
    const char *c2 = "dti_session=0123456789";
    http_req_add_header(r, "Cookie", c2, strlen(c2));
    assert_false(http_req_cookie(r, "dti_session", out, sizeof out)); /* longer than out */
    http_req_done(r);

    /* twice: the same value is one cookie; two values are a conflict, neither is used */
    r = new_req();
    const char *c3 = "dti_session=abc; x=1", *c4 = "dti_session=\"abc\"";
    http_req_add_header(r, "Cookie", c3, strlen(c3));
    http_req_add_header(r, "Cookie", c4, strlen(c4));
    assert_int_equal(http_req_cookie(r, "dti_session", out, sizeof out), HTTP_COOKIE_FOUND);
    assert_string_equal(out, "abc");
    http_req_done(r);
    for (int order = 0; order < 2; order++) {
        r = new_req();
        const char *c5 = order ? "dti_session=evil; dti_session=abc" : "dti_session=abc; dti_session=evil";
        http_req_add_header(r, "Cookie", c5, strlen(c5));
        out[0] = '\0';
        assert_int_equal(http_req_cookie(r, "dti_session", out, sizeof out), HTTP_COOKIE_CONFLICT);
        assert_string_equal(out, "");
        http_req_done(r);
    }
}

/* Runs one bodiless request with these fields ("Name", "value", ... NULL) through the
 * pipeline; returns the status (and last_close). */
static unsigned run_fields(const char *version, const char *url, ...)
{
    http_req *r = new_req();
    r->raw_url = url;
    r->version = version;
    va_list ap;
    va_start(ap, url);
    for (const char *n; (n = va_arg(ap, const char *));) {
        const char *v = va_arg(ap, const char *);
        http_req_add_header(r, n, v, strlen(v));
    }
    va_end(ap);
    http_pipeline_start(r);
    if (!r->replied)
        http_pipeline_end(r);
    unsigned st = last_status;
    http_req_done(r);
    return st;
}

static void test_framing_refusals(void **state)
{
    (void)state;
    const char *v11 = "HTTP/1.1", *x = "/api/v1/x";
    assert_int_equal(run_fields(v11, x, "Host", "h", NULL), 200);
    assert_false(last_close);
    assert_int_equal(run_fields("HTTP/1.0", x, NULL), 200);
    /* each refusal: 400 and Connection: close */
    assert_int_equal(run_fields(v11, x, NULL), 400); /* HTTP/1.1 without Host */
    assert_true(last_close);
    assert_int_equal(run_fields(v11, x, "Host", "h", "host", "h", NULL), 400);
    assert_true(last_close);
    assert_int_equal(run_fields(v11, x, "Host", "h", "Content-Length", "0", "Content-Length", "0", NULL), 400);
    assert_true(last_close);
    assert_int_equal(run_fields(v11, x, "Host", "h", "Content-Length", "2", "Transfer-Encoding", "chunked", NULL), 400);
    assert_true(last_close);
    assert_int_equal(run_fields(v11, x, "Host", "h", "Transfer-Encoding", "gzip", NULL), 400);
    assert_int_equal(run_fields(v11, x, "Host", "h", "Transfer-Encoding", "chunked", "Transfer-Encoding", "chunked", NULL), 400);
    assert_int_equal(run_fields(v11, x, "Host", "h", "X-A ", "b", NULL), 400);
    assert_int_equal(run_fields(v11, x, "Host", "h", "X-A", "a\rb", NULL), 400);
    assert_int_equal(run_fields(v11, "/api/v1/x y", "Host", "h", NULL), 400);
    assert_true(last_close);
    /* a NUL inside a value (the fuzzer and any transport that gives lengths) */
    http_req *r = new_req();
    r->raw_url = x;
    http_req_add_header(r, "Host", "h", 1);
    http_req_add_header(r, "X-A", "a\0b", 3);
    http_pipeline_start(r);
    assert_int_equal(last_status, 400);
    assert_true(last_close);
    http_req_done(r);
    /* the transport saw a NUL or a fold in the raw block */
    r = new_req();
    r->raw_url = x;
    http_req_add_header(r, "Host", "h", 1);
    r->malformed_headers = true;
    http_pipeline_start(r);
    assert_int_equal(last_status, 400);
    http_req_done(r);
    /* more than 100 fields: 431 */
    r = new_req();
    r->raw_url = x;
    http_req_add_header(r, "Host", "h", 1);
    for (int i = 0; i < 150; i++)
        http_req_add_header(r, "X-A", "b", 1);
    assert_true(r->too_many_headers);
    http_pipeline_start(r);
    assert_int_equal(last_status, 431);
    http_req_done(r);
}

#if !defined(__SANITIZE_ADDRESS__)
/* Address space used now, from /proc/self/status (VmSize, kB). */
static long vm_size_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmSize: %ld kB", &kb) == 1)
            break;
    if (f)
        fclose(f);
    return kb;
}
#endif

static void test_body_buffer_without_memory_is_503(void **state)
{
    (void)state;
#if defined(__SANITIZE_ADDRESS__)
    skip(); /* ASan reserves terabytes of address space: an RLIMIT_AS cannot be used */
#else
    static char chunk[64 * 1024];
    memset(chunk, ' ', sizeof chunk);
    http_req *r = new_req();
    r->method = "POST";
    http_req_add_header(r, "Host", "h", 1);
    http_req_add_header(r, "Content-Type", "application/json", 16);
    http_req_add_header(r, "Content-Length", "983040", 6);
    http_pipeline_start(r);
    assert_false(r->replied);
    /* The body buffer must grow to ~1 MiB; leave it far less address space than that. */
    struct rlimit old, low;
    assert_int_equal(getrlimit(RLIMIT_AS, &old), 0);
    low = old;
    low.rlim_cur = (rlim_t)(vm_size_kb() + 256) * 1024;
    assert_int_equal(setrlimit(RLIMIT_AS, &low), 0);
    for (int i = 0; i < 15; i++)
        http_pipeline_body(r, chunk, sizeof chunk);
    assert_int_equal(setrlimit(RLIMIT_AS, &old), 0);
    assert_true(r->body_oom);
    http_pipeline_end(r);
    assert_int_equal(last_status, 503); /* not 413: the client did nothing wrong */
    assert_non_null(strstr(last_body, "out_of_memory"));
    http_req_done(r);
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_reply_without_memory_is_the_prebuilt_500),
        cmocka_unit_test(test_every_failing_allocation_of_an_error_reply),
        cmocka_unit_test(test_cookie_that_cannot_be_stored_makes_a_500),
        cmocka_unit_test(test_access_log_line_is_bounded_and_valid),
        cmocka_unit_test(test_cookie_reader),
        cmocka_unit_test(test_framing_refusals),
        cmocka_unit_test(test_body_buffer_without_memory_is_503),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
