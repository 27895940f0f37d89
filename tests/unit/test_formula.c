/* test_formula.c — the formula language: syntax, semantics, errors with positions, limits. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/formula.h"

static const struct formula_input ins[] = {{"a", false, false}, {"b", false, false},
                                           {"signer", true, false}, {"d", false, true}};

static struct value vals[4];

static void set_ab(const char *a, const char *b)
{
    memset(vals, 0, sizeof vals);
    vals[0].kind = VAL_NUM;
    rat_parse(a, strlen(a), &vals[0].num);
    vals[1].kind = VAL_NUM;
    rat_parse(b, strlen(b), &vals[1].num);
    vals[2].kind = VAL_TEXT;
    vals[2].text = "head";
}

/* Evaluates src and returns the value ×100 rounded, asserting success. */
static int64_t ev(const char *src)
{
    char err[256];
    formula *f = formula_compile(src, ins, 4, err, sizeof err);
    if (!f)
        fail_msg("compile %s: %s", src, err);
    rat r;
    int rc = formula_eval(f, vals, &r, err, sizeof err);
    if (rc)
        fail_msg("eval %s: %s", src, err);
    formula_free(f);
    int64_t h;
    assert_int_equal(rat_to_hundredths(r, &h), RAT_OK);
    return h;
}

static void compile_err(const char *src, const char *want)
{
    char err[256];
    formula *f = formula_compile(src, ins, 4, err, sizeof err);
    if (f)
        fail_msg("compiled but should not: %s", src);
    if (!strstr(err, want))
        fail_msg("'%s': message '%s' lacks '%s'", src, err, want);
}

static void test_arithmetic(void **st)
{
    (void)st;
    set_ab("3", "4,5");
    assert_int_equal(ev("1 + 2 * 3"), 700);
    assert_int_equal(ev("(1 + 2) * 3"), 900);
    assert_int_equal(ev("a + b"), 750);
    assert_int_equal(ev("0,5 * a"), 150);
    assert_int_equal(ev("0.5 * a"), 150);
    assert_int_equal(ev("-a + 10"), 700);
    assert_int_equal(ev("10 - 2 - 3"), 500); /* left associative */
    assert_int_equal(ev("12 / 2 / 3"), 200);
    assert_int_equal(ev("1 / 3 * 3"), 100);  /* exact: no 0,99… */
    assert_int_equal(ev("921 / 968 * 10"), 951);
}

static void test_functions(void **st)
{
    (void)st;
    set_ab("3", "4,5");
    assert_int_equal(ev("min(a; b)"), 300);
    assert_int_equal(ev("max(a; b; 10)"), 1000);
    assert_int_equal(ev("min(a, b)"), 300);   /* comma + space separates */
    assert_int_equal(ev("min(1,5; 2)"), 150);  /* comma between digits is decimal */
    assert_int_equal(ev("MIN(a;b)"), 300);
    assert_int_equal(ev("if(a > 2; 1; 2)"), 100);
    assert_int_equal(ev("if(a > 5; 1; 2)"), 200);
    assert_int_equal(ev("round(2,345; 2)"), 235);
    assert_int_equal(ev("round(2,5)"), 300);
    assert_int_equal(ev("if(signer = \"head\"; 10; 5)"), 1000);
    assert_int_equal(ev("if(signer <> \"head\"; 10; 5)"), 500);
    /* if evaluates only the branch taken: no division by zero here */
    assert_int_equal(ev("if(0; 1 / 0; 7)"), 700);
}

static void test_logic(void **st)
{
    (void)st;
    set_ab("3", "4,5");
    assert_int_equal(ev("a < b"), 100);
    assert_int_equal(ev("a >= b"), 0);
    assert_int_equal(ev("a = 3"), 100);
    assert_int_equal(ev("a <> 3"), 0);
    assert_int_equal(ev("a <= 3 and b > 4"), 100);
    assert_int_equal(ev("a > 5 or b > 4"), 100);
    assert_int_equal(ev("not a > 5"), 100);
    assert_int_equal(ev("0 and 1 / 0"), 0); /* short circuit */
    assert_int_equal(ev("1 or 1 / 0"), 100);
    assert_int_equal(ev("(a > 1) * 5"), 500);
}

