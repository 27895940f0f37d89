/* test_score.c — every rule type, the seed checks, rounding ties, zero denominators, caps,
 * not-applicable handling and input validation (errors name the input, never clamp). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/describe.h"
#include "core/framework.h"
#include "core/inputs.h"
#include "core/score.h"
#include "core/utf8.h"

/* One criterion (key "c") with `max` points inside a minimal index set. `body` holds inputs,
 * rule and examples. */
static struct framework *one(const char *max, const char *body)
{
    char text[8192];
    snprintf(text, sizeof text,
             "{\"format\":\"dti-framework/1\",\"id\":\"test\",\"version\":1,\"title\":\"T\","
             "\"level\":\"department\",\"year\":2023,\"status\":\"official\",\"max_points\":%s,"
             "\"pillars\":[{\"key\":\"p\",\"code\":\"I\",\"title\":\"P\",\"max_points\":%s,\"groups\":"
             "[{\"key\":\"g\",\"code\":\"1\",\"title\":\"G\",\"criteria\":[{\"key\":\"c\",\"code\":\"1.1\","
             "\"title\":\"C\",\"max_points\":%s,%s}]}]}]}",
             max, max, max, body);
    struct fw_errors e = {0};
    struct framework *fw = fw_load(text, strlen(text), &e);
    for (size_t i = 0; i < e.n; i++)
        fprintf(stderr, "%s: %s\n", e.v[i].path, e.v[i].message);
    assert_non_null(fw);
    fw_errors_free(&e);
    return fw;
}

static struct score_result R;

/* Scores criterion "c" with JSON inputs; returns its status. */
static enum score_status sc(const struct framework *fw, const char *inputs)
{
    json_t *j = json_loads(inputs, 0, NULL);
    assert_non_null(j);
    struct value vals[16];
    struct fw_errors e = {0};
    size_t nerr = criterion_values_from_json(fw->criteria[0], j, vals, "inputs", &e);
    json_decref(j);
    if (nerr) {
        snprintf(R.error, sizeof R.error, "%.100s: %.150s", e.v[0].path, e.v[0].message);
        R.status = SCORE_ERROR;
        R.points_h = 0;
        R.error_input = -1;
        fw_errors_free(&e);
        return SCORE_ERROR;
    }
    score_criterion(fw->criteria[0], vals, true, &R);
    return R.status;
}

static void expect(const struct framework *fw, const char *inputs, int64_t h, const char *explain)
{
    enum score_status s = sc(fw, inputs);
    if (s != SCORE_SCORED)
        fail_msg("%s: status %s %s", inputs, score_status_name(s), R.error);
    if (R.points_h != h)
        fail_msg("%s: %lld, want %lld (%s)", inputs, (long long)R.points_h, (long long)h, R.explain);
    if (explain && strcmp(R.explain, explain))
        fail_msg("%s: explanation '%s', want '%s'", inputs, R.explain, explain);
}

static void expect_error(const struct framework *fw, const char *inputs, const char *input_name)
{
    enum score_status s = sc(fw, inputs);
    if (s != SCORE_ERROR)
        fail_msg("%s: should be an error, got %s (%lld)", inputs, score_status_name(s), (long long)R.points_h);
    /* the input is named by its label in the message (users read it) and by its name in
     * error_input (the API's field); a value the JSON reader refused names the path */
    char d[64];
    snprintf(d, sizeof d, "inputs.%s:", input_name);
    const struct fw_criterion *c = fw->criteria[0];
    bool by_input = R.error_input >= 0 && (size_t)R.error_input < c->n_inputs &&
                    !strcmp(c->inputs[R.error_input].name, input_name);
    if (by_input) {
        char q[300];
        snprintf(q, sizeof q, "“%s”", fw_input_label(&c->inputs[R.error_input]));
        if (strncmp(R.error, q, strlen(q)))
            fail_msg("%s: error '%s' does not start with the label %s", inputs, R.error, q);
    } else if (!strstr(R.error, d))
        fail_msg("%s: error '%s' does not name '%s'", inputs, R.error, input_name);
    assert_int_equal(R.points_h, 0);
}

