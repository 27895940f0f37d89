/* round_admin.c — finalise, trial data, appraiser assignments, task assignment (round_admin.h). */
#include "app/round_admin.h"

#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "app/frameworks_cache.h"
#include "app/isotime.h"
#include "app/json_rows.h"
#include "app/rounds.h"
#include "core/framework.h"

/* ---- finalise ---- */

int round_finalise(db_conn *c, const struct app_actor *who, int64_t id, int64_t now,
                   struct app_err *err)
{
    if (round_check_open(c, id, err))
        return -1;
    db_param p[] = {DB_P_INT(now), who->user_id ? DB_P_INT(who->user_id) : DB_P_NULL,
                    DB_P_INT(id)};
    if (db_exec(c, "UPDATE rounds SET status = 'finalised', finalised_at = ?, finalised_by = ?, "
                   "version = version + 1 WHERE id = ?", p, 3, NULL) != DB_OK)
        return app_fail_internal(err);
    json_t *ov = json_pack("{s:s}", "status", "open");
    json_t *nv = json_pack("{s:s,s:o}", "status", "finalised", "finalised_at",
                           isotime_json(now, 0));
    int rc = ov && nv ? audit_change(c, who, "round", "round.finalise", id, ov, nv, now)
                      : DB_ERROR;
    json_decref(ov);
    json_decref(nv);
    return rc == DB_OK ? 0 : app_fail_internal(err);
}

/* ---- trial data ---- */

static int trial_counts(db_conn *c, int64_t id, int64_t *tasks, int64_t *evidence)
{
    db_param p[] = {DB_P_INT(id)};
    if (db_query_int(c, "SELECT COUNT(*) FROM tasks WHERE round_id = ? AND trial = 1", p, 1,
                     tasks) != DB_OK ||
        db_query_int(c, "SELECT COUNT(*) FROM evidence e JOIN tasks t ON t.id = e.task_id "
                        "WHERE t.round_id = ? AND e.trial = 1 AND e.removed_at IS NULL", p, 1,
                     evidence) != DB_OK)
        return -1;
    return 0;
}

static int round_exists(db_conn *c, int64_t id, struct app_err *err)
{
    int64_t n = 0;
    if (db_query_int(c, "SELECT COUNT(*) FROM rounds WHERE id = ?", (db_param[]){DB_P_INT(id)},
                     1, &n) != DB_OK)
        return app_fail_internal(err);
    return n ? 0 : app_fail(err, 404, "not_found", NULL, "Không tìm thấy đợt đánh giá.");
}

json_t *round_trial_data(db_conn *c, int64_t id, struct app_err *err)
{
    int64_t t = 0, e = 0;
    if (round_exists(c, id, err))
        return NULL;
    if (trial_counts(c, id, &t, &e)) {
        app_fail_internal(err);
        return NULL;
    }
    json_t *o = json_pack("{s:I,s:I}", "tasks", (json_int_t)t, "evidence", (json_int_t)e);
    if (!o)
        app_fail_internal(err);
    return o;
}

