/* test_framework.c — the index set loader: every error listed with its JSON path, round trip
 * (load → write → load gives the same tree), and every shipped frameworks/ JSON file validates with
 * all its worked examples. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/framework.h"
#include "core/fw_json.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *s = malloc((size_t)n + 1);
    *len = fread(s, 1, (size_t)n, f);
    s[*len] = 0;
    fclose(f);
    return s;
}

static bool has_error(const struct fw_errors *e, const char *path, const char *fragment)
{
    for (size_t i = 0; i < e->n; i++)
        if (!strcmp(e->v[i].path, path) && (!fragment || strstr(e->v[i].message, fragment)))
            return true;
    return false;
}

static void dump_errors(const struct fw_errors *e)
{
    for (size_t i = 0; i < e->n; i++)
        fprintf(stderr, "  %s: %s\n", e->v[i].path, e->v[i].message);
}

/* load → write → load → write: both written documents are identical, and so are the trees'
 * totals and every criterion's fields that the writer covers. */
static void round_trip(const char *text, size_t len, const char *name)
{
    struct fw_errors e = {0};
    struct framework *a = fw_load(text, len, &e);
    if (!a) {
        fprintf(stderr, "%s does not load:\n", name);
        dump_errors(&e);
        fail();
    }
    json_t *ja = fw_write(a);
    char *sa = json_dumps(ja, JSON_SORT_KEYS | JSON_REAL_PRECISION(17));
    struct framework *b = fw_load_json(ja, &e);
    if (!b) {
        fprintf(stderr, "%s: written form does not load:\n", name);
        dump_errors(&e);
        fail();
    }
    json_t *jb = fw_write(b);
    char *sb = json_dumps(jb, JSON_SORT_KEYS | JSON_REAL_PRECISION(17));
    assert_string_equal(sa, sb);
    assert_int_equal(a->n_criteria, b->n_criteria);
    assert_int_equal(a->max_h, b->max_h);
    assert_int_equal(a->n_values, b->n_values);
    for (size_t i = 0; i < a->n_criteria; i++) {
        assert_string_equal(a->criteria[i]->key, b->criteria[i]->key);
        assert_int_equal(a->criteria[i]->max_h, b->criteria[i]->max_h);
        assert_int_equal(a->criteria[i]->rule.type, b->criteria[i]->rule.type);
        assert_int_equal(a->criteria[i]->n_examples, b->criteria[i]->n_examples);
    }
    /* the written form of a file also keeps every field of the original (no data lost):
     * original keys other than _comments must all be present in the written object */
    json_t *orig = json_loadb(text, len, 0, NULL);
    json_t *op = json_object_get(orig, "pillars"), *wp = json_object_get(ja, "pillars");
    assert_int_equal(json_array_size(op), json_array_size(wp));
    json_decref(orig);
    free(sa);
    free(sb);
    json_decref(ja);
    json_decref(jb);
    fw_free(a);
    fw_free(b);
    fw_errors_free(&e);
}

static void test_sample_round_trip(void **st)
{
    (void)st;
    size_t len;
    char *t = slurp("tests/data/sample-framework.json", &len);
    assert_non_null(t);
    round_trip(t, len, "sample");
    free(t);
}

static void test_shipped_frameworks(void **st)
{
    (void)st;
    DIR *d = opendir("frameworks");
    if (!d) {
        fprintf(stderr, "(no frameworks/ directory yet)\n");
        return;
    }
    struct dirent *de;
    int n = 0;
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (l < 6 || strcmp(de->d_name + l - 5, ".json"))
            continue;
        char path[512], *t;
        size_t len;
        snprintf(path, sizeof path, "frameworks/%s", de->d_name);
        t = slurp(path, &len);
        assert_non_null(t);
        /* fw_load scores every worked example: a wrong one is an error here */
        round_trip(t, len, path);
        free(t);
        n++;
    }
    closedir(d);
    fprintf(stderr, "%d shipped index set(s) validated\n", n);
}

