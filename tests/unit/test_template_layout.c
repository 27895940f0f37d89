/* test_template_layout.c — the template's cells (core/template_layout.h): sheet names of 004,
 * cell references, one row per criterion then one per input (none for a manual criterion),
 * a hash that follows the structure. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "core/template_layout.h"

static void sheet_names(void **state)
{
    (void)state;
    assert_string_equal(tl_sheet_name("department"), "CDS_CAPSO");
    assert_string_equal(tl_sheet_name("district"), "CDS_CAPHUYEN");
    assert_string_equal(tl_sheet_name("commune"), "CDS_CAPXA");
    assert_string_equal(tl_sheet_name("province"), "CDS_CAPTINH");
    assert_null(tl_sheet_name("nation"));
    assert_string_equal(tl_col_header(TL_SELF), "Điểm tự đánh giá");
    assert_string_equal(tl_col_header(TL_APPRAISAL), "Điểm thẩm định");
}

static void refs(void **state)
{
    (void)state;
    char b[16];
    tl_ref(11, TL_INPUT, b);
    assert_string_equal(b, "F12");
    tl_ref(0, 0, b);
    assert_string_equal(b, "A1");
    tl_ref(9, 26, b);
    assert_string_equal(b, "AA10");
    tl_ref(99, 701, b);
    assert_string_equal(b, "ZZ100");
}

static void rows_and_hash(void **state)
{
    (void)state;
    struct fw_input two[2] = {{.name = "a", .type = IN_COUNT}, {.name = "b", .type = IN_BOOL}};
    struct fw_input pts = {.name = "p", .type = IN_POINTS};
    struct fw_criterion c1 = {.key = "k1", .code = "1.1", .max_h = 1000, .inputs = two, .n_inputs = 2};
    c1.rule.type = R_RATIO;
    struct fw_criterion c2 = {.key = "k2", .code = "1.2", .max_h = 500, .inputs = &pts, .n_inputs = 1};
    c2.rule.type = R_MANUAL;
    c2.rule.input = 0;
    assert_int_equal(tl_manual_input(&c1), -1);
    assert_int_equal(tl_manual_input(&c2), 0);
    const struct fw_criterion *cs[] = {&c1, &c2};
    struct tl_layout l, l2;
    assert_int_equal(tl_build("CDS_CAPSO", cs, 2, &l), 0);
    assert_int_equal(l.n, 4); /* c1, a, b, c2 (manual: no input row) */
    assert_int_equal(l.rows[0].row, TL_FIRST_ROW);
    assert_int_equal(l.rows[0].input, -1);
    assert_int_equal(l.rows[1].input, 0);
    assert_int_equal(l.rows[2].input, 1);
    assert_int_equal(l.rows[3].item, 1);
    assert_int_equal(l.last_row, TL_FIRST_ROW + 3);
    assert_int_equal(strlen(l.hash), 16);
    /* same structure, same hash; another maximum or sheet, another hash */
    assert_int_equal(tl_build("CDS_CAPSO", cs, 2, &l2), 0);
    assert_string_equal(l.hash, l2.hash);
    tl_free(&l2);
    c2.max_h = 600;
    assert_int_equal(tl_build("CDS_CAPSO", cs, 2, &l2), 0);
    assert_string_not_equal(l.hash, l2.hash);
    tl_free(&l2);
    assert_int_equal(tl_build("CDS_CAPHUYEN", cs, 2, &l2), 0);
    assert_string_not_equal(l.hash, l2.hash);
    tl_free(&l2);
    tl_free(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sheet_names),
        cmocka_unit_test(refs),
        cmocka_unit_test(rows_and_hash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
