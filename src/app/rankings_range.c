/* rankings_range.c — each unit's best and worst rank under the alternative readings the round
 * declares (docs/results-api.md "Rank ranges"). For every ambiguous criterion of the level's set
 * and every approved task of it, the engine scores the inputs the approval rests on under each
 * reading; the unit's points under reading o are its approved points moved by the engine's
 * difference between o and the chosen reading (kept within 0 … max), so an appraiser's own
 * judgement carries over and readings that agree on a unit's data do not move it. The
 * combinations are core/ranking.c's. */
#include <stdlib.h>
#include <string.h>

#include "app/json_rows.h"
#include "app/rankings_calc.h"
#include "core/inputs.h"
#include "core/json_oom.h"
#include "core/score.h"

#define MAX_VALS 64

static int chosen_reading(db_conn *c, int64_t round_id, const char *fw_id, const char *key,
                          char *out, size_t n)
{
    db_rows *r = NULL;
    db_param p[] = {DB_P_INT(round_id), DB_P_TEXT(fw_id), DB_P_TEXT(key)};
    if (db_exec(c, "SELECT alternative FROM round_readings WHERE round_id = ? AND framework_id = ? "
                   "AND criterion_key = ?",
                p, 3, &r) != DB_OK)
        return -1;
    snprintf(out, n, "%s", db_rows_count(r) ? db_text(r, 0, 0) : "main");
    db_rows_free(r);
    return 0;
}

/* The inputs an approval rests on: the unit's report, else the appraiser-entered values, else
 * the external value. A new reference to an object, or NULL. */
static json_t *basis(const char *inputs, const char *appraiser, const char *external, bool *oom)
{
    json_error_t je;
    json_t *d = json_oom_loadb(inputs, strlen(inputs), 0, &je, oom);
    if (json_is_object(d) && json_object_size(d))
        return d;
    json_decref(d);
    if (appraiser && *appraiser) {
        json_t *a = json_oom_loadb(appraiser, strlen(appraiser), 0, &je, oom);
        json_t *o = json_is_object(a) && json_object_size(a) ? json_object() : NULL;
        const char *k;
        json_t *v;
        json_object_foreach(a, k, v)
        {
            json_t *val = json_is_object(v) ? json_object_get(v, "value") : v;
            if (o && val)
                json_object_set(o, k, val);
        }
        json_decref(a);
        if (o)
            return o;
    }
    if (external && *external) {
        json_t *e = json_oom_loadb(external, strlen(external), 0, &je, oom);
        json_t *v = json_object_get(e, "value");
        json_t *o = json_is_object(v) ? json_incref(v) : NULL;
        json_decref(e);
        return o;
    }
    return NULL;
}

static bool usable(const struct score_result *r)
{
    return r->status == SCORE_SCORED || r->status == SCORE_NOT_APPLICABLE;
}

/* One ambiguous criterion while filling: its readings (names[0] = the chosen one) and deltas. */
struct amb {
    const struct fw_criterion *cr;
    char chosen[64];
    const char *names[66];
    size_t opts;
    int64_t *dp, *dm;
};

/* Deltas of one approved task under each reading of its criterion. */
static int fill_task(struct amb *a, size_t n, size_t u, int64_t ap, const char *inputs,
                     const char *appraiser, const char *external)
{
    const struct fw_criterion *cr = a->cr;
    if (cr->n_inputs > MAX_VALS)
        return 0;
    bool oom = false;
    json_t *in = basis(inputs, appraiser, external, &oom);
    if (oom) {
        json_decref(in);
        return -1;
    }
    if (!in)
        return 0;
    struct value vals[MAX_VALS];
    struct fw_errors fe = {0};
    size_t bad = criterion_values_from_json(cr, in, vals, "inputs", &fe);
    fw_errors_free(&fe);
    struct score_result r0, ro;
    if (!bad && score_criterion_reading(cr, a->names[0], vals, false, &r0) && usable(&r0)) {
        int64_t m0 = r0.status == SCORE_NOT_APPLICABLE ? 0 : cr->max_h;
        for (size_t o = 1; o < a->opts; o++) {
            if (!score_criterion_reading(cr, a->names[o], vals, false, &ro) || !usable(&ro))
                continue;
            int64_t mo = ro.status == SCORE_NOT_APPLICABLE ? 0 : cr->max_h;
            int64_t po = ap + (ro.points_h - r0.points_h);
            po = po < 0 ? 0 : po > mo ? mo : po;
            a->dp[o * n + u] = po - ap;
            a->dm[o * n + u] = mo - m0;
        }
    }
    json_decref(in);
    return 0;
}

