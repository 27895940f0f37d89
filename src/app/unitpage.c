/* unitpage.c — where a unit can still gain points, and what-if (app/unitpage.h). Both read the
 * unit's tasks of one round through up_load (unitpage_load.c) and score with the same engine
 * the report form uses (task_crit_score); nothing is written. */
#include <stdlib.h>
#include <string.h>

#include "app/isotime.h"
#include "app/json_rows.h"
#include "app/level_totals.h"
#include "app/task_row.h"
#include "app/task_score.h"
#include "app/unitpage.h"
#include "app/unitpage_load.h"
#include "core/needs.h"
#include "core/progress.h"
#include "core/ranking.h"

/* Points one task still misses: max − current (current = approved once approved, else
 * self-assessed; nothing scored counts 0). Not applicable: nothing to gain. */
static int64_t missing_h(const struct up_task *t)
{
    if (t->na && t->state != WS_APPROVED)
        return 0;
    int64_t cur = progress_current_points(t->state, t->self_h, t->approved_h);
    int64_t m = t->max_h - (cur > 0 ? cur : 0);
    return m > 0 ? m : 0;
}

static json_t *points_or_null(int64_t h) { return h >= 0 ? json_hundredths(h) : json_null(); }

/* The window in which the unit can still change a task in this state, or NULL. */
static int window_for(enum wf_state st)
{
    switch (st) {
    case WS_NOT_STARTED:
    case WS_DRAFT:
    case WS_RETURNED:
    case WS_SUBMITTED:
        return PH_SELF_ASSESSMENT;
    case WS_EXPLANATION_REQUESTED:
        return PH_EXPLANATION;
    default:
        return PH_NONE;
    }
}

static json_t *window_json(const struct round_clock *k, int ph)
{
    if (ph == PH_NONE)
        return json_null();
    const struct phase_window *w = &k->w[ph];
    return json_pack("{s:s,s:s,s:o,s:o}", "phase", phase_code((enum phase)ph), "label",
                     phase_label((enum phase)ph), "starts_at", isotime_json(w->starts_at, !w->set),
                     "ends_at", isotime_json(w->ends_at, !w->set));
}

static json_t *gain_json(const struct up_unit *u, const struct up_task *t, int64_t now)
{
    char needs[600], measured[400];
    const struct fw_criterion *cr = t->tc.crit;
    const struct fw_pillar *p = &t->tc.cf.fw->pillars[cr->pillar];
    const char *reading = t->tc.reading[0] ? t->tc.reading : NULL;
    fw_rule_needs(cr, reading, t->vals_ok ? t->vals : NULL, needs, sizeof needs);
    fw_measured(cr, reading, t->vals_ok ? t->vals : NULL, measured, sizeof measured);
    int64_t due_at = task_due_at(cr->due, &u->clock);
    int64_t cur = progress_current_points(t->state, t->self_h, t->approved_h);
    json_t *crit = task_crit_json(&t->tc);
    json_t *inputs = crit ? json_incref(json_object_get(crit, "inputs")) : NULL;
    json_decref(crit);
    if (!inputs)
        return NULL;
    bool na = t->na && t->state != WS_APPROVED;
    return json_pack(
        "{s:I,s:s,s:s,s:s,s:{s:s,s:s,s:s},s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:b,s:o,s:o,s:s,s:o,s:s,"
        "s:s,s:o,s:O}",
        "task_id", (json_int_t)t->id, "criterion_key", cr->key, "code", cr->code ? cr->code : "",
        "title", cr->title ? cr->title : "", "pillar", "key", p->key, "code",
        p->code ? p->code : "", "title", p->title ? p->title : "", "state",
        wf_state_code(t->state), "state_label", wf_state_label(t->state), "max_points",
        json_hundredths(t->max_h), "self_points", points_or_null(t->self_h), "approved_points",
        points_or_null(t->state == WS_APPROVED ? t->approved_h : -1), "points",
        points_or_null(cur), "missing_points", json_hundredths(missing_h(t)), "not_applicable",
        na, "due", cr->due ? json_string(cr->due) : json_null(), "due_at",
        isotime_json(due_at, due_at == 0), "time_state", task_time_state(t->state, due_at, now),
        "window", window_json(&u->clock, window_for(t->state)), "needs", needs, "measured",
        measured, "criterion_inputs", inputs, "inputs", t->inputs);
}

