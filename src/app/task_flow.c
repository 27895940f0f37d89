/* task_flow.c — every change of a task: the report save, workflow transitions (one task or the
 * whole unit), standardise, appraiser inputs, comments. Each goes through the workflow table,
 * refuses a finalised round, and appends an audit entry (old -> new) in the caller's
 * transaction. Checks come before any write, so a refusal leaves nothing to undo. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/json_rows.h"
#include "app/task_row.h"
#include "app/task_score.h"
#include "app/tasks.h"
#include "app/text.h"
#include "core/inputs.h"
#include "core/json_oom.h"

#define CONTENT_MAX 10000 /* the JSON reader's longest string */
#define NOTE_MAX 4000
#define COMMENT_MAX 4000
#define SOURCE_MAX 500

static bool blank(const char *s)
{
    if (!s)
        return true;
    for (; *s; s++)
        if (*s != ' ' && *s != '\n' && *s != '\r' && *s != '\t')
            return false;
    return true;
}

/* The audited view of a task row (task_row_load): what a change may touch. */
static json_t *snapshot_row(const db_rows *r)
{
    return json_pack(
        "{s:s,s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:b}", "state", db_text(r, 0, TC_STATE),
        "version", (json_int_t)db_int(r, 0, TC_VERSION), "inputs", json_cell(r, 0, TC_INPUTS),
        "content", task_cell_text(r, 0, TC_CONTENT), "note", task_cell_text(r, 0, TC_NOTE),
        "self_points", task_cell_points(r, 0, TC_SELF_POINTS), "approved_points",
        task_cell_points(r, 0, TC_APPROVED_POINTS), "approval_comment",
        task_cell_text(r, 0, TC_APPROVAL_COMMENT), "appraiser_inputs",
        db_is_null(r, 0, TC_APPR_INPUTS) ? json_null() : json_cell(r, 0, TC_APPR_INPUTS),
        "leader_comment", task_cell_text(r, 0, TC_LEADER_COMMENT), "self_status",
        task_cell_text(r, 0, TC_SELF_STATUS), "trial", db_int(r, 0, TC_TRIAL) != 0);
}

/* The same, read now. */
static json_t *snapshot(db_conn *c, int64_t id)
{
    db_rows *r = NULL;
    if (task_row_load(c, id, &r) != DB_OK)
        return NULL;
    json_t *o = snapshot_row(r);
    db_rows_free(r);
    return o;
}

/* Audits old -> the task as it is now, under `action`; takes old. */
static int audit_task(db_conn *c, const struct task_who *who, int64_t id, const char *action,
                      json_t *old, int64_t now, struct app_err *err)
{
    json_t *nw = snapshot(c, id);
    int rc = old && nw ? audit_change(c, &who->actor, "task", action, id, old, nw, now)
                       : DB_ERROR;
    json_decref(old);
    json_decref(nw);
    return rc == DB_OK ? 0 : app_fail_internal(err);
}

static int version_conflict(struct app_err *err)
{
    return app_fail(err, 409, "version_conflict", "version",
                    "Nhiệm vụ vừa được người khác cập nhật. Hãy xem lại bản mới nhất rồi lưu lại.");
}

static int add_comment(db_conn *c, const struct task_who *who, int64_t id, const char *kind,
                       const char *body, int64_t now)
{
    char name[256];
    db_rows *r = NULL;
    snprintf(name, sizeof name, "%s", who->actor.name ? who->actor.name : "");
    if (who->actor.user_id &&
        db_exec(c, "SELECT full_name FROM users WHERE id = ?",
                (db_param[]){DB_P_INT(who->actor.user_id)}, 1, &r) == DB_OK &&
        db_rows_count(r) == 1 && db_text(r, 0, 0)[0])
        snprintf(name, sizeof name, "%s", db_text(r, 0, 0));
    db_rows_free(r);
    return db_exec(c,
                   "INSERT INTO task_comments (task_id, author_user_id, author_name, kind, body, "
                   "at) VALUES (?, ?, ?, ?, ?, ?)",
                   (db_param[]){DB_P_INT(id),
                                who->actor.user_id ? DB_P_INT(who->actor.user_id) : DB_P_NULL,
                                DB_P_STR(name), DB_P_TEXT(kind), DB_P_TEXT(body), DB_P_INT(now)},
                   6, NULL);
}

