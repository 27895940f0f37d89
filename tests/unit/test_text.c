/* test_text.c — text_clean_line, the one rule for human-readable single-line text: NFC,
 * trimmed of space separators, no control / format / line-separator characters, required and
 * length checked after normalisation; and text_clean_name / text_name_key /
 * text_name_skeleton, the stricter rule for display names (spaces collapsed, no
 * noncharacters or compatibility forms, one script as UTS #39 says, comparison keys). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
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

static const struct text_field unit_f = {"name", "Tên đơn vị", 200, true};

static const char *clean_name(const char *in, struct app_err *e)
{
    static char out[TEXT_BUF(200)];
    memset(e, 0, sizeof *e);
    return text_clean_name(in, &unit_f, out, sizeof out, e) == 0 ? out : NULL;
}

static void names_accepted_and_collapsed(void **state)
{
    (void)state;
    struct app_err e;
    static const char *const vietnamese[] = {
        "\xe1\xbb\xa6y ban nh\xc3\xa2n d\xc3\xa2n x\xc3\xa3 Ph\xc3\xba Th\xc6\xb0\xe1\xbb\xa3ng",
        "S\xe1\xbb\x9f Th\xc3\xb4ng tin v\xc3\xa0 Truy\xe1\xbb\x81n th\xc3\xb4ng",
        "Tr\xc6\xb0\xe1\xbb\x9dng THPT s\xe1\xbb\x91 2 (c\xc5\xa9) \xe2\x80\x94 \xc4\x90\xe1\xbb\x99i 3/4, "
        "\xe2\x80\x9c" "A & B\xe2\x80\x9d",
        "<script>alert(1)</script>",
    };
    for (size_t i = 0; i < sizeof vietnamese / sizeof *vietnamese; i++) {
        const char *got = clean_name(vietnamese[i], &e);
        if (!got)
            fail_msg("refused %s: %s", vietnamese[i], e.message);
        assert_string_equal(got, vietnamese[i]);
    }
    /* every run of Unicode spaces becomes one ASCII space; the ends are trimmed; NFC */
    assert_string_equal(clean_name("\xc2\xa0S\xe1\xbb\x9f\xc2\xa0\xc2\xa0T\xc3\xa0i \xe3\x80\x80"
                                   "\xe2\x80\x83" "chi\xcc\x81nh\xe2\x80\xaf",
                                   &e),
                        "S\xe1\xbb\x9f T\xc3\xa0i ch\xc3\xadnh");
}

static void names_refused(void **state)
{
    (void)state;
    struct app_err e;
    static const struct {
        const char *in, *cp; /* cp: the code point the message must name, or "" */
    } bad[] = {
        {"S\xe1\xbb\x9f T\xc3\xa0i \xef\xbf\xbe", "U+FFFE"},       /* noncharacter */
        {"S\xe1\xbb\x9f T\xc3\xa0i \xef\xbf\xbf", "U+FFFF"},       /* noncharacter */
        {"S\xe1\xbb\x9f \xef\xb7\x90 T\xc3\xa0i", "U+FDD0"},       /* noncharacter */
        {"S\xe1\xbb\x9f \xcd\xb8", "U+0378"},                      /* unassigned */
        {"S\xe1\xbb\x9f \xee\x80\x80", "U+E000"},                  /* private use */
        {"\xef\xbc\xb3\xe1\xbb\x9f T\xc3\xa0i ch\xc3\xadnh", "U+FF33"}, /* fullwidth S */
        {"S\xe1\xbb\x9f \xf0\x9d\x90\x93\xc3\xa0i", "U+1D413"},    /* mathematical bold T */
        {"Ph\xc3\xb2ng \xef\xac\x81", "U+FB01"},                   /* ligature fi */
        {"T\xe1\xbb\x95 2\xc2\xb2", "U+00B2"},                     /* superscript two */
        {"\xd0\xa1\xe1\xbb\x9f \xd0\xa2\xc3\xa0i ch\xc3\xadnh", ""}, /* Cyrillic С, Т mixed in */
        {"S\xe1\xbb\x9f T\xce\xb1i", ""},                          /* Greek alpha mixed in */
        {"Ph\xc3\xb2ng 1\xd9\xa2", ""},                            /* Arabic-Indic digit mixed in */
        {"\xe2\x80\x8bS\xe1\xbb\x9f", "U+200B"},                   /* text_clean_line still applies */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        if (clean_name(bad[i].in, &e))
            fail_msg("accepted case %zu: %s", i, bad[i].in);
        assert_int_equal(e.status, 422);
        assert_string_equal(e.code, "invalid_value");
        assert_string_equal(e.field, "name");
        assert_non_null(strstr(e.message, "T\xc3\xaan \xc4\x91\xc6\xa1n v\xe1\xbb\x8b")); /* label */
        if (*bad[i].cp && !strstr(e.message, bad[i].cp))
            fail_msg("case %zu: %s not named in: %s", i, bad[i].cp, e.message);
    }
    /* the mixed-script message says what is wrong, in Vietnamese */
    clean_name("\xd0\xa1\xe1\xbb\x9f T\xc3\xa0i", &e);
    assert_non_null(strstr(e.message, "Kirin"));
}