#define RATIO_BODY(policy)                                                                              \
    "\"inputs\":[{\"name\":\"accounts_issued\",\"label\":\"Số tài khoản\",\"type\":\"count\"},"         \
    "{\"name\":\"staff_total\",\"label\":\"Tổng số CBCCVC\",\"type\":\"count\"}],"                      \
    "\"rule\":{\"type\":\"ratio\",\"numerator\":\"accounts_issued\",\"denominator\":\"staff_total\"" policy "}," \
    "\"examples\":[{\"inputs\":{\"accounts_issued\":921,\"staff_total\":968},\"points\":9.51}]"

static void test_seed_ratio(void **st)
{
    (void)st;
    struct framework *fw = one("10", RATIO_BODY(""));
    expect(fw, "{\"accounts_issued\":921,\"staff_total\":968}", 951, "9,51 = 921 / 968 × 10");
    expect(fw, "{\"accounts_issued\":787,\"staff_total\":968}", 813, "8,13 = 787 / 968 × 10");
    expect(fw, "{\"accounts_issued\":968,\"staff_total\":968}", 1000, NULL);
    expect(fw, "{\"accounts_issued\":0,\"staff_total\":968}", 0, NULL);
    /* numbers given as text, decimal comma or point */
    expect(fw, "{\"accounts_issued\":\"921\",\"staff_total\":\"968\"}", 951, NULL);
    /* zero denominator, default policy: not applicable, removed from the maximum */
    assert_int_equal(sc(fw, "{\"accounts_issued\":0,\"staff_total\":0}"), SCORE_NOT_APPLICABLE);
    assert_int_equal(R.max_h, 0);
    /* invalid inputs: errors naming the input */
    expect_error(fw, "{\"accounts_issued\":969,\"staff_total\":968}", "accounts_issued");
    expect_error(fw, "{\"accounts_issued\":-1,\"staff_total\":968}", "accounts_issued");
    expect_error(fw, "{\"accounts_issued\":5,\"staff_total\":-3}", "staff_total");
    expect_error(fw, "{\"accounts_issued\":\"nhiều\",\"staff_total\":968}", "accounts_issued");
    expect_error(fw, "{\"accounts_issued\":2.5,\"staff_total\":968}", "accounts_issued");
    expect_error(fw, "{\"accounts_issued\":1,\"staff_total\":0}", "accounts_issued");
    expect_error(fw, "{\"staff_total\":968}", "accounts_issued");
    expect_error(fw, "{\"accounts_issued\":\"1,2,3\",\"staff_total\":968}", "accounts_issued");
    fw_free(fw);
    fw = one("10", RATIO_BODY(",\"zero_denominator\":\"zero\""));
    expect(fw, "{\"accounts_issued\":0,\"staff_total\":0}", 0, "Mẫu số bằng 0 → 0");
    fw_free(fw);
    fw = one("10", RATIO_BODY(",\"zero_denominator\":\"full\""));
    expect(fw, "{\"accounts_issued\":0,\"staff_total\":0}", 1000, "Mẫu số bằng 0 → 10");
    fw_free(fw);
}

static void test_rounding_ties(void **st)
{
    (void)st;
    /* 1/8 × 0,04 = 0,005 exactly: a tie, rounds up to 0,01 */
    struct framework *fw = one("0.04",
        "\"inputs\":[{\"name\":\"x\",\"label\":\"X\",\"type\":\"count\"},{\"name\":\"y\",\"label\":\"Y\",\"type\":\"count\"}],"
        "\"rule\":{\"type\":\"ratio\",\"numerator\":\"x\",\"denominator\":\"y\"},"
        "\"examples\":[{\"inputs\":{\"x\":1,\"y\":8},\"points\":0.01}]");
    expect(fw, "{\"x\":1,\"y\":8}", 1, NULL);
    expect(fw, "{\"x\":3,\"y\":8}", 2, NULL);   /* 0,015 -> 0,02 */
    expect(fw, "{\"x\":1,\"y\":9}", 0, NULL);   /* 0,00444 -> 0 */
    fw_free(fw);
    /* 2,345 = 0,469 × 5 as a formula: tie at the third decimal rounds up */
    fw = one("5", "\"inputs\":[{\"name\":\"r\",\"label\":\"R\",\"type\":\"ratio\"}],"
                  "\"rule\":{\"type\":\"formula\",\"expr\":\"r * 5\"},"
                  "\"examples\":[{\"inputs\":{\"r\":0.469},\"points\":2.35}]");
    expect(fw, "{\"r\":\"46,9%\"}", 235, NULL);
    expect(fw, "{\"r\":\"0,4689\"}", 234, NULL); /* 2,3445 -> 2,34 (no double rounding) */
    expect_error(fw, "{\"r\":1.5}", "r");
    expect_error(fw, "{\"r\":\"120%\"}", "r");
    expect_error(fw, "{\"r\":-0.1}", "r");
    fw_free(fw);
}