/* Loads the task and its round's clock; refuses a finalised round and a stale version. */
static int open_task(db_conn *c, int64_t id, int64_t version, int64_t now, db_rows **r,
                     struct round_clock *k, struct app_err *err)
{
    int rc = task_row_load(c, id, r);
    if (rc == DB_NOTFOUND)
        return app_fail(err, 404, "not_found", NULL, "Không tìm thấy nhiệm vụ.");
    if (rc != DB_OK || round_clock_load(c, db_int(*r, 0, TC_ROUND), now, k) != DB_OK) {
        db_rows_free(*r);
        *r = NULL;
        return app_fail_internal(err);
    }
    if (k->finalised || (version >= 0 && db_int(*r, 0, TC_VERSION) != version)) {
        struct wf_decision d = {WF_OK, WS_NOT_STARTED, 0};
        db_rows_free(*r);
        *r = NULL;
        return k->finalised ? task_refuse(&d, WS_NOT_STARTED, WA_SAVE, k, err)
                            : version_conflict(err);
    }
    return 0;
}

static int open_crit(db_conn *c, const db_rows *r, struct task_crit *tc, struct app_err *err)
{
    return task_crit_open(c, db_int(r, 0, TC_ROUND), db_text(r, 0, TC_FW),
                          db_int(r, 0, TC_FW_VERSION), db_text(r, 0, TC_CRIT), tc, err);
}

int task_save_report(db_conn *c, const struct task_who *who, int64_t id, const json_t *inputs,
                     const char *content, const char *note, int64_t version, int64_t now,
                     struct app_err *err)
{
    db_rows *r = NULL;
    struct round_clock k;
    if (open_task(c, id, version, now, &r, &k, err))
        return -1;
    enum wf_state st = task_row_state(r, 0);
    struct wf_decision d = wf_decide(st, WA_SAVE, who->role, k.phase);
    int ret = -1;
    struct task_crit tc = {0};
    json_t *cur_inputs = NULL, *old = NULL;
    char *inputs_text = NULL;
    if (task_refuse(&d, st, WA_SAVE, &k, err) ||
        text_check_multiline(content, "content", "Nội dung báo cáo", CONTENT_MAX, err) ||
        text_check_multiline(note, "note", "Ghi chú", NOTE_MAX, err) || open_crit(c, r, &tc, err))
        goto out;
    if (!inputs)
        inputs = cur_inputs = json_cell(r, 0, TC_INPUTS);
    struct score_result res;
    if (!inputs || task_crit_score(&tc, inputs, true, &res, err))
        goto out_crit;
    inputs_text = json_oom_dumps(inputs, JSON_COMPACT | JSON_SORT_KEYS);
    old = snapshot_row(r); /* r was read in this transaction: no second read */
    if (!inputs_text || !old) {
        app_fail_internal(err);
        goto out_crit;
    }
    db_param p[] = {
        DB_P_TEXT(wf_state_code(d.next)),
        DB_P_STR(inputs_text),
        content ? DB_P_TEXT(content) : DB_P_TEXT(db_is_null(r, 0, TC_CONTENT) ? NULL : db_text(r, 0, TC_CONTENT)),
        note ? DB_P_TEXT(note) : DB_P_TEXT(db_is_null(r, 0, TC_NOTE) ? NULL : db_text(r, 0, TC_NOTE)),
        res.status == SCORE_SCORED || res.status == SCORE_NOT_APPLICABLE ? DB_P_INT(res.points_h)
                                                                          : DB_P_NULL,
        DB_P_TEXT(score_status_name(res.status)),
        DB_P_STR(res.explain),
        DB_P_INT(k.phase == PH_TRIAL ? 1 : db_int(r, 0, TC_TRIAL)),
        DB_P_INT(now),
        who->actor.user_id ? DB_P_INT(who->actor.user_id) : DB_P_NULL,
        DB_P_INT(id),
        DB_P_INT(db_int(r, 0, TC_VERSION)),
    };
    if (db_exec(c,
                "UPDATE tasks SET state = ?, inputs = ?, content = ?, note = ?, self_points = ?, "
                "self_status = ?, self_explanation = ?, trial = ?, updated_at = ?, updated_by = ?, "
                "version = version + 1 WHERE id = ? AND version = ?",
                p, 12, NULL) != DB_OK) {
        app_fail_internal(err);
        goto out_crit;
    }
    if (db_changes(c) != 1) {
        version_conflict(err);
        goto out_crit;
    }
    ret = audit_task(c, who, id, "task.save", old, now, err);
    old = NULL;
out_crit:
    task_crit_close(&tc);
out:
    json_decref(old);
    json_decref(cur_inputs);
    free(inputs_text);
    db_rows_free(r);
    return ret;
}

