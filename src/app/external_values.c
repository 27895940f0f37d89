/* external_values.c — results taken from another index (criteria whose data_source is
 * {"kind": "external_index", "index": "cchc"}, seed 003: "các chỉ tiêu trùng với chỉ tiêu
 * trong bộ tiêu chí về CCHC sẽ được lấy kết quả từ Bộ tiêu chí về CCHC"). The admin enters the
 * other index's result per unit as the criterion's inputs with their source; the unit's task
 * shows it (tasks.external_value = {"value", "source"}) and is scored from it by the engine,
 * under the round's chosen reading. docs/rounds-api.md "External values". */
#include "app/external_values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/round_fws.h"
#include "app/frameworks_cache.h"
#include "app/isotime.h"
#include "app/readings.h"
#include "app/text.h"
#include "core/csv.h"
#include "core/inputs.h"
#include "core/json_oom.h"
#include "core/score.h"

#define EV_MAX_VALUES 5000
#define EV_SOURCE_MAX 300


static bool set(json_t *o, const char *k, json_t *v) { return v && json_object_set_new(o, k, v) == 0; }
static bool set_str(json_t *o, const char *k, const char *s) { return !s || set(o, k, json_string(s)); }
static bool append(json_t *a, json_t *v) { return v && json_array_append_new(a, v) == 0; }

static bool is_external(const struct fw_criterion *cr)
{
    return cr->data_source_kind && !strcmp(cr->data_source_kind, "external_index");
}

static json_t *criterion_json(const struct round_fw *f, const struct fw_criterion *cr)
{
    json_t *x = json_object(), *ins = json_array();
    bool ok = x && ins && set_str(x, "framework_id", f->id) &&
              set(x, "framework_version", json_integer(f->version)) && set_str(x, "level", f->level) &&
              set_str(x, "criterion_key", cr->key) && set_str(x, "code", cr->code) &&
              set_str(x, "title", cr->title) && set_str(x, "index", cr->data_source_index) &&
              set_str(x, "system", cr->data_source_system) && set_str(x, "note", cr->data_source_note);
    for (size_t i = 0; ok && i < cr->n_inputs; i++)
        ok = append(ins, json_pack("{s:s,s:s,s:s}", "name", cr->inputs[i].name, "label",
                                   cr->inputs[i].label, "type", fw_input_type_name(cr->inputs[i].type)));
    ok = ok && set(x, "inputs", ins);
    if (!ok) {
        if (x && !json_object_get(x, "inputs"))
            json_decref(ins);
        json_decref(x);
        return NULL;
    }
    return x;
}