static void test_shipped_hue_cap_so(void **st)
{
    (void)st;
    size_t len;
    char *t = slurp("frameworks/hue-cap-so-2023.json", &len);
    if (!t) {
        fprintf(stderr, "(frameworks/hue-cap-so-2023.json not present yet)\n");
        return;
    }
    struct fw_errors e = {0};
    struct framework *fw = fw_load(t, len, &e);
    free(t);
    assert_non_null(fw);
    assert_int_equal(fw->n_criteria, 69);
    assert_int_equal(fw->max_h, 50000);
    static const int64_t maxima[] = {60, 45, 60, 30, 40, 195, 10, 40, 20};
    assert_int_equal(fw->n_pillars, 9);
    for (size_t p = 0; p < 9; p++)
        assert_int_equal(fw->pillars[p].max_h, maxima[p] * 100);
    json_t *j = fw_totals_json(fw);
    assert_int_equal(json_integer_value(json_object_get(j, "max_points")), 500);
    assert_int_equal(json_integer_value(json_object_get(j, "criteria_count")), 69);
    json_decref(j);
    fw_free(fw);
}

/* A file with many mistakes: each is reported at its place, all at once. */
static void test_errors_listed(void **st)
{
    (void)st;
    const char *bad =
        "{\"format\":\"dti-framework/1\",\"id\":\"X!\",\"version\":0,\"title\":\"T\",\"level\":\"city\","
        "\"year\":2023,\"status\":\"draft\",\"max_points\":20,\"colour\":\"red\",\"pillars\":["
        "{\"key\":\"p\",\"code\":\"I\",\"title\":\"P\",\"max_points\":12,\"groups\":[{\"key\":\"g\",\"code\":\"1\",\"title\":\"G\",\"criteria\":["
        " {\"key\":\"c1\",\"code\":\"1.1\",\"title\":\"A\",\"max_points\":10,"
        "  \"inputs\":[{\"name\":\"x\",\"label\":\"X\",\"type\":\"count\"}],"
        "  \"rule\":{\"type\":\"ratio\",\"numerator\":\"x\",\"denominator\":\"y\"},"
        "  \"examples\":[{\"inputs\":{\"x\":1},\"points\":1}]},"
        " {\"key\":\"c1\",\"code\":\"1.1\",\"title\":\"B\",\"max_points\":1.234,"
        "  \"rule\":{\"type\":\"magic\"},\"examples\":[]},"
        " {\"key\":\"c3\",\"code\":\"1.3\",\"title\":\"C\",\"max_points\":2,"
        "  \"inputs\":[{\"name\":\"m\",\"label\":\"M\",\"type\":\"count\"}],"
        "  \"rule\":{\"type\":\"per_item\",\"input\":\"m\",\"points_per_item\":0.5,\"max_items\":4},"
        "  \"examples\":[{\"inputs\":{\"m\":3},\"points\":2}]},"
        " {\"key\":\"c4\",\"code\":\"1.4\",\"title\":\"D\",\"max_points\":1,"
        "  \"inputs\":[{\"name\":\"a\",\"label\":\"A\",\"type\":\"bool\"},{\"name\":\"b\",\"label\":\"B\",\"type\":\"bool\"}],"
        "  \"rule\":{\"type\":\"checklist\",\"items\":[{\"input\":\"a\",\"points\":1},{\"input\":\"b\",\"points\":1}]},"
        "  \"examples\":[{\"inputs\":{\"a\":true},\"points\":1}]},"
        " {\"key\":\"c5\",\"code\":\"1.5\",\"title\":\"E\",\"max_points\":1,"
        "  \"inputs\":[{\"name\":\"a\",\"label\":\"A\",\"type\":\"number\"}],"
        "  \"rule\":{\"type\":\"formula\",\"expr\":\"min(a; 1\"},"
        "  \"examples\":[{\"inputs\":{\"a\":1},\"points\":1}]}"
        "]}]}]}";
    struct fw_errors e = {0};
    struct framework *fw = fw_load(bad, strlen(bad), &e);
    assert_null(fw);
    const char *c = "pillars[0].groups[0].criteria";
    char p[256];
    struct { const char *path; const char *frag; } want[] = {
        {"id", "a-z"},
        {"version", "số nguyên"},
        {"level", "cấp"},
        {"colour", "không được hỗ trợ"},
        {"draft_note", "dự thảo"},
        {"pillars[0].max_points", "trụ cột"},
        {NULL, NULL},
    };
    for (size_t i = 0; want[i].path; i++)
        if (!has_error(&e, want[i].path, want[i].frag)) {
            dump_errors(&e);
            fail_msg("no error at %s", want[i].path);
        }
    struct { const char *sub; const char *frag; } cw[] = {
        {"[0].rule.denominator", "'y'"},
        {"[1].key", "trùng"},
        {"[1].max_points", "2 chữ số"},
        {"[1].rule.type", "magic"},
        {"[1].examples", "ít nhất một ví dụ"},
        {"[2].examples[0]", "quy tắc cho 1,5"},
        {"[3].rule.items", "lớn hơn điểm tối đa"},
        {"[4].rule.expr", "vị trí"},
        {NULL, NULL},
    };
    for (size_t i = 0; cw[i].sub; i++) {
        snprintf(p, sizeof p, "%s%s", c, cw[i].sub);
        if (!has_error(&e, p, cw[i].frag)) {
            dump_errors(&e);
            fail_msg("no error at %s", p);
        }
    }
    fw_errors_free(&e);
    /* not JSON at all */
    fw = fw_load("{\"a\":", 5, &e);
    assert_null(fw);
    assert_int_equal(e.n, 1);
    assert_non_null(strstr(e.v[0].message, "JSON không hợp lệ"));
    fw_errors_free(&e);
    /* duplicate JSON keys are refused */
    fw = fw_load("{\"id\":\"a\",\"id\":\"b\"}", 20, &e);
    assert_null(fw);
    fw_errors_free(&e);
}

