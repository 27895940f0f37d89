/* test_stream_body.c — ROUTE_STREAM_BODY through the request pipeline with a fake transport:
 * the handler runs before the body and gives a consumer; chunks reach it unbuffered; the upload
 * limit answers 413 before a byte is read (Content-Length) or aborts the consumer (chunked);
 * end or abort is called exactly once, also when the client goes away. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/server_internal.h"

static struct http_server srv;
static unsigned last_status;
static char last_body[4096];
static int handler_calls, ends, aborts;
static size_t received;
static bool refuse_after_first, reply_in_handler;

struct ctx {
    int chunks;
};

static bool c_chunk(void *p, const char *data, size_t n)
{
    struct ctx *c = p;
    (void)data;
    received += n;
    c->chunks++;
    return !(refuse_after_first && c->chunks >= 1);
}

static int c_end(http_req *r, void *p)
{
    ends++;
    free(p);
    char n[32];
    snprintf(n, sizeof n, "%zu", received);
    return http_reply_json(r, 201, json_pack("{s:s}", "received", n));
}

static void c_abort(void *p)
{
    aborts++;
    free(p);
}

static const struct http_body_consumer consumer = {c_chunk, c_end, c_abort};

static int h_stream(http_req *r)
{
    handler_calls++;
    assert_null(r->body); /* the body has not been read */
    if (reply_in_handler)
        return http_reply_error(r, 409, "wrong_phase", "Không phải lúc này.", NULL);
    http_stream_body(r, &consumer, calloc(1, sizeof(struct ctx)));
    return 0;
}

static const struct route routes[] = {
    {"POST", "/api/v1/up", h_stream, ROLE_PUBLIC, ROUTE_STREAM_BODY, "", 0, NULL},
    {NULL, NULL, NULL, 0, 0, NULL, 0, NULL},
};

static bool capture(http_req *r, unsigned status, struct MHD_Response *resp)
{
    (void)resp;
    last_status = status;
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
    srv.o.max_upload = 1000;
    assert_true(http_server_prebuild(&srv));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    MHD_destroy_response(srv.oom);
    return 0;
}

static http_req *new_req(const char *cl, bool chunked)
{
    last_status = 0;
    last_body[0] = '\0';
    handler_calls = ends = aborts = 0;
    received = 0;
    refuse_after_first = reply_in_handler = false;
    http_req *r = http_req_new(&srv, NULL, "POST", "/api/v1/up", "HTTP/1.1");
    http_req_add_header(r, "Host", "h", 1);
    http_req_add_header(r, "Content-Type", "multipart/form-data; boundary=x", 31);
    if (cl)
        http_req_add_header(r, "Content-Length", cl, strlen(cl));
    if (chunked)
        http_req_add_header(r, "Transfer-Encoding", "chunked", 7);
    return r;
}

static char chunk[400];

static void chunks_reach_the_consumer_unbuffered(void **state)
{
    (void)state;
    http_req *r = new_req("1200", false); /* within 1000 + the framing slack */
    http_pipeline_start(r);
    assert_int_equal(handler_calls, 1);
    assert_false(r->replied);
    for (int i = 0; i < 3; i++) {
        assert_true(http_pipeline_body(r, chunk, sizeof chunk));
        assert_null(r->body);
        assert_int_equal(r->body_len, 0);
    }
    assert_int_equal(received, 1200);
    http_pipeline_end(r);
    assert_int_equal(last_status, 201);
    assert_non_null(strstr(last_body, "1200"));
    http_req_done(r);
    assert_int_equal(ends, 1);
    assert_int_equal(aborts, 0);
}

static void announced_over_the_limit_is_refused_before_reading(void **state)
{
    (void)state;
    char cl[32];
    snprintf(cl, sizeof cl, "%u", 1000 + HTTP_STREAM_SLACK + 1);
    http_req *r = new_req(cl, false);
    http_pipeline_start(r);
    assert_int_equal(last_status, 413);
    assert_int_equal(handler_calls, 0);
    assert_non_null(strstr(last_body, "payload_too_large"));
    assert_non_null(strstr(last_body, "MB"));
    http_req_done(r);
    assert_int_equal(ends + aborts, 0);
}

