/* round_summary.c — GET /rounds/{id}/summary. Tasks are grouped by the unit assessed
 * (subject_unit_id): a province-level task reported by an agency counts for the province. The
 * applicable maximum leaves out tasks the engine scored not applicable; approved points count
 * approved tasks only. The dashboard (app/dashboard.c) reads the same rows. */
#include "app/round_summary.h"

#include <stdlib.h>
#include <string.h>

#include "app/json_rows.h"

static void add(struct summary_acc *a, const char *state, bool has_self, int64_t self_h,
                int64_t appr_h, int64_t max_h, const char *self_status, bool closed)
{
    a->tasks++;
    if (has_self)
        a->self_h += self_h;
    if (!strcmp(state, "approved"))
        a->approved_h += appr_h;
    if (!self_status || strcmp(self_status, "not_applicable"))
        a->max_h += max_h;
    task_counts_add(&a->counts, state, appr_h, max_h, closed);
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
    db_param p[] = {DB_P_INT(round_id), DB_P_TEXT(level), DB_P_TEXT(level), DB_P_INT(only_unit),
                    DB_P_INT(only_unit)};
    db_rows *r = NULL;
    if (db_exec(c,
                "SELECT ru.unit_id, u.code, u.name, ru.level, t.state, t.self_points, "
                "t.approved_points, t.max_points, t.self_status FROM round_units ru "
                "JOIN units u ON u.id = ru.unit_id "
                "LEFT JOIN tasks t ON t.round_id = ru.round_id AND t.subject_unit_id = ru.unit_id "
                "WHERE ru.round_id = ? AND (CAST(? AS TEXT) IS NULL OR ru.level = ?) "
                "AND (? = 0 OR ru.unit_id = ?) ORDER BY u.code, u.id",
                p, 5, &r) != DB_OK)
        goto internal;
    int n = db_rows_count(r);
    out->rows = calloc(n > 0 ? (size_t)n : 1, sizeof *out->rows);
    if (!out->rows) {
        db_rows_free(r);
        goto internal;
    }
    for (int i = 0; i < n;) {
        int64_t unit = db_int(r, i, 0);
        struct summary_row *row = &out->rows[out->n++];
        row->unit_id = unit;
        row->code = strdup(db_text(r, i, 1));
        row->name = strdup(db_text(r, i, 2));
        row->level = strdup(db_text(r, i, 3));
        if (!row->code || !row->name || !row->level) {
            db_rows_free(r);
            summary_rows_free(out);
            goto internal;
        }
        for (; i < n && db_int(r, i, 0) == unit; i++) {
            if (db_is_null(r, i, 4))
                continue; /* a unit without tasks */
            bool has_self = !db_is_null(r, i, 5);
            const char *st = db_is_null(r, i, 8) ? NULL : db_text(r, i, 8);
            add(&row->acc, db_text(r, i, 4), has_self, db_int(r, i, 5), db_int(r, i, 6),
                db_int(r, i, 7), st, closed);
            add(&out->total, db_text(r, i, 4), has_self, db_int(r, i, 5), db_int(r, i, 6),
                db_int(r, i, 7), st, closed);
        }
    }
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
