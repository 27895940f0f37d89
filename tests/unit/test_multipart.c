/* test_multipart.c — the incremental multipart/form-data reader (src/core/multipart.c): what it
 * accepts, fed in every possible split, and each refusal. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/multipart.h"

struct sink {
    char buf[1 << 16];
    size_t len;
    bool refuse;
};

static bool collect(void *ctx, const char *data, size_t n)
{
    struct sink *s = ctx;
    if (s->refuse)
        return false;
    assert_true(s->len + n <= sizeof s->buf);
    memcpy(s->buf + s->len, data, n);
    s->len += n;
    return true;
}

/* Feeds body in pieces of `step` bytes (0: as one piece), then finishes. */
static enum mp_error run(struct multipart *m, struct sink *s, const char *boundary,
                         const char *body, size_t len, size_t step, uint64_t max)
{
    memset(s, 0, sizeof *s);
    multipart_init(m, boundary, max, collect, s);
    if (!step)
        step = len ? len : 1;
    for (size_t off = 0; off < len; off += step) {
        size_t n = len - off < step ? len - off : step;
        enum mp_error e = multipart_feed(m, body + off, n);
        if (e)
            return e;
    }
    return multipart_finish(m);
}

#define BODY(s) s, sizeof s - 1

static const char simple[] =
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"file\"; filename=\"b\xc3\xa1o c\xc3\xa1o.pdf\"\r\n"
    "Content-Type: application/pdf\r\n"
    "\r\n"
    "%PDF-1.4\r\n--X\r\r\n--Xy\r\n-\r\n--XyY not the end\n"
    "\r\n--XyZ\r\n"
    "Content-Disposition: form-data; name=\"replaces\"\r\n"
    "\r\n"
    "42\r\n"
    "--XyZ--\r\n"
    "epilogue is ignored";
static const char simple_data[] = "%PDF-1.4\r\n--X\r\r\n--Xy\r\n-\r\n--XyY not the end\n";

static void accepts_a_file_and_replaces(void **state)
{
    (void)state;
    struct multipart *m = malloc(sizeof *m);
    struct sink *s = malloc(sizeof *s);
    assert_int_equal(run(m, s, "XyZ", BODY(simple), 0, 1000), MP_OK);
    assert_true(m->has_file);
    assert_string_equal(m->filename, "b\xc3\xa1o c\xc3\xa1o.pdf");
    assert_true(m->has_replaces);
    assert_string_equal(m->replaces, "42");
    assert_int_equal(s->len, sizeof simple_data - 1);
    assert_memory_equal(s->buf, simple_data, s->len);
    assert_int_equal(m->file_size, sizeof simple_data - 1);
    free(m);
    free(s);
}

/* Every chunk size, and every split of the body into two pieces, gives the same result. */
static void any_split_gives_the_same_result(void **state)
{
    (void)state;
    struct multipart *m = malloc(sizeof *m);
    struct sink *s = malloc(sizeof *s);
    size_t len = sizeof simple - 1;
    for (size_t step = 1; step <= len; step++) {
        assert_int_equal(run(m, s, "XyZ", simple, len, step, 1000), MP_OK);
        assert_int_equal(s->len, sizeof simple_data - 1);
        assert_memory_equal(s->buf, simple_data, s->len);
        assert_string_equal(m->replaces, "42");
    }
    for (size_t cut = 0; cut <= len; cut++) {
        memset(s, 0, sizeof *s);
        multipart_init(m, "XyZ", 1000, collect, s);
        assert_int_equal(multipart_feed(m, simple, cut), MP_OK);
        assert_int_equal(multipart_feed(m, simple + cut, len - cut), MP_OK);
        assert_int_equal(multipart_finish(m), MP_OK);
        assert_int_equal(s->len, sizeof simple_data - 1);
        assert_memory_equal(s->buf, simple_data, s->len);
    }
    free(m);
    free(s);
}

/* Every proper prefix of a valid body is refused: a body cut anywhere is never a file. */
static void every_truncation_is_refused(void **state)
{
    (void)state;
    struct multipart *m = malloc(sizeof *m);
    struct sink *s = malloc(sizeof *s);
    const char *end = strstr(simple, "--XyZ--") + 7;
    for (size_t cut = 0; simple + cut < end; cut++) {
        enum mp_error e = run(m, s, "XyZ", simple, cut, 0, 1000);
        assert_int_not_equal(e, MP_OK);
        assert_int_equal(e, MP_ERR_TRUNCATED);
    }
    free(m);
    free(s);
}

