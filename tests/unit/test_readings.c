/* test_readings.c — alternative readings of ambiguous criteria (issue 8): the loader validates
 * each alternative (rule, unique name, its own worked examples) with JSON paths, the writer
 * keeps them, a display maximum no unit can reach must be declared, and
 * score_criterion_reading() scores the shipped sets' listed alternatives with the figures of
 * their worked examples. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/framework.h"
#include "core/inputs.h"
#include "core/score.h"

/* One criterion "c" (max 10) with inputs a, b (count); `extra` is spliced into the criterion. */
static char *doc(const char *extra)
{
    static char buf[8192];
    snprintf(buf, sizeof buf,
             "{\"format\":\"dti-framework/1\",\"id\":\"alt-test\",\"version\":1,\"title\":\"T\","
             "\"level\":\"department\",\"year\":2024,\"status\":\"official\",\"max_points\":10,"
             "\"pillars\":[{\"key\":\"p\",\"code\":\"I\",\"title\":\"P\",\"max_points\":10,"
             "\"groups\":[{\"key\":\"g\",\"code\":\"1\",\"title\":\"G\",\"criteria\":[{\"key\":\"c\","
             "\"code\":\"1.1\",\"title\":\"C\",\"max_points\":10,"
             "\"inputs\":[{\"name\":\"a\",\"label\":\"A\",\"type\":\"count\"},"
             "{\"name\":\"b\",\"label\":\"B\",\"type\":\"count\"}],"
             "\"rule\":{\"type\":\"ratio\",\"numerator\":\"a\",\"denominator\":\"b\"},"
             "\"examples\":[{\"inputs\":{\"a\":3,\"b\":4},\"points\":7.5}]%s}]}]}]}",
             extra);
    return buf;
}

#define P "pillars[0].groups[0].criteria[0]"
#define AON "{\"name\":\"all_or_nothing\",\"label\":\"Đạt hoặc không\",\"why\":\"100%%\"," \
            "\"rule\":{\"type\":\"formula\",\"expr\":\"if(a >= b; 10; 0)\"}," \
            "\"examples\":[{\"inputs\":{\"a\":3,\"b\":4},\"points\":0},{\"inputs\":{\"a\":4,\"b\":4},\"points\":10}]}"

static bool has_error(const struct fw_errors *e, const char *path, const char *fragment)
{
    for (size_t i = 0; i < e->n; i++)
        if (!strcmp(e->v[i].path, path) && (!fragment || strstr(e->v[i].message, fragment)))
            return true;
    for (size_t i = 0; i < e->n; i++)
        fprintf(stderr, "  %s: %s\n", e->v[i].path, e->v[i].message);
    return false;
}

static struct framework *load(const char *extra, struct fw_errors *e)
{
    const char *t = doc(extra);
    return fw_load(t, strlen(t), e);
}

static void score_with(const struct fw_criterion *c, const char *reading, const char *inputs,
                       struct score_result *r)
{
    json_error_t je;
    json_t *in = json_loads(inputs, 0, &je);
    assert_non_null(in);
    struct value vals[64];
    struct fw_errors e = {0};
    assert_int_equal(criterion_values_from_json(c, in, vals, "inputs", &e), 0);
    assert_true(score_criterion_reading(c, reading, vals, true, r));
    json_decref(in);
    fw_errors_free(&e);
}