json_t *task_preview(db_conn *c, int64_t id, const json_t *inputs, struct app_err *err)
{
    db_rows *r = NULL;
    int rc = task_row_load(c, id, &r);
    if (rc != DB_OK) {
        if (rc == DB_NOTFOUND)
            app_fail(err, 404, "not_found", NULL, "Không tìm thấy nhiệm vụ.");
        else
            app_fail_internal(err);
        return NULL;
    }
    struct task_crit tc;
    struct score_result res;
    json_t *out = NULL;
    if (open_crit(c, r, &tc, err) == 0) {
        if (task_crit_score(&tc, inputs, true, &res, err) == 0) {
            out = json_pack("{s:o,s:s,s:s,s:s}", "points",
                            res.status == SCORE_SCORED ? json_hundredths(res.points_h)
                                                       : json_null(),
                            "status", score_status_name(res.status), "status_label",
                            score_status_label(res.status), "explanation", res.explain);
            if (!out)
                app_fail_internal(err);
        }
        task_crit_close(&tc);
    }
    db_rows_free(r);
    return out;
}

static int64_t count_evidence(db_conn *c, int64_t id)
{
    int64_t n = -1;
    if (db_query_int(c, "SELECT COUNT(*) FROM evidence WHERE task_id = ? AND superseded_at IS "
                        "NULL AND removed_at IS NULL",
                     (db_param[]){DB_P_INT(id)}, 1, &n) != DB_OK)
        return -1;
    return n;
}

/* What the action needs beyond the table: the comment, points, content and evidence. */
static int preconditions(db_conn *c, const db_rows *r, enum wf_action a, const char *comment,
                         int64_t points_h, struct app_err *err)
{
    if (wf_action_needs_comment(a) && blank(comment))
        return app_fail(err, 400, "missing_field", "comment",
                        "«%s» cần có ý kiến (trường “comment”).", wf_action_label(a));
    if (wf_action_needs_points(a)) {
        if (points_h < 0)
            return app_fail(err, 400, "missing_field", "points",
                            "«%s» cần có số điểm (trường “points”).", wf_action_label(a));
        if (points_h > db_int(r, 0, TC_MAX)) {
            char mx[32];
            json_t *m = json_hundredths(db_int(r, 0, TC_MAX));
            snprintf(mx, sizeof mx, "%g", m ? json_number_value(m) : 0.0);
            json_decref(m);
            return app_fail(err, 422, "invalid_value", "points",
                            "Điểm thẩm định phải từ 0 đến %s (điểm tối đa của tiêu chí).", mx);
        }
    }
    if (a == WA_SUBMIT) {
        if (blank(db_is_null(r, 0, TC_CONTENT) ? NULL : db_text(r, 0, TC_CONTENT)))
            return app_fail(err, 422, "missing_content", "content",
                            "Chưa có nội dung báo cáo: hãy nhập nội dung rồi lưu trước khi "
                            "trình lãnh đạo.");
        struct task_crit tc;
        if (open_crit(c, r, &tc, err))
            return -1;
        bool need = task_crit_needs_evidence(&tc);
        task_crit_close(&tc);
        if (need) {
            int64_t n = count_evidence(c, db_int(r, 0, TC_ID));
            if (n < 0)
                return app_fail_internal(err);
            if (n == 0)
                return app_fail(err, 422, "missing_evidence", "evidence",
                                "Tiêu chí này yêu cầu tài liệu kiểm chứng: hãy tải lên ít nhất "
                                "một tệp trước khi trình lãnh đạo.");
        }
    }
    return 0;
}