static int cmp_key(const void *x, const void *y)
{
    return strcmp(((const struct amb *)x)->cr->key, ((const struct amb *)y)->cr->key);
}

/* Every approved task of the ambiguous criteria, in one pass over the round's approved tasks
 * (one query, not one per criterion). */
static int fill_all(db_conn *c, int64_t round_id, const struct rk_level *l, struct amb *amb,
                    size_t k, struct app_err *err)
{
    if (!k)
        return 0;
    struct amb *sorted = malloc(sizeof *sorted * k);
    if (!sorted)
        return app_fail_internal(err);
    memcpy(sorted, amb, sizeof *sorted * k);
    qsort(sorted, k, sizeof *sorted, cmp_key);
    db_rows *r = NULL;
    db_param p[] = {DB_P_INT(round_id), DB_P_TEXT(l->fw_id)};
    if (db_exec(c, "SELECT subject_unit_id, approved_points, inputs, appraiser_inputs, "
                   "external_value, criterion_key FROM tasks WHERE round_id = ? AND state = "
                   "'approved' AND framework_id = ?",
                p, 2, &r) != DB_OK) {
        free(sorted);
        return app_fail_internal(err);
    }
    int rc = 0;
    for (int i = 0; !rc && i < db_rows_count(r); i++) {
        struct fw_criterion probe = {.key = (char *)db_text(r, i, 5)};
        struct amb key = {.cr = &probe};
        struct amb *a = bsearch(&key, sorted, k, sizeof *sorted, cmp_key);
        long u = a ? rk_unit_pos(l, db_int(r, i, 0)) : -1;
        if (u < 0)
            continue;
        if (fill_task(a, l->n, (size_t)u, db_is_null(r, i, 1) ? 0 : db_int(r, i, 1),
                      db_text(r, i, 2), db_is_null(r, i, 3) ? NULL : db_text(r, i, 3),
                      db_is_null(r, i, 4) ? NULL : db_text(r, i, 4)))
            rc = app_fail_internal(err);
    }
    db_rows_free(r);
    free(sorted);
    return rc;
}

void rk_ranges_free(struct rk_ranges *r)
{
    if (!r)
        return;
    free(r->crit);
    free(r->unit);
    free(r->swing);
    free(r);
}