static void test_load_and_score(void **state)
{
    (void)state;
    char extra[2048];
    snprintf(extra, sizeof extra, ",\"alternatives\":[" AON "]");
    struct fw_errors e = {0};
    struct framework *fw = load(extra, &e);
    assert_non_null(fw);
    const struct fw_criterion *c = fw->criteria[0];
    assert_int_equal(c->n_alternatives, 1);
    assert_string_equal(c->alternatives[0].label, "Đạt hoặc không");
    struct score_result r;
    score_with(c, "main", "{\"a\":3,\"b\":4}", &r);
    assert_int_equal(r.points_h, 750);
    score_with(c, NULL, "{\"a\":3,\"b\":4}", &r);
    assert_int_equal(r.points_h, 750);
    score_with(c, "all_or_nothing", "{\"a\":3,\"b\":4}", &r);
    assert_int_equal(r.points_h, 0);
    score_with(c, "all_or_nothing", "{\"a\":4,\"b\":4}", &r);
    assert_int_equal(r.points_h, 1000);
    struct value vals[2] = {{0}};
    assert_false(score_criterion_reading(c, "nope", vals, false, &r));

    /* listing for the API: main first, then the alternative with its rule text */
    json_t *list = fw_readings_json(c);
    assert_int_equal(json_array_size(list), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "name")), "main");
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 1), "rule")), "formula");
    assert_non_null(json_object_get(json_array_get(list, 1), "rule_text"));
    json_decref(list);

    /* round trip: written back, loaded again, same alternatives */
    json_t *w = fw_write(fw);
    json_t *alts = json_object_get(json_array_get(json_object_get(json_array_get(json_object_get(
        json_array_get(json_object_get(w, "pillars"), 0), "groups"), 0), "criteria"), 0), "alternatives");
    assert_int_equal(json_array_size(alts), 1);
    struct framework *fw2 = fw_load_json(w, &e);
    assert_non_null(fw2);
    assert_int_equal(fw2->criteria[0]->n_alternatives, 1);
    assert_int_equal(fw2->criteria[0]->alternatives[0].n_examples, 2);
    assert_string_equal(fw2->criteria[0]->alternatives[0].why, "100%");
    json_decref(w);
    fw_free(fw2);
    fw_free(fw);
    fw_errors_free(&e);
}

static void expect_error(const char *extra, const char *path, const char *fragment)
{
    struct fw_errors e = {0};
    struct framework *fw = load(extra, &e);
    assert_null(fw);
    assert_true(has_error(&e, path, fragment));
    fw_errors_free(&e);
}

static void test_errors(void **state)
{
    (void)state;
    /* a bad rule: unknown input, like the main rule's check */
    expect_error(",\"alternatives\":[{\"name\":\"x\",\"label\":\"X\",\"rule\":{\"type\":\"yes_no\","
                 "\"input\":\"zz\"},\"examples\":[{\"inputs\":{},\"points\":0}]}]",
                 P ".alternatives[0].rule.input", "không có dữ liệu đầu vào tên 'zz'");
    expect_error(",\"alternatives\":[{\"name\":\"x\",\"label\":\"X\",\"rule\":{\"type\":\"nope\"},"
                 "\"examples\":[{\"inputs\":{},\"points\":0}]}]",
                 P ".alternatives[0].rule.type", "loại quy tắc không tồn tại");
    /* duplicate and reserved names */
    char extra[4096];
    snprintf(extra, sizeof extra, ",\"alternatives\":[" AON "," AON "]");
    expect_error(extra, P ".alternatives[1].name", "bị trùng");
    expect_error(",\"alternatives\":[{\"name\":\"main\",\"label\":\"X\",\"rule\":{\"type\":\"manual\","
                 "\"input\":\"a\"},\"examples\":[]}]",
                 P ".alternatives[0].name", "main");
    expect_error(",\"alternatives\":[{\"name\":\"Bad-Name\",\"label\":\"X\",\"rule\":{\"type\":\"ratio\","
                 "\"numerator\":\"a\",\"denominator\":\"b\"},\"examples\":[{\"inputs\":{\"a\":1,\"b\":2},\"points\":5}]}]",
                 P ".alternatives[0].name", "[a-z]");
    /* a worked example the engine disagrees with */
    expect_error(",\"alternatives\":[{\"name\":\"full\",\"label\":\"X\",\"rule\":{\"type\":\"ratio\","
                 "\"numerator\":\"a\",\"denominator\":\"b\",\"zero_denominator\":\"full\"},"
                 "\"examples\":[{\"inputs\":{\"a\":0,\"b\":0},\"points\":9}]}]",
                 P ".alternatives[0].examples[0]", "ví dụ ghi 9 điểm nhưng quy tắc cho 10");
    /* no examples, unknown field, missing label */
    expect_error(",\"alternatives\":[{\"name\":\"x\",\"label\":\"X\",\"rule\":{\"type\":\"ratio\","
                 "\"numerator\":\"a\",\"denominator\":\"b\"}}]",
                 P ".alternatives[0].examples", "ít nhất một ví dụ");
    expect_error(",\"alternatives\":[{\"name\":\"x\",\"label\":\"X\",\"rule\":{\"type\":\"ratio\","
                 "\"numerator\":\"a\",\"denominator\":\"b\"},\"examples\":[{\"inputs\":{\"a\":1,\"b\":2},"
                 "\"points\":5}],\"lable\":1}]",
                 P ".alternatives[0].lable", NULL);
    expect_error(",\"alternatives\":[]", P ".alternatives", "không được rỗng");
}