/* The transition on the loaded row r (version already checked). */
static int apply(db_conn *c, const struct task_who *who, const db_rows *r,
                 const struct round_clock *k, enum wf_action a, const char *comment,
                 int64_t points_h, int64_t now, struct app_err *err)
{
    int64_t id = db_int(r, 0, TC_ID);
    enum wf_state st = task_row_state(r, 0);
    if (a == WA_SAVE)
        return app_fail(err, 400, "invalid_value", "action",
                        "Lưu báo cáo bằng PUT /tasks/{id}/report, không qua chuyển trạng thái.");
    struct wf_decision d = wf_decide(st, a, who->role, k->phase);
    if (task_refuse(&d, st, a, k, err) || text_check_multiline(comment, "comment", "Ý kiến",
                                                          COMMENT_MAX, err) ||
        preconditions(c, r, a, comment, points_h, err))
        return -1;
    json_t *old = snapshot_row(r);
    if (!old)
        return app_fail_internal(err);
#define KEEP_INT(col) (db_is_null(r, 0, col) ? DB_P_NULL : DB_P_INT(db_int(r, 0, col)))
#define KEEP_TEXT(col) (db_is_null(r, 0, col) ? DB_P_NULL : DB_P_STR(db_text(r, 0, col)))
    db_param submitted = KEEP_INT(TC_SUBMITTED_AT), sent = KEEP_INT(TC_SENT_AT),
             leader = KEEP_TEXT(TC_LEADER_COMMENT), ap = KEEP_INT(TC_APPROVED_POINTS),
             acomment = KEEP_TEXT(TC_APPROVAL_COMMENT), aby = KEEP_INT(TC_APPROVED_BY),
             aat = KEEP_INT(TC_APPROVED_AT), around = KEEP_INT(TC_APPRAISAL_ROUND);
    db_param by = who->actor.user_id ? DB_P_INT(who->actor.user_id) : DB_P_NULL;
    switch (a) {
    case WA_SUBMIT: submitted = DB_P_INT(now); break;
    case WA_RETURN: leader = DB_P_TEXT(comment); break;
    case WA_SEND: sent = DB_P_INT(now); break;
    case WA_APPROVE:
        ap = DB_P_INT(points_h);
        acomment = blank(comment) ? DB_P_NULL : DB_P_TEXT(comment);
        aby = by;
        aat = DB_P_INT(now);
        around = DB_P_INT(k->phase == PH_APPRAISAL1 ? 1 : 2);
        break;
    case WA_REOPEN: ap = acomment = aby = aat = around = DB_P_NULL; break;
    default: break;
    }
#undef KEEP_INT
#undef KEEP_TEXT
    db_param p[] = {DB_P_TEXT(wf_state_code(d.next)), submitted, sent, leader, ap, acomment, aby,
                    aat, around, DB_P_INT(now), by, DB_P_INT(id),
                    DB_P_INT(db_int(r, 0, TC_VERSION))};
    if (db_exec(c,
                "UPDATE tasks SET state = ?, submitted_at = ?, sent_at = ?, leader_comment = ?, "
                "approved_points = ?, approval_comment = ?, approved_by = ?, approved_at = ?, "
                "appraisal_round = ?, updated_at = ?, updated_by = ?, version = version + 1 "
                "WHERE id = ? AND version = ?",
                p, 13, NULL) != DB_OK) {
        json_decref(old);
        return app_fail_internal(err);
    }
    if (db_changes(c) != 1) {
        json_decref(old);
        return version_conflict(err);
    }
    if (!blank(comment) && add_comment(c, who, id, wf_action_code(a), comment, now) != DB_OK) {
        json_decref(old);
        return app_fail_internal(err);
    }
    char action[64];
    snprintf(action, sizeof action, "task.%s", wf_action_code(a));
    return audit_task(c, who, id, action, old, now, err);
}