static void test_per_item(void **st)
{
    (void)st;
    struct framework *fw = one("2",
        "\"inputs\":[{\"name\":\"meetings\",\"label\":\"Số cuộc họp\",\"type\":\"count\",\"unit\":\"cuộc họp\"}],"
        "\"rule\":{\"type\":\"per_item\",\"input\":\"meetings\",\"points_per_item\":0.5,\"max_items\":4},"
        "\"examples\":[{\"inputs\":{\"meetings\":3},\"points\":1.5}]");
    expect(fw, "{\"meetings\":3}", 150, "3 cuộc họp × 0,5 = 1,5 (tối đa 4 cuộc họp)");
    expect(fw, "{\"meetings\":4}", 200, NULL);
    expect(fw, "{\"meetings\":9}", 200, "9 cuộc họp, tính tối đa 4 × 0,5 = 2");
    expect(fw, "{\"meetings\":0}", 0, NULL);
    expect_error(fw, "{\"meetings\":-1}", "meetings");
    expect_error(fw, "{\"meetings\":1.5}", "meetings");
    fw_free(fw);
    /* cap at the criterion's maximum when there is no max_items */
    fw = one("5", "\"inputs\":[{\"name\":\"n\",\"label\":\"N\",\"type\":\"count\"}],"
                  "\"rule\":{\"type\":\"per_item\",\"input\":\"n\",\"points_per_item\":1},"
                  "\"examples\":[{\"inputs\":{\"n\":7},\"points\":5}]");
    expect(fw, "{\"n\":7}", 500, "7 × 1 = 7, tối đa 5");
    fw_free(fw);
}

static void test_penalty(void **st)
{
    (void)st;
    struct framework *fw = one("5",
        "\"inputs\":[{\"name\":\"incidents\",\"label\":\"Số sự cố\",\"type\":\"count\",\"unit\":\"sự cố\"}],"
        "\"rule\":{\"type\":\"penalty_per_incident\",\"input\":\"incidents\",\"penalty\":1,\"zero_at\":5},"
        "\"examples\":[{\"inputs\":{\"incidents\":3},\"points\":2}]");
    expect(fw, "{\"incidents\":3}", 200, "3 sự cố → 5 − 3 × 1 = 2");
    expect(fw, "{\"incidents\":0}", 500, NULL);
    expect(fw, "{\"incidents\":5}", 0, "5 sự cố ≥ 5 → 0");
    expect(fw, "{\"incidents\":50}", 0, NULL);
    expect_error(fw, "{\"incidents\":-2}", "incidents");
    fw_free(fw);
    fw = one("5", "\"inputs\":[{\"name\":\"n\",\"label\":\"N\",\"type\":\"count\"}],"
                  "\"rule\":{\"type\":\"penalty_per_incident\",\"input\":\"n\",\"penalty\":2},"
                  "\"examples\":[{\"inputs\":{\"n\":3},\"points\":0}]");
    expect(fw, "{\"n\":3}", 0, "3 → 5 − 3 × 2 < 0 → 0");
    fw_free(fw);
}

