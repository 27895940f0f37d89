/* test_json_read.c — body limits and field readers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "http/json_read.h"

static struct json_err err;

static json_t *parse(const char *s)
{
    memset(&err, 0, sizeof err);
    return json_read_body(s, strlen(s), &err);
}

static void test_accepts_object(void **state)
{
    (void)state;
    json_t *j = parse("{\"name\":\"S\xe1\xbb\x9f T\xc3\xa0i ch\xc3\xadnh\",\"n\":[1,{\"a\":true}]}");
    assert_non_null(j);
    json_decref(j);
}

/* A UTF-8 BOM before the object is skipped; one alone is an empty body; one inside is not a BOM. */
static void test_bom(void **state)
{
    (void)state;
    json_t *j = parse("\xef\xbb\xbf{\"a\":1}");
    assert_non_null(j);
    assert_int_equal(json_integer_value(json_object_get(j, "a")), 1);
    json_decref(j);
    assert_null(parse("\xef\xbb\xbf"));
    assert_string_equal(err.code, "invalid_json");
    assert_non_null(strstr(err.message, "trống"));
    assert_null(parse("\xef\xbb\xbf\xef\xbb\xbf{}"));
    assert_string_equal(err.code, "invalid_json");
}

static void test_refuses_bad_bodies(void **state)
{
    (void)state;
    struct {
        const char *body;
        size_t len;
        const char *code;
    } cases[] = {
        {"", 0, "invalid_json"},
        {"{", 1, "invalid_json"},
        {"[1,2]", 5, "body_not_object"},
        {"\"x\"", 3, "body_not_object"},
        {"{\"a\":1,\"a\":2}", 13, "invalid_json"},              /* duplicate key */
        {"{\"a\":\"x\\u0000y\"}", 16, "invalid_json"},          /* escaped NUL */
        {"{\"a\":\"x\0y\"}", 11, "invalid_json"},               /* raw NUL */
        {"{\"a\":\"\xc3\x28\"}", 10, "invalid_json"},           /* invalid UTF-8 */
        {"{\"a\":\"\xed\xa0\x80\"}", 11, "invalid_json"},       /* surrogate */
        {"{\"a\":\"\\ud800\"}", 14, "invalid_json"},            /* lone escaped surrogate */
        {"{\"a\":1} x", 9, "invalid_json"},                     /* trailing garbage */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        memset(&err, 0, sizeof err);
        json_t *j = json_read_body(cases[i].body, cases[i].len, &err);
        if (j)
            fail_msg("accepted case %zu", i);
        assert_int_equal(err.status, 400);
        assert_string_equal(err.code, cases[i].code);
        assert_true(strlen(err.message) > 10);
    }
}

static char *nest(int depth)
{
    char *s = malloc((size_t)depth * 7 + 16);
    size_t o = 0;
    for (int i = 0; i < depth; i++) {
        if (i == 0) {
            s[o++] = '{';
        } else {
            memcpy(s + o, "\"a\":{", 5);
            o += 5;
        }
    }
    for (int i = 0; i < depth; i++)
        s[o++] = '}';
    s[o] = '\0';
    return s;
}

