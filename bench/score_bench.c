/* score_bench.c — 10,000 units × every criterion of an index set (hue-cap-so-2023: 69), inputs in
 * memory, scored without and with explanation text; compared in the same run with SQLite summing
 * the same precomputed points with GROUP BY unit from an in-memory table.
 * Usage: score_bench [FRAMEWORK.json] [UNITS]   (no file: a synthetic 69-criterion set) */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/framework.h"
#include "core/score.h"

static uint64_t rng = 88172645463325252ull;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A synthetic set with the rule mix of seed 002 (69 criteria, 500 points). */
static char *synthetic(void)
{
    size_t cap = 1 << 20, n = 0;
    char *s = malloc(cap);
    n += (size_t)snprintf(s + n, cap - n, "{\"format\":\"dti-framework/1\",\"id\":\"bench\",\"version\":1,"
                                          "\"title\":\"Synthetic\",\"level\":\"department\",\"year\":2023,"
                                          "\"status\":\"official\",\"max_points\":483,\"pillars\":[");
    int total = 0;
    for (int p = 0; p < 3; p++) {
        n += (size_t)snprintf(s + n, cap - n, "%s{\"key\":\"p%d\",\"code\":\"%d\",\"title\":\"P\",\"max_points\":%d,"
                              "\"groups\":[{\"key\":\"g%d\",\"code\":\"1\",\"title\":\"G\",\"criteria\":[",
                              p ? "," : "", p, p, 161, p);
        for (int k = 0; k < 23; k++) {
            int i = p * 23 + k, t = i % 10, mx = 7;
            total += mx;
            const char *body;
            char buf[1024];
            switch (t) {
            case 0: body = "\"inputs\":[{\"name\":\"s\",\"label\":\"L\",\"type\":\"choice\",\"options\":[{\"value\":\"head\",\"label\":\"Người đứng đầu\"},{\"value\":\"deputy\",\"label\":\"Cấp phó\"}]}],"
                           "\"rule\":{\"type\":\"by_signer\",\"input\":\"s\",\"fractions\":{\"head\":1,\"deputy\":0.5}},\"examples\":[{\"inputs\":{\"s\":\"head\"},\"points\":7}]"; break;
            case 1: body = "\"inputs\":[{\"name\":\"b\",\"label\":\"L\",\"type\":\"bool\"}],\"rule\":{\"type\":\"yes_no\",\"input\":\"b\"},\"examples\":[{\"inputs\":{\"b\":true},\"points\":7}]"; break;
            case 2: body = "\"inputs\":[{\"name\":\"a\",\"label\":\"Tổ chức\",\"type\":\"bool\"},{\"name\":\"b\",\"label\":\"Chủ trì\",\"type\":\"bool\"}],"
                           "\"rule\":{\"type\":\"checklist\",\"items\":[{\"input\":\"a\",\"points\":3.5},{\"input\":\"b\",\"points\":3.5,\"requires\":\"a\"}]},\"examples\":[{\"inputs\":{\"a\":true,\"b\":true},\"points\":7}]"; break;
            case 3: body = "\"inputs\":[{\"name\":\"n\",\"label\":\"L\",\"type\":\"count\",\"unit\":\"cuộc họp\"}],\"rule\":{\"type\":\"per_item\",\"input\":\"n\",\"points_per_item\":0.5,\"max_items\":14},\"examples\":[{\"inputs\":{\"n\":3},\"points\":1.5}]"; break;
            case 4: body = "\"inputs\":[{\"name\":\"n\",\"label\":\"L\",\"type\":\"count\",\"unit\":\"bài\"}],\"rule\":{\"type\":\"count_steps\",\"input\":\"n\",\"steps\":[{\"min\":2,\"fraction\":1},{\"min\":1,\"fraction\":0.5}]},\"examples\":[{\"inputs\":{\"n\":1},\"points\":3.5}]"; break;
            case 5: case 6: body = "\"inputs\":[{\"name\":\"x\",\"label\":\"L\",\"type\":\"count\"},{\"name\":\"y\",\"label\":\"L\",\"type\":\"count\"}],\"rule\":{\"type\":\"ratio\",\"numerator\":\"x\",\"denominator\":\"y\",\"zero_denominator\":\"zero\"},\"examples\":[{\"inputs\":{\"x\":1,\"y\":2},\"points\":3.5}]"; break;
            case 7: body = "\"inputs\":[{\"name\":\"n\",\"label\":\"L\",\"type\":\"count\"}],\"rule\":{\"type\":\"ratio_to_target\",\"input\":\"n\",\"target\":12},\"examples\":[{\"inputs\":{\"n\":12},\"points\":7}]"; break;
            case 8: body = "\"inputs\":[{\"name\":\"n\",\"label\":\"L\",\"type\":\"count\",\"unit\":\"sự cố\"}],\"rule\":{\"type\":\"penalty_per_incident\",\"input\":\"n\",\"penalty\":1,\"zero_at\":7},\"examples\":[{\"inputs\":{\"n\":3},\"points\":4}]"; break;
            default: body = "\"inputs\":[{\"name\":\"p\",\"label\":\"L\",\"type\":\"points\"}],\"rule\":{\"type\":\"manual\",\"input\":\"p\"},\"examples\":[{\"inputs\":{\"p\":5},\"points\":5}]"; break;
            }
            snprintf(buf, sizeof buf, "%s{\"key\":\"c%d\",\"code\":\"%d\",\"title\":\"C\",\"max_points\":%d,%s}", k ? "," : "", i, k, mx, body);
            n += (size_t)snprintf(s + n, cap - n, "%s", buf);
        }
        n += (size_t)snprintf(s + n, cap - n, "]}]}");
    }
    snprintf(s + n, cap - n, "]}");
    (void)total;
    return s;
}