static void boundary_from_content_type(void **state)
{
    (void)state;
    char b[MP_BOUNDARY_MAX + 1];
    assert_true(multipart_boundary("multipart/form-data; boundary=abc", b, sizeof b));
    assert_string_equal(b, "abc");
    assert_true(multipart_boundary("Multipart/Form-Data;boundary=\"a b:c\"", b, sizeof b));
    assert_string_equal(b, "a b:c");
    assert_true(multipart_boundary("multipart/form-data; charset=utf-8; boundary=----WebKitFormBoundaryx",
                                   b, sizeof b));
    assert_string_equal(b, "----WebKitFormBoundaryx");
    assert_false(multipart_boundary(NULL, b, sizeof b));
    assert_false(multipart_boundary("application/json", b, sizeof b));
    assert_false(multipart_boundary("multipart/mixed; boundary=abc", b, sizeof b));
    assert_false(multipart_boundary("multipart/form-data", b, sizeof b));
    assert_false(multipart_boundary("multipart/form-data; boundary=", b, sizeof b));
    assert_false(multipart_boundary("multipart/form-data; boundary=\"a\r\nb\"", b, sizeof b));
    assert_false(multipart_boundary("multipart/form-data; boundary=\"ends with space \"", b, sizeof b));
    assert_false(multipart_boundary("multipart/form-data; boundary=a; boundary=b", b, sizeof b));
    char longb[120];
    memset(longb, 'a', sizeof longb);
    snprintf(longb, sizeof longb, "multipart/form-data; boundary=%071d", 0);
    assert_false(multipart_boundary(longb, b, sizeof b));
}

static enum mp_error one(const char *body, uint64_t max)
{
    static struct multipart m;
    static struct sink s;
    return run(&m, &s, "B", body, strlen(body), 0, max);
}

#define PART(disp, data) "--B\r\nContent-Disposition: form-data; " disp "\r\n\r\n" data "\r\n"
#define END "--B--\r\n"

static void file_names(void **state)
{
    (void)state;
    static struct multipart m;
    static struct sink s;
    const char *b = PART("name=\"file\"; filename=\"plain.pdf\"; "
                         "filename*=UTF-8''B%C3%A1o%20c%C3%A1o%22.pdf", "x") END;
    assert_int_equal(run(&m, &s, "B", b, strlen(b), 0, 10), MP_OK);
    assert_string_equal(m.filename, "B\xc3\xa1o c\xc3\xa1o\".pdf"); /* filename* wins */
    b = PART("name=\"file\"; filename=\"a \\\"q\\\".pdf\"", "x") END;
    assert_int_equal(run(&m, &s, "B", b, strlen(b), 0, 10), MP_OK);
    assert_string_equal(m.filename, "a \"q\".pdf");
    b = PART("NAME=file; FILENAME*=utf-8'vi'x.pdf; size=1", "x") END;
    assert_int_equal(run(&m, &s, "B", b, strlen(b), 0, 10), MP_OK);
    assert_string_equal(m.filename, "x.pdf");

    assert_int_equal(one(PART("name=\"file\"; filename=\"../../etc/passwd\"", "x") END, 10),
                     MP_ERR_FILENAME_PATH);
    assert_int_equal(one(PART("name=\"file\"; filename*=UTF-8''..%2Fx", "x") END, 10),
                     MP_ERR_FILENAME_PATH);
    assert_int_equal(one(PART("name=\"file\"; filename=\"C:\\\\a\\\\b.pdf\"", "x") END, 10),
                     MP_ERR_FILENAME_PATH);
    assert_int_equal(one(PART("name=\"file\"; filename=\"..\"", "x") END, 10),
                     MP_ERR_FILENAME_PATH);
    assert_int_equal(one(PART("name=\"file\"; filename=\".\"", "x") END, 10), MP_ERR_FILENAME_PATH);
    assert_int_equal(one(PART("name=\"file\"; filename=\"\"", "x") END, 10), MP_ERR_FILENAME);
    assert_int_equal(one(PART("name=\"file\"", "x") END, 10), MP_ERR_FILENAME);
    assert_int_equal(one(PART("name=\"file\"; filename*=UTF-8''a%00b", "x") END, 10),
                     MP_ERR_FILENAME);
    assert_int_equal(one(PART("name=\"file\"; filename*=UTF-8''a%C3%28", "x") END, 10),
                     MP_ERR_FILENAME);
    assert_int_equal(one(PART("name=\"file\"; filename*=UTF-8''a%G1", "x") END, 10),
                     MP_ERR_FILENAME);
    assert_int_equal(one(PART("name=\"file\"; filename*=ISO-8859-1''a", "x") END, 10),
                     MP_ERR_FILENAME);
    assert_int_equal(one(PART("name=\"file\"; filename=\"\xc3\x28.pdf\"", "x") END, 10),
                     MP_ERR_FILENAME);
    /* a name longer than MP_FILENAME_MAX bytes (the header line itself within its bound) */
    char big[3000];
    int n = snprintf(big, sizeof big, "--B\r\nContent-Disposition: form-data; name=file; "
                                      "filename=\"");
    memset(big + n, 'a', MP_FILENAME_MAX + 1);
    n += MP_FILENAME_MAX + 1;
    snprintf(big + n, sizeof big - (size_t)n, "\"\r\n\r\nx\r\n--B--\r\n");
    assert_int_equal(one(big, 10), MP_ERR_FILENAME);
}