int rk_ranges(db_conn *c, int64_t round_id, const struct rk_level *l, struct rk_ranges **out,
              struct app_err *err)
{
    const struct framework *fw = l->cf.fw;
    size_t n = l->n, k = 0;
    for (size_t i = 0; i < fw->n_criteria; i++)
        k += fw->criteria[i]->n_alternatives > 0;
    struct rk_ranges *rr = calloc(1, sizeof *rr);
    struct amb *amb = calloc(k + 1, sizeof *amb);
    size_t *opts = calloc(k + 1, sizeof *opts);
    const int64_t **dp = calloc(k + 1, sizeof *dp), **dm = calloc(k + 1, sizeof *dm);
    int rc = -1;
    if (!rr || !amb || !opts || !dp || !dm)
        goto internal;
    rr->n = n;
    rr->k = k;
    rr->fw = fw;
    rr->crit = calloc(k + 1, sizeof *rr->crit);
    rr->unit = calloc(n + 1, sizeof *rr->unit);
    rr->swing = calloc(k * n + 1, sizeof *rr->swing);
    if (!rr->crit || !rr->unit || !rr->swing)
        goto internal;
    size_t j = 0;
    for (size_t i = 0; i < fw->n_criteria; i++) {
        const struct fw_criterion *cr = fw->criteria[i];
        if (!cr->n_alternatives)
            continue;
        struct amb *a = &amb[j];
        a->cr = cr;
        if (chosen_reading(c, round_id, l->fw_id, cr->key, a->chosen, sizeof a->chosen))
            goto internal;
        a->names[a->opts++] = a->chosen;
        if (strcmp(a->chosen, "main"))
            a->names[a->opts++] = "main";
        for (size_t x = 0; x < cr->n_alternatives && a->opts < 66; x++)
            if (strcmp(cr->alternatives[x].name, a->chosen))
                a->names[a->opts++] = cr->alternatives[x].name;
        a->dp = calloc(a->opts * n + 1, sizeof *a->dp);
        a->dm = calloc(a->opts * n + 1, sizeof *a->dm);
        if (!a->dp || !a->dm)
            goto internal;
        rr->crit[j] = cr;
        opts[j] = a->opts;
        dp[j] = a->dp;
        dm[j] = a->dm;
        j++;
    }
    if (fill_all(c, round_id, l, amb, k, err))
        goto fail;
    struct rr_problem p = {.n = n,
                           .k = k,
                           .base_pts = l->pts,
                           .base_max = l->max,
                           .opts = opts,
                           .d_pts = dp,
                           .d_max = dm};
    if (rank_ranges(&p, rr->unit, rr->swing, &rr->exact, &rr->combos))
        goto internal;
    rc = 0;
    goto done;
internal:
    app_fail_internal(err);
fail:
done:
    for (size_t i = 0; amb && i < k; i++) {
        free(amb[i].dp);
        free(amb[i].dm);
    }
    free(amb);
    free(dp);
    free(dm);
    free(opts);
    if (rc) {
        rk_ranges_free(rr);
        rr = NULL;
    }
    *out = rr;
    return rc;
}

json_t *rk_range_json(const struct rk_ranges *r, size_t u)
{
    /* the three criteria with the largest swing, ties in set order (selection: k is small) */
    size_t top[3];
    int nt = 0;
    for (; nt < 3; nt++) {
        long best = -1;
        for (size_t c = 0; c < r->k; c++) {
            int s = r->swing[c * r->n + u];
            bool taken = false;
            for (int t = 0; t < nt; t++)
                taken = taken || top[t] == c;
            if (s > 0 && !taken && (best < 0 || s > r->swing[(size_t)best * r->n + u]))
                best = (long)c;
        }
        if (best < 0)
            break;
        top[nt] = (size_t)best;
    }
    json_t *crit = json_array();
    for (int t = 0; crit && t < nt; t++) {
        const struct fw_criterion *cr = r->crit[top[t]];
        /* the code as the set prints it, under its pillar: "III.1.1" */
        const char *pc = r->fw->pillars[cr->pillar].code;
        char code[96];
        snprintf(code, sizeof code, "%s%s%s", pc && *pc ? pc : "", pc && *pc ? "." : "",
                 cr->code);
        crit = json_append_or_free(crit, json_pack("{s:s,s:s,s:i}", "criterion_key", cr->key,
                                                   "code", code, "swing",
                                                   r->swing[top[t] * r->n + u]));
    }
    return json_pack("{s:i,s:i,s:b,s:o}", "best", r->unit[u].best, "worst", r->unit[u].worst,
                     "exact", r->exact, "criteria", crit);
}

json_t *rk_ranges_meta_json(const struct rk_ranges *r)
{
    return json_pack("{s:b,s:I,s:I}", "exact", r->exact, "combinations",
                     (json_int_t)(r->combos > (uint64_t)INT64_MAX ? INT64_MAX : r->combos),
                     "ambiguous_criteria", (json_int_t)r->k);
}