static void test_yes_no_signer_checklist(void **st)
{
    (void)st;
    struct framework *fw = one("2", "\"inputs\":[{\"name\":\"b\",\"label\":\"B\",\"type\":\"bool\"}],"
                                    "\"rule\":{\"type\":\"yes_no\",\"input\":\"b\"},"
                                    "\"examples\":[{\"inputs\":{\"b\":true},\"points\":2}]");
    expect(fw, "{\"b\":true}", 200, "Có → 2");
    expect(fw, "{\"b\":\"không\"}", 0, "Không → 0");
    expect(fw, "{\"b\":1}", 200, NULL);
    expect_error(fw, "{\"b\":\"maybe\"}", "b");
    expect_error(fw, "{}", "b");
    fw_free(fw);
    fw = one("10", "\"inputs\":[{\"name\":\"signer\",\"label\":\"Người ký\",\"type\":\"choice\",\"options\":"
                   "[{\"value\":\"head\",\"label\":\"Người đứng đầu\"},{\"value\":\"deputy\",\"label\":\"Cấp phó\"},"
                   "{\"value\":\"none\",\"label\":\"Không ban hành\"}]}],"
                   "\"rule\":{\"type\":\"by_signer\",\"input\":\"signer\",\"fractions\":{\"head\":1,\"deputy\":0.5}},"
                   "\"examples\":[{\"inputs\":{\"signer\":\"deputy\"},\"points\":5}]");
    expect(fw, "{\"signer\":\"head\"}", 1000, "Người đứng đầu → 10 × 1 = 10");
    expect(fw, "{\"signer\":\"deputy\"}", 500, "Cấp phó → 10 × 0,5 = 5");
    expect(fw, "{\"signer\":\"none\"}", 0, NULL);
    expect_error(fw, "{\"signer\":\"chairman\"}", "signer");
    fw_free(fw);
    fw = one("3", "\"inputs\":[{\"name\":\"held\",\"label\":\"Có tổ chức\",\"type\":\"bool\"},"
                  "{\"name\":\"chaired\",\"label\":\"Người đứng đầu chủ trì\",\"type\":\"bool\"}],"
                  "\"rule\":{\"type\":\"checklist\",\"items\":[{\"input\":\"held\",\"points\":1,\"label\":\"Có tổ chức\"},"
                  "{\"input\":\"chaired\",\"points\":1.5,\"label\":\"Người đứng đầu chủ trì\",\"requires\":\"held\"}]},"
                  "\"examples\":[{\"inputs\":{\"held\":true,\"chaired\":true},\"points\":2.5}]");
    expect(fw, "{\"held\":true,\"chaired\":true}", 250, "Có tổ chức (1) + Người đứng đầu chủ trì (1,5) = 2,5");
    expect(fw, "{\"held\":false,\"chaired\":true}", 0, "Không mục nào đạt → 0");
    expect(fw, "{\"held\":true,\"chaired\":false}", 100, NULL);
    fw_free(fw);
}