static void refusals(void **state)
{
    (void)state;
    const char *f = PART("name=\"file\"; filename=\"a.pdf\"", "data");
    char b[4096];
    snprintf(b, sizeof b, "%s%s%s", f, f, END);
    assert_int_equal(one(b, 100), MP_ERR_DUPLICATE);
    snprintf(b, sizeof b, "%s%s%s%s", PART("name=replaces", "1"), PART("name=replaces", "2"), f, END);
    assert_int_equal(one(b, 100), MP_ERR_DUPLICATE);
    snprintf(b, sizeof b, "%s%s%s", f, PART("name=\"note\"", "x"), END);
    assert_int_equal(one(b, 100), MP_ERR_UNKNOWN_PART);
    snprintf(b, sizeof b, "%s%s%s", f, PART("name=\"replaces\"; filename=\"x\"", "x"), END);
    assert_int_equal(one(b, 100), MP_ERR_UNKNOWN_PART);
    assert_int_equal(one(PART("name=replaces", "1") END, 100), MP_ERR_NO_FILE);
    assert_int_equal(one(END, 100), MP_ERR_NO_FILE);
    assert_int_equal(one("", 100), MP_ERR_TRUNCATED);
    /* too large: the limit is the file's bytes */
    assert_int_equal(one(PART("name=file; filename=a", "1234") END, 4), MP_OK);
    assert_int_equal(one(PART("name=file; filename=a", "12345") END, 4), MP_ERR_TOO_LARGE);
    assert_int_equal(one(PART("name=file; filename=a", "12\r\r\n-3") END, 4), MP_ERR_TOO_LARGE);
    /* replaces too long */
    assert_int_equal(one(PART("name=replaces", "123456789012345678901234567890123") END, 4),
                     MP_ERR_FIELD);
    /* framing */
    assert_int_equal(one("preamble\r\n" PART("name=file; filename=a", "1") END, 4), MP_ERR_SYNTAX);
    assert_int_equal(one("--B\nContent-Disposition: form-data; name=file; filename=a\r\n\r\n1\r\n" END, 4),
                     MP_ERR_SYNTAX);
    assert_int_equal(one("--B\r\nContent-Disposition: form-data; name=file; filename=a\n\r\n1\r\n" END, 4),
                     MP_ERR_SYNTAX);
    assert_int_equal(one("--Bx\r\n", 4), MP_ERR_SYNTAX);
    assert_int_equal(one("--B-x", 4), MP_ERR_SYNTAX);
    assert_int_equal(one("--B  \t \r\nContent-Disposition: form-data; name=file; filename=a\r\n\r\n1\r\n" END, 4),
                     MP_OK); /* transport padding */
    /* headers */
    assert_int_equal(one("--B\r\nX-Other: 1\r\nContent-Disposition: form-data; name=file; filename=a\r\n\r\n1\r\n" END, 4),
                     MP_ERR_HEADER);
    assert_int_equal(one("--B\r\nContent-Disposition: form-data; name=file; filename=a\r\n folded\r\n\r\n1\r\n" END, 4),
                     MP_ERR_HEADER);
    assert_int_equal(one("--B\r\nContent-Disposition form-data\r\n\r\n1\r\n" END, 4), MP_ERR_HEADER);
    assert_int_equal(one("--B\r\nContent-Disposition: attachment; name=file; filename=a\r\n\r\n1\r\n" END, 4),
                     MP_ERR_DISPOSITION);
    assert_int_equal(one("--B\r\nContent-Disposition: form-data; filename=a\r\n\r\n1\r\n" END, 4),
                     MP_ERR_DISPOSITION);
    assert_int_equal(one("--B\r\nContent-Disposition: form-data; name=file; name=x; filename=a\r\n\r\n1\r\n" END, 4),
                     MP_ERR_DISPOSITION);
    assert_int_equal(one("--B\r\nContent-Type: text/plain\r\n\r\n1\r\n" END, 4), MP_ERR_DISPOSITION);
    assert_int_equal(one("--B\r\nContent-Disposition: form-data; name=file; filename=a\r\n"
                         "Content-Disposition: form-data; name=file; filename=a\r\n\r\n1\r\n" END, 4),
                     MP_ERR_HEADER);
    /* a header line and a header block over their bounds */
    static char b2[MP_HEADERS_MAX + 4096];
    int n = snprintf(b2, sizeof b2, "--B\r\nContent-Disposition: form-data; name=file; filename=\"");
    memset(b2 + n, 'a', MP_LINE_MAX);
    snprintf(b2 + n + MP_LINE_MAX, sizeof b2 - (size_t)n - MP_LINE_MAX, "\"\r\n\r\n1\r\n" END);
    assert_int_equal(one(b2, 4), MP_ERR_HEADER);
    n = snprintf(b2, sizeof b2, "--B\r\n");
    for (int i = 0; i < 400; i++)
        n += snprintf(b2 + n, sizeof b2 - (size_t)n, "Content-Type: text/plain\r\n");
    snprintf(b2 + n, sizeof b2 - (size_t)n, "\r\n1\r\n" END);
    assert_int_equal(one(b2, 4), MP_ERR_HEADER);
}