int round_clear_trial(db_conn *c, const struct app_actor *who, int64_t id, int64_t confirm,
                      int64_t now, json_t **cleared, struct app_err *err)
{
    *cleared = NULL;
    if (round_check_open(c, id, err))
        return -1;
    int64_t t = 0, e = 0;
    if (trial_counts(c, id, &t, &e))
        return app_fail_internal(err);
    if (confirm != t)
        return app_fail(err, 409, "trial_count_changed", "confirm",
                        "Số nhiệm vụ có dữ liệu thử nghiệm hiện là %lld (kèm %lld minh chứng), "
                        "khác số đã xác nhận (%lld): xem lại rồi xác nhận với số %lld.",
                        (long long)t, (long long)e, (long long)confirm, (long long)t);
    db_param p[] = {DB_P_INT(now), DB_P_INT(id)};
    db_param q[] = {DB_P_INT(now), who->user_id ? DB_P_INT(who->user_id) : DB_P_NULL,
                    DB_P_INT(id)};
    /* evidence first: it is found through the tasks' trial flag */
    if (db_exec(c, "UPDATE evidence SET removed_at = ? WHERE trial = 1 AND removed_at IS NULL "
                   "AND task_id IN (SELECT id FROM tasks WHERE round_id = ?)", p, 2, NULL) != DB_OK ||
        db_exec(c, "DELETE FROM task_comments WHERE task_id IN (SELECT id FROM tasks WHERE "
                   "round_id = ? AND trial = 1)", (db_param[]){DB_P_INT(id)}, 1, NULL) != DB_OK ||
        db_exec(c, "UPDATE tasks SET state = 'not_started', trial = 0, inputs = '{}', "
                   "content = NULL, note = NULL, self_points = NULL, self_status = NULL, "
                   "self_explanation = NULL, appraiser_inputs = NULL, approved_points = NULL, "
                   "approval_comment = NULL, approved_by = NULL, approved_at = NULL, "
                   "appraisal_round = NULL, leader_comment = NULL, submitted_at = NULL, "
                   "sent_at = NULL, updated_at = ?, updated_by = ?, version = version + 1 "
                   "WHERE round_id = ? AND trial = 1", q, 3, NULL) != DB_OK ||
        db_exec(c, "UPDATE rounds SET trial_cleared_at = ?, version = version + 1 WHERE id = ?", p,
                2, NULL) != DB_OK)
        return app_fail_internal(err);
    json_t *nv = json_pack("{s:I,s:I}", "tasks", (json_int_t)t, "evidence", (json_int_t)e);
    int rc = nv ? audit_change(c, who, "round", "round.clear_trial", id, NULL, nv, now) : DB_ERROR;
    if (rc != DB_OK) {
        json_decref(nv);
        return app_fail_internal(err);
    }
    *cleared = nv;
    return 0;
}

/* ---- appraiser assignments ---- */

#define ASSIGN_SELECT                                                                         \
    "SELECT a.id, a.round_id, a.level, a.pillar_key, a.criterion_key, a.appraiser_unit_id, "  \
    "u.name, a.appraiser_user_id, s.username, a.created_at FROM appraiser_assignments a "     \
    "LEFT JOIN units u ON u.id = a.appraiser_unit_id LEFT JOIN users s ON s.id = "            \
    "a.appraiser_user_id "

static json_t *nullable_text(const db_rows *r, int i, int col)
{
    return db_is_null(r, i, col) ? json_null() : json_string(db_text(r, i, col));
}
static json_t *nullable_int(const db_rows *r, int i, int col)
{
    return db_is_null(r, i, col) ? json_null() : json_integer(db_int(r, i, col));
}

static json_t *row_to_assignment(const db_rows *r, int i)
{
    return json_pack("{s:I,s:I,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id",
                     (json_int_t)db_int(r, i, 0), "round_id", (json_int_t)db_int(r, i, 1),
                     "level", db_text(r, i, 2), "pillar_key", nullable_text(r, i, 3),
                     "criterion_key", nullable_text(r, i, 4), "appraiser_unit_id",
                     nullable_int(r, i, 5), "appraiser_unit_name", nullable_text(r, i, 6),
                     "appraiser_user_id", nullable_int(r, i, 7), "appraiser_username",
                     nullable_text(r, i, 8), "created_at", isotime_json(db_int(r, i, 9), 0));
}

json_t *round_appraisers(db_conn *c, int64_t id, struct app_err *err)
{
    if (round_exists(c, id, err))
        return NULL;
    db_rows *r = NULL;
    if (db_exec(c, ASSIGN_SELECT "WHERE a.round_id = ? ORDER BY a.id",
                (db_param[]){DB_P_INT(id)}, 1, &r) != DB_OK) {
        app_fail_internal(err);
        return NULL;
    }
    json_t *a = json_rows_array(r, row_to_assignment);
    db_rows_free(r);
    json_t *o = a ? json_pack("{s:o}", "appraisers", a) : NULL;
    if (!o)
        app_fail_internal(err);
    return o;
}

