/* test_typed_number.c — numbers as people type them in a text cell (core/typed_number.h): the
 * decisions of docs/excel.md "What users' inputs mean". */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/typed_number.h"

static enum typed_number_rc parse(const char *s, bool pct, rat *v)
{
    return typed_number_parse(s, strlen(s), pct, v);
}

/* s reads as exactly n/d */
static void expect(const char *s, bool pct, long long n, long long d)
{
    rat v = {0, 1};
    if (parse(s, pct, &v) != TN_OK)
        fail_msg("\"%s\" refused", s);
    rat w;
    assert_int_equal(rat_make(&w, n, d), RAT_OK);
    if (rat_cmp(v, w) != 0)
        fail_msg("\"%s\" read as %lld/%lld", s, (long long)v.n, (long long)v.d);
}

static void refused(const char *s, bool pct, enum typed_number_rc want)
{
    rat v;
    enum typed_number_rc rc = parse(s, pct, &v);
    if (rc != want)
        fail_msg("\"%s\": %d, want %d", s, rc, want);
}

static void test_decimal_comma_and_point(void **state)
{
    (void)state;
    expect("8,5", false, 17, 2);
    expect("8.5", false, 17, 2);
    expect("  8,5 ", false, 17, 2);
    expect("0,125", false, 1, 8); /* a 0 integer part is never a thousands group */
    expect("8,50", false, 17, 2);
    expect("1234,5", false, 2469, 2);
    expect("-3", false, -3, 1);
    expect("12", false, 12, 1);
    expect("'8,5", false, 17, 2); /* Excel's text marker typed literally */
}

static void test_unicode_spaces_and_digits(void **state)
{
    (void)state;
    expect("\xc2\xa0" "8,5\xc2\xa0", false, 17, 2);         /* NBSP around, pasted from Word */
    expect("\t8,5\n", false, 17, 2);                         /* tab, line break */
    expect("\xef\xbc\x98,\xef\xbc\x95", false, 17, 2);      /* full-width ８,５ */
    expect("\xe2\x80\x8b" "7", false, 7, 1);                 /* zero-width space from a web page */
    expect("1\xe2\x80\xaf" "234", false, 1234, 1);           /* narrow NBSP as a thousands group */
    expect("1\xc2\xa0" "234\xc2\xa0" "567", false, 1234567, 1);
    refused("8\xe2\x80\x89" "5", false, TN_SYNTAX);          /* "8 5": not a group of three */
}

static void test_thousands(void **state)
{
    (void)state;
    expect("1.234.567", false, 1234567, 1);
    expect("1,234,567", false, 1234567, 1);
    expect("1 234", false, 1234, 1);
    expect("1.234,5", false, 2469, 2);
    expect("1,234.5", false, 2469, 2);
    expect("1 234,75", false, 123475, 100);
    expect("-1.234.567", false, -1234567, 1);
    refused("1.234", false, TN_AMBIGUOUS);
    refused("1,234", false, TN_AMBIGUOUS);
    refused("12.500", false, TN_AMBIGUOUS);
    refused("999,000", false, TN_AMBIGUOUS);
    refused("-1.234", false, TN_AMBIGUOUS);
    refused("1.23.456", false, TN_SYNTAX);
    refused("1,5,3", false, TN_SYNTAX);
    refused("1.234 567", false, TN_SYNTAX);
    refused("1.234,567.8", false, TN_SYNTAX);
}

static void test_percent(void **state)
{
    (void)state;
    expect("95%", true, 19, 20);
    expect("95 %", true, 19, 20);
    expect("95\xc2\xa0%", true, 19, 20);
    expect("95,5%", true, 191, 200);
    expect("0,95", true, 19, 20);
    expect("\xef\xbc\x99\xef\xbc\x95\xef\xbc\x85", true, 19, 20); /* full-width ９５％ */
    refused("95%", false, TN_SYNTAX);
    refused("%", true, TN_SYNTAX);
}

static void test_not_numbers(void **state)
{
    (void)state;
    const char *bad[] = {"", " ", "tám rưỡi", "1e5", ".5", "5.", "8,,5", "8..5", "--3",
                         "3-", "+", "8/5", "\xff\xfe", "0x10", "1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        refused(bad[i], true, TN_SYNTAX);
    refused("123456789012345678901234567890123456789012345", false, TN_OVERFLOW);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decimal_comma_and_point), cmocka_unit_test(test_unicode_spaces_and_digits),
        cmocka_unit_test(test_thousands),               cmocka_unit_test(test_percent),
        cmocka_unit_test(test_not_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
