/* test_json_error_vi.c — every kind of JSON syntax error a person can make in an index set or
 * inputs file is told in Vietnamese with its line and column (and the duplicate key's name),
 * never with jansson's English text; fw_load reports the same message. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/framework.h"
#include "core/json_error_vi.h"

/* Words of jansson's messages: none may reach a user. */
static const char *const english[] = {"near", "expected", "invalid", "duplicate", "unable",
                                      "premature", "control", "maximum", "token", "decode",
                                      "overflow", "byte in", "newline", "object", "allowed", NULL};

static void assert_vietnamese(const char *msg)
{
    for (size_t i = 0; english[i]; i++)
        if (strstr(msg, english[i]))
            fail_msg("English '%s' in: %s", english[i], msg);
    if (!strstr(msg, "JSON không hợp lệ"))
        fail_msg("no Vietnamese prefix: %s", msg);
}

static void check(const char *text, size_t len, const char *where, const char *fragment)
{
    char msg[300];
    json_t *doc = json_load_vi(text, len, 0, msg, sizeof msg);
    if (doc)
        fail_msg("parsed: %s", text);
    assert_vietnamese(msg);
    if (where && !strstr(msg, where))
        fail_msg("want '%s' in: %s", where, msg);
    if (!strstr(msg, fragment))
        fail_msg("want '%s' in: %s", fragment, msg);
}
#define CHECK(lit, where, frag) check((lit), sizeof(lit) - 1, (where), (frag))

static void test_each_error_kind(void **st)
{
    (void)st;
    CHECK("{\"id\":\"a\",\"year\":1,\n \"id\":\"b\"}", "(dòng 2, cột 5)",
          "trường \"id\" bị lặp lại");
    /* a key longer than jansson's 20-byte context, with an escaped quote and Vietnamese text */
    CHECK("{\"tiêu-đề-rất-dài-của-tiêu-chí\\\"x\":1,\"tiêu-đề-rất-dài-của-tiêu-chí\\\"x\":2}", "dòng 1",
          "trường \"tiêu-đề-rất-dài-của-tiêu-chí\"x\" bị lặp lại");
    CHECK("{\"a\":\"\xff\"}", "(dòng 1, cột 6)", "byte 0xff không phải mã UTF-8");
    CHECK("{\"a\":\"x", "dòng 1", "kết thúc giữa một chuỗi");
    CHECK("{\"a\":1", "(dòng 1, cột 6)", "kết thúc giữa chừng");
    CHECK("", NULL, "tệp rỗng");
    CHECK(" \n ", NULL, "tệp rỗng");
    CHECK("{\"a\":\"x\x01y\"}", "(dòng 1, cột 7)", "ký tự điều khiển 0x01");
    CHECK("{\"a\":\"x\0y\"}", "(dòng 1, cột 7)", "ký tự điều khiển 0x00");
    CHECK("{\"a\":\"x\ny\"}", "dòng 1", "trước khi xuống dòng");
    char deep[3000];
    memset(deep, '[', sizeof deep);
    check(deep, sizeof deep, "dòng 1", "lồng nhau quá nhiều cấp");
    CHECK("42", "(dòng 1, cột 2)", "phải bắt đầu bằng { hoặc [");
    CHECK("{\"a\":True}", "(dòng 1, cột 9)", "giá trị không hợp lệ");
    CHECK("{\"a\":True}", NULL, "gần 'True'");
    CHECK("{\"a\":1,}", NULL, "có dấu phẩy thừa");
    CHECK("{\"a\" 1}", NULL, "thiếu dấu :");
    CHECK("{\"a\":1 \"b\":2}", NULL, "thiếu dấu , hoặc dấu }");
    CHECK("[1 2]", NULL, "thiếu dấu , hoặc dấu ]");
    CHECK("{\"a\":1} x", NULL, "nội dung thừa");
    CHECK("{\"a\":\"\\q\"}", NULL, "dấu \\ trong chuỗi");
    CHECK("{\"a\":\"\\ud800\"}", NULL, "mã \\uXXXX");
    CHECK("{\"a\":\"\\u0000\"}", NULL, "\\u0000");
    CHECK("{\"\\u0000\":1}", NULL, "tên trường chứa");
    CHECK("{\"a\":99999999999999999999}", NULL, "số quá lớn");
}