static void name_keys_and_skeletons(void **state)
{
    (void)state;
    char *k1 = text_name_key("S\xe1\xbb\x9e T\xc3\x80I CH\xc3\x8dNH"); /* SỞ TÀI CHÍNH */
    char *k2 = text_name_key("s\xe1\xbb\x9f t\xc3\xa0i ch\xc3\xadnh");
    char *k3 = text_name_key("s\xe1\xbb\x9f tai ch\xc3\xadnh"); /* another name: no grave */
    assert_non_null(k1);
    assert_string_equal(k1, k2);
    assert_string_not_equal(k1, k3);
    /* all-Cyrillic "Сас" passes the one-script rule but looks like Latin "Cac" */
    char *s1 = text_name_skeleton("\xd0\xa1\xd0\xb0\xd1\x81");
    char *s2 = text_name_skeleton("Cac");
    char *s3 = text_name_skeleton("Cam");
    char *s4 = text_name_skeleton("S\xe1\xbb\x9f T\xc3\xa0i ch\xc3\xadnh");
    char *s5 = text_name_skeleton("S\xe1\xbb\x9f Tai ch\xc3\xadnh");
    assert_non_null(s1);
    assert_string_equal(s1, s2);
    assert_string_not_equal(s2, s3);
    assert_string_not_equal(s4, s5); /* Vietnamese marks make names different, not alike */
    struct app_err e;
    assert_non_null(clean_name("\xd0\xa1\xd0\xb0\xd1\x81", &e));
    free(k1), free(k2), free(k3), free(s1), free(s2), free(s3), free(s4), free(s5);
}

/* Multi-line free text keeps tab and line breaks but refuses other controls (C1 too) and the
 * bidi controls that reorder what a reader sees: a comment "a\u202eb" was stored as sent. */
static void multiline(void **state)
{
    (void)state;
    struct app_err e;
    assert_int_equal(text_check_multiline(NULL, "body", "Ý kiến", 10, &e), 0);
    assert_int_equal(text_check_multiline("Dòng 1\r\n\tDòng 2", "body", "Ý kiến", 100, &e), 0);
    assert_int_equal(text_check_multiline("\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d", "body", "Ý kiến", 100, &e), 0);
    static const struct {
        const char *text;
        const char *cp;
    } refused[] = {
        {"a\x07" "b", "U+0007"},         {"a\x7f" "b", "U+007F"},         {"a\xc2\x85" "b", "U+0085"},
        {"a\xe2\x80\xae" "b", "U+202E"}, {"a\xe2\x81\xa6" "b", "U+2066"}, {"a\xe2\x80\x8f" "b", "U+200F"},
        {"a\xd8\x9c" "b", "U+061C"},
    };
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        assert_int_equal(text_check_multiline(refused[i].text, "body", "Ý kiến", 100, &e), -1);
        assert_int_equal(e.status, 422);
        assert_string_equal(e.field, "body");
        assert_non_null(strstr(e.message, refused[i].cp));
        assert_non_null(strstr(e.message, "Ý kiến"));
    }
    assert_int_equal(text_check_multiline("a\xc3\x28", "body", "Ý kiến", 100, &e), -1);
    assert_int_equal(e.status, 400);
    assert_int_equal(text_check_multiline("ầầầ", "body", "Ý kiến", 2, &e), -1);
    assert_string_equal(e.code, "too_long");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(normalises_and_trims),
        cmocka_unit_test(refuses),
        cmocka_unit_test(names_accepted_and_collapsed),
        cmocka_unit_test(names_refused),
        cmocka_unit_test(name_keys_and_skeletons),
        cmocka_unit_test(multiline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