static void chunked_over_the_limit_aborts_then_413(void **state)
{
    (void)state;
    static char big[HTTP_STREAM_SLACK];
    http_req *r = new_req(NULL, true);
    http_pipeline_start(r);
    assert_int_equal(handler_calls, 1);
    assert_true(http_pipeline_body(r, big, sizeof big));           /* 65536 */
    assert_true(http_pipeline_body(r, chunk, sizeof chunk));       /* 65936 */
    assert_true(http_pipeline_body(r, chunk, sizeof chunk));       /* 66336 <= 1000 + slack */
    assert_int_equal(aborts, 0);
    assert_true(http_pipeline_body(r, chunk, sizeof chunk)); /* 66736: past the limit */
    assert_int_equal(aborts, 1);
    assert_true(http_pipeline_body(r, chunk, sizeof chunk)); /* dropped */
    assert_int_equal(received, sizeof big + 2 * sizeof chunk); /* nothing past the limit */
    http_pipeline_end(r);
    assert_int_equal(last_status, 413);
    http_req_done(r);
    assert_int_equal(ends, 0);
    assert_int_equal(aborts, 1);
    /* a client that keeps sending far past the limit is disconnected */
    r = new_req(NULL, true);
    http_pipeline_start(r);
    bool keep = true;
    for (int i = 0; keep && i < 400; i++)
        keep = http_pipeline_body(r, big, sizeof big);
    assert_false(keep);
    http_req_done(r);
}

static void a_refusing_consumer_still_replies_at_the_end(void **state)
{
    (void)state;
    http_req *r = new_req("800", false);
    http_pipeline_start(r);
    refuse_after_first = true;
    assert_true(http_pipeline_body(r, chunk, sizeof chunk));
    assert_true(http_pipeline_body(r, chunk, sizeof chunk));
    assert_int_equal(received, sizeof chunk); /* the rest was dropped */
    http_pipeline_end(r);
    assert_int_equal(ends, 1);
    assert_int_equal(last_status, 201);
    http_req_done(r);
    assert_int_equal(aborts, 0);
}

static void client_gone_aborts_once(void **state)
{
    (void)state;
    http_req *r = new_req("1200", false);
    http_pipeline_start(r);
    assert_true(http_pipeline_body(r, chunk, sizeof chunk));
    http_req_done(r); /* no end: the connection closed mid-body */
    assert_int_equal(aborts, 1);
    assert_int_equal(ends, 0);
}

static void handler_refusal_reads_no_body(void **state)
{
    (void)state;
    http_req *r = new_req("1200", false);
    reply_in_handler = true;
    http_pipeline_start(r);
    assert_int_equal(last_status, 409);
    assert_true(http_pipeline_body(r, chunk, sizeof chunk));
    assert_int_equal(received, 0);
    http_pipeline_end(r);
    assert_int_equal(last_status, 409);
    http_req_done(r);
    assert_int_equal(ends + aborts, 0);
}

static void no_body_ends_at_once(void **state)
{
    (void)state;
    http_req *r = new_req(NULL, false);
    http_pipeline_start(r);
    http_pipeline_end(r);
    assert_int_equal(handler_calls, 1);
    assert_int_equal(ends, 1);
    assert_int_equal(last_status, 201);
    http_req_done(r);
    assert_int_equal(aborts, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(chunks_reach_the_consumer_unbuffered),
        cmocka_unit_test(announced_over_the_limit_is_refused_before_reading),
        cmocka_unit_test(chunked_over_the_limit_aborts_then_413),
        cmocka_unit_test(a_refusing_consumer_still_replies_at_the_end),
        cmocka_unit_test(client_gone_aborts_once),
        cmocka_unit_test(handler_refusal_reads_no_body),
        cmocka_unit_test(no_body_ends_at_once),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