json_t *round_appraiser_get(db_conn *c, int64_t id, int64_t aid)
{
    db_rows *r = NULL;
    if (db_exec(c, ASSIGN_SELECT "WHERE a.round_id = ? AND a.id = ?",
                (db_param[]){DB_P_INT(id), DB_P_INT(aid)}, 2, &r) != DB_OK)
        return NULL;
    json_t *o = db_rows_count(r) == 1 ? row_to_assignment(r, 0) : NULL;
    db_rows_free(r);
    return o;
}

/* The compiled set the round uses for `level`; NULL with err (422 naming `level`, 500). */
static struct fw_cache_entry *level_set(db_conn *c, int64_t id, const char *level,
                                        struct fw_compiled *cf, struct app_err *err)
{
    db_rows *r = NULL;
    if (db_exec(c, "SELECT f.id, f.version, f.sha256 FROM round_frameworks rf JOIN frameworks f "
                   "ON f.id = rf.framework_id AND f.version = rf.framework_version "
                   "WHERE rf.round_id = ? AND rf.level = ?",
                (db_param[]){DB_P_INT(id), DB_P_TEXT(level)}, 2, &r) != DB_OK) {
        app_fail_internal(err);
        return NULL;
    }
    struct fw_cache_entry *e = NULL;
    if (db_rows_count(r) != 1)
        app_fail(err, 422, "invalid_value", "level",
                 "Đợt đánh giá không có bộ chỉ số cho cấp «%.40s».", level);
    else
        e = frameworks_cache_get(c, db_text(r, 0, 0), db_int(r, 0, 1), db_text(r, 0, 2), cf, err);
    db_rows_free(r);
    return e;
}

static const char *opt_string(json_t *body, const char *key, bool *bad)
{
    json_t *v = json_object_get(body, key);
    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_string(v)) {
        *bad = true;
        return NULL;
    }
    return json_string_value(v);
}

static int opt_id(json_t *body, const char *key, int64_t *out, struct app_err *err)
{
    json_t *v = json_object_get(body, key);
    *out = 0;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_integer(v) || json_integer_value(v) < 1)
        return app_fail(err, 400, "invalid_type", key, "Trường %s phải là mã số (số nguyên dương).",
                        key);
    *out = json_integer_value(v);
    return 0;
}