static void random_value(const struct fw_criterion *c, size_t i, struct value *v)
{
    const struct fw_input *in = &c->inputs[i];
    memset(v, 0, sizeof *v);
    switch (in->type) {
    case IN_BOOL: v->kind = VAL_BOOL; v->num = rat_int((int64_t)(rnd() & 1)); break;
    case IN_COUNT: {
        int64_t hi = in->has_max ? (int64_t)(in->max.n / in->max.d) : 1000;
        int64_t lo = in->has_min ? (int64_t)(in->min.n / in->min.d) : 0;
        v->kind = VAL_NUM;
        v->num = rat_int(lo + (int64_t)(rnd() % (uint64_t)(hi - lo + 1)));
        break;
    }
    case IN_NUMBER: {
        v->kind = VAL_NUM;
        int64_t lo = in->has_min ? (int64_t)(in->min.n / in->min.d) : 0;
        int64_t hi = in->has_max ? (int64_t)(in->max.n / in->max.d) : 1000;
        rat_make(&v->num, (lo + (int64_t)(rnd() % (uint64_t)(hi - lo + 1))) * 10 - (hi > lo ? (int64_t)(rnd() % 10) : 0), 10);
        if (rat_cmp(v->num, rat_int(lo)) < 0) v->num = rat_int(lo);
        break;
    }
    case IN_RATIO: v->kind = VAL_NUM; rat_make(&v->num, (i128)(rnd() % 101), 100); break;
    case IN_POINTS: v->kind = VAL_NUM; v->num = rat_from_hundredths((int64_t)(rnd() % (uint64_t)(c->max_h + 1))); break;
    case IN_CHOICE: v->kind = VAL_TEXT; v->text = in->options[rnd() % in->n_options].value; break;
    case IN_DATE: v->kind = VAL_DATE; v->date = 20230000 + (int32_t)(1 + rnd() % 12) * 100 + (int32_t)(1 + rnd() % 28); break;
    }
}