json_t *external_values_list(db_conn *c, int64_t round_id, struct app_err *err)
{
    int64_t exists = 0;
    if (db_query_int(c, "SELECT COUNT(*) FROM rounds WHERE id = ?", (db_param[]){DB_P_INT(round_id)},
                     1, &exists) != DB_OK) {
        app_fail_internal(err);
        return NULL;
    }
    if (!exists) {
        app_fail(err, 404, "not_found", NULL, "Không tìm thấy đợt đánh giá.");
        return NULL;
    }
    struct round_fw fws[ROUND_FWS_MAX];
    int n = round_fws_load(c, round_id, fws, err);
    if (n < 0)
        return NULL;
    json_t *crit = json_array(), *vals = json_array();
    bool ok = crit && vals;
    for (int i = 0; ok && i < n; i++)
        for (size_t k = 0; ok && k < fws[i].cf.fw->n_criteria; k++)
            if (is_external(fws[i].cf.fw->criteria[k]))
                ok = append(crit, criterion_json(&fws[i], fws[i].cf.fw->criteria[k]));
    round_fws_release(fws, n);
    db_rows *r = NULL;
    /* the value, and the task it fills with the points the engine gave */
    if (ok && db_exec(c, "SELECT e.unit_id, u.name, e.criterion_key, e.value, e.source, "
                         "e.entered_at, e.entered_by, t.id, t.self_points, t.self_status, "
                         "t.self_explanation FROM external_values e JOIN units u ON u.id = e.unit_id "
                         "LEFT JOIN tasks t ON t.round_id = e.round_id AND t.subject_unit_id = e.unit_id "
                         "AND t.criterion_key = e.criterion_key WHERE e.round_id = ? "
                         "ORDER BY e.unit_id, e.criterion_key, t.id",
                      (db_param[]){DB_P_INT(round_id)}, 1, &r) != DB_OK)
        ok = false;
    for (int i = 0; ok && i < db_rows_count(r); i++) {
        const char *vt = db_text(r, i, 3);
        json_t *v = json_oom_loadb(vt, strlen(vt), 0, NULL, &(bool){false});
        json_t *x = json_object();
        ok = v && append(vals, x) && set(x, "unit_id", json_integer(db_int(r, i, 0))) &&
             set_str(x, "unit_name", db_text(r, i, 1)) && set_str(x, "criterion_key", db_text(r, i, 2)) &&
             set(x, "value", v) && set_str(x, "source", db_text(r, i, 4)) &&
             set(x, "entered_at", isotime_json(db_int(r, i, 5), 0)) &&
             set(x, "entered_by", db_is_null(r, i, 6) ? json_null() : json_integer(db_int(r, i, 6))) &&
             set(x, "task_id", db_is_null(r, i, 7) ? json_null() : json_integer(db_int(r, i, 7))) &&
             set(x, "self_points", db_is_null(r, i, 8) ? json_null() : json_hundredths(db_int(r, i, 8))) &&
             set(x, "self_status", db_is_null(r, i, 9) ? json_null() : json_string(db_text(r, i, 9))) &&
             set(x, "self_explanation",
                 db_is_null(r, i, 10) ? json_null() : json_string(db_text(r, i, 10)));
        if (!ok && v && !json_object_get(x, "value"))
            json_decref(v);
    }
    db_rows_free(r);
    json_t *o = ok ? json_pack("{s:I,s:o,s:o}", "round_id", (json_int_t)round_id, "criteria", crit,
                               "values", vals)
                   : NULL;
    if (!o) {
        if (!ok) {
            json_decref(crit);
            json_decref(vals);
        }
        app_fail_internal(err);
    }
    return o;
}

static int reading_of(db_conn *c, int64_t round_id, const char *fw_id, const char *key,
                      char reading[40])
{
    db_rows *r = NULL;
    snprintf(reading, 40, "main");
    if (db_exec(c, "SELECT alternative FROM round_readings WHERE round_id = ? AND framework_id = ? "
                   "AND criterion_key = ?",
                (db_param[]){DB_P_INT(round_id), DB_P_STR(fw_id), DB_P_TEXT(key)}, 3, &r) != DB_OK)
        return -1;
    if (db_rows_count(r))
        snprintf(reading, 40, "%s", db_text(r, 0, 0));
    db_rows_free(r);
    return 0;
}

/* "value": null — the unit's value removed: the row deleted, the task's copy cleared (version
 * + 1), audited (round.external_value, new value null) and the task rescored from the unit's
 * own answers. Nothing stored: nothing changes, nothing audited. */