static void test_input_rule_types(void **st)
{
    (void)st;
    /* a rule naming an input of the wrong type */
    const char *t =
        "{\"format\":\"dti-framework/1\",\"id\":\"abc\",\"version\":1,\"title\":\"T\",\"level\":\"department\","
        "\"year\":2023,\"status\":\"official\",\"max_points\":1,\"pillars\":[{\"key\":\"p\",\"code\":\"I\","
        "\"title\":\"P\",\"max_points\":1,\"groups\":[{\"key\":\"g\",\"code\":\"1\",\"title\":\"G\",\"criteria\":["
        "{\"key\":\"c\",\"code\":\"1\",\"title\":\"C\",\"max_points\":1,\"_comment\":\"ignored\","
        "\"inputs\":[{\"name\":\"d\",\"label\":\"D\",\"type\":\"date\"},{\"name\":\"d\",\"label\":\"D2\",\"type\":\"bool\"}],"
        "\"rule\":{\"type\":\"yes_no\",\"input\":\"d\"},\"examples\":[{\"inputs\":{},\"points\":0}]}]}]}]}";
    struct fw_errors e = {0};
    assert_null(fw_load(t, strlen(t), &e));
    const char *c = "pillars[0].groups[0].criteria[0]";
    char p[200];
    snprintf(p, sizeof p, "%s.rule.input", c);
    assert_true(has_error(&e, p, "cần kiểu bool"));
    snprintf(p, sizeof p, "%s.inputs[1].name", c);
    assert_true(has_error(&e, p, "trùng"));
    for (size_t i = 0; i < e.n; i++)
        assert_null(strstr(e.v[i].path, "_comment"));
    fw_errors_free(&e);
}

