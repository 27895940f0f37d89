/* test_rational.c — exact arithmetic, parsing, rounding and formatting. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/rational.h"

static rat P(const char *s)
{
    rat r;
    assert_int_equal(rat_parse(s, strlen(s), &r), RAT_OK);
    return r;
}

static void test_parse_ok(void **st)
{
    (void)st;
    rat r = P("8,5");
    assert_true(r.n == 17 && r.d == 2);
    r = P("8.5");
    assert_true(r.n == 17 && r.d == 2);
    r = P("921");
    assert_true(r.n == 921 && r.d == 1);
    r = P("-3");
    assert_true(r.n == -3 && r.d == 1);
    r = P(" 0,05 ");
    assert_true(r.n == 1 && r.d == 20);
    assert_int_equal(rat_parse_percent("95%", 3, &r), RAT_OK);
    assert_true(r.n == 19 && r.d == 20);
    assert_int_equal(rat_parse_percent("12,5%", 5, &r), RAT_OK);
    assert_true(r.n == 1 && r.d == 8);
}

static void test_parse_rejects(void **st)
{
    (void)st;
    const char *bad[] = {"1,2,3", "1e5", "", "abc", "1.000.000", "1 000", ".5", "5.", "-", "1,", "--1", "1%", "0x10", "١"};
    rat r;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_not_equal(rat_parse(bad[i], strlen(bad[i]), &r), RAT_OK);
    assert_int_equal(rat_parse("123456789012345678901234567890123456789012", 42, &r), RAT_OVERFLOW);
    assert_int_not_equal(rat_parse_percent("%", 1, &r), RAT_OK);
    /* 39 decimals: 10^-39 has no 128-bit fraction */
    assert_int_equal(rat_parse("0,000000000000000000000000000000000000001", 41, &r), RAT_OVERFLOW);
    assert_string_equal(rat_error_vi(RAT_OVERFLOW),
                        "vượt quá độ chính xác tính toán (số quá lớn hoặc có quá nhiều chữ số thập phân)");
}

/* Trailing zeros after the separator change nothing, so they cannot overflow. */
static void test_parse_trailing_zeros(void **st)
{
    (void)st;
    rat r = P("1,50000000000000000000000000000000000000000000000000");
    assert_true(r.n == 3 && r.d == 2);
    r = P("-0,0500");
    assert_true(r.n == -1 && r.d == 20);
    r = P("2.000");
    assert_true(r.n == 2 && r.d == 1);
    r = P("10,0");
    assert_true(r.n == 10 && r.d == 1);
    r = P("0,101");
    assert_true(r.n == 101 && r.d == 1000);
    r = P("0,00000000000000000000000000000000000001"); /* 38 decimals: fits */
    assert_true(r.n == 1);
}

static void test_arith_and_overflow(void **st)
{
    (void)st;
    rat a = P("921"), b = P("968"), q, x;
    assert_int_equal(rat_div(&q, a, b), RAT_OK);
    assert_int_equal(rat_mul(&x, q, rat_int(10)), RAT_OK);
    assert_true(x.n == 4605 && x.d == 484);
    assert_int_equal(rat_div(&q, a, rat_int(0)), RAT_DIV_ZERO);
    rat big = {(i128)1 << 120, 1};
    assert_int_equal(rat_mul(&x, big, big), RAT_OVERFLOW);
    assert_int_equal(rat_add(&x, big, (rat){((i128)1 << 126), 1}), RAT_OK);
    assert_int_equal(rat_add(&x, x, (rat){((i128)1 << 126), 1}), RAT_OVERFLOW);
    /* comparison never overflows */
    rat h1 = {((i128)1 << 120) + 1, ((i128)1 << 119)}, h2 = {((i128)1 << 120) + 3, ((i128)1 << 119) + 1};
    assert_int_equal(rat_cmp(h1, h2), 1);
    assert_int_equal(rat_cmp(h2, h1), -1);
    assert_int_equal(rat_cmp(h1, h1), 0);
    assert_int_equal(rat_cmp(P("0,1"), P("0,10")), 0);
}

static void test_rounding(void **st)
{
    (void)st;
    int64_t h;
    rat x;
    rat_make(&x, 4605, 484); /* 921/968 × 10 = 9,5144… */
    assert_int_equal(rat_to_hundredths(x, &h), RAT_OK);
    assert_int_equal(h, 951);
    rat_make(&x, 7870, 968); /* 8,1301… */
    rat_to_hundredths(x, &h);
    assert_int_equal(h, 813);
    rat_to_hundredths(P("0,005"), &h); /* ties round up */
    assert_int_equal(h, 1);
    rat_to_hundredths(P("2,345"), &h);
    assert_int_equal(h, 235);
    rat_to_hundredths(P("2,3449999"), &h);
    assert_int_equal(h, 234);
    rat_to_hundredths(P("0,004999"), &h);
    assert_int_equal(h, 0);
    rat_to_hundredths(P("-2,345"), &h); /* half away from zero */
    assert_int_equal(h, -235);
    rat r;
    assert_int_equal(rat_round(P("1,25"), 1, &r), RAT_OK);
    assert_int_equal(rat_cmp(r, P("1,3")), 0);
    assert_int_equal(rat_round(P("7,5"), 0, &r), RAT_OK);
    assert_int_equal(rat_cmp(r, rat_int(8)), 0);
    assert_true(rat_has_2_decimals(P("9,51")));
    assert_false(rat_has_2_decimals(P("9,515")));
}

static void test_format(void **st)
{
    (void)st;
    char b[64];
    hundredths_format(951, b, sizeof b);
    assert_string_equal(b, "9,51");
    hundredths_format(150, b, sizeof b);
    assert_string_equal(b, "1,5");
    hundredths_format(1000, b, sizeof b);
    assert_string_equal(b, "10");
    hundredths_format(5, b, sizeof b);
    assert_string_equal(b, "0,05");
    hundredths_format(-50, b, sizeof b);
    assert_string_equal(b, "-0,5");
    hundredths_format(0, b, sizeof b);
    assert_string_equal(b, "0");
    rat x;
    rat_make(&x, 1, 3);
    rat_format(x, b, sizeof b);
    assert_string_equal(b, "≈0,3333");
    rat_format(P("0,125"), b, sizeof b);
    assert_string_equal(b, "0,125");
    rat_format_json(P("9,51"), b, sizeof b);
    assert_string_equal(b, "9.51");
}

static void test_from_double(void **st)
{
    (void)st;
    rat r;
    assert_int_equal(rat_from_double(9.51, &r), RAT_OK);
    assert_true(r.n == 951 && r.d == 100);
    assert_int_equal(rat_from_double(0.1, &r), RAT_OK);
    assert_true(r.n == 1 && r.d == 10);
    assert_int_equal(rat_from_double(0.00001, &r), RAT_OK);
    assert_true(r.n == 1 && r.d == 100000);
    assert_int_equal(rat_from_double(1e20, &r), RAT_OK);
    assert_int_equal(rat_from_double(1e300, &r), RAT_OVERFLOW);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_ok),      cmocka_unit_test(test_parse_rejects),
        cmocka_unit_test(test_arith_and_overflow), cmocka_unit_test(test_parse_trailing_zeros), cmocka_unit_test(test_rounding),
        cmocka_unit_test(test_format),        cmocka_unit_test(test_from_double),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
