/* unitpage_progress.c — a unit's progress report for a period (seed 001: "đã hoàn thành 20/53
 * tiêu chí, đang thực hiện 28/53, chưa thực hiện 5/53", per pillar, with the measured values).
 * The classification is core/progress.c; the measured values core/needs.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/isotime.h"
#include "app/json_rows.h"
#include "app/unitpage.h"
#include "app/unitpage_load.h"
#include "core/needs.h"
#include "core/phase.h"
#include "core/progress.h"

#define DAY 86400

bool unitpage_parse_period(const char *s, int64_t *as_of)
{
    int y, q;
    char tail;
    char ymd[16];
    int64_t t;
    if (!s)
        return false;
    if (sscanf(s, "%4d-Q%1d%c", &y, &q, &tail) == 2 && strlen(s) == 7 && q >= 1 && q <= 4) {
        int m = q * 3 + 1, yy = y; /* the first day after the quarter */
        if (m == 13) {
            m = 1;
            yy++;
        }
        snprintf(ymd, sizeof ymd, "%04d-%02d-01", yy, m);
        return y >= 1970 && y < 9999 && vn_date_start(ymd, as_of);
    }
    if (strlen(s) == 10 && vn_date_start(s, &t)) {
        *as_of = t + DAY;
        return true;
    }
    return false;
}

struct counts {
    int n[PROG_COUNT];
};

static int applicable(const struct counts *k)
{
    return k->n[PROG_DONE] + k->n[PROG_IN_PROGRESS] + k->n[PROG_NOT_STARTED];
}

static json_t *counts_json(const struct counts *k)
{
    return json_pack("{s:i,s:i,s:i,s:i,s:i}", "done", k->n[PROG_DONE], "in_progress",
                     k->n[PROG_IN_PROGRESS], "not_started", k->n[PROG_NOT_STARTED],
                     "not_applicable", k->n[PROG_NOT_APPLICABLE], "total", applicable(k));
}

/* "Đã hoàn thành 20/53 tiêu chí, đang thực hiện 28/53 tiêu chí, chưa thực hiện 5/53 tiêu chí":
 * a bucket with no criterion is left out, as the seed's pillar lines do. */
static void sentence(const struct counts *k, char *out, size_t n)
{
    static const enum progress_state order[] = {PROG_DONE, PROG_IN_PROGRESS, PROG_NOT_STARTED};
    static const char *const first[] = {"Đã hoàn thành", "Đang thực hiện", "Chưa thực hiện"};
    static const char *const next[] = {"đã hoàn thành", "đang thực hiện", "chưa thực hiện"};
    size_t o = 0;
    out[0] = 0;
    int tot = applicable(k);
    for (size_t i = 0; i < 3; i++) {
        if (!k->n[order[i]])
            continue;
        int w = snprintf(out + o, n - o, "%s%s %d/%d tiêu chí", o ? ", " : "",
                         o ? next[i] : first[i], k->n[order[i]], tot);
        if (w < 0 || (size_t)w >= n - o - 1) {
            out[o] = 0;
            break;
        }
        o += (size_t)w;
    }
    if (o)
        snprintf(out + o, n - o, ".");
    else
        snprintf(out, n, "Không có tiêu chí nào áp dụng.");
}

static json_t *inputs_json(const struct up_task *t)
{
    const struct fw_criterion *cr = t->tc.crit;
    json_t *a = json_array();
    for (size_t i = 0; a && i < cr->n_inputs; i++) {
        const struct fw_input *in = &cr->inputs[i];
        json_t *v = json_object_get(t->inputs, in->name);
        a = json_append_or_free(
            a, json_pack("{s:s,s:s,s:s,s:O}", "name", in->name, "label",
                         in->label ? in->label : in->name, "type", fw_input_type_name(in->type),
                         "value", v ? v : json_null()));
    }
    return a;
}

static json_t *criterion_json(const struct up_task *t, enum progress_state ps, int64_t cur)
{
    char measured[400];
    const struct fw_criterion *cr = t->tc.crit;
    fw_measured(cr, t->tc.reading[0] ? t->tc.reading : NULL, t->vals_ok ? t->vals : NULL,
                measured, sizeof measured);
    return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:s,s:o}", "task_id",
                     (json_int_t)t->id, "criterion_key", cr->key, "code",
                     cr->code ? cr->code : "", "title", cr->title ? cr->title : "", "progress",
                     progress_state_name(ps), "progress_label", progress_state_label(ps),
                     "state", wf_state_code(t->state), "state_label", wf_state_label(t->state),
                     "points", cur >= 0 ? json_hundredths(cur) : json_null(), "max_points",
                     json_hundredths(t->max_h), "measured", measured, "inputs", inputs_json(t));
}

json_t *unitpage_progress(db_conn *c, int64_t round_id, int64_t unit_id, int64_t as_of,
                          const char *period, struct app_err *err)
{
    struct up_unit u;
    if (up_load(c, round_id, unit_id, 0, as_of, &u, err))
        return NULL;
    const struct framework *fw = u.n ? u.t[0].tc.cf.fw : NULL;
    size_t np = fw ? fw->n_pillars : 0;
    struct counts all = {0}, *pc = calloc(np ? np : 1, sizeof *pc);
    json_t **crit = calloc(np ? np : 1, sizeof *crit), *pillars = json_array(), *out = NULL;
    bool ok = pc && crit && pillars;
    for (size_t p = 0; ok && p < np; p++)
        ok = (crit[p] = json_array()) != NULL;
    for (size_t i = 0; ok && i < u.n; i++) {
        const struct up_task *t = &u.t[i];
        int64_t cur = progress_current_points(t->state, t->self_h, t->approved_h);
        struct progress_task pt = {t->state, t->reported, cur, t->na, t->max_h};
        enum progress_state ps = progress_classify(&pt);
        size_t p = t->tc.crit->pillar < np ? t->tc.crit->pillar : 0;
        pc[p].n[ps]++;
        all.n[ps]++;
        ok = (crit[p] = json_append_or_free(crit[p], criterion_json(t, ps, cur))) != NULL;
    }
    char text[400];
    for (size_t p = 0; ok && p < np; p++) {
        if (!json_array_size(crit[p]))
            continue;
        const struct fw_pillar *pl = &fw->pillars[p];
        sentence(&pc[p], text, sizeof text);
        ok = (pillars = json_append_or_free(
                  pillars, json_pack("{s:s,s:s,s:s,s:o,s:s,s:O}", "key", pl->key, "code",
                                     pl->code ? pl->code : "", "title", pl->title ? pl->title : "",
                                     "counts", counts_json(&pc[p]), "summary", text, "criteria",
                                     crit[p]))) != NULL;
    }
    if (ok) {
        sentence(&all, text, sizeof text);
        out = json_pack("{s:I,s:I,s:s,s:s,s:s,s:o,s:o,s:s,s:o,s:s,s:O}", "round_id",
                        (json_int_t)round_id, "unit_id", (json_int_t)unit_id, "unit_code", u.code,
                        "unit_name", u.name, "level", u.level, "period",
                        period ? json_string(period) : json_null(), "as_of",
                        isotime_json(as_of, as_of == 0), "basis",
                        as_of ? "audit_trail" : "current", "counts", counts_json(&all),
                        "summary", text, "pillars", pillars);
    }
    for (size_t p = 0; crit && p < np; p++)
        json_decref(crit[p]);
    free(crit);
    free(pc);
    json_decref(pillars);
    up_free(&u);
    if (!out)
        app_fail_internal(err);
    return out;
}
