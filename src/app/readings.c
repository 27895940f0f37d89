/* readings.c — the reading a round uses for each ambiguous criterion (table round_readings,
 * docs/rounds-api.md "Readings"), and rescoring the tasks it affects with the engine from their
 * stored inputs, in the caller's transaction, one audit entry per changed task. */
#include "app/readings.h"

#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "app/round_fws.h"
#include "app/frameworks_cache.h"
#include "core/inputs.h"
#include "core/json_oom.h"
#include "core/score.h"
#include "core/utf8.h"


/* false when out of memory; a NULL string is left out */
static bool set(json_t *o, const char *k, json_t *v) { return v && json_object_set_new(o, k, v) == 0; }
static bool set_str(json_t *o, const char *k, const char *s) { return !s || set(o, k, json_string(s)); }
static bool append(json_t *a, json_t *v) { return v && json_array_append_new(a, v) == 0; }

/* The chosen reading of (framework, criterion) in the round: "main" unless a row says else. */
static int chosen_reading(db_conn *c, int64_t round_id, const char *fw_id, const char *key,
                          char *out, size_t n)
{
    db_rows *r = NULL;
    db_param p[] = {DB_P_INT(round_id), DB_P_TEXT(fw_id), DB_P_TEXT(key)};
    if (db_exec(c, "SELECT alternative FROM round_readings WHERE round_id = ? AND framework_id = ? "
                   "AND criterion_key = ?", p, 3, &r) != DB_OK)
        return -1;
    snprintf(out, n, "%s", db_rows_count(r) ? db_text(r, 0, 0) : "main");
    db_rows_free(r);
    return 0;
}

static int round_exists(db_conn *c, int64_t round_id, struct app_err *err)
{
    int64_t n = 0;
    if (db_query_int(c, "SELECT COUNT(*) FROM rounds WHERE id = ?",
                     (db_param[]){DB_P_INT(round_id)}, 1, &n) != DB_OK)
        return app_fail_internal(err);
    if (!n)
        return app_fail(err, 404, "not_found", NULL, "Không tìm thấy đợt đánh giá.");
    return 0;
}

json_t *readings_list(db_conn *c, int64_t round_id, struct app_err *err)
{
    if (round_exists(c, round_id, err))
        return NULL;
    struct round_fw fws[ROUND_FWS_MAX];
    int n = round_fws_load(c, round_id, fws, err);
    if (n < 0)
        return NULL;
    json_t *list = json_array();
    bool ok = list != NULL;
    for (int i = 0; ok && i < n; i++) {
        const struct framework *fw = fws[i].cf.fw;
        for (size_t k = 0; ok && k < fw->n_criteria; k++) {
            const struct fw_criterion *cr = fw->criteria[k];
            if (!cr->n_alternatives)
                continue;
            char chosen[40];
            if (chosen_reading(c, round_id, fw->id, cr->key, chosen, sizeof chosen)) {
                ok = false;
                break;
            }
            json_t *x = json_object();
            ok = append(list, x) && set_str(x, "framework_id", fw->id) &&
                 set(x, "framework_version", json_integer(fw->version)) &&
                 set_str(x, "level", fws[i].level) && set_str(x, "criterion_key", cr->key) &&
                 set_str(x, "code", cr->code) && set_str(x, "title", cr->title) &&
                 set_str(x, "source_issue", cr->source_issue) &&
                 set_str(x, "chosen", chosen) && set(x, "readings", fw_readings_json(cr));
        }
    }
    round_fws_release(fws, n);
    json_t *o = ok ? json_pack("{s:I,s:o}", "round_id", (json_int_t)round_id, "readings", list) : NULL;
    if (!o) {
        if (!ok)
            json_decref(list);
        app_fail_internal(err);
    }
    return o;
}

/* Scores one task's stored inputs (the external value's when the criterion is taken from
 * another index) under `reading`; the result fields as stored. false when the inputs do not
 * read as the criterion's values (nothing scored). */
static bool score_task(const struct fw_criterion *cr, const char *reading, json_t *inputs,
                       struct score_result *res)
{
    struct value vals[64];
    struct fw_errors fe = {0};
    if (cr->n_inputs > 64 || criterion_values_from_json(cr, inputs, vals, "inputs", &fe)) {
        fw_errors_free(&fe);
        return false;
    }
    fw_errors_free(&fe);
    if (!score_criterion_reading(cr, reading, vals, true, res)) {
        res->status = SCORE_ERROR;
        res->points_h = 0;
        snprintf(res->explain, sizeof res->explain, "cách hiểu '%s' không tồn tại", reading);
    }
    if (res->status == SCORE_ERROR && res->error[0]) {
        snprintf(res->explain, sizeof res->explain, "%.*s", (int)sizeof res->explain - 1,
                 res->error);
        utf8_cut_partial(res->explain);
    }
    return true;
}

