/* test_text.c — text_clean_line, the one rule for human-readable single-line text: NFC,
 * trimmed of space separators, no control / format / line-separator characters, required and
 * length checked after normalisation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "app/text.h"

static const struct text_field name_f = {"name", "Tên đơn vị", 10, true};
static const struct text_field opt_f = {"official_code", "Mã hành chính", 10, false};

static const char *clean(const char *in, const struct text_field *f, struct app_err *e)
{
    static char out[TEXT_BUF(10)];
    memset(e, 0, sizeof *e);
    return text_clean_line(in, f, out, sizeof out, e) == 0 ? out : NULL;
}

static void normalises_and_trims(void **state)
{
    (void)state;
    struct app_err e;
    /* NFC: decomposed "chi\u0301nh" becomes the precomposed "chính" */
    assert_string_equal(clean("chi\xcc\x81nh", &name_f, &e), "ch\xc3\xadnh");
    assert_string_equal(clean("Ho\xcc\x9b\xcc\x80", &name_f, &e), "H\xe1\xbb\x9d"); /* Hờ */
    /* trimmed: ASCII space, NBSP U+00A0, ideographic space U+3000, U+2003, U+202F */
    assert_string_equal(clean("  S\xe1\xbb\x9f  ", &name_f, &e), "S\xe1\xbb\x9f");
    assert_string_equal(clean("\xc2\xa0\xe3\x80\x80S\xe1\xbb\x9f\xe2\x80\x83\xe2\x80\xaf", &name_f, &e),
                        "S\xe1\xbb\x9f");
    /* inner spaces stay as they are */
    assert_string_equal(clean("a  b\xc2\xa0" "c", &name_f, &e), "a  b\xc2\xa0" "c");
    /* the length is counted after NFC and trimming: 10 characters fit */
    assert_non_null(clean("   e\xcc\x81\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9   ",
                          &name_f, &e));
    /* optional and empty after trimming: "" */
    assert_string_equal(clean(" \xc2\xa0 ", &opt_f, &e), "");
    assert_string_equal(clean("", &opt_f, &e), "");
}

static void refuses(void **state)
{
    (void)state;
    struct app_err e;
    static const struct {
        const char *in;
        const char *cp;
    } bad[] = {
        {"\xe2\x80\x8b", "U+200B"},          /* zero-width space alone */
        {"a\xe2\x80\x8b" "b", "U+200B"},     /* inside */
        {"ab\xe2\x80\x8c", "U+200C"},        /* ZWNJ at the end: refused, not trimmed */
        {"a\xe2\x80\x8f", "U+200F"},         /* RLM */
        {"\xe2\x80\xae" "abc", "U+202E"},    /* RLO */
        {"a\xe2\x80\xaa" "b", "U+202A"},     /* LRE */
        {"a\xe2\x81\xa6" "b", "U+2066"},     /* LRI */
        {"a\xe2\x81\xa9" "b", "U+2069"},     /* PDI */
        {"\xef\xbb\xbf" "abc", "U+FEFF"},    /* BOM */
        {"a\xc2\xad" "b", "U+00AD"},         /* soft hyphen (Cf) */
        {"a\xc2\x85" "b", "U+0085"},         /* NEL (C1) */
        {"a\xc2\x9b" "b", "U+009B"},         /* CSI (C1) */
        {"a\xe2\x80\xa8" "b", "U+2028"},     /* line separator */
        {"a\xe2\x80\xa9" "b", "U+2029"},     /* paragraph separator */
        {"a\nb", "U+000A"},
        {"ab\n", "U+000A"},                  /* at the end too */
        {"\tab", "U+0009"},
        {"a\x7f", "U+007F"},
        {"a\x1b[31m", "U+001B"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        if (clean(bad[i].in, &name_f, &e))
            fail_msg("accepted case %zu", i);
        assert_int_equal(e.status, 422);
        assert_string_equal(e.code, "invalid_value");
        assert_string_equal(e.field, "name");
        assert_non_null(strstr(e.message, "Tên đơn vị"));
        if (!strstr(e.message, bad[i].cp))
            fail_msg("case %zu: %s not named in: %s", i, bad[i].cp, e.message);
        /* optional fields follow the same rule */
        assert_null(clean(bad[i].in, &opt_f, &e));
        assert_string_equal(e.field, "official_code");
    }
    /* required and empty after trimming (only U+00A0, only spaces, nothing) */
    static const char *const blank[] = {"", "   ", "\xc2\xa0", "\xe3\x80\x80 \xc2\xa0"};
    for (size_t i = 0; i < sizeof blank / sizeof *blank; i++) {
        assert_null(clean(blank[i], &name_f, &e));
        assert_int_equal(e.status, 422);
        assert_string_equal(e.message, "Tên đơn vị không được để trống.");
    }
    /* too long after normalisation: 400 too_long */
    assert_null(clean("abcdefghijk", &name_f, &e));
    assert_int_equal(e.status, 400);
    assert_string_equal(e.code, "too_long");
    assert_string_equal(e.field, "name");
    /* invalid UTF-8 (the CLI can pass anything) */
    assert_null(clean("a\xff", &name_f, &e));
    assert_int_equal(e.status, 400);
    assert_null(clean("a\xc0\xaf", &name_f, &e));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(normalises_and_trims),
        cmocka_unit_test(refuses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
