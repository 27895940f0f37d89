/* test_vnfold.c — the Vietnamese comparison key (core/vnfold.h): the dashboard's search cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/vnfold.h"

static void expect_fold(const char *in, const char *want)
{
    size_t n = 12345;
    char *k = vnfold(in, strlen(in), &n);
    assert_non_null(k);
    assert_string_equal(k, want);
    assert_int_equal(n, strlen(want));
    free(k);
}

static int finds(const char *name, const char *query)
{
    size_t a, b;
    char *h = vnfold(name, strlen(name), &a), *q = vnfold(query, strlen(query), &b);
    assert_non_null(h);
    assert_non_null(q);
    int r = vnfold_contains(h, q);
    free(h);
    free(q);
    return r;
}

static void test_case_and_marks(void **state)
{
    (void)state;
    expect_fold("Sở Tài chính", "so tai chinh");
    expect_fold("SỞ TÀI CHÍNH", "so tai chinh");
    expect_fold("so tai chinh", "so tai chinh");
    expect_fold("Ủy ban nhân dân tỉnh", "uy ban nhan dan tinh");
    expect_fold("Thừa Thiên Huế", "thua thien hue");
    expect_fold("Ngân hàng Nhà nước", "ngan hang nha nuoc");
    /* every tone on every vowel of the alphabet */
    expect_fold("àáảãạ ằắẳẵặ ầấẩẫậ èéẻẽẹ ềếểễệ ìíỉĩị òóỏõọ ồốổỗộ ờớởỡợ ùúủũụ ừứửữự ỳýỷỹỵ",
                "aaaaa aaaaa aaaaa eeeee eeeee iiiii ooooo ooooo ooooo uuuuu uuuuu yyyyy");
    expect_fold("ĂÂÊÔƠƯ", "aaeoou");
}

static void test_nfd_input(void **state)
{
    (void)state;
    /* "Sở Tài chính" decomposed: o + U+031B (horn) + U+0309 (hook), a + U+0300, i + U+0301 */
    const char nfd[] = "So\xcc\x9b\xcc\x89 Ta\xcc\x80i chi\xcc\x81nh";
    expect_fold(nfd, "so tai chinh");
    assert_true(finds("Sở Tài chính", nfd));
    assert_true(finds(nfd, "SỞ TÀI"));
    /* a mix: precomposed ơ with a combining hook above */
    expect_fold("S\xc6\xa1\xcc\x89", "so");
}

static void test_d_finds_dd(void **state)
{
    (void)state;
    expect_fold("Đảng ủy Công an tỉnh", "dang uy cong an tinh");
    expect_fold("đại học", "dai hoc");
    assert_true(finds("Đại học Huế", "dai hoc"));
    assert_true(finds("Sở Kế hoạch và Đầu tư", "dau tu"));
    assert_true(finds("Sở Kế hoạch và Đầu tư", "ĐẦU TƯ"));
    assert_true(finds("Sở Kế hoạch và Đầu tư", "đầu"));
    assert_true(finds("Sở Giáo dục", "đục")); /* both sides fold to d: the key is symmetric */
    assert_false(finds("Sở Tài chính", "tai chanh"));
}

static void test_eth(void **state)
{
    (void)state;
    /* U+00D0 (Ð) and U+00F0 (ð) look like Đ/đ and are folded to d as well (vnfold.h) */
    expect_fold("\xc3\x90\xe1\xba\xa1i h\xe1\xbb\x8d\x63", "dai hoc");
    expect_fold("\xc3\xb0", "d");
    /* U+1D9E (ᶞ, modifier letter small eth) decomposes to ð: folded to d too, so a key folds
     * to itself (found by fuzz_vnfold) */
    expect_fold("x\xe1\xb6\x9e", "xd");
    assert_true(finds("\xc3\x90\xe1\xba\xa1i học Huế", "dai hoc hue"));
}

static void test_spaces_and_ignorables(void **state)
{
    (void)state;
    expect_fold("  Sở   Tài\tchính \n", "so tai chinh");
    expect_fold("S\xc2\xadở", "so");                /* soft hyphen ignored */
    expect_fold("Sở\xc2\xa0Tài", "so tai");          /* no-break space is a space */
    expect_fold("Sở\xe2\x80\x8bTài", "sotai");       /* zero-width space is ignorable */
    expect_fold("\xef\xbc\xb3\xef\xbd\x8f", "so");   /* full-width letters (NFKD) */
    expect_fold("a\x01" "b", "ab");                  /* controls dropped */
    expect_fold("", "");
    expect_fold("   ", "");
    assert_true(finds("Sở Tài chính", ""));
    assert_true(finds("Sở Tài chính", "  tai   chinh "));
}

static void test_invalid_refused(void **state)
{
    (void)state;
    size_t n = 7;
    const char *bad[] = {"\xff", "S\xc6", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "ab\xe1\xbb"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_null(vnfold(bad[i], strlen(bad[i]), &n));
        assert_int_equal(n, 7);
    }
    assert_null(vnfold("a\0b", 3, &n)); /* an embedded NUL */
    char *big = malloc(VNFOLD_MAX_INPUT + 1);
    assert_non_null(big);
    memset(big, 'a', VNFOLD_MAX_INPUT + 1);
    assert_null(vnfold(big, VNFOLD_MAX_INPUT + 1, &n));
    char *k = vnfold(big, VNFOLD_MAX_INPUT, &n);
    assert_non_null(k);
    assert_int_equal(n, VNFOLD_MAX_INPUT);
    free(k);
    free(big);
    assert_null(vnfold(NULL, 0, &n));
}

static void test_growth_bounded(void **state)
{
    (void)state;
    /* compatibility characters that expand (U+FDFA is 18 letters) are still folded whole */
    size_t n;
    char *k = vnfold("\xef\xb7\xba", 3, &n);
    assert_non_null(k);
    assert_true(n > 3);
    free(k);
    k = vnfold("\xef\xac\x81", 3, &n); /* ﬁ ligature */
    assert_non_null(k);
    assert_string_equal(k, "fi");
    free(k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_case_and_marks), cmocka_unit_test(test_nfd_input),
        cmocka_unit_test(test_d_finds_dd),     cmocka_unit_test(test_eth),
        cmocka_unit_test(test_spaces_and_ignorables), cmocka_unit_test(test_invalid_refused),
        cmocka_unit_test(test_growth_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