static void test_without_text_and_unknown(void **st)
{
    (void)st;
    char msg[300];
    json_error_t je;
    /* without the text, a short duplicate key is still named from jansson's context */
    assert_null(json_loads("{\"ab\":1,\"ab\":2}", JSON_REJECT_DUPLICATES, &je));
    json_error_vi(&je, NULL, 0, msg, sizeof msg);
    assert_vietnamese(msg);
    assert_non_null(strstr(msg, "trường \"ab\" bị lặp lại"));
    /* a code no parser sets still gives Vietnamese, without a place when there is none */
    memset(&je, 0, sizeof je);
    je.line = -1;
    snprintf(je.text, sizeof je.text, "some future English message");
    je.text[JSON_ERROR_TEXT_LENGTH - 1] = (char)json_error_unknown;
    json_error_vi(&je, NULL, 0, msg, sizeof msg);
    assert_string_equal(msg, "JSON không hợp lệ: sai cú pháp JSON");
}

static void test_loader_uses_it(void **st)
{
    (void)st;
    struct fw_errors e = {0};
    const char *t = "{\"format\":\"dti-framework/1\",\"id\":\"abc\",\"id\":\"abd\"}";
    assert_null(fw_load(t, strlen(t), &e));
    assert_int_equal(e.n, 1);
    assert_string_equal(e.v[0].path, "$");
    assert_string_equal(e.v[0].message,
                        "JSON không hợp lệ (dòng 1, cột 43): trường \"id\" bị lặp lại trong cùng một đối tượng");
    fw_errors_free(&e);
}

/* Windows Notepad saves UTF-8 with a byte order mark: accepted and skipped, only at the start. */
static void test_bom(void **st)
{
    (void)st;
    size_t n = 5;
    const char *t = json_skip_bom("\xef\xbb\xbf{}x", &n);
    assert_int_equal(n, 2);
    assert_memory_equal(t, "{}", 2);
    n = 3;
    assert_int_equal(json_skip_bom("\xef\xbb\xbf", &n)[0], 0);
    assert_int_equal(n, 0);
    n = 2; /* a cut BOM is not one */
    const char *cut = "\xef\xbb";
    assert_ptr_equal(json_skip_bom(cut, &n), cut);
    assert_int_equal(n, 2);
    char msg[300];
    json_t *doc = json_load_vi("\xef\xbb\xbf{\"a\":1}", 10, 0, msg, sizeof msg);
    assert_non_null(doc);
    assert_int_equal(json_integer_value(json_object_get(doc, "a")), 1);
    json_decref(doc);
    /* the column of an error after a BOM is counted as an editor shows it */
    assert_null(json_load_vi("\xef\xbb\xbf{\"a\" 1}", 11, 0, msg, sizeof msg));
    assert_non_null(strstr(msg, "(dòng 1, cột 6)"));
    /* a BOM elsewhere is still an error */
    assert_null(json_load_vi("{\"a\":\xef\xbb\xbf" "1}", 10, 0, msg, sizeof msg));
    assert_vietnamese(msg);
}

/* The whole sample index set saved with a BOM loads like the same file without one. */
static void test_loader_bom(void **st)
{
    (void)st;
    FILE *f = fopen("tests/data/sample-framework.json", "rb");
    assert_non_null(f);
    static char buf[1 << 20];
    memcpy(buf, "\xef\xbb\xbf", 3);
    size_t n = 3 + fread(buf + 3, 1, sizeof buf - 4, f);
    fclose(f);
    struct fw_errors e = {0};
    struct framework *fw = fw_load(buf, n, &e);
    if (!fw)
        fail_msg("%s: %s", e.n ? e.v[0].path : "", e.n ? e.v[0].message : "");
    struct framework *plain = fw_load(buf + 3, n - 3, &e);
    assert_non_null(plain);
    assert_string_equal(fw->id, plain->id);
    assert_int_equal(fw->n_criteria, plain->n_criteria);
    fw_free(fw);
    fw_free(plain);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_error_kind),
        cmocka_unit_test(test_without_text_and_unknown),
        cmocka_unit_test(test_loader_uses_it),
        cmocka_unit_test(test_bom),
        cmocka_unit_test(test_loader_bom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