static int remove_one(db_conn *c, const struct app_actor *who, int64_t round_id, int64_t unit,
                      const char *key, const struct fw_criterion *cr, const char *fw_id,
                      int64_t now, int *removed, int *rescored, struct app_err *err)
{
    db_rows *r = NULL;
    db_param k[] = {DB_P_INT(round_id), DB_P_INT(unit), DB_P_TEXT(key)};
    if (db_exec(c, "SELECT value, source FROM external_values WHERE round_id = ? AND "
                   "unit_id = ? AND criterion_key = ?", k, 3, &r) != DB_OK)
        return app_fail_internal(err);
    if (!db_rows_count(r)) {
        db_rows_free(r);
        return 0;
    }
    const char *o = db_text(r, 0, 0);
    json_t *ov = json_pack("{s:I,s:s,s:o,s:s}", "unit_id", (json_int_t)unit, "criterion_key", key,
                           "value", json_oom_loadb(o, strlen(o), 0, NULL, &(bool){false}),
                           "source", db_text(r, 0, 1));
    db_rows_free(r);
    char reading[40];
    int rc = 0;
    if (!ov || reading_of(c, round_id, fw_id, key, reading) ||
        db_exec(c, "DELETE FROM external_values WHERE round_id = ? AND unit_id = ? AND "
                   "criterion_key = ?", k, 3, NULL) != DB_OK ||
        db_exec(c, "UPDATE tasks SET external_value = NULL, version = version + 1 WHERE "
                   "round_id = ? AND subject_unit_id = ? AND criterion_key = ?", k, 3,
                NULL) != DB_OK ||
        audit_change(c, who, "round", "round.external_value", round_id, ov, json_null(), now) !=
            DB_OK)
        rc = app_fail_internal(err);
    json_decref(ov);
    if (!rc) {
        (*removed)++;
        rc = readings_rescore(c, who, round_id, cr, fw_id, reading, unit, now, rescored, err);
    }
    return rc;
}

/* One item of the list: checked, stored (or removed: "value": null), the task filled and
 * rescored. */