static void test_errors(void **st)
{
    (void)st;
    compile_err("", "rỗng");
    compile_err("a +", "vị trí 4");
    compile_err("(a + b", "')'");
    compile_err("a + c", "'c'");
    compile_err("system(1)", "hàm không tồn tại");
    compile_err("a $ b", "ký tự không được phép");
    compile_err("1 < 2 < 3", "so sánh");
    compile_err("signer + 1", "chuỗi");
    compile_err("signer", "phải là một số");
    compile_err("d + 1", "ngày");
    compile_err("\"abc", "chuỗi thiếu");
    compile_err("1,2,3", "vị trí");
    compile_err("round(1; 2; 3)", "round");
    compile_err("a b", "thừa");
    compile_err("1e5", "thừa");
    compile_err("99999999999999999999999999999999999999999", "vượt quá độ chính xác tính toán");
    char err[256];
    set_ab("3", "0");
    formula *f = formula_compile("a / b", ins, 4, err, sizeof err);
    assert_non_null(f);
    rat r;
    assert_int_equal(formula_eval(f, vals, &r, err, sizeof err), RAT_DIV_ZERO);
    assert_non_null(strstr(err, "vị trí 3"));
    assert_non_null(strstr(err, "chia cho 0"));
    vals[0].kind = VAL_ABSENT;
    assert_int_not_equal(formula_eval(f, vals, &r, err, sizeof err), RAT_OK);
    assert_non_null(strstr(err, "'a'"));
    formula_free(f);
    /* overflow is reported, never wrapped */
    set_ab("100000000000000000000", "100000000000000000000");
    f = formula_compile("a * b * a * b", ins, 4, err, sizeof err);
    assert_non_null(f);
    assert_int_equal(formula_eval(f, vals, &r, err, sizeof err), RAT_OVERFLOW);
    formula_free(f);
    /* A tiny value is not "too large": the message says what happened. 10^-40 has no exact
     * 128-bit fraction, so it is an honest error, never a silently rounded result. */
    const char *tiny = "0.0000000001*0.0000000001*0.0000000001*0.0000000001";
    f = formula_compile(tiny, ins, 4, err, sizeof err);
    assert_non_null(f);
    assert_int_equal(formula_eval(f, vals, &r, err, sizeof err), RAT_OVERFLOW);
    assert_string_equal(err, "biểu thức, vị trí 39: vượt quá độ chính xác tính toán (số quá lớn hoặc "
                             "có quá nhiều chữ số thập phân)");
    assert_null(strstr(err, "tràn số"));
    formula_free(f);
    /* three factors (10^-30) still fit: exact, so the criterion gets exactly 0 */
    assert_int_equal(ev("0.0000000001*0.0000000001*0.0000000001"), 0);
    assert_int_equal(ev("0.0000000001*0.0000000001*0.0000000001*10000000000*10000000000*10000000000 + 1"), 200);
}

/* A division by a constant zero is refused when compiling (it could only ever fail when a
 * unit is scored), unless a constant condition means it never runs. */
static void test_constant_division_by_zero(void **st)
{
    (void)st;
    compile_err("a / 0", "chia cho 0");
    compile_err("a / 0", "vị trí 3");
    compile_err("a / 0.0", "chia cho 0");
    compile_err("a / (2 - 2)", "chia cho 0");
    compile_err("a / -(1 * 0)", "chia cho 0");
    compile_err("a / min(0; 5)", "chia cho 0");
}

static void test_division_by_zero_not_refused(void **st)
{
    (void)st;
    /* not constant: b may be 0 for some unit only, an error at scoring time */
    set_ab("6", "3");
    assert_int_equal(ev("a / b"), 200);
    assert_int_equal(ev("a / (b - 1)"), 300);
    /* never runs: a constant condition skips it */
    assert_int_equal(ev("if(0; 1 / 0; 7)"), 700);
    assert_int_equal(ev("if(1 > 2; a / 0; 7)"), 700);
    assert_int_equal(ev("0 and a / 0"), 0);
    assert_int_equal(ev("1 or a / 0"), 100);
    /* runs for some inputs: refused */
    compile_err("if(a > 1; a / 0; 1)", "chia cho 0");
    compile_err("a > 1 and a / 0", "chia cho 0");
}

static void test_limits(void **st)
{
    (void)st;
    char buf[5000];
    /* 64 nested parentheses are fine, 65 are not */
    size_t n = 0;
    for (int i = 0; i < 64; i++) buf[n++] = '(';
    buf[n++] = '1';
    for (int i = 0; i < 64; i++) buf[n++] = ')';
    buf[n] = 0;
    set_ab("1", "1");
    assert_int_equal(ev(buf), 100);
    memmove(buf + 1, buf, n + 1);
    buf[0] = '(';
    strcat(buf, ")");
    compile_err(buf, "lồng quá sâu");
    /* unary chains count as nesting too */
    memset(buf, '-', 3000);
    strcpy(buf + 3000, "1");
    compile_err(buf, "lồng quá sâu");
    memset(buf, 0, sizeof buf);
    for (int i = 0; i < 500; i++) strcat(buf, "not ");
    strcat(buf, "1");
    compile_err(buf, "lồng quá sâu");
    /* a long flat sum evaluates without recursion */
    buf[0] = 0;
    for (int i = 0; i < 999; i++) strcat(buf, "1+");
    strcat(buf, "1");
    assert_int_equal(ev(buf), 100000);
    /* too long */
    memset(buf, '1', 4001);
    buf[4001] = 0;
    compile_err(buf, "dài quá");
    /* many arguments do not grow the stack */
    strcpy(buf, "max(0");
    for (int i = 0; i < 500; i++) strcat(buf, ";1");
    strcat(buf, ")");
    assert_int_equal(ev(buf), 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arithmetic), cmocka_unit_test(test_functions),
        cmocka_unit_test(test_logic),      cmocka_unit_test(test_errors),
        cmocka_unit_test(test_limits), cmocka_unit_test(test_constant_division_by_zero),
        cmocka_unit_test(test_division_by_zero_not_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