int round_appraiser_add(db_conn *c, const struct app_actor *who, int64_t id, json_t *body,
                        int64_t now, int64_t *aid, struct app_err *err)
{
    if (round_check_open(c, id, err))
        return -1;
    bool bad = false;
    json_t *lv = json_object_get(body, "level");
    if (!lv)
        return app_fail(err, 400, "missing_field", "level", "Thiếu cấp được thẩm định (level).");
    if (!json_is_string(lv))
        return app_fail(err, 400, "invalid_type", "level", "Trường level phải là một chuỗi.");
    const char *level = json_string_value(lv);
    const char *pillar = opt_string(body, "pillar_key", &bad);
    if (bad)
        return app_fail(err, 400, "invalid_type", "pillar_key", "Trường pillar_key phải là một chuỗi.");
    const char *crit = opt_string(body, "criterion_key", &bad);
    if (bad)
        return app_fail(err, 400, "invalid_type", "criterion_key",
                        "Trường criterion_key phải là một chuỗi.");
    int64_t unit = 0, user = 0;
    if (opt_id(body, "appraiser_unit_id", &unit, err) || opt_id(body, "appraiser_user_id", &user, err))
        return -1;
    if (!unit == !user)
        return app_fail(err, 422, "invalid_value", unit ? "appraiser_user_id" : "appraiser_unit_id",
                        "Chọn đúng một trong hai: đơn vị thẩm định (appraiser_unit_id) hoặc người "
                        "thẩm định (appraiser_user_id).");
    struct fw_compiled cf;
    struct fw_cache_entry *ent = level_set(c, id, level, &cf, err);
    if (!ent)
        return -1;
    int rc = 0;
    long pi = -1;
    if (pillar) {
        for (size_t i = 0; i < cf.fw->n_pillars; i++)
            if (!strcmp(cf.fw->pillars[i].key, pillar))
                pi = (long)i;
        if (pi < 0)
            rc = app_fail(err, 422, "invalid_value", "pillar_key",
                          "Bộ chỉ số của cấp này không có trụ cột «%.40s».", pillar);
    }
    if (!rc && crit) {
        long ci = fw_find_criterion(cf.fw, crit);
        if (ci < 0)
            rc = app_fail(err, 422, "invalid_value", "criterion_key",
                          "Bộ chỉ số của cấp này không có tiêu chí «%.40s».", crit);
        else if (pi >= 0 && cf.fw->criteria[ci]->pillar != (size_t)pi)
            rc = app_fail(err, 422, "invalid_value", "criterion_key",
                          "Tiêu chí «%.40s» không thuộc trụ cột «%.40s».", crit, pillar);
    }
    frameworks_cache_release(ent);
    if (rc)
        return -1;
    int64_t n = 0;
    if (unit) {
        if (db_query_int(c, "SELECT COUNT(*) FROM units WHERE id = ? AND retired_at IS NULL",
                         (db_param[]){DB_P_INT(unit)}, 1, &n) != DB_OK)
            return app_fail_internal(err);
        if (!n)
            return app_fail(err, 422, "invalid_value", "appraiser_unit_id",
                            "Không có đơn vị đang hoạt động mã số %lld.", (long long)unit);
    } else {
        if (db_query_int(c, "SELECT COUNT(*) FROM users WHERE id = ? AND role = 'appraiser' AND "
                            "disabled = 0", (db_param[]){DB_P_INT(user)}, 1, &n) != DB_OK)
            return app_fail_internal(err);
        if (!n)
            return app_fail(err, 422, "invalid_value", "appraiser_user_id",
                            "Tài khoản mã số %lld không phải cán bộ thẩm định đang hoạt động.",
                            (long long)user);
    }
    db_param p[] = {DB_P_INT(id), DB_P_TEXT(level), DB_P_TEXT(pillar), DB_P_TEXT(crit),
                    unit ? DB_P_INT(unit) : DB_P_NULL, user ? DB_P_INT(user) : DB_P_NULL,
                    DB_P_INT(now)};
    if (db_query_int(c, "SELECT COUNT(*) FROM appraiser_assignments WHERE round_id = ? AND "
                        "level = ? AND pillar_key IS NOT DISTINCT FROM ? AND criterion_key IS NOT "
                        "DISTINCT FROM ? AND appraiser_unit_id IS NOT DISTINCT FROM ? AND "
                        "appraiser_user_id IS NOT DISTINCT FROM ?", p, 6, &n) != DB_OK)
        return app_fail_internal(err);
    if (n)
        return app_fail(err, 409, "appraiser_assignment_exists", NULL,
                        "Phân công thẩm định này đã có trong đợt đánh giá.");
    db_rows *r = NULL;
    if (db_exec(c, "INSERT INTO appraiser_assignments (round_id, level, pillar_key, criterion_key, "
                   "appraiser_unit_id, appraiser_user_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                   "RETURNING id", p, 7, &r) != DB_OK || db_rows_count(r) != 1) {
        db_rows_free(r);
        return app_fail_internal(err);
    }
    *aid = db_int(r, 0, 0);
    db_rows_free(r);
    json_t *nv = round_appraiser_get(c, id, *aid);
    rc = nv ? audit_change(c, who, "round", "round.appraiser_add", id, NULL, nv, now) : DB_ERROR;
    json_decref(nv);
    return rc == DB_OK ? 0 : app_fail_internal(err);
}

int round_appraiser_remove(db_conn *c, const struct app_actor *who, int64_t id, int64_t aid,
                           int64_t now, struct app_err *err)
{
    if (round_check_open(c, id, err))
        return -1;
    json_t *ov = round_appraiser_get(c, id, aid);
    if (!ov)
        return app_fail(err, 404, "not_found", NULL, "Không tìm thấy phân công thẩm định này.");
    int rc = db_exec(c, "DELETE FROM appraiser_assignments WHERE id = ? AND round_id = ?",
                     (db_param[]){DB_P_INT(aid), DB_P_INT(id)}, 2, NULL);
    if (rc == DB_OK)
        rc = audit_change(c, who, "round", "round.appraiser_remove", id, ov, NULL, now);
    json_decref(ov);
    return rc == DB_OK ? 0 : app_fail_internal(err);
}

/* ---- task assignment ---- */

json_t *task_assignment_get(db_conn *c, int64_t task)
{
    db_rows *r = NULL;
    if (db_exec(c, "SELECT t.id, t.round_id, t.subject_unit_id, t.unit_id, u.name, "
                   "t.criterion_key, t.version FROM tasks t JOIN units u ON u.id = t.unit_id "
                   "WHERE t.id = ?", (db_param[]){DB_P_INT(task)}, 1, &r) != DB_OK)
        return NULL;
    json_t *o = db_rows_count(r) == 1
                    ? json_pack("{s:I,s:I,s:I,s:I,s:s,s:s,s:I}", "id", (json_int_t)db_int(r, 0, 0),
                                "round_id", (json_int_t)db_int(r, 0, 1), "subject_unit_id",
                                (json_int_t)db_int(r, 0, 2), "unit_id",
                                (json_int_t)db_int(r, 0, 3), "unit_name", db_text(r, 0, 4),
                                "criterion_key", db_text(r, 0, 5), "version",
                                (json_int_t)db_int(r, 0, 6))
                    : NULL;
    db_rows_free(r);
    return o;
}

int task_assign(db_conn *c, const struct app_actor *who, int64_t task, int64_t unit_id,
                int64_t now, struct app_err *err)
{
    db_rows *r = NULL;
    if (db_exec(c, "SELECT t.round_id, t.unit_id, s.kind FROM tasks t JOIN units s ON s.id = "
                   "t.subject_unit_id WHERE t.id = ?", (db_param[]){DB_P_INT(task)}, 1, &r) != DB_OK)
        return app_fail_internal(err);
    if (db_rows_count(r) != 1) {
        db_rows_free(r);
        return app_fail(err, 404, "not_found", NULL, "Không tìm thấy nhiệm vụ.");
    }
    int64_t round = db_int(r, 0, 0), old = db_int(r, 0, 1);
    bool province = !strcmp(db_text(r, 0, 2), "province");
    db_rows_free(r);
    if (round_check_open(c, round, err))
        return -1;
    if (!province)
        return app_fail(err, 409, "not_province_task", "unit_id",
                        "Chỉ đổi được cơ quan chịu trách nhiệm của nhiệm vụ thuộc bộ chỉ số cấp "
                        "tỉnh; nhiệm vụ này do chính đơn vị được đánh giá thực hiện.");
    int64_t n = 0;
    if (db_query_int(c, "SELECT COUNT(*) FROM units WHERE id = ? AND retired_at IS NULL",
                     (db_param[]){DB_P_INT(unit_id)}, 1, &n) != DB_OK)
        return app_fail_internal(err);
    if (!n)
        return app_fail(err, 422, "invalid_value", "unit_id",
                        "Không có đơn vị đang hoạt động mã số %lld.", (long long)unit_id);
    if (old == unit_id)
        return 0;
    db_param p[] = {DB_P_INT(unit_id), DB_P_INT(now),
                    who->user_id ? DB_P_INT(who->user_id) : DB_P_NULL, DB_P_INT(task)};
    if (db_exec(c, "UPDATE tasks SET unit_id = ?, updated_at = ?, updated_by = ?, "
                   "version = version + 1 WHERE id = ?", p, 4, NULL) != DB_OK)
        return app_fail_internal(err);
    json_t *ov = json_pack("{s:I}", "unit_id", (json_int_t)old);
    json_t *nv = json_pack("{s:I}", "unit_id", (json_int_t)unit_id);
    int rc = ov && nv ? audit_change(c, who, "task", "task.assign", task, ov, nv, now) : DB_ERROR;
    json_decref(ov);
    json_decref(nv);
    return rc == DB_OK ? 0 : app_fail_internal(err);
}
