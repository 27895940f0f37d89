/* test_task_counts.c — the Đạt / Chưa đạt / Không đạt rule of docs/rounds-api.md. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/task_counts.h"

static void test_approved_by_points(void **state)
{
    (void)state;
    assert_int_equal(task_count_of("approved", 1000, 1000, false), TC_DAT);
    assert_int_equal(task_count_of("approved", 1000, 1000, true), TC_DAT);
    assert_int_equal(task_count_of("approved", 999, 1000, false), TC_CHUA_DAT);
    assert_int_equal(task_count_of("approved", 1, 1000, true), TC_CHUA_DAT);
    assert_int_equal(task_count_of("approved", 0, 1000, false), TC_KHONG_DAT);
    assert_int_equal(task_count_of("approved", 0, 0, false), TC_DAT); /* full points of nothing */
}

static void test_reported_states(void **state)
{
    (void)state;
    const char *const chua[] = {"draft", "submitted", "in_appraisal", "explanation_requested",
                                "explained"};
    for (size_t i = 0; i < sizeof chua / sizeof *chua; i++) {
        assert_int_equal(task_count_of(chua[i], 0, 1000, false), TC_CHUA_DAT);
        assert_int_equal(task_count_of(chua[i], 0, 1000, true), TC_CHUA_DAT);
    }
}

static void test_not_reported(void **state)
{
    (void)state;
    assert_int_equal(task_count_of("not_started", 0, 1000, false), TC_KHONG_DAT);
    assert_int_equal(task_count_of("not_started", 0, 1000, true), TC_KHONG_DAT);
    assert_int_equal(task_count_of("returned", 0, 1000, false), TC_CHUA_DAT);
    assert_int_equal(task_count_of("returned", 0, 1000, true), TC_KHONG_DAT);
    assert_int_equal(task_count_of("bogus", 0, 1000, false), TC_KHONG_DAT);
    assert_int_equal(task_count_of(NULL, 0, 1000, false), TC_KHONG_DAT);
}

static void test_accumulate_and_names(void **state)
{
    (void)state;
    struct task_counts c = {{0}};
    task_counts_add(&c, "approved", 500, 500, false);
    task_counts_add(&c, "approved", 200, 500, false);
    task_counts_add(&c, "draft", 0, 500, false);
    task_counts_add(&c, "not_started", 0, 500, false);
    assert_int_equal(c.n[TC_DAT], 1);
    assert_int_equal(c.n[TC_CHUA_DAT], 2);
    assert_int_equal(c.n[TC_KHONG_DAT], 1);
    assert_string_equal(task_count_key(TC_CHUA_DAT), "chua_dat");
    assert_string_equal(task_count_label(TC_KHONG_DAT), "Không đạt");
    assert_string_equal(task_count_key(TC_COUNT), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_approved_by_points),
        cmocka_unit_test(test_reported_states),
        cmocka_unit_test(test_not_reported),
        cmocka_unit_test(test_accumulate_and_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