int task_transition(db_conn *c, const struct task_who *who, int64_t id, enum wf_action a,
                    const char *comment, int64_t points_h, int64_t version, int64_t now,
                    struct app_err *err)
{
    db_rows *r = NULL;
    struct round_clock k;
    if (open_task(c, id, version, now, &r, &k, err))
        return -1;
    int rc = apply(c, who, r, &k, a, comment, points_h, now, err);
    db_rows_free(r);
    return rc;
}

/* Ids of the tasks the unit reports in the round, in the set's order. */
static int unit_tasks(db_conn *c, int64_t round_id, int64_t unit_id, db_rows **r)
{
    return db_exec(c, "SELECT id FROM tasks WHERE round_id = ? AND unit_id = ? ORDER BY seq, id",
                   (db_param[]){DB_P_INT(round_id), DB_P_INT(unit_id)}, 2, r);
}

static int round_open(db_conn *c, int64_t round_id, int64_t now, struct round_clock *k,
                      struct app_err *err)
{
    int rc = round_clock_load(c, round_id, now, k);
    if (rc == DB_NOTFOUND)
        return app_fail(err, 404, "not_found", "id", "Không tìm thấy kỳ đánh giá.");
    if (rc != DB_OK)
        return app_fail_internal(err);
    if (k->finalised) {
        struct wf_decision d = {WF_OK, WS_NOT_STARTED, 0};
        return task_refuse(&d, WS_NOT_STARTED, WA_SAVE, k, err);
    }
    return 0;
}

int tasks_unit_transition(db_conn *c, const struct task_who *who, int64_t round_id,
                          int64_t unit_id, enum wf_action a, const char *comment, int64_t now,
                          json_t **result, struct app_err *err)
{
    *result = NULL;
    struct round_clock k;
    if (round_open(c, round_id, now, &k, err))
        return -1;
    if (wf_action_needs_comment(a) && blank(comment)) /* the request's fault, not a task's */
        return app_fail(err, 400, "missing_field", "comment",
                        "«%s» cần có ý kiến (trường “comment”).", wf_action_label(a));
    db_rows *ids = NULL;
    if (unit_tasks(c, round_id, unit_id, &ids) != DB_OK)
        return app_fail_internal(err);
    json_t *skipped = json_array();
    int64_t applied = 0;
    struct app_err first = {0};
    int ret = skipped ? 0 : app_fail_internal(err);
    for (int i = 0; ret == 0 && i < db_rows_count(ids); i++) {
        db_rows *r = NULL;
        struct app_err e;
        int rc = task_row_load(c, db_int(ids, i, 0), &r);
        if (rc != DB_OK) {
            ret = app_fail_internal(err);
            break;
        }
        rc = apply(c, who, r, &k, a, comment, -1, now, &e);
        if (rc == 0) {
            applied++;
        } else if (e.status >= 500) {
            *err = e;
            ret = -1;
        } else {
            if (!first.status)
                first = e;
            /* the code of the criterion for the person reading the list */
            struct task_crit tc;
            struct app_err ce;
            const char *code = "";
            bool open = open_crit(c, r, &tc, &ce) == 0;
            if (open && tc.crit->code)
                code = tc.crit->code;
            skipped = json_append_or_free(
                skipped, json_pack("{s:I,s:s,s:s,s:s}", "task_id",
                                   (json_int_t)db_int(r, 0, TC_ID), "code", code, "error", e.code,
                                   "reason", e.message));
            if (open)
                task_crit_close(&tc);
            if (!skipped)
                ret = app_fail_internal(err);
        }
        db_rows_free(r);
    }
    db_rows_free(ids);
    if (ret == 0 && applied == 0) {
        if (first.status)
            *err = first;
        else
            app_fail(err, 409, "invalid_transition", "action",
                     "Đơn vị không có nhiệm vụ nào trong kỳ đánh giá này.");
        ret = -1;
    }
    if (ret == 0 && !(*result = json_pack("{s:I,s:O}", "applied", (json_int_t)applied,
                                          "skipped", skipped)))
        ret = app_fail_internal(err);
    json_decref(skipped);
    return ret;
}