static void test_steps_target_deadline_manual(void **st)
{
    (void)st;
    struct framework *fw = one("10",
        "\"inputs\":[{\"name\":\"n\",\"label\":\"N\",\"type\":\"count\",\"unit\":\"bài\"}],"
        "\"rule\":{\"type\":\"count_steps\",\"input\":\"n\",\"steps\":[{\"min\":1,\"fraction\":0.5},{\"min\":2,\"fraction\":1}]},"
        "\"examples\":[{\"inputs\":{\"n\":2},\"points\":10}]");
    expect(fw, "{\"n\":2}", 1000, "2 bài (mức ≥ 2: 100%) → 10");
    expect(fw, "{\"n\":7}", 1000, NULL);
    expect(fw, "{\"n\":1}", 500, NULL);
    expect(fw, "{\"n\":0}", 0, "0 bài (dưới mức thấp nhất) → 0");
    fw_free(fw);
    fw = one("5", "\"inputs\":[{\"name\":\"n\",\"label\":\"N\",\"type\":\"count\"}],"
                  "\"rule\":{\"type\":\"ratio_to_target\",\"input\":\"n\",\"target\":24},"
                  "\"examples\":[{\"inputs\":{\"n\":12},\"points\":2.5}]");
    expect(fw, "{\"n\":12}", 250, "2,5 = 12 / 24 × 5");
    expect(fw, "{\"n\":30}", 500, "30 ≥ mục tiêu 24 → 5");
    expect(fw, "{\"n\":0}", 0, NULL);
    fw_free(fw);
    fw = one("10", "\"due\":\"31.01\",\"inputs\":[{\"name\":\"d\",\"label\":\"Ngày ban hành\",\"type\":\"date\"}],"
                   "\"rule\":{\"type\":\"deadline\",\"input\":\"d\",\"late_fraction\":0.5},"
                   "\"examples\":[{\"inputs\":{\"d\":\"2023-01-31\"},\"points\":10}]");
    expect(fw, "{\"d\":\"2023-01-31\"}", 1000, "Ngày 31/01/2023, trong hạn 31/01 → 10");
    expect(fw, "{\"d\":\"2023-02-01\"}", 500, "Ngày 01/02/2023, sau hạn 31/01 → 10 × 0,5 = 5");
    expect(fw, "{\"d\":null}", 0, "Chưa có ngày → 0");
    expect_error(fw, "{\"d\":\"31/01/2023\"}", "d");
    expect_error(fw, "{\"d\":\"2023-02-30\"}", "d");
    /* only day.month is compared, so a date of another year than the set's (2023) is an input
     * error naming the input, not "on time" (2022-01-01) or "late" (2024-12-31) by accident */
    expect_error(fw, "{\"d\":\"2022-01-01\"}", "d");
    assert_string_equal(R.error, "“Ngày ban hành”: ngày 01/01/2022 không thuộc năm 2023 của bộ chỉ số");
    expect_error(fw, "{\"d\":\"2024-01-15\"}", "d");
    fw_free(fw);
    /* ... and a worked example with such a date makes the set invalid */
    const char *bad = "{\"format\":\"dti-framework/1\",\"id\":\"test\",\"version\":1,\"title\":\"T\","
                      "\"level\":\"department\",\"year\":2023,\"status\":\"official\",\"max_points\":1,"
                      "\"pillars\":[{\"key\":\"p\",\"code\":\"I\",\"title\":\"P\",\"max_points\":1,\"groups\":"
                      "[{\"key\":\"g\",\"code\":\"1\",\"title\":\"G\",\"criteria\":[{\"key\":\"c\",\"code\":\"1\","
                      "\"title\":\"C\",\"max_points\":1,\"due\":\"31.10\",\"inputs\":[{\"name\":\"d\",\"label\":\"D\","
                      "\"type\":\"date\"}],\"rule\":{\"type\":\"deadline\",\"input\":\"d\"},"
                      "\"examples\":[{\"inputs\":{\"d\":\"2022-10-01\"},\"points\":1}]}]}]}]}";
    struct fw_errors e = {0};
    assert_null(fw_load(bad, strlen(bad), &e));
    bool found = false;
    for (size_t i = 0; i < e.n; i++)
        found |= strstr(e.v[i].path, "examples[0]") && strstr(e.v[i].message, "không thuộc năm 2023");
    assert_true(found);
    fw_errors_free(&e);
    fw = one("8", "\"inputs\":[{\"name\":\"p\",\"label\":\"Điểm\",\"type\":\"points\"}],"
                  "\"rule\":{\"type\":\"manual\",\"input\":\"p\"},"
                  "\"examples\":[{\"inputs\":{\"p\":\"7,5\"},\"points\":7.5}]");
    expect(fw, "{\"p\":\"7,5\"}", 750, "Điểm chấm: 7,5");
    expect_error(fw, "{\"p\":9}", "p");
    expect_error(fw, "{\"p\":-1}", "p");
    fw_free(fw);
}

/* A "number" input is not negative unless the set declares a "min" (DESIGN: a negative count is
 * an error, never a silently lower score). */
