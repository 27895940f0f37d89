/* round_summary.c — GET /rounds/{id}/summary. Tasks are grouped by the unit assessed
 * (subject_unit_id): a province-level task reported by an agency counts for the province. The
 * applicable maximum leaves out tasks the engine scored not applicable; approved points count
 * approved tasks only. The dashboard (app/dashboard.c) reads the same rows. */
#include "app/round_summary.h"

#include <stdlib.h>
#include <string.h>

#include "app/json_rows.h"

/* Tasks of one unit alike in what the summary depends on. */
struct task_group {
    const char *state;
    bool not_applicable; /* self status not_applicable: out of the applicable maximum */
    int vs_max;          /* approved points >= max: 1, <= 0: -1, between: 0 */
    int64_t tasks, self_h, approved_h, max_h;
};

static void add_group(struct summary_acc *a, const struct task_group *g, bool closed)
{
    /* points standing for the group's comparison, for task_count_of's rule */
    static const int64_t appr_of[3] = {0, 1, 1}, max_of[3] = {1, 2, 1};
    a->tasks += g->tasks;
    a->self_h += g->self_h;
    if (!strcmp(g->state, "approved"))
        a->approved_h += g->approved_h;
    if (!g->not_applicable)
        a->max_h += g->max_h;
    a->counts.n[task_count_of(g->state, appr_of[g->vs_max + 1], max_of[g->vs_max + 1], closed)] +=
        g->tasks;
}

/* A unit's place in the rows, looked up by id. */
struct unit_pos {
    int64_t id;
    size_t i;
};

static int pos_cmp(const void *a, const void *b)
{
    int64_t x = ((const struct unit_pos *)a)->id, y = ((const struct unit_pos *)b)->id;
    return x < y ? -1 : x > y;
}

static json_t *points(int64_t h)
{
    return json_real((double)h / 100.0);
}

json_t *summary_acc_json(const struct summary_acc *a)
{
    json_t *counts = json_object();
    for (int k = 0; counts && k < TC_COUNT; k++)
        if (json_object_set_new(counts, task_count_key((enum task_count)k),
                                json_integer(a->counts.n[k]))) {
            json_decref(counts);
            counts = NULL;
        }
    return json_pack("{s:I,s:o,s:o,s:o,s:o}", "tasks", (json_int_t)a->tasks, "self_points",
                     points(a->self_h), "approved_points", points(a->approved_h), "max_points",
                     points(a->max_h), "counts", counts);
}

void summary_rows_free(struct summary_rows *s)
{
    for (size_t i = 0; s->rows && i < s->n; i++) {
        free(s->rows[i].code);
        free(s->rows[i].name);
        free(s->rows[i].level);
    }
    free(s->rows);
    memset(s, 0, sizeof *s);
}