/* Adds {"task_id","code","what"} to missing. */
static json_t *miss(json_t *missing, int64_t id, const char *code, const char *what)
{
    return json_append_or_free(
        missing, json_pack("{s:I,s:s,s:s}", "task_id", (json_int_t)id, "code", code ? code : "",
                           "what", what));
}

int tasks_unit_standardise(db_conn *c, const struct task_who *who, int64_t round_id,
                           int64_t unit_id, int64_t now, json_t **result, struct app_err *err)
{
    *result = NULL;
    struct round_clock k;
    if (round_open(c, round_id, now, &k, err))
        return -1;
    db_rows *ids = NULL;
    if (unit_tasks(c, round_id, unit_id, &ids) != DB_OK)
        return app_fail_internal(err);
    json_t *missing = json_array();
    int64_t recomputed = 0;
    int ret = missing ? 0 : app_fail_internal(err);
    for (int i = 0; ret == 0 && i < db_rows_count(ids); i++) {
        int64_t id = db_int(ids, i, 0);
        db_rows *r = NULL;
        struct task_crit tc;
        if (task_row_load(c, id, &r) != DB_OK || open_crit(c, r, &tc, err)) {
            db_rows_free(r);
            ret = app_fail_internal(err);
            break;
        }
        const char *code = tc.crit->code;
        json_t *inputs = json_cell(r, 0, TC_INPUTS);
        recomputed++; /* an error found is listed in missing */
        struct score_result res;
        struct app_err se;
        if (blank(db_is_null(r, 0, TC_CONTENT) ? NULL : db_text(r, 0, TC_CONTENT)))
            missing = miss(missing, id, code, "Chưa có nội dung báo cáo");
        if (missing && task_crit_needs_evidence(&tc) && count_evidence(c, id) == 0)
            missing = miss(missing, id, code, "Chưa có tài liệu kiểm chứng");
        if (!inputs || !missing) {
            ret = app_fail_internal(err);
        } else if (task_crit_score(&tc, inputs, true, &res, &se)) {
            if (se.status >= 500)
                ret = app_fail_internal(err);
            else
                missing = miss(missing, id, code, se.message);
        } else {
            if (res.status == SCORE_MISSING)
                missing = miss(missing, id, code, "Chưa đủ số liệu để tính điểm");
            bool pts = res.status == SCORE_SCORED || res.status == SCORE_NOT_APPLICABLE;
            bool same = (pts ? !db_is_null(r, 0, TC_SELF_POINTS) &&
                                   db_int(r, 0, TC_SELF_POINTS) == res.points_h
                             : db_is_null(r, 0, TC_SELF_POINTS)) &&
                        strcmp(db_text(r, 0, TC_SELF_STATUS), score_status_name(res.status)) == 0;
            if (!same && missing) {
                json_t *old = snapshot(c, id);
                if (!old ||
                    db_exec(c, "UPDATE tasks SET self_points = ?, self_status = ?, "
                               "self_explanation = ?, version = version + 1, updated_at = ? "
                               "WHERE id = ?",
                            (db_param[]){pts ? DB_P_INT(res.points_h) : DB_P_NULL,
                                         DB_P_TEXT(score_status_name(res.status)),
                                         DB_P_STR(res.explain), DB_P_INT(now), DB_P_INT(id)},
                            5, NULL) != DB_OK) {
                    json_decref(old);
                    ret = app_fail_internal(err);
                } else {
                    ret = audit_task(c, who, id, "task.standardise", old, now, err);
                }
            }
        }
        if (!missing && ret == 0)
            ret = app_fail_internal(err);
        json_decref(inputs);
        task_crit_close(&tc);
        db_rows_free(r);
    }
    db_rows_free(ids);
    if (ret == 0 && !(*result = json_pack("{s:I,s:O}", "recomputed", (json_int_t)recomputed,
                                          "missing", missing)))
        ret = app_fail_internal(err);
    json_decref(missing);
    return ret;
}