static void test_number_sign(void **st)
{
    (void)st;
    struct framework *fw = one("10", "\"inputs\":[{\"name\":\"x\",\"label\":\"X\",\"type\":\"number\"}],"
                                     "\"rule\":{\"type\":\"formula\",\"expr\":\"min(10; x + 5)\"},"
                                     "\"examples\":[{\"inputs\":{\"x\":1},\"points\":6}]");
    expect(fw, "{\"x\":\"0\"}", 500, NULL);
    expect(fw, "{\"x\":\"2,5\"}", 750, NULL);
    expect_error(fw, "{\"x\":-3}", "x");
    assert_string_equal(R.error, "“X”: giá trị không được âm (-3)");
    expect_error(fw, "{\"x\":\"-0,5\"}", "x");
    fw_free(fw);
    fw = one("10", "\"inputs\":[{\"name\":\"x\",\"label\":\"X\",\"type\":\"number\",\"min\":-5}],"
                   "\"rule\":{\"type\":\"formula\",\"expr\":\"min(10; x + 5)\"},"
                   "\"examples\":[{\"inputs\":{\"x\":-3},\"points\":2}]");
    expect(fw, "{\"x\":-3}", 200, NULL);
    expect_error(fw, "{\"x\":-6}", "x");
    fw_free(fw);
}

/* A formula is explained with its inputs' labels and a choice's option label, never the names
 * the set's author chose (users read them beside the live points; seen as "if(infected_handled
 * >= infected; 5; 0)" on the unit page). A name inside a quoted string, a function name and a
 * name that merely starts like an input stay as they are. */
static void test_formula_readable(void **st)
{
    (void)st;
    struct framework *fw = one("5",
        "\"inputs\":[{\"name\":\"done\",\"label\":\"Số máy đã xử lý\",\"type\":\"count\"},"
        "{\"name\":\"all\",\"label\":\"Tổng số máy\",\"type\":\"count\"},"
        "{\"name\":\"who\",\"label\":\"Người ký\",\"type\":\"choice\",\"options\":"
        "[{\"value\":\"done\",\"label\":\"Giám đốc\"},{\"value\":\"x\",\"label\":\"Khác\"}]}],"
        "\"rule\":{\"type\":\"formula\",\"expr\":\"if(done >= all and who = \\\"done\\\"; 5; min(2; done))\"},"
        "\"examples\":[{\"inputs\":{\"done\":3,\"all\":3,\"who\":\"done\"},\"points\":5}]");
    expect(fw, "{\"done\":3,\"all\":3,\"who\":\"done\"}", 500,
           "if(“Số máy đã xử lý” >= “Tổng số máy” and “Người ký” = \"done\"; 5; min(2; “Số máy đã xử lý”)) "
           "với “Số máy đã xử lý” = 3; “Tổng số máy” = 3; “Người ký” = Giám đốc → 5");
    /* one input not given yet: named as missing (by its label), so a draft still saves; one a
     * branch not taken reads may stay absent */
    expect(fw, "{\"done\":1,\"all\":3}", 100, NULL);
    assert_int_equal(sc(fw, "{\"done\":3,\"who\":\"x\"}"), SCORE_ERROR);
    assert_int_equal(R.error_input, 1);
    assert_string_equal(R.error, "“Tổng số máy”: chưa nhập giá trị");
    char text[512];
    assert_string_equal(fw_rule_describe(fw->criteria[0], text, sizeof text),
                        "Theo công thức: if(“Số máy đã xử lý” >= “Tổng số máy” and “Người ký” = \"done\"; 5; "
                        "min(2; “Số máy đã xử lý”)) (từ 0 đến 5 điểm).");
    fw_free(fw);
}