static int put_one(db_conn *c, const struct app_actor *who, int64_t round_id, const json_t *it,
                   size_t i, const struct round_fw *fws, int nfw, int64_t now, int *stored,
                   int *removed, int *rescored, struct app_err *err)
{
    char f[96];
    static const char *const keys[] = {"unit_id", "criterion_key", "value", "source"};
    snprintf(f, sizeof f, "values[%zu]", i);
    if (!json_is_object(it))
        return app_fail(err, 400, "invalid_type", f, "Mỗi giá trị phải là một đối tượng {…} (%s).", f);
    const char *k;
    json_t *kv;
    json_object_foreach((json_t *)it, k, kv) {
        bool known = false;
        for (size_t q = 0; q < 4; q++)
            known = known || !strcmp(k, keys[q]);
        if (!known) {
            snprintf(f, sizeof f, "values[%zu].%.40s", i, k);
            return app_fail(err, 400, "unknown_field", f, "Trường không được hỗ trợ (%s).", f);
        }
    }
    /* "value": null removes the unit's value (its source is then not needed) */
    bool remove = json_is_null(json_object_get(it, "value"));
    for (size_t q = 0; q < (remove ? 2u : 4u); q++)
        if (!json_object_get(it, keys[q]) || json_is_null(json_object_get(it, keys[q]))) {
            snprintf(f, sizeof f, "values[%zu].%s", i, keys[q]);
            return app_fail(err, 400, "missing_field", f, "Thiếu trường bắt buộc (%s).", f);
        }
    json_t *uj = json_object_get(it, "unit_id"), *kj = json_object_get(it, "criterion_key"),
           *vj = json_object_get(it, "value"), *sj = json_object_get(it, "source");
    snprintf(f, sizeof f, "values[%zu].unit_id", i);
    if (!json_is_integer(uj))
        return app_fail(err, 400, "invalid_type", f, "Mã đơn vị phải là số nguyên (%s).", f);
    snprintf(f, sizeof f, "values[%zu].criterion_key", i);
    if (!json_is_string(kj) || json_string_length(kj) > 64)
        return app_fail(err, 400, "invalid_type", f, "Mã tiêu chí phải là một chuỗi (%s).", f);
    snprintf(f, sizeof f, "values[%zu].value", i);
    if (!remove && !json_is_object(vj))
        return app_fail(err, 400, "invalid_type", f,
                        "Giá trị phải là một đối tượng {tên dữ liệu: giá trị} (%s).", f);
    snprintf(f, sizeof f, "values[%zu].source", i);
    if (!remove && !json_is_string(sj))
        return app_fail(err, 400, "invalid_type", f, "Nguồn phải là một chuỗi (%s).", f);
    char source[TEXT_BUF(EV_SOURCE_MAX)] = "";
    struct text_field tf = {f, "Nguồn số liệu", EV_SOURCE_MAX, true};
    if (!remove && text_clean_line(json_string_value(sj), &tf, source, sizeof source, err))
        return -1;
    int64_t unit = json_integer_value(uj);
    const char *key = json_string_value(kj);
    /* the unit takes part in the round, and its level's set has the criterion from another index */
    db_rows *r = NULL;
    if (db_exec(c, "SELECT level FROM round_units WHERE round_id = ? AND unit_id = ?",
                (db_param[]){DB_P_INT(round_id), DB_P_INT(unit)}, 2, &r) != DB_OK)
        return app_fail_internal(err);
    char level[16] = "";
    if (db_rows_count(r))
        snprintf(level, sizeof level, "%s", db_text(r, 0, 0));
    db_rows_free(r);
    snprintf(f, sizeof f, "values[%zu].unit_id", i);
    if (!level[0])
        return app_fail(err, 422, "invalid_value", f,
                        "Đơn vị %lld không tham gia đợt đánh giá này (%s).", (long long)unit, f);
    const struct round_fw *fw = NULL;
    for (int q = 0; q < nfw; q++)
        if (!strcmp(fws[q].level, level))
            fw = &fws[q];
    long ci = fw ? fw_find_criterion(fw->cf.fw, key) : -1;
    const struct fw_criterion *cr = ci >= 0 ? fw->cf.fw->criteria[ci] : NULL;
    snprintf(f, sizeof f, "values[%zu].criterion_key", i);
    if (!cr)
        return app_fail(err, 422, "invalid_value", f,
                        "Bộ chỉ số của đơn vị không có tiêu chí «%.64s» (%s).", key, f);
    if (!is_external(cr))
        return app_fail(err, 422, "invalid_value", f,
                        "Tiêu chí %s «%.64s» không lấy kết quả từ bộ chỉ số khác: đơn vị tự báo cáo (%s).",
                        cr->code, key, f);
    if (remove)
        return remove_one(c, who, round_id, unit, key, cr, fw->id, now, removed, rescored, err);
    /* the value: the criterion's inputs, typed and scored as a unit's answers would be */
    snprintf(f, sizeof f, "values[%zu].value", i);
    struct value vals[64];
    struct fw_errors fe = {0};
    if (cr->n_inputs > 64 || criterion_values_from_json(cr, vj, vals, f, &fe)) {
        if (fe.n)
            app_fail(err, 422, "invalid_value", fe.v[0].path, "%s (%s).", fe.v[0].message, fe.v[0].path);
        else
            app_fail_internal(err);
        fw_errors_free(&fe);
        return -1;
    }
    fw_errors_free(&fe);
    char reading[40];
    if (reading_of(c, round_id, fw->id, key, reading))
        return app_fail_internal(err);
    struct score_result sr;
    if (!score_criterion_reading(cr, reading, vals, false, &sr) || sr.status == SCORE_ERROR)
        return app_fail(err, 422, "invalid_value", f, "%s (%s).", sr.error, f);
    char *vtext = json_oom_dumps(vj, JSON_COMPACT | JSON_SORT_KEYS);
    json_t *tv = json_pack("{s:O,s:s}", "value", vj, "source", source);
    char *ttext = tv ? json_oom_dumps(tv, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(tv);
    int rc = 0;
    if (!vtext || !ttext)
        rc = app_fail_internal(err);
    /* unchanged: nothing stored, nothing audited */
    json_t *ov = NULL;
    if (!rc && db_exec(c, "SELECT value, source FROM external_values WHERE round_id = ? AND "
                          "unit_id = ? AND criterion_key = ?",
                       (db_param[]){DB_P_INT(round_id), DB_P_INT(unit), DB_P_TEXT(key)}, 3, &r) != DB_OK)
        rc = app_fail_internal(err);
    bool same = false, got = !rc;
    if (!rc && db_rows_count(r)) {
        same = !strcmp(db_text(r, 0, 0), vtext) && !strcmp(db_text(r, 0, 1), source);
        const char *o = db_text(r, 0, 0);
        ov = json_pack("{s:I,s:s,s:o,s:s}", "unit_id", (json_int_t)unit, "criterion_key", key,
                       "value", json_oom_loadb(o, strlen(o), 0, NULL, &(bool){false}), "source",
                       db_text(r, 0, 1));
        if (!ov)
            rc = app_fail_internal(err);
    }
    if (got)
        db_rows_free(r);
    if (!rc && !same) {
        json_t *nv = json_pack("{s:I,s:s,s:O,s:s}", "unit_id", (json_int_t)unit, "criterion_key",
                               key, "value", vj, "source", source);
        db_param del[] = {DB_P_INT(round_id), DB_P_INT(unit), DB_P_TEXT(key)};
        db_param ins[] = {DB_P_INT(round_id), DB_P_INT(unit), DB_P_TEXT(key), DB_P_STR(vtext),
                          DB_P_STR(source), who->user_id ? DB_P_INT(who->user_id) : DB_P_NULL,
                          DB_P_INT(now)};
        db_param upd[] = {DB_P_STR(ttext), DB_P_INT(round_id), DB_P_INT(unit), DB_P_TEXT(key)};
        if (!nv ||
            db_exec(c, "DELETE FROM external_values WHERE round_id = ? AND unit_id = ? AND "
                       "criterion_key = ?", del, 3, NULL) != DB_OK ||
            db_exec(c, "INSERT INTO external_values (round_id, unit_id, criterion_key, value, "
                       "source, entered_by, entered_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    ins, 7, NULL) != DB_OK ||
            db_exec(c, "UPDATE tasks SET external_value = ?, version = version + 1 WHERE "
                       "round_id = ? AND subject_unit_id = ? AND criterion_key = ?",
                    upd, 4, NULL) != DB_OK ||
            audit_change(c, who, "round", "round.external_value", round_id, ov, nv, now) != DB_OK)
            rc = app_fail_internal(err);
        json_decref(nv);
        if (!rc) {
            (*stored)++;
            rc = readings_rescore(c, who, round_id, cr, fw->id, reading, unit, now, rescored, err);
        }
    }
    json_decref(ov);
    free(vtext);
    free(ttext);
    return rc;
}

int external_values_put(db_conn *c, const struct app_actor *who, int64_t round_id,
                        const json_t *body, int64_t now, json_t **result, struct app_err *err)
{
    json_t *list = json_object_get(body, "values");
    if (!list || json_is_null(list))
        return app_fail(err, 400, "missing_field", "values", "Thiếu danh sách giá trị (values).");
    if (!json_is_array(list))
        return app_fail(err, 400, "invalid_type", "values", "values phải là một danh sách […].");
    if (json_array_size(list) > EV_MAX_VALUES)
        return app_fail(err, 422, "too_many", "values", "Tối đa %d giá trị một lần (values).",
                        EV_MAX_VALUES);
    if (round_check_open_readings(c, round_id, err))
        return -1;
    struct round_fw fws[ROUND_FWS_MAX];
    int n = round_fws_load(c, round_id, fws, err);
    if (n < 0)
        return -1;
    int rc = 0, stored = 0, removed = 0, rescored = 0;
    for (size_t i = 0; !rc && i < json_array_size(list); i++)
        rc = put_one(c, who, round_id, json_array_get(list, i), i, fws, n, now, &stored, &removed,
                     &rescored, err);
    round_fws_release(fws, n);
    if (!rc) {
        *result = json_pack("{s:i,s:i,s:i}", "stored", stored, "removed", removed, "rescored",
                            rescored);
        if (!*result)
            rc = app_fail_internal(err);
    }
    return rc;
}

/* ---- CSV import: the same list as a spreadsheet ----
 * Header: unit_id, criterion_key, source, then one column per input name; an empty cell leaves
 * that input out. Each data row becomes one item of the JSON list, and an error names the row's
 * line in the file. */
int external_values_import_csv(db_conn *c, const struct app_actor *who, int64_t round_id,
                               const char *text, size_t len, int64_t now, json_t **result,
                               struct app_err *err)
{
    char msg[200];
    json_t *rows = csv_parse(text, len, msg, sizeof msg);
    if (!rows)
        return app_fail(err, 422, "invalid_csv", "file", "Tệp CSV không đọc được: %s.", msg);
    int rc = 0;
    json_t *header = json_object_get(json_array_get(rows, 0), "fields");
    size_t nh = json_array_size(header);
    int col_unit = -1, col_key = -1, col_src = -1;
    for (size_t k = 0; !rc && k < nh; k++) {
        const char *h = json_string_value(json_array_get(header, k));
        for (size_t j = 0; j < k; j++)
            if (!strcmp(h, json_string_value(json_array_get(header, j))))
                rc = app_fail(err, 422, "invalid_csv", "file", "Tệp CSV: cột «%.40s» bị trùng ở dòng tiêu đề.", h);
        if (!strcmp(h, "unit_id"))
            col_unit = (int)k;
        else if (!strcmp(h, "criterion_key"))
            col_key = (int)k;
        else if (!strcmp(h, "source"))
            col_src = (int)k;
    }
    if (!rc && (col_unit < 0 || col_key < 0 || col_src < 0))
        rc = app_fail(err, 422, "invalid_csv", "file",
                      "Tệp CSV: dòng tiêu đề cần các cột unit_id, criterion_key, source và một cột cho mỗi dữ liệu đầu vào.");
    if (!rc && json_array_size(rows) < 2)
        rc = app_fail(err, 422, "invalid_csv", "file", "Tệp CSV không có dòng dữ liệu nào.");
    json_t *list = rc ? NULL : json_array();
    if (!rc && !list)
        rc = app_fail_internal(err);
    for (size_t i = 1; !rc && i < json_array_size(rows); i++) {
        json_t *row = json_array_get(rows, i), *fields = json_object_get(row, "fields");
        long line = (long)json_integer_value(json_object_get(row, "line"));
        if (json_array_size(fields) != nh) {
            rc = app_fail(err, 422, "invalid_csv", "file", "Tệp CSV, dòng %ld: có %zu cột, dòng tiêu đề có %zu.",
                          line, json_array_size(fields), nh);
            break;
        }
        json_t *item = json_object(), *value = json_object();
        bool ok = item && value && json_object_set_new(item, "value", value) == 0;
        if (!ok)
            json_decref(value);
        for (size_t k = 0; ok && k < nh; k++) {
            const char *h = json_string_value(json_array_get(header, k));
            json_t *cell = json_array_get(fields, k);
            const char *v = json_string_value(cell);
            char *end = NULL;
            long long id = (int)k == col_unit ? strtoll(v, &end, 10) : 0;
            if ((int)k == col_unit)
                ok = json_object_set_new(item, "unit_id", end && end != v && !*end ? json_integer(id)
                                                                                  : json_string(v)) == 0;
            else if ((int)k == col_key || (int)k == col_src)
                ok = json_object_set(item, h, cell) == 0;
            else if (v[0]) { /* a whole number as a number; anything else ("8,5", "95%") as typed */
                long long iv = strtoll(v, &end, 10);
                bool whole = end != v && !*end && strlen(v) < 16;
                ok = json_object_set_new(value, h, whole ? json_integer(iv) : json_incref(cell)) == 0;
            }
        }
        if (!ok || json_array_append_new(list, item))
            rc = app_fail_internal(err);
    }
    json_t *body = rc ? NULL : json_pack("{s:O}", "values", list);
    if (!rc && !body)
        rc = app_fail_internal(err);
    if (!rc) {
        rc = external_values_put(c, who, round_id, body, now, result, err);
        size_t idx;
        /* "values[3].value.satisfied" is line N of the file */
        if (rc && sscanf(err->field, "values[%zu]", &idx) == 1 && idx + 1 < json_array_size(rows)) {
            long line = (long)json_integer_value(json_object_get(json_array_get(rows, idx + 1), "line"));
            size_t m = strlen(err->message);
            snprintf(err->message + m, sizeof err->message - m, " (dòng %ld của tệp CSV)", line);
        }
    }
    json_decref(body);
    json_decref(list);
    json_decref(rows);
    return rc;
}