static int cmp_missing(const void *a, const void *b)
{
    const struct up_task *x = *(const struct up_task *const *)a, *y = *(const struct up_task *const *)b;
    int64_t mx = missing_h(x), my = missing_h(y);
    if (mx != my)
        return mx > my ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The unit's totals as the page counts them. */
static void unit_totals(const struct up_unit *u, int64_t *pts, int64_t *max)
{
    *pts = *max = 0;
    for (size_t i = 0; i < u->n; i++) {
        const struct up_task *t = &u->t[i];
        if (t->na && t->state != WS_APPROVED)
            continue;
        int64_t cur = progress_current_points(t->state, t->self_h, t->approved_h);
        *pts += cur > 0 ? cur : 0;
        *max += t->max_h;
    }
}

json_t *unitpage_gains(db_conn *c, int64_t round_id, int64_t unit_id, int64_t now,
                       struct app_err *err)
{
    struct up_unit u;
    if (up_load(c, round_id, unit_id, now, 0, &u, err))
        return NULL;
    json_t *out = NULL;
    const struct up_task **order = calloc(u.n ? u.n : 1, sizeof *order);
    json_t *arr = json_array();
    if (!order || !arr)
        goto oom;
    for (size_t i = 0; i < u.n; i++)
        order[i] = &u.t[i];
    qsort(order, u.n, sizeof *order, cmp_missing);
    int64_t missing = 0;
    for (size_t i = 0; i < u.n; i++) {
        missing += missing_h(order[i]);
        if (!(arr = json_append_or_free(arr, gain_json(&u, order[i], now))))
            goto oom;
    }
    int64_t pts, max;
    unit_totals(&u, &pts, &max);
    json_t *windows = json_pack("[o,o]", window_json(&u.clock, PH_SELF_ASSESSMENT),
                                window_json(&u.clock, PH_EXPLANATION));
    out = json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o}", "round_id",
                    (json_int_t)round_id, "unit_id", (json_int_t)unit_id, "unit_code", u.code,
                    "unit_name", u.name, "level", u.level, "basis", "current", "points",
                    json_hundredths(pts), "max_points", json_hundredths(max), "missing_points",
                    json_hundredths(missing), "windows", windows, "criteria", arr);
    arr = NULL;
    if (!out)
        goto oom;
    free(order);
    up_free(&u);
    return out;
oom:
    json_decref(arr);
    free(order);
    up_free(&u);
    app_fail_internal(err);
    return NULL;
}

/* ---- what-if ---- */

/* An index key as ranking_ranks() compares it (core/ranking.c). */
static int64_t rank_key(int64_t pts, int64_t max)
{
    int64_t k = score_index_e4(pts, max);
    return k < 0 ? 0 : k > RANK_INDEX_SCALE ? RANK_INDEX_SCALE : k;
}

/* The rank of the unit u in its level (1-based; ties share a rank on the index as displayed:
 * 1 + the units strictly ahead) with its stored figures and with (pts, max) instead, from one
 * pass over the level's per-unit totals on the page's basis (app/level_totals.h). */
static int rank_in_level(db_conn *c, const struct up_unit *u, int64_t pts0, int64_t max0,
                         int64_t pts, int64_t max, int *rank0, int *rank, int *n_units,
                         struct app_err *err)
{
    struct level_totals *lt = level_totals_get(c, u->round_id, u->level, err);
    if (!lt)
        return -1;
    int n = (int)lt->n, ahead0 = 0, ahead = 0;
    bool self = false;
    int64_t k0 = rank_key(pts0, max0), k = rank_key(pts, max);
    for (size_t i = 0; i < lt->n; i++) {
        if (lt->u[i].unit_id == u->unit_id) {
            self = true;
            continue;
        }
        int64_t o = rank_key(lt->u[i].points_h, lt->u[i].max_h);
        ahead0 += o > k0;
        ahead += o > k;
    }
    level_totals_release(lt);
    *rank0 = 1 + ahead0;
    *rank = 1 + ahead;
    *n_units = n;
    return self ? 0 : app_fail_internal(err);
}

static json_t *figures(int64_t pts, int64_t max, int rank)
{
    int64_t e4 = score_index_e4(pts, max);
    return json_pack("{s:o,s:o,s:f,s:i}", "points", json_hundredths(pts), "max_points",
                     json_hundredths(max), "index", (double)e4 / 10000.0, "rank", rank);
}

/* inputs of the task with the change's merged over them (null removes an input). */
static json_t *merged_inputs(const json_t *stored, const json_t *change)
{
    json_t *m = json_is_object(stored) ? json_deep_copy(stored) : json_object();
    const char *k;
    json_t *v;
    if (!m)
        return NULL;
    json_object_foreach((json_t *)change, k, v)
    {
        if (json_is_null(v))
            json_object_del(m, k);
        else if (json_object_set(m, k, v)) {
            json_decref(m);
            return NULL;
        }
    }
    return m;
}