static void sticky_errors_and_callback_refusal(void **state)
{
    (void)state;
    static struct multipart m;
    static struct sink s;
    memset(&s, 0, sizeof s);
    s.refuse = true;
    multipart_init(&m, "B", 100, collect, &s);
    const char *b = PART("name=file; filename=a", "data") END;
    assert_int_equal(multipart_feed(&m, b, strlen(b)), MP_ERR_CALLBACK);
    assert_int_equal(multipart_feed(&m, "x", 1), MP_ERR_CALLBACK);
    assert_int_equal(multipart_finish(&m), MP_ERR_CALLBACK);
    multipart_init(&m, "", 100, collect, &s);
    assert_int_equal(multipart_finish(&m), MP_ERR_CONTENT_TYPE);
    /* messages: Vietnamese, with a status and a code for each */
    for (int e = 1; e < MP_ERR_COUNT; e++) {
        assert_true(strlen(multipart_error_vi((enum mp_error)e)) > 10);
        assert_true(multipart_error_status((enum mp_error)e) >= 400);
        assert_non_null(multipart_error_code((enum mp_error)e));
    }
    assert_int_equal(multipart_error_status(MP_ERR_TOO_LARGE), 413);
    assert_int_equal(multipart_error_status(MP_ERR_FILENAME_PATH), 422);
}

/* A large file in big chunks goes through the fast path intact. */
static void large_file_fast_path(void **state)
{
    (void)state;
    static struct multipart m;
    static struct sink s;
    static char body[70000];
    static char data[60000];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (char)(i % 7 == 0 ? '\r' : i % 11 == 0 ? '\n' : i % 13 == 0 ? '-' : 'a' + i % 26);
    int n = snprintf(body, sizeof body, "--B\r\nContent-Disposition: form-data; name=file; filename=a\r\n\r\n");
    memcpy(body + n, data, sizeof data);
    n += (int)sizeof data;
    n += snprintf(body + n, sizeof body - (size_t)n, "\r\n--B--");
    size_t steps[] = {1, 3, 4096, 16384, 65536};
    for (size_t k = 0; k < sizeof steps / sizeof *steps; k++) {
        memset(&s, 0, sizeof s);
        multipart_init(&m, "B", sizeof data, collect, &s);
        for (size_t off = 0; off < (size_t)n; off += steps[k]) {
            size_t c = (size_t)n - off < steps[k] ? (size_t)n - off : steps[k];
            assert_int_equal(multipart_feed(&m, body + off, c), MP_OK);
        }
        assert_int_equal(multipart_finish(&m), MP_OK);
        assert_int_equal(s.len, sizeof data);
        assert_memory_equal(s.buf, data, sizeof data);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accepts_a_file_and_replaces),
        cmocka_unit_test(any_split_gives_the_same_result),
        cmocka_unit_test(every_truncation_is_refused),
        cmocka_unit_test(boundary_from_content_type),
        cmocka_unit_test(file_names),
        cmocka_unit_test(refusals),
        cmocka_unit_test(sticky_errors_and_callback_refusal),
        cmocka_unit_test(large_file_fast_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