/* A display maximum no unit can reach (VIII 2.1: max 10, 5 ideas × 1 point) is refused unless
 * declared, and the declaration must be exact. */
static void test_max_reachable(void **state)
{
    (void)state;
#define REACH_BASE \
        "{\"format\":\"dti-framework/1\",\"id\":\"reach\",\"version\":1,\"title\":\"T\"," \
        "\"level\":\"department\",\"year\":2024,\"status\":\"official\",\"max_points\":10," \
        "\"pillars\":[{\"key\":\"p\",\"code\":\"I\",\"title\":\"P\",\"max_points\":10," \
        "\"groups\":[{\"key\":\"g\",\"code\":\"1\",\"title\":\"G\",\"criteria\":[{\"key\":\"c\"," \
        "\"code\":\"2.1\",\"title\":\"C\",\"max_points\":10%s," \
        "\"inputs\":[{\"name\":\"n\",\"label\":\"N\",\"type\":\"count\"}]," \
        "\"rule\":{\"type\":\"per_item\",\"input\":\"n\",\"points_per_item\":1,\"max_items\":5}," \
        "\"examples\":[{\"inputs\":{\"n\":7},\"points\":5}]}]}]}]}"
    char t[4096];
    struct fw_errors e = {0};
    snprintf(t, sizeof t, REACH_BASE, "");
    assert_null(fw_load(t, strlen(t), &e));
    assert_true(has_error(&e, P ".rule", "quy tắc cho tối đa 5 điểm nhưng điểm tối đa hiển thị là 10"));
    fw_errors_free(&e);
    snprintf(t, sizeof t, REACH_BASE, ",\"max_reachable\":4");
    assert_null(fw_load(t, strlen(t), &e));
    assert_true(has_error(&e, P ".max_reachable", "khai báo đạt tối đa 4 điểm nhưng quy tắc cho tối đa 5"));
    fw_errors_free(&e);
    snprintf(t, sizeof t, REACH_BASE, ",\"max_reachable\":10");
    assert_null(fw_load(t, strlen(t), &e));
    assert_true(has_error(&e, P ".max_reachable", "phải nhỏ hơn điểm tối đa"));
    fw_errors_free(&e);
    snprintf(t, sizeof t, REACH_BASE, ",\"max_reachable\":5");
    struct framework *fw = fw_load(t, strlen(t), &e);
    assert_non_null(fw);
    json_t *w = fw_write(fw);
    struct framework *fw2 = fw_load_json(w, &e);
    assert_non_null(fw2);
    assert_true(fw2->criteria[0]->has_max_reachable);
    json_decref(w);
    fw_free(fw2);
    fw_free(fw);
    fw_errors_free(&e);
}

static struct framework *shipped(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    struct fw_errors e = {0};
    struct framework *fw = fw_load(buf, n, &e);
    assert_non_null(fw);
    fw_errors_free(&e);
    return fw;
}

static const struct fw_criterion *crit(const struct framework *fw, const char *key)
{
    long i = fw_find_criterion(fw, key);
    assert_true(i >= 0);
    return fw->criteria[i];
}

static void expect(const struct framework *fw, const char *key, const char *reading,
                   const char *inputs, int64_t points_h, enum score_status st)
{
    struct score_result r;
    score_with(crit(fw, key), reading, inputs, &r);
    if (r.status != st || r.points_h != points_h)
        fprintf(stderr, "%s/%s %s: %s %lld (%s%s)\n", key, reading, inputs, score_status_name(r.status),
                (long long)r.points_h, r.explain, r.error);
    assert_int_equal(r.status, st);
    assert_int_equal(r.points_h, points_h);
}

