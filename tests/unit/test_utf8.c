/* test_utf8.c — the shared strict UTF-8 decoder and the checks built on it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>

#include "app/password.h"
#include "app/text.h"
#include "core/utf8.h"

static void counts_code_points(void **state)
{
    (void)state;
    assert_int_equal(utf8_count("", 0), 0);
    assert_int_equal(utf8_count("Vi\xe1\xbb\x87t", 6), 4);
    assert_int_equal(utf8_count("a\0b", 3), 3); /* length-delimited: NUL is a character */
    assert_int_equal(utf8_count("\xf0\x9f\x98\x80", 4), 1);
    assert_int_equal(text_utf8_chars("Hu\xe1\xba\xbf"), 3);
}

static void refuses_malformed(void **state)
{
    (void)state;
    assert_int_equal(utf8_count("\xe1\xbb", 2), -1);         /* truncated */
    assert_int_equal(utf8_count("\xe1\xbb\x87", 2), -1);     /* truncated by len */
    assert_int_equal(utf8_count("\xc0\xaf", 2), -1);         /* overlong */
    assert_int_equal(utf8_count("\xf0\x8f\xbf\xbf", 4), -1); /* overlong */
    assert_int_equal(utf8_count("\xed\xa0\x80", 3), -1);     /* surrogate */
    assert_int_equal(utf8_count("\xf4\x90\x80\x80", 4), -1); /* past U+10FFFF */
    assert_int_equal(utf8_count("\xf8\x88\x80\x80\x80", 5), -1);
    assert_int_equal(text_utf8_chars("\x80"), -1);
}

/* snprintf cuts bytes, not characters: the partial one at the end goes, whole ones stay */
static void cuts_a_partial_character(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"S\xe1\xbb\x9f", "S\xe1\xbb\x9f"}, {"S\xe1\xbb", "S"}, {"S\xe1", "S"},
        {"ab\xc3", "ab"}, {"ab\xc3\xa0", "ab\xc3\xa0"}, {"x\xf0\x9f\x98", "x"},
        {"x\xf0\x9f\x98\x80", "x\xf0\x9f\x98\x80"}, {"", ""}, {"abc", "abc"},
    };
    char buf[16];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        snprintf(buf, sizeof buf, "%s", cases[i].in);
        utf8_cut_partial(buf);
        assert_string_equal(buf, cases[i].out);
    }
}

static void password_policy_uses_it(void **state)
{
    (void)state;
    assert_non_null(password_policy("an", "M\xe1\xba\xadtkh\xe1\xba\xa9u\xc0\xaf-dai-qua", NULL));
    assert_non_null(password_policy("an", "tab\there-is-long", NULL));
    assert_null(password_policy("an", "M\xe1\xba\xadt kh\xe1\xba\xa9u d\xc3\xa0i 2024", NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counts_code_points),
        cmocka_unit_test(refuses_malformed),
        cmocka_unit_test(cuts_a_partial_character),
        cmocka_unit_test(password_policy_uses_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