static void test_inverse_formula_na(void **st)
{
    (void)st;
    struct framework *fw = one("10",
        "\"inputs\":[{\"name\":\"inf\",\"label\":\"Số máy nhiễm\",\"type\":\"count\"},{\"name\":\"all\",\"label\":\"Tổng\",\"type\":\"count\"}],"
        "\"rule\":{\"type\":\"inverse_ratio\",\"numerator\":\"inf\",\"denominator\":\"all\",\"zero_denominator\":\"full\"},"
        "\"examples\":[{\"inputs\":{\"inf\":5,\"all\":20},\"points\":7.5}]");
    expect(fw, "{\"inf\":5,\"all\":20}", 750, "7,5 = (1 − 5 / 20) × 10");
    expect(fw, "{\"inf\":0,\"all\":0}", 1000, NULL);
    expect(fw, "{\"inf\":20,\"all\":20}", 0, NULL);
    expect_error(fw, "{\"inf\":21,\"all\":20}", "inf");
    fw_free(fw);
    fw = one("10", "\"inputs\":[{\"name\":\"a\",\"label\":\"A\",\"type\":\"number\",\"min\":0,\"max\":100}],"
                   "\"rule\":{\"type\":\"formula\",\"expr\":\"a / 10\"},"
                   "\"examples\":[{\"inputs\":{\"a\":55},\"points\":5.5}]");
    expect(fw, "{\"a\":55}", 550, "“A” / 10 với “A” = 55 → 5,5");
    expect_error(fw, "{\"a\":101}", "a"); /* above the input's max */
    fw_free(fw);
    /* a formula above the maximum is an error, not clamped */
    fw = one("10", "\"inputs\":[{\"name\":\"a\",\"label\":\"A\",\"type\":\"number\"}],"
                   "\"rule\":{\"type\":\"formula\",\"expr\":\"a\"},"
                   "\"examples\":[{\"inputs\":{\"a\":5},\"points\":5}]");
    assert_int_equal(sc(fw, "{\"a\":11}"), SCORE_ERROR);
    assert_non_null(strstr(R.error, "ngoài khoảng"));
    assert_int_equal(sc(fw, "{\"a\":-1}"), SCORE_ERROR);
    fw_free(fw);
    fw = one("5", "\"rule\":{\"type\":\"not_applicable\"},\"examples\":[{\"inputs\":{},\"status\":\"not_applicable\"}]");
    assert_int_equal(sc(fw, "{}"), SCORE_NOT_APPLICABLE);
    assert_int_equal(R.max_h, 0);
    fw_free(fw);
}

static void test_unit(void **st)
{
    (void)st;
    FILE *f = fopen("tests/data/sample-framework.json", "rb");
    assert_non_null(f);
    char *text = calloc(1, 1 << 20);
    size_t len = fread(text, 1, (1 << 20) - 1, f);
    fclose(f);
    struct fw_errors e = {0};
    struct framework *fw = fw_load(text, len, &e);
    free(text);
    assert_non_null(fw);
    json_t *doc = json_loads("{\"unit_kind\":\"department\",\"criteria\":{"
                             "\"i-1-1\":{\"inputs\":{\"signer\":\"deputy\"}},"
                             "\"i-2-1\":{\"inputs\":{\"meetings\":3}},"
                             "\"iii-1-1\":{\"inputs\":{\"accounts_issued\":921,\"staff_total\":968}},"
                             "\"iii-1-2\":{\"inputs\":{\"infected\":0,\"machines\":0}},"
                             "\"iii-2b-1\":{\"not_applicable\":\"Không có hệ thống\"}}}", 0, NULL);
    struct unit_inputs_buf b;
    assert_int_equal(unit_inputs_from_json(fw, doc, &b, &e), 0);
    struct unit_inputs ui = {b.unit_kind, b.values, b.state, b.na_reason};
    struct score_result res[32];
    int64_t ph[4], pm[4];
    struct unit_score us = {.pillar_h = ph, .pillar_max_h = pm};
    score_unit(fw, &ui, true, res, &us);
    /* 5 + 1,5 (pillar I) ; 9,51 + 10 (pillar III) */
    assert_int_equal(ph[0], 650);
    assert_int_equal(ph[1], 1951);
    assert_int_equal(us.total_h, 2601);
    /* N/A removes iii-2b-1 (10) and the not_applicable rule iii-2b-2 (5) from the maximum */
    assert_int_equal(us.max_h, 9000 - 1500);
    assert_int_equal(pm[1], 5000 - 1500);
    assert_int_equal(us.n_na, 2);
    assert_int_equal(us.n_scored, 4);
    assert_int_equal(us.n_missing, 7);
    assert_int_equal(score_index_e4(us.total_h, us.max_h), 3468); /* 26,01 / 75 = 0,34680 */
    /* a commune: iii-2b-1 applies only to departments and districts */
    ui.unit_kind = UK_COMMUNE;
    ((uint8_t *)b.state)[fw_find_criterion(fw, "iii-2b-1")] = CS_MISSING;
    score_unit(fw, &ui, false, res, &us);
    assert_int_equal(res[fw_find_criterion(fw, "iii-2b-1")].status, SCORE_NOT_APPLICABLE);
    assert_string_equal(res[0].explain, "");
    unit_inputs_buf_free(&b);
    json_decref(doc);
    /* bad inputs file: every error listed with its path, nothing scored */
    doc = json_loads("{\"unit_kind\":\"ministry\",\"criteria\":{\"nope\":{\"inputs\":{}},"
                     "\"i-2-1\":{\"inputs\":{\"meetings\":\"ba\",\"extra\":1}},"
                     "\"i-1-2\":{\"not_applicable\":\"x\"}}}", 0, NULL);
    assert_int_equal(unit_inputs_from_json(fw, doc, &b, &e), 5);
    const char *paths[] = {"unit_kind", "criteria.nope", "criteria.i-2-1.inputs.meetings",
                           "criteria.i-2-1.inputs.extra", "criteria.i-1-2.not_applicable"};
    for (size_t i = 0; i < 5; i++) {
        bool found = false;
        for (size_t k = 0; k < e.n; k++)
            found = found || !strcmp(e.v[k].path, paths[i]);
        if (!found)
            fail_msg("missing error at %s", paths[i]);
    }
    unit_inputs_buf_free(&b);
    json_decref(doc);
    fw_errors_free(&e);
    fw_free(fw);
}