int task_comment_add(db_conn *c, const struct task_who *who, int64_t id, const char *body,
                     int64_t now, struct app_err *err)
{
    db_rows *r = NULL;
    struct round_clock k;
    if (open_task(c, id, -1, now, &r, &k, err))
        return -1;
    db_rows_free(r);
    if (text_check_multiline(body, "body", "Ý kiến", COMMENT_MAX, err))
        return -1;
    if (blank(body))
        return app_fail(err, 422, "invalid_value", "body", "Ý kiến không được để trống.");
    if (add_comment(c, who, id, "comment", body, now) != DB_OK)
        return app_fail_internal(err);
    json_t *nv = json_pack("{s:s}", "body", body);
    int rc = nv ? audit_change(c, &who->actor, "task", "task.comment", id, NULL, nv, now)
                : DB_ERROR;
    json_decref(nv);
    return rc == DB_OK ? 0 : app_fail_internal(err);
}

int task_set_appraiser_inputs(db_conn *c, const struct task_who *who, int64_t id,
                              const json_t *inputs, int64_t now, struct app_err *err)
{
    db_rows *r = NULL;
    struct round_clock k;
    if (open_task(c, id, -1, now, &r, &k, err))
        return -1;
    int ret = -1;
    struct task_crit tc = {0};
    char *text = NULL;
    enum wf_state st = task_row_state(r, 0);
    /* allowed while the task may still be approved by this appraiser */
    struct wf_decision d = wf_decide(st, WA_APPROVE, who->role, k.phase);
    if (task_refuse(&d, st, WA_APPROVE, &k, err) || open_crit(c, r, &tc, err))
        goto out;
    const char *name;
    json_t *v;
    json_object_foreach((json_t *)inputs, name, v) {
        char field[160];
        snprintf(field, sizeof field, "inputs.%.100s", name);
        int i = fw_find_input(tc.crit, name);
        if (i < 0) {
            app_fail(err, 400, "unknown_field", field, "Tiêu chí không có dữ liệu đầu vào “%.100s”.",
                     name);
            goto out_crit;
        }
        const struct fw_input *in = &tc.crit->inputs[i];
        const char *label = in->label ? in->label : in->name;
        json_t *val = json_object_get(v, "value"), *src = json_object_get(v, "source");
        if (!json_is_object(v) || json_object_size(v) != 2 || !val || !json_is_string(src)) {
            app_fail(err, 400, "invalid_value", field,
                     "«%s»: cần dạng {\"value\": …, \"source\": \"nguồn số liệu\"}.", label);
            goto out_crit;
        }
        struct value tmp;
        char msg[200];
        if (value_from_json(in, val, &tmp, msg, sizeof msg)) {
            app_fail(err, 400, "invalid_value", field, "«%s»: %s", label, msg);
            goto out_crit;
        }
        if (blank(json_string_value(src)) ||
            text_check_multiline(json_string_value(src), field, "Nguồn số liệu", SOURCE_MAX, err)) {
            if (blank(json_string_value(src)))
                app_fail(err, 422, "invalid_value", field, "«%s»: cần ghi nguồn số liệu.", label);
            goto out_crit;
        }
    }
    json_t *old = snapshot(c, id);
    text = json_oom_dumps(inputs, JSON_COMPACT | JSON_SORT_KEYS);
    if (!old || !text ||
        db_exec(c, "UPDATE tasks SET appraiser_inputs = ?, version = version + 1, updated_at = ?, "
                   "updated_by = ? WHERE id = ?",
                (db_param[]){DB_P_STR(text), DB_P_INT(now),
                             who->actor.user_id ? DB_P_INT(who->actor.user_id) : DB_P_NULL,
                             DB_P_INT(id)},
                4, NULL) != DB_OK) {
        json_decref(old);
        app_fail_internal(err);
        goto out_crit;
    }
    ret = audit_task(c, who, id, "task.appraiser_inputs", old, now, err);
out_crit:
    task_crit_close(&tc);
out:
    free(text);
    db_rows_free(r);
    return ret;
}