int readings_rescore(db_conn *c, const struct app_actor *who, int64_t round_id,
                     const struct fw_criterion *cr, const char *fw_id, const char *reading,
                     int64_t only_unit, int64_t now, int *changed, struct app_err *err)
{
    db_rows *r = NULL;
    db_param p[] = {DB_P_INT(round_id), DB_P_TEXT(fw_id), DB_P_TEXT(cr->key), DB_P_INT(only_unit)};
    if (db_exec(c, only_unit ? "SELECT id, inputs, external_value, self_points, self_status, "
                               "self_explanation FROM tasks WHERE round_id = ? AND framework_id = ? "
                               "AND criterion_key = ? AND subject_unit_id = ? ORDER BY id"
                             : "SELECT id, inputs, external_value, self_points, self_status, "
                               "self_explanation FROM tasks WHERE round_id = ? AND framework_id = ? "
                               "AND criterion_key = ? ORDER BY id",
                p, only_unit ? 4 : 3, &r) != DB_OK)
        return app_fail_internal(err);
    int rc = 0;
    for (int i = 0; !rc && i < db_rows_count(r); i++) {
        int64_t id = db_int(r, i, 0);
        bool ext = !db_is_null(r, i, 2);
        const char *src = ext ? db_text(r, i, 2) : db_text(r, i, 1);
        json_error_t je;
        bool oom = false;
        json_t *doc = json_oom_loadb(src, strlen(src), 0, &je, &oom);
        if (oom) {
            rc = app_fail_internal(err);
            break;
        }
        json_t *inputs = ext ? json_object_get(doc, "value") : doc;
        /* a task nobody has given data for keeps what it has */
        if (!json_is_object(inputs) || (!ext && !json_object_size(inputs))) {
            json_decref(doc);
            continue;
        }
        struct score_result res;
        bool converted = score_task(cr, reading, inputs, &res);
        json_decref(doc);
        /* inputs the tasks part stored under its own rules (a "not applicable" mark, say) that
         * do not read as this criterion's values are not ours to overwrite with an error */
        if (!converted)
            continue;
        const char *st = score_status_name(res.status);
        bool same = !db_is_null(r, i, 3) && db_int(r, i, 3) == res.points_h &&
                    !strcmp(db_text(r, i, 4), st) && !strcmp(db_text(r, i, 5), res.explain);
        if (same)
            continue;
        json_t *ov = json_pack("{s:o,s:s?,s:s?}", "self_points",
                               db_is_null(r, i, 3) ? json_null() : json_hundredths(db_int(r, i, 3)),
                               "self_status", db_is_null(r, i, 4) ? NULL : db_text(r, i, 4),
                               "self_explanation", db_is_null(r, i, 5) ? NULL : db_text(r, i, 5));
        json_t *nv = json_pack("{s:o,s:s,s:s,s:s}", "self_points", json_hundredths(res.points_h),
                               "self_status", st, "self_explanation", res.explain, "reading", reading);
        db_param u[] = {DB_P_INT(res.points_h), DB_P_TEXT(st), DB_P_STR(res.explain), DB_P_INT(id)};
        if (!ov || !nv ||
            db_exec(c, "UPDATE tasks SET self_points = ?, self_status = ?, self_explanation = ?, "
                       "version = version + 1 WHERE id = ?", u, 4, NULL) != DB_OK ||
            audit_change(c, who, "task", "task.rescore", id, ov, nv, now) != DB_OK)
            rc = app_fail_internal(err);
        else
            (*changed)++;
        json_decref(ov);
        json_decref(nv);
    }
    db_rows_free(r);
    return rc;
}

static const struct round_fw *find_fw(const struct round_fw *fws, int n, const char *id)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(fws[i].id, id))
            return &fws[i];
    return NULL;
}