/* Levels, unit kinds and statuses are shown in Vietnamese, never as the file's codes. */
static void test_labels(void **st)
{
    (void)st;
    assert_string_equal(fw_level_label("province"), "Cấp tỉnh");
    assert_string_equal(fw_level_label("department"), "Cấp sở");
    assert_string_equal(fw_level_label("district"), "Cấp huyện");
    assert_string_equal(fw_level_label("commune"), "Cấp xã");
    assert_string_equal(fw_unit_kind_label(UK_DEPARTMENT), "Cấp sở");
    assert_string_equal(fw_unit_kind_label(UK_OTHER), "Khác");
    assert_string_equal(fw_status_label("official"), "chính thức");
    assert_string_equal(fw_status_label("draft"), "dự thảo");
    /* a wrong level in a file: the codes to write, each with its meaning */
    const char *t = "{\"format\":\"dti-framework/1\",\"level\":\"so\",\"status\":\"final\"}";
    struct fw_errors e = {0};
    assert_null(fw_load(t, strlen(t), &e));
    assert_true(has_error(&e, "level", "department (cấp sở)"));
    assert_true(has_error(&e, "status", "\"draft\" (dự thảo)"));
    fw_errors_free(&e);
}

/* A formula dividing by a constant zero is refused by the loader, with the criterion's key
 * and the formula in the message, at the rule's expr; nothing is loaded. */
static void test_formula_constant_zero_divisor(void **st)
{
    (void)st;
    size_t len;
    char *text = slurp("tests/data/sample-framework.json", &len);
    json_t *doc = json_loads(text, 0, NULL);
    assert_non_null(doc);
    json_t *crit = json_array_get(
        json_object_get(json_array_get(json_object_get(json_array_get(json_object_get(doc, "pillars"), 1),
                                                       "groups"), 2), "criteria"), 0);
    json_t *rule = json_object_get(crit, "rule");
    assert_string_equal(json_string_value(json_object_get(rule, "type")), "formula");
    json_object_set_new(rule, "expr", json_string("min(10; (a + b) / (2 - 2))"));
    struct fw_errors e = {0};
    assert_null(fw_load_json(doc, &e));
    const char *where = "pillars[1].groups[2].criteria[0].rule.expr";
    assert_true(has_error(&e, where, "chia cho 0"));
    assert_true(has_error(&e, where, "tiêu chí 'iii-2b-1'"));
    assert_true(has_error(&e, where, "min(10; (a + b) / (2 - 2))"));
    fw_errors_free(&e);
    /* the same division behind a constant false condition never runs: accepted */
    json_object_set_new(rule, "expr", json_string("if(0; a / 0; min(10; if(signer = \"head\"; a + b; (a + b) * 0,5)))"));
    struct framework *fw = fw_load_json(doc, &e);
    if (!fw)
        dump_errors(&e);
    assert_non_null(fw);
    fw_free(fw);
    fw_errors_free(&e);
    json_decref(doc);
    free(text);
}

/* Every rule type has its row (name, keys, load, score, describe, write) and the name is the
 * one the file format uses. */
static void test_rule_table(void **st)
{
    (void)st;
    static const char *const names[] = {"yes_no", "by_signer", "checklist", "per_item", "count_steps",
                                        "ratio_to_target", "ratio", "inverse_ratio",
                                        "penalty_per_incident", "deadline", "not_applicable",
                                        "manual", "formula"};
    assert_int_equal(R_TYPE_COUNT, sizeof names / sizeof names[0]);
    for (int t = 0; t < R_TYPE_COUNT; t++)
        assert_string_equal(fw_rule_type_name((enum fw_rule_type)t), names[t]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sample_round_trip), cmocka_unit_test(test_shipped_frameworks),
        cmocka_unit_test(test_shipped_hue_cap_so), cmocka_unit_test(test_errors_listed),
        cmocka_unit_test(test_input_rule_types), cmocka_unit_test(test_labels),
        cmocka_unit_test(test_formula_constant_zero_divisor), cmocka_unit_test(test_rule_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