/* The alternatives issue 8 lists, scored with the figures of the sets' worked examples. */
static void test_shipped_alternatives(void **state)
{
    (void)state;
    struct framework *so = shipped("frameworks/hue-cap-so-2023.json");
    assert_int_equal(so->version, 3);
    /* V 3.1: a condition (yes/no) vs proportional */
    expect(so, "v-3-1", "main", "{\"infected_handled\":3,\"infected\":4}", 0, SCORE_SCORED);
    expect(so, "v-3-1", "main", "{\"infected_handled\":4,\"infected\":4}", 500, SCORE_SCORED);
    expect(so, "v-3-1", "proportional", "{\"infected_handled\":3,\"infected\":4}", 375, SCORE_SCORED);
    expect(so, "v-3-1", "proportional", "{\"infected_handled\":0,\"infected\":0}", 500, SCORE_SCORED);
    /* I 5.2: months with an article up to 31.10 vs articles out of 12 */
    expect(so, "i-5-2", "main", "{\"months_with_article\":5,\"articles\":12}", 300, SCORE_SCORED);
    expect(so, "i-5-2", "articles_of_12", "{\"months_with_article\":5,\"articles\":12}", 600, SCORE_SCORED);
    expect(so, "i-5-2", "articles_of_12", "{\"articles\":6}", 300, SCORE_SCORED);
    /* zero denominator: not applicable / full / zero */
    const char *zk[] = {"vi-3-1", "vi-7-1", "vi-9-1", "vi-10-1"};
    for (size_t i = 0; i < 4; i++) {
        const struct fw_criterion *c = crit(so, zk[i]);
        char in[128];
        snprintf(in, sizeof in, "{\"%s\":0,\"%s\":0}", c->inputs[c->rule.num].name,
                 c->inputs[c->rule.den].name);
        expect(so, zk[i], "main", in, 0, SCORE_NOT_APPLICABLE);
        expect(so, zk[i], "empty_full", in, c->max_h, SCORE_SCORED);
        expect(so, zk[i], "empty_zero", in, 0, SCORE_SCORED);
    }
    expect(so, "vi-7-1", "all_or_nothing", "{\"online\":1627,\"total\":1663}", 0, SCORE_SCORED);
    expect(so, "vi-7-1", "main", "{\"online\":1627,\"total\":1663}", 978, SCORE_SCORED);
    /* VIII 2.1: declared reachable maximum 5; the "2 points each" reading reaches 10 */
    assert_true(crit(so, "viii-2-1")->has_max_reachable);
    expect(so, "viii-2-1", "main", "{\"consultations\":7}", 500, SCORE_SCORED);
    expect(so, "viii-2-1", "two_points_each", "{\"consultations\":7}", 1000, SCORE_SCORED);
    /* CCHC: marked as taken from another index */
    assert_string_equal(crit(so, "vi-10-1")->data_source_kind, "external_index");
    assert_string_equal(crit(so, "vi-10-1")->data_source_index, "cchc");
    fw_free(so);

    struct framework *hu = shipped("frameworks/hue-cap-huyen-2024.json");
    /* I.3 "trước 15/11": the 15th is late under the main reading, on time under on_or_before */
    expect(hu, "i-3", "main", "{\"reviewed_on\":\"2024-11-15\"}", 0, SCORE_SCORED);
    expect(hu, "i-3", "main", "{\"reviewed_on\":\"2024-11-14\"}", 500, SCORE_SCORED);
    expect(hu, "i-3", "on_or_before", "{\"reviewed_on\":\"2024-11-15\"}", 500, SCORE_SCORED);
    /* II.1: a plan of December of the previous year is on time; january_only refuses the date */
    expect(hu, "ii-1", "main", "{\"issued_on\":\"2023-12-25\"}", 1000, SCORE_SCORED);
    expect(hu, "ii-1", "main", "{\"issued_on\":\"2023-11-30\"}", 0, SCORE_ERROR);
    expect(hu, "ii-1", "main", "{\"issued_on\":\"2024-02-15\"}", 500, SCORE_SCORED);
    expect(hu, "ii-1", "january_only", "{\"issued_on\":\"2023-12-25\"}", 0, SCORE_ERROR);
    expect(hu, "ii-1", "january_only", "{\"issued_on\":\"2024-01-08\"}", 1000, SCORE_SCORED);
    /* a 100 % target: 12 of 24 articles */
    expect(hu, "i-4", "main", "{\"articles\":12}", 1200, SCORE_SCORED);
    expect(hu, "i-4", "all_or_nothing", "{\"articles\":12}", 0, SCORE_SCORED);
    fw_free(hu);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_and_score),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_max_reachable),
        cmocka_unit_test(test_shipped_alternatives),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