int readings_set(db_conn *c, const struct app_actor *who, int64_t round_id, const json_t *body,
                 int64_t now, json_t **result, struct app_err *err)
{
    static const char *const fields[] = {"framework_id", "criterion_key", "alternative"};
    const char *v[3];
    for (int i = 0; i < 3; i++) {
        json_t *x = json_object_get(body, fields[i]);
        if (!x || json_is_null(x))
            return app_fail(err, 400, "missing_field", fields[i], "Thiếu trường bắt buộc (%s).",
                            fields[i]);
        if (!json_is_string(x) || json_string_length(x) > 64)
            return app_fail(err, 400, "invalid_type", fields[i],
                            "Trường %s phải là một chuỗi (tối đa 64 ký tự).", fields[i]);
        v[i] = json_string_value(x);
    }
    if (round_check_open_readings(c, round_id, err))
        return -1;
    struct round_fw fws[ROUND_FWS_MAX];
    int n = round_fws_load(c, round_id, fws, err);
    if (n < 0)
        return -1;
    int rc = 0;
    const struct round_fw *f = find_fw(fws, n, v[0]);
    const struct fw_criterion *cr = NULL;
    long ci;
    if (!f)
        rc = app_fail(err, 422, "invalid_value", "framework_id",
                      "Đợt đánh giá không dùng bộ chỉ số «%.64s» (framework_id).", v[0]);
    else if ((ci = fw_find_criterion(f->cf.fw, v[1])) < 0)
        rc = app_fail(err, 422, "invalid_value", "criterion_key",
                      "Bộ chỉ số «%.64s» không có tiêu chí «%.64s» (criterion_key).", v[0], v[1]);
    else if (!(cr = f->cf.fw->criteria[ci])->n_alternatives)
        rc = app_fail(err, 422, "invalid_value", "criterion_key",
                      "Tiêu chí %s «%.64s» không có cách hiểu nào khác (criterion_key).", cr->code, v[1]);
    else if (strcmp(v[2], "main") && !fw_find_alternative(cr, v[2]))
        rc = app_fail(err, 422, "invalid_value", "alternative",
                      "Tiêu chí %s không có cách hiểu «%.64s» (alternative).", cr->code, v[2]);
    char old[40] = "main";
    if (!rc && chosen_reading(c, round_id, v[0], v[1], old, sizeof old))
        rc = app_fail_internal(err);
    int changed = 0;
    if (!rc && strcmp(old, v[2])) {
        db_param p[] = {DB_P_INT(round_id), DB_P_TEXT(v[0]), DB_P_TEXT(v[1]), DB_P_TEXT(v[2])};
        json_t *ov = json_pack("{s:s,s:s,s:s}", "framework_id", v[0], "criterion_key", v[1],
                               "alternative", old);
        json_t *nv = json_pack("{s:s,s:s,s:s}", "framework_id", v[0], "criterion_key", v[1],
                               "alternative", v[2]);
        if (!ov || !nv ||
            db_exec(c, "DELETE FROM round_readings WHERE round_id = ? AND framework_id = ? "
                       "AND criterion_key = ?", p, 3, NULL) != DB_OK ||
            (strcmp(v[2], "main") &&
             db_exec(c, "INSERT INTO round_readings (round_id, framework_id, criterion_key, "
                        "alternative) VALUES (?, ?, ?, ?)", p, 4, NULL) != DB_OK) ||
            audit_change(c, who, "round", "round.reading", round_id, ov, nv, now) != DB_OK)
            rc = app_fail_internal(err);
        json_decref(ov);
        json_decref(nv);
        if (!rc)
            rc = readings_rescore(c, who, round_id, cr, v[0], v[2], 0, now, &changed, err);
    }
    if (!rc) {
        *result = json_pack("{s:s,s:s,s:s,s:s,s:i}", "framework_id", v[0], "criterion_key", v[1],
                            "previous", old, "alternative", v[2], "rescored", changed);
        if (!*result)
            rc = app_fail_internal(err);
    }
    round_fws_release(fws, n);
    return rc;
}

int round_check_open_readings(db_conn *c, int64_t round_id, struct app_err *err)
{
    db_rows *r = NULL;
    if (db_exec(c, "SELECT status FROM rounds WHERE id = ?", (db_param[]){DB_P_INT(round_id)}, 1,
                &r) != DB_OK)
        return app_fail_internal(err);
    int rc = 0;
    if (db_rows_count(r) != 1)
        rc = app_fail(err, 404, "not_found", NULL, "Không tìm thấy đợt đánh giá.");
    else if (!strcmp(db_text(r, 0, 0), "finalised"))
        rc = app_fail(err, 409, "round_finalised", NULL,
                      "Đợt đánh giá đã hoàn thành (đã chốt kết quả): không thể thay đổi cách hiểu tiêu chí hay kết quả lấy từ bộ chỉ số khác.");
    db_rows_free(r);
    return rc;
}