int round_summary_rows(db_conn *c, int64_t round_id, const char *level, int64_t only_unit,
                       int64_t now, struct summary_rows *out, struct app_err *err)
{
    memset(out, 0, sizeof *out);
    int64_t ends = 0;
    int rc = db_query_int(c, "SELECT 1 FROM rounds WHERE id = ?", (db_param[]){DB_P_INT(round_id)},
                          1, &ends);
    if (rc == DB_NOTFOUND) {
        app_fail(err, 404, "not_found", NULL, "Không tìm thấy đợt đánh giá.");
        return -1;
    }
    if (rc != DB_OK)
        goto internal;
    /* "returned" counts as not reported once the self-assessment window has closed. */
    ends = 0;
    rc = db_query_int(c,
                      "SELECT ends_at FROM round_phases WHERE round_id = ? AND phase = "
                      "'self_assessment'",
                      (db_param[]){DB_P_INT(round_id)}, 1, &ends);
    if (rc != DB_OK && rc != DB_NOTFOUND)
        goto internal;
    bool closed = rc == DB_OK && now >= ends;
    out->window_closed = closed;
    /* Two reads instead of one join: the units (one row each, in code order) and the tasks
     * alone (numbers and two short texts, no unit strings repeated per task, no sort): at
     * 10,000 units and half a million tasks the join's rows cost most of the time. */
    db_param p[] = {DB_P_INT(round_id), DB_P_TEXT(level), DB_P_TEXT(level), DB_P_INT(only_unit),
                    DB_P_INT(only_unit)};
    db_rows *r = NULL;
    if (db_exec(c,
                "SELECT ru.unit_id, u.code, u.name, ru.level FROM round_units ru "
                "JOIN units u ON u.id = ru.unit_id "
                "WHERE ru.round_id = ? AND (CAST(? AS TEXT) IS NULL OR ru.level = ?) "
                "AND (? = 0 OR ru.unit_id = ?) ORDER BY u.code, u.id",
                p, 5, &r) != DB_OK)
        goto internal;
    int n = db_rows_count(r);
    out->rows = calloc(n > 0 ? (size_t)n : 1, sizeof *out->rows);
    struct unit_pos *pos = calloc(n > 0 ? (size_t)n : 1, sizeof *pos);
    if (!out->rows || !pos) {
        free(pos);
        db_rows_free(r);
        goto internal;
    }
    for (int i = 0; i < n; i++) {
        struct summary_row *row = &out->rows[out->n++];
        row->unit_id = db_int(r, i, 0);
        row->code = strdup(db_text(r, i, 1));
        row->name = strdup(db_text(r, i, 2));
        row->level = strdup(db_text(r, i, 3));
        pos[i] = (struct unit_pos){row->unit_id, (size_t)i};
        if (!row->code || !row->name || !row->level) {
            free(pos);
            db_rows_free(r);
            summary_rows_free(out);
            goto internal;
        }
    }
    db_rows_free(r);
    r = NULL;
    qsort(pos, (size_t)n, sizeof *pos, pos_cmp);
    /* The tasks grouped per unit by what the sums and the counts depend on (state, not
     * applicable, approved points against the maximum: the comparisons task_count_of makes), so
     * the database sums and C gets a few rows per unit instead of one per task. */
    if (db_exec(c,
                "SELECT t.subject_unit_id, t.state, "
                "CASE WHEN t.self_status = 'not_applicable' THEN 1 ELSE 0 END, "
                "CASE WHEN COALESCE(t.approved_points, 0) >= t.max_points THEN 1 "
                "WHEN COALESCE(t.approved_points, 0) <= 0 THEN -1 ELSE 0 END, "
                "COUNT(*), COALESCE(SUM(t.self_points), 0), "
                "COALESCE(SUM(t.approved_points), 0), SUM(t.max_points) "
                "FROM tasks t JOIN round_units ru ON ru.round_id = t.round_id AND ru.unit_id = "
                "t.subject_unit_id WHERE t.round_id = ? AND (CAST(? AS TEXT) IS NULL OR "
                "ru.level = ?) AND (? = 0 OR t.subject_unit_id = ?) GROUP BY 1, 2, 3, 4",
                p, 5, &r) != DB_OK) {
        free(pos);
        summary_rows_free(out);
        goto internal;
    }
    int m = db_rows_count(r);
    for (int i = 0; i < m; i++) {
        struct unit_pos key = {db_int(r, i, 0), 0};
        const struct unit_pos *at = bsearch(&key, pos, (size_t)n, sizeof *pos, pos_cmp);
        if (!at)
            continue;
        struct task_group g = {db_text(r, i, 1), db_int(r, i, 2) != 0, (int)db_int(r, i, 3),
                               db_int(r, i, 4), db_int(r, i, 5), db_int(r, i, 6),
                               db_int(r, i, 7)};
        add_group(&out->rows[at->i].acc, &g, closed);
        add_group(&out->total, &g, closed);
    }
    free(pos);
    db_rows_free(r);
    return 0;
internal:
    app_fail_internal(err);
    return -1;
}

json_t *round_summary(db_conn *c, int64_t round_id, const char *level, int64_t only_unit,
                      int64_t now, struct app_err *err)
{
    struct summary_rows s;
    if (round_summary_rows(c, round_id, level, only_unit, now, &s, err))
        return NULL;
    json_t *units = json_array();
    for (size_t i = 0; units && i < s.n; i++) {
        const struct summary_row *w = &s.rows[i];
        json_t *row = summary_acc_json(&w->acc);
        if (!row || json_object_set_new(row, "unit_id", json_integer(w->unit_id)) ||
            json_object_set_new(row, "code", json_string(w->code)) ||
            json_object_set_new(row, "name", json_string(w->name)) ||
            json_object_set_new(row, "level", json_string(w->level))) {
            json_decref(row);
            json_decref(units);
            units = NULL;
            break;
        }
        units = json_append_or_free(units, row);
    }
    json_t *out = units ? json_pack("{s:I,s:o,s:o,s:o}", "round_id", (json_int_t)round_id, "level",
                                    level ? json_string(level) : json_null(), "units", units,
                                    "totals", summary_acc_json(&s.total))
                        : NULL;
    summary_rows_free(&s);
    if (out)
        return out;
    app_fail_internal(err);
    return NULL;
}