static void test_trace(void **st)
{
    (void)st;
    struct framework *fw = one("10", RATIO_BODY(""));
    json_t *j = json_loads("{\"accounts_issued\":921,\"staff_total\":968}", 0, NULL);
    struct value vals[2];
    struct fw_errors e = {0};
    criterion_values_from_json(fw->criteria[0], j, vals, "x", &e);
    score_criterion(fw->criteria[0], vals, true, &R);
    json_t *t = score_trace_json(fw->criteria[0], vals, &R);
    assert_string_equal(json_string_value(json_object_get(t, "status")), "scored");
    assert_string_equal(json_string_value(json_object_get(t, "rule")), "ratio");
    assert_string_equal(json_string_value(json_object_get(t, "exact_fraction")), "4605/484");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(t, "inputs"), "staff_total")), 968);
    assert_true(json_real_value(json_object_get(t, "points")) == 9.51);
    json_decref(t);
    json_decref(j);
    fw_free(fw);
}

/* An input whose label is long (real index sets have 150-character labels): the error keeps the
 * label and the name and stays valid UTF-8 — cut inside a character, it made the API's JSON
 * reply impossible (an import answered 500). */
static void test_long_label_error(void **state)
{
    (void)state;
    char label[700] = "";
    for (int i = 0; i < 40; i++)
        strcat(label, "Số phiên ");
    char fw_text[2048];
    snprintf(fw_text, sizeof fw_text,
             "\"inputs\":[{\"name\":\"x\",\"label\":\"%s\",\"type\":\"number\"}],"
             "\"rule\":{\"type\":\"formula\",\"expr\":\"min(10; x + 5)\"},"
             "\"examples\":[{\"inputs\":{\"x\":1},\"points\":6}]",
             label);
    struct framework *fw = one("10", fw_text);
    assert_int_equal(sc(fw, "{\"x\":-3}"), SCORE_ERROR);
    assert_true(utf8_count(R.error, strlen(R.error)) > 0);
    assert_non_null(strstr(R.error, "“Số phiên Số phiên"));
    fw_free(fw);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_ratio),       cmocka_unit_test(test_rounding_ties),
        cmocka_unit_test(test_per_item),         cmocka_unit_test(test_penalty),
        cmocka_unit_test(test_yes_no_signer_checklist),
        cmocka_unit_test(test_steps_target_deadline_manual),
        cmocka_unit_test(test_number_sign), cmocka_unit_test(test_long_label_error),
        cmocka_unit_test(test_inverse_formula_na), cmocka_unit_test(test_formula_readable),
        cmocka_unit_test(test_unit),
        cmocka_unit_test(test_trace),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
