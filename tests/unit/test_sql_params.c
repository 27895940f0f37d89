/* test_sql_params.c — `?` -> `$n` rewriting for PostgreSQL (pure function). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "store/sql_params.h"

static void check(const char *in, const char *want, int want_count)
{
    int n = -1;
    char *out = sql_params_rewrite(in, &n);
    assert_non_null(out);
    assert_string_equal(out, want);
    assert_int_equal(n, want_count);
    free(out);
}

static void test_plain(void **state)
{
    (void)state;
    check("", "", 0);
    check("SELECT 1", "SELECT 1", 0);
    check("SELECT ?", "SELECT $1", 1);
    check("INSERT INTO t (a, b, c) VALUES (?, ?,?)", "INSERT INTO t (a, b, c) VALUES ($1, $2,$3)", 3);
    check("??", "$1$2", 2);
}

static void test_literals_untouched(void **state)
{
    (void)state;
    check("SELECT '?', ?", "SELECT '?', $1", 1);
    check("SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1", 1);
    check("SELECT '\\', ?", "SELECT '\\', $1", 1); /* standard strings: backslash is plain */
    check("SELECT E'\\' ?', ?", "SELECT E'\\' ?', $1", 1);
    check("SELECT e'a\\'?' || ?", "SELECT e'a\\'?' || $1", 1);
    check("SELECT name'?' , ?", "SELECT name'?' , $1", 1);
    check("SELECT \"we?ird\"\"?\" FROM t WHERE a = ?", "SELECT \"we?ird\"\"?\" FROM t WHERE a = $1", 1);
    check("SELECT $$ ? $$, ?", "SELECT $$ ? $$, $1", 1);
    check("SELECT $x$ ? $y$ ? $x$, ?", "SELECT $x$ ? $y$ ? $x$, $1", 1);
    check("SELECT a$b, ?", "SELECT a$b, $1", 1);
}

static void test_comments_untouched(void **state)
{
    (void)state;
    check("SELECT ? -- what?\n, ?", "SELECT $1 -- what?\n, $2", 2);
    check("SELECT ? -- what?", "SELECT $1 -- what?", 1);
    check("SELECT /* ? /* nested ? */ still ? */ ?", "SELECT /* ? /* nested ? */ still ? */ $1", 1);
    check("SELECT 1 - ?", "SELECT 1 - $1", 1);
    check("SELECT 4 / ?", "SELECT 4 / $1", 1);
}

static void test_unterminated(void **state)
{
    (void)state;
    check("SELECT ?, 'abc ?", "SELECT $1, 'abc ?", 1);
    check("SELECT ?, \"abc ?", "SELECT $1, \"abc ?", 1);
    check("SELECT ?, /* ?", "SELECT $1, /* ?", 1);
    check("SELECT ?, $q$ ?", "SELECT $1, $q$ ?", 1);
    check("E'\\", "E'\\", 0);
    check("'", "'", 0);
    check("/*/", "/*/", 0);
}

static void test_many(void **state)
{
    (void)state;
    char in[2001];
    for (int i = 0; i < 2000; i++)
        in[i] = '?';
    in[2000] = 0;
    int n = 0;
    char *out = sql_params_rewrite(in, &n);
    assert_non_null(out);
    assert_int_equal(n, 2000);
    /* $1..$9 (2 bytes), $10..$99 (3), $100..$999 (4), $1000..$2000 (5) */
    assert_int_equal(strlen(out), 9 * 2 + 90 * 3 + 900 * 4 + 1001 * 5);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain),
        cmocka_unit_test(test_literals_untouched),
        cmocka_unit_test(test_comments_untouched),
        cmocka_unit_test(test_unterminated),
        cmocka_unit_test(test_many),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