int main(int argc, char **argv)
{
    const char *file = argc > 1 && argv[1][0] ? argv[1] : NULL;
    size_t units = argc > 2 ? (size_t)atol(argv[2]) : 10000;
    char *text = NULL;
    size_t len = 0;
    if (file) {
        FILE *f = fopen(file, "rb");
        if (!f) { perror(file); return 1; }
        fseek(f, 0, SEEK_END);
        len = (size_t)ftell(f);
        rewind(f);
        text = malloc(len + 1);
        if (fread(text, 1, len, f) != len) { fclose(f); return 1; }
        fclose(f);
        text[len] = 0;
    } else {
        text = synthetic();
        len = strlen(text);
    }
    struct fw_errors errs = {0};
    struct framework *fw = fw_load(text, len, &errs);
    if (!fw) {
        for (size_t i = 0; i < errs.n; i++) fprintf(stderr, "%s: %s\n", errs.v[i].path, errs.v[i].message);
        return 1;
    }
    size_t nc = fw->n_criteria, nv = fw->n_values;
    printf("index set: %s (%zu criteria), %zu units -> %zu criterion scores\n", file ? fw->id : "synthetic", nc, units, units * nc);
    struct value *vals = calloc(units * nv + 1, sizeof *vals);
    uint8_t *state = malloc(nc);
    memset(state, CS_PRESENT, nc);
    for (size_t u = 0; u < units; u++)
        for (size_t k = 0; k < nc; k++) {
            const struct fw_criterion *c = fw->criteria[k];
            struct value *cv = vals + u * nv + c->input_offset;
            for (size_t i = 0; i < c->n_inputs; i++)
                random_value(c, i, &cv[i]);
            if (c->rule.type == R_RATIO || c->rule.type == R_INVERSE_RATIO) {
                /* valid: numerator <= denominator */
                int64_t den = (int64_t)(cv[c->rule.den].num.n / cv[c->rule.den].num.d);
                cv[c->rule.num].num = rat_int(den ? (int64_t)(rnd() % (uint64_t)(den + 1)) : 0);
            }
        }
    struct score_result *res = malloc(nc * sizeof *res);
    int64_t *ph = calloc(fw->n_pillars, sizeof *ph), *pm = calloc(fw->n_pillars, sizeof *pm);
    int64_t *points = malloc(units * nc * sizeof *points);
    double t_plain = 0, t_explain = 0;
    int64_t check = 0;
    size_t errors = 0;
    for (int pass = 0; pass < 2; pass++) {
        bool explain = pass == 1;
        double t0 = now();
        for (size_t u = 0; u < units; u++) {
            struct unit_inputs ui = {-1, vals + u * nv, state, NULL};
            struct unit_score us = {.pillar_h = ph, .pillar_max_h = pm};
            score_unit(fw, &ui, explain, res, &us);
            check += us.total_h;
            errors += us.n_error;
            if (!explain)
                for (size_t k = 0; k < nc; k++)
                    points[u * nc + k] = res[k].points_h;
        }
        double t = now() - t0;
        if (explain) t_explain = t; else t_plain = t;
    }
    /* SQLite: the same points, precomputed, summed per unit. */
    sqlite3 *db;
    sqlite3_open(":memory:", &db);
    sqlite3_exec(db, "CREATE TABLE t(unit INTEGER, points INTEGER); BEGIN", NULL, NULL, NULL);
    sqlite3_stmt *ins;
    sqlite3_prepare_v2(db, "INSERT INTO t VALUES (?, ?)", -1, &ins, NULL);
    for (size_t u = 0; u < units; u++)
        for (size_t k = 0; k < nc; k++) {
            sqlite3_bind_int64(ins, 1, (sqlite3_int64)u);
            sqlite3_bind_int64(ins, 2, points[u * nc + k]);
            sqlite3_step(ins);
            sqlite3_reset(ins);
        }
    sqlite3_finalize(ins);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    sqlite3_stmt *q;
    double best_sql = 1e9;
    int64_t sql_check = 0;
    for (int rep = 0; rep < 3; rep++) { /* best of 3, so SQLite is measured warm */
        sqlite3_prepare_v2(db, "SELECT unit, SUM(points) FROM t GROUP BY unit", -1, &q, NULL);
        double t0 = now();
        int64_t s = 0;
        while (sqlite3_step(q) == SQLITE_ROW)
            s += sqlite3_column_int64(q, 1);
        double t = now() - t0;
        sqlite3_finalize(q);
        if (t < best_sql) best_sql = t;
        sql_check = s;
    }
    sqlite3_close(db);
    printf("scoring, no explanation : %8.1f ms\n", t_plain * 1e3);
    printf("scoring, explanation    : %8.1f ms\n", t_explain * 1e3);
    printf("SQLite GROUP BY (best/3): %8.1f ms\n", best_sql * 1e3);
    printf("ratio no explanation    : %6.2fx (target <= 1x)\n", t_plain / best_sql);
    printf("ratio with explanation  : %6.2fx (target <= 3x)\n", t_explain / best_sql);
    printf("checksum: scoring %lld (both passes), SQLite %lld, input errors %zu\n", (long long)check,
           (long long)sql_check * 2, errors);
    fw_free(fw);
    free(text); free(vals); free(state); free(res); free(ph); free(pm); free(points);
    return check == sql_check * 2 ? 0 : 1;
}