static void test_depth_limit(void **state)
{
    (void)state;
    char *ok = nest(JSON_MAX_DEPTH), *bad = nest(JSON_MAX_DEPTH + 1);
    json_t *j = parse(ok);
    assert_non_null(j);
    json_decref(j);
    assert_null(parse(bad));
    assert_string_equal(err.code, "json_too_deep");
    assert_null(parse("{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}"));
    assert_string_equal(err.code, "json_too_deep");
    /* brackets inside strings do not count */
    j = parse("{\"a\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\\"[[[[[[[[[[[[[\"}");
    assert_non_null(j);
    json_decref(j);
    free(ok);
    free(bad);
}

static void test_string_limit_counts_characters(void **state)
{
    (void)state;
    /* 10,000 'ệ' (3 bytes each) is accepted; 10,001 ASCII is not. */
    size_t n = JSON_MAX_STRING;
    char *s = malloc(n * 3 + 64);
    strcpy(s, "{\"title\":\"");
    size_t o = strlen(s);
    for (size_t i = 0; i < n; i++) {
        memcpy(s + o, "\xe1\xbb\x87", 3);
        o += 3;
    }
    strcpy(s + o, "\"}");
    json_t *j = parse(s);
    assert_non_null(j);
    json_decref(j);

    strcpy(s, "{\"list\":[\"x\",{\"deep\":\"");
    o = strlen(s);
    memset(s + o, 'a', n + 1);
    strcpy(s + o + n + 1, "\"}]}");
    assert_null(parse(s));
    assert_string_equal(err.code, "string_too_long");
    assert_string_equal(err.field, "list[1].deep");
    /* field names are quoted “like this” in every message, as everywhere in the API */
    assert_non_null(strstr(err.message, "“list[1].deep”"));
    assert_null(strchr(err.message, '"'));
    free(s);
}

static void test_string_field(void **state)
{
    (void)state;
    json_t *o = parse("{\"name\":\"\xc4\x90\xe1\xbb\x93ng\",\"n\":5,\"e\":\"\",\"z\":null}");
    assert_non_null(o);
    const char *s = "unchanged";
    assert_true(json_req_string(o, "name", 1, 4, true, &s, &err));
    assert_string_equal(s, "\xc4\x90\xe1\xbb\x93ng"); /* "Đồng" = 4 characters */
    assert_false(json_req_string(o, "name", 1, 3, true, &s, &err));
    assert_string_equal(err.code, "invalid_length");
    assert_string_equal(err.field, "name");
    assert_non_null(strstr(err.message, "“name”"));
    assert_null(strchr(err.message, '"'));
    assert_false(json_req_string(o, "e", 1, 10, true, &s, &err));
    assert_string_equal(err.code, "invalid_length");
    assert_false(json_req_string(o, "missing", 1, 10, true, &s, &err));
    assert_string_equal(err.code, "missing_field");
    assert_string_equal(err.field, "missing");
    assert_false(json_req_string(o, "z", 1, 10, true, &s, &err));
    assert_string_equal(err.code, "missing_field");
    s = "x";
    assert_true(json_req_string(o, "missing", 1, 10, false, &s, &err));
    assert_null(s);
    assert_false(json_req_string(o, "n", 0, 10, false, &s, &err));
    assert_string_equal(err.code, "invalid_type");
    assert_string_equal(err.field, "n");
    json_decref(o);
}

static void test_int_and_bool_fields(void **state)
{
    (void)state;
    json_t *o = parse("{\"n\":5,\"f\":1.5,\"s\":\"5\",\"b\":true,\"big\":9007199254740993}");
    assert_non_null(o);
    int64_t n = -1;
    assert_true(json_req_int(o, "n", 0, 10, true, &n, &err));
    assert_int_equal(n, 5);
    n = -1;
    assert_false(json_req_int(o, "n", 6, 10, true, &n, &err));
    assert_string_equal(err.code, "out_of_range");
    assert_int_equal(n, -1);
    assert_false(json_req_int(o, "f", 0, 10, true, &n, &err));
    assert_string_equal(err.code, "invalid_type");
    assert_false(json_req_int(o, "s", 0, 10, true, &n, &err));
    assert_string_equal(err.field, "s");
    assert_true(json_req_int(o, "absent", 0, 10, false, &n, &err));
    assert_int_equal(n, -1); /* untouched */
    assert_true(json_req_int(o, "big", 0, INT64_MAX, true, &n, &err));
    assert_int_equal(n, 9007199254740993LL);

    bool b = false;
    assert_true(json_req_bool(o, "b", true, &b, &err));
    assert_true(b);
    assert_false(json_req_bool(o, "n", true, &b, &err));
    assert_string_equal(err.code, "invalid_type");
    assert_false(json_req_bool(o, "nope", true, &b, &err));
    assert_string_equal(err.code, "missing_field");
    json_decref(o);
}

/* A duplicate key is named: field = the key (decoded), and the message says it twice over. */
static void test_duplicate_key_named(void **state)
{
    (void)state;
    static const struct {
        const char *body, *key;
    } cases[] = {
        {"{\"a\":1,\"a\":2}", "a"},
        {"{\"code\":\"X\",\"name\":\"A\",\"code\":\"Y\"}", "code"},
        {"{\"x\":{\"t\\u00ean\":1,\"t\\u00ean\":2}}", "t\xc3\xaan"}, /* escaped "tên" */
        {"{\"k\":[{\"it's\":1,\"it's\":3}]}", "it's"},
        {"{\"q\\\"x\":1,\"q\\\"x\":1}", "q\"x"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        memset(&err, 0, sizeof err);
        assert_null(parse(cases[i].body));
        assert_int_equal(err.status, 400);
        assert_string_equal(err.code, "invalid_json");
        assert_string_equal(err.field, cases[i].key);
        assert_non_null(strstr(err.message, "xuất hiện hai lần"));
        assert_non_null(strstr(err.message, cases[i].key));
    }
    /* other syntax errors still name no field */
    memset(&err, 0, sizeof err);
    assert_null(parse("{\"a\":1,}"));
    assert_string_equal(err.code, "invalid_json");
    assert_string_equal(err.field, "");
}

/* A syntax error says what is wrong and where, in Vietnamese (json_error_vi), never in
 * jansson's English; a blank body is called empty. */
static void test_syntax_error_detail(void **state)
{
    (void)state;
    static const struct {
        const char *body, *message;
    } cases[] = {
        {"{\"a\":1,}", "JSON không hợp lệ (dòng 1, cột 8): cần tên trường trong dấu ngoặc kép hoặc "
                      "dấu } (có dấu phẩy thừa?), gần '}'."},
        {"{\"a\":1,\n \"b\": tru}", "JSON không hợp lệ (dòng 2, cột 9): giá trị không hợp lệ (chuỗi "
                                   "phải trong dấu ngoặc kép; true, false, null viết thường), gần 'tru'."},
        {"{\"a\" 1}", "JSON không hợp lệ (dòng 1, cột 6): thiếu dấu : sau tên trường, gần '1'."},
        {"{\"a\":1} x", "JSON không hợp lệ (dòng 1, cột 9): còn nội dung thừa sau khi dữ liệu JSON "
                       "đã kết thúc, gần 'x'."},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        assert_null(parse(cases[i].body));
        assert_int_equal(err.status, 400);
        assert_string_equal(err.code, "invalid_json");
        assert_string_equal(err.field, "");
        assert_string_equal(err.message, cases[i].message);
    }
    const char *english[] = {"{\"a\":[1,2}", "{\"a\":\"x", "{\"a\":\"\x01\"}", "{\"a\":1", "{\"a\":\"\\q\"}"};
    for (size_t i = 0; i < sizeof english / sizeof *english; i++) {
        assert_null(parse(english[i]));
        assert_string_equal(err.code, "invalid_json");
        assert_non_null(strstr(err.message, "JSON không hợp lệ (dòng 1, cột "));
        assert_null(strstr(err.message, "expected"));
        assert_null(strstr(err.message, "near"));
        assert_null(strstr(err.message, "invalid"));
    }
    assert_null(parse(" \r\n\t "));
    assert_string_equal(err.code, "invalid_json");
    assert_non_null(strstr(err.message, "trống"));
}

static void test_reject_unknown(void **state)
{
    (void)state;
    json_t *o = parse("{\"username\":\"a\",\"password\":\"b\",\"role\":\"admin\"}");
    const char *const login[] = {"username", "password", NULL};
    const char *const all[] = {"username", "password", "role", NULL};
    assert_false(json_reject_unknown(o, login, &err));
    assert_string_equal(err.code, "unknown_field");
    assert_string_equal(err.field, "role");
    assert_int_equal(err.status, 400);
    assert_true(json_reject_unknown(o, all, &err));
    json_decref(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepts_object),
        cmocka_unit_test(test_refuses_bad_bodies),
        cmocka_unit_test(test_bom),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_string_limit_counts_characters),
        cmocka_unit_test(test_string_field),
        cmocka_unit_test(test_int_and_bool_fields),
        cmocka_unit_test(test_duplicate_key_named),
        cmocka_unit_test(test_syntax_error_detail),
        cmocka_unit_test(test_reject_unknown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
