/* test_phase.c — round phases and Vietnamese local dates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "core/phase.h"

static void test_codes_round_trip(void **state)
{
    (void)state;
    for (int i = 0; i < PH_COUNT; i++)
        assert_int_equal(phase_parse(phase_code((enum phase)i)), i);
    assert_int_equal(phase_parse("appraisal3"), -1);
    assert_int_equal(phase_parse(NULL), -1);
    assert_string_equal(phase_label(PH_EXPLANATION), "Giải trình, bổ sung");
}

static void test_local_dates(void **state)
{
    (void)state;
    int64_t t;
    assert_true(vn_date_start("2025-03-01", &t));
    assert_int_equal(t, 1740762000); /* 2025-02-28T17:00:00Z */
    char buf[11];
    vn_date_format(t, buf);
    assert_string_equal(buf, "2025-03-01");
    vn_date_format(t - 1, buf); /* 23:59:59 the day before, local */
    assert_string_equal(buf, "2025-02-28");
    vn_date_human(t, buf);
    assert_string_equal(buf, "01/03/2025");
    assert_true(vn_date_start("2024-02-29", &t));
    assert_false(vn_date_start("2025-02-29", &t));
    assert_false(vn_date_start("2025-13-01", &t));
    assert_false(vn_date_start("2025-3-01", &t));
    assert_false(vn_date_start("2025-03-01T", &t));
    assert_false(vn_date_start("1969-12-31", &t));
    assert_false(vn_date_start("", &t));
}

static void test_current_phase(void **state)
{
    (void)state;
    struct phase_window w[PH_COUNT] = {0};
    w[PH_TRIAL] = (struct phase_window){true, 100, 200};
    w[PH_SELF_ASSESSMENT] = (struct phase_window){true, 200, 300};
    w[PH_APPRAISAL1] = (struct phase_window){true, 400, 500};
    assert_int_equal(phase_current(w, 99), PH_NONE);
    assert_int_equal(phase_current(w, 100), PH_TRIAL);
    assert_int_equal(phase_current(w, 199), PH_TRIAL);
    assert_int_equal(phase_current(w, 200), PH_SELF_ASSESSMENT);
    assert_int_equal(phase_current(w, 350), PH_NONE); /* between windows */
    assert_int_equal(phase_current(w, 450), PH_APPRAISAL1);
    assert_int_equal(phase_current(w, 500), PH_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_codes_round_trip),
        cmocka_unit_test(test_local_dates),
        cmocka_unit_test(test_current_phase),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