json_t *unitpage_what_if(db_conn *c, int64_t round_id, int64_t unit_id, const json_t *changes,
                         struct app_err *err)
{
    struct up_unit u;
    if (up_load(c, round_id, unit_id, 0, 0, &u, err))
        return NULL;
    int64_t pts0, max0, pts, max;
    unit_totals(&u, &pts0, &max0);
    pts = pts0;
    max = max0;
    json_t *tasks = json_array(), *out = NULL;
    if (!tasks)
        goto oom;
    size_t i;
    json_t *ch;
    json_array_foreach(changes, i, ch)
    {
        int64_t id = json_integer_value(json_object_get(ch, "task_id"));
        struct up_task *t = NULL;
        for (size_t k = 0; k < u.n && !t; k++)
            if (u.t[k].id == id)
                t = &u.t[k];
        if (!t) {
            char f[48];
            snprintf(f, sizeof f, "changes[%zu].task_id", i);
            app_fail(err, 422, "invalid_value", f,
                     "Nhiệm vụ %lld không thuộc đơn vị này trong đợt đánh giá.", (long long)id);
            goto fail;
        }
        for (size_t k = 0; k < i; k++)
            if (json_integer_value(json_object_get(json_array_get(changes, k), "task_id")) == id) {
                char f[48];
                snprintf(f, sizeof f, "changes[%zu].task_id", i);
                app_fail(err, 422, "invalid_value", f, "Nhiệm vụ %lld được nêu hai lần.",
                         (long long)id);
                goto fail;
            }
        json_t *in = merged_inputs(t->inputs, json_object_get(ch, "inputs"));
        if (!in)
            goto oom;
        struct score_result res;
        int rc = task_crit_score(&t->tc, in, true, &res, err);
        if (rc) {
            json_decref(in);
            if (err->field[0]) { /* name the change: changes[i].inputs.<name> */
                char f[sizeof err->field + 32];
                int w = snprintf(f, sizeof f, "changes[%zu].%.60s", i, err->field);
                if (w > 0 && (size_t)w < sizeof err->field)
                    memcpy(err->field, f, (size_t)w + 1);
            }
            goto fail;
        }
        /* the old figure leaves the totals, the engine's new one enters */
        bool was_na = t->na && t->state != WS_APPROVED;
        int64_t old = progress_current_points(t->state, t->self_h, t->approved_h);
        if (!was_na) {
            pts -= old > 0 ? old : 0;
            max -= t->max_h;
        }
        bool na = res.status == SCORE_NOT_APPLICABLE;
        int64_t np = res.status == SCORE_SCORED ? res.points_h : 0;
        if (!na) {
            pts += np;
            max += t->max_h;
        }
        json_t *row = json_pack(
            "{s:I,s:s,s:O,s:o,s:o,s:o,s:s,s:s,s:s}", "task_id", (json_int_t)t->id, "code",
            t->tc.crit->code ? t->tc.crit->code : "", "inputs", in, "points_before",
            points_or_null(old), "points",
            res.status == SCORE_SCORED ? json_hundredths(res.points_h) : json_null(),
            "max_points", json_hundredths(t->max_h), "status", score_status_name(res.status),
            "status_label", score_status_label(res.status), "explanation",
            res.status == SCORE_SCORED || res.status == SCORE_NOT_APPLICABLE ? res.explain
                                                                               : res.error);
        json_decref(in);
        if (!(tasks = json_append_or_free(tasks, row)))
            goto oom;
    }
    int rank0 = 0, rank = 0, n_units = 0;
    if (rank_in_level(c, &u, pts0, max0, pts, max, &rank0, &rank, &n_units, err))
        goto fail;
    out = figures(pts, max, rank);
    if (!out || json_object_set_new(out, "round_id", json_integer(round_id)) ||
        json_object_set_new(out, "unit_id", json_integer(unit_id)) ||
        json_object_set_new(out, "level", json_string(u.level)) ||
        json_object_set_new(out, "units_in_level", json_integer(n_units)) ||
        json_object_set_new(out, "before", figures(pts0, max0, rank0)) ||
        json_object_set_new(out, "saved", json_false()) ||
        json_object_set(out, "tasks", tasks)) {
        json_decref(out);
        out = NULL;
        goto oom;
    }
    json_decref(tasks);
    up_free(&u);
    return out;
oom:
    app_fail_internal(err);
fail:
    json_decref(tasks);
    up_free(&u);
    return NULL;
}
