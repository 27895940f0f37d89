/* evidence.c — evidence rows (evidence.h). */
#include "app/evidence.h"
#include "app/evidence_sig.h"

#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "app/isotime.h"
#include "app/json_rows.h"
#include "app/text.h"
#include "core/phase.h"
#include "core/workflow.h"

/* ---- may the task's evidence change now? ---- */
static const char *state_label(const char *s)
{
    int st = wf_state_parse(s);
    return st >= 0 ? wf_state_label((enum wf_state)st) : s;
}

/* Evidence changes with the report: the phases in which the workflow table (core/workflow.c)
 * lets the unit `save` a task in this state, as bits 1u << enum phase. */
static unsigned save_phases(const char *state)
{
    int s = wf_state_parse(state);
    unsigned phases = 0;
    for (size_t i = 0; s >= 0 && i < wf_table_len; i++) {
        const struct wf_transition *t = &wf_table[i];
        if (t->action == WA_SAVE && (t->from & (1u << s)) && (t->roles & (WR_STAFF | WR_LEADER)))
            phases |= t->phases;
    }
    return phases;
}

static int load_windows(db_conn *c, int64_t round_id, struct phase_window w[PH_COUNT])
{
    memset(w, 0, sizeof(struct phase_window) * PH_COUNT);
    db_rows *r = NULL;
    if (db_exec(c, "SELECT phase, starts_at, ends_at FROM round_phases WHERE round_id = ?",
                (db_param[]){DB_P_INT(round_id)}, 1, &r) != DB_OK)
        return -1;
    for (int i = 0; i < db_rows_count(r); i++) {
        int p = phase_parse(db_text(r, i, 0));
        if (p >= 0) {
            w[p].set = true;
            w[p].starts_at = db_int(r, i, 1);
            w[p].ends_at = db_int(r, i, 2);
        }
    }
    db_rows_free(r);
    return 0;
}

int evidence_may_save(db_conn *c, int64_t task_id, int64_t now, struct evidence_task *t,
                      struct app_err *e)
{
    db_rows *r = NULL;
    if (db_exec(c,
                "SELECT t.unit_id, t.round_id, t.state, ro.status FROM tasks t "
                "JOIN rounds ro ON ro.id = t.round_id WHERE t.id = ?",
                (db_param[]){DB_P_INT(task_id)}, 1, &r) != DB_OK)
        return app_fail_internal(e);
    if (db_rows_count(r) != 1) {
        db_rows_free(r);
        return app_fail(e, 404, "not_found", NULL, "Không tìm thấy nhiệm vụ.");
    }
    t->id = task_id;
    t->unit_id = db_int(r, 0, 0);
    t->round_id = db_int(r, 0, 1);
    char state[32];
    snprintf(state, sizeof state, "%s", db_text(r, 0, 2));
    bool finalised = !strcmp(db_text(r, 0, 3), "finalised");
    db_rows_free(r);
    if (finalised)
        return app_fail(e, 409, "round_finalised", NULL,
                        "Đợt đánh giá đã kết thúc; không thể thay đổi minh chứng.");
    unsigned allowed = save_phases(state);
    if (!allowed)
        return app_fail(e, 409, "invalid_transition", NULL,
                        "Không thể «Lưu» minh chứng khi nhiệm vụ đang ở trạng thái «%s».",
                        state_label(state));
    struct phase_window w[PH_COUNT];
    if (load_windows(c, t->round_id, w))
        return app_fail_internal(e);
    int cur = phase_current(w, now);
    if (cur == PH_NONE || !(allowed & (1u << cur))) {
        /* Name the window(s) where saving is allowed, with their dates. */
        char msg[280] = "", a[11], b[11];
        size_t n = 0;
        for (int p = 0; p < PH_COUNT; p++) {
            if (!(allowed & (1u << p)) || !w[p].set)
                continue;
            vn_date_human(w[p].starts_at, a);
            vn_date_human(w[p].ends_at - 1, b);
            int k = snprintf(msg + n, sizeof msg - n, "%s«%s» (%s–%s)", n ? ", " : "",
                             phase_label((enum phase)p), a, b);
            if (k < 0 || (size_t)k >= sizeof msg - n)
                break;
            n += (size_t)k;
        }
        return app_fail(e, 409, "wrong_phase", NULL,
                        "Chỉ được thay đổi minh chứng trong giai đoạn %s.",
                        n ? msg : "thử nghiệm hoặc tự đánh giá");
    }
    t->trial = cur == PH_TRIAL;
    return 0;
}

/* ---- rows ---- */

#define EV_COLS                                                                              \
    "e.id, e.task_id, e.file_name, e.mime, e.size, e.sha256, e.uploaded_by, "                \
    "COALESCE(u.full_name, u.username), e.uploaded_at, e.replaces_id, e.superseded_at, "     \
    "e.removed_at, e.trial, " EVIDENCE_SIG_COLS
#define EV_FROM " FROM evidence e LEFT JOIN users u ON u.id = e.uploaded_by"

static json_t *int_or_null(const db_rows *r, int i, int col)
{
    return db_is_null(r, i, col) ? json_null() : json_integer(db_int(r, i, col));
}

static json_t *row_to_evidence(const db_rows *r, int i)
{
    bool current = db_is_null(r, i, 10) && db_is_null(r, i, 11);
    return json_pack("{s:I,s:I,s:s,s:s,s:I,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:b,s:b,s:o}",
                     "id", (json_int_t)db_int(r, i, 0), "task_id", (json_int_t)db_int(r, i, 1),
                     "file_name", db_text(r, i, 2), "mime", db_text(r, i, 3),
                     "size", (json_int_t)db_int(r, i, 4), "sha256", db_text(r, i, 5),
                     "uploaded_by", int_or_null(r, i, 6),
                     "uploaded_by_name",
                     db_is_null(r, i, 7) ? json_null() : json_string(db_text(r, i, 7)),
                     "uploaded_at", isotime_json(db_int(r, i, 8), 0),
                     "replaces_id", int_or_null(r, i, 9),
                     "superseded_at", isotime_json(db_int(r, i, 10), db_is_null(r, i, 10)),
                     "removed_at", isotime_json(db_int(r, i, 11), db_is_null(r, i, 11)),
                     "trial", db_int(r, i, 12) != 0, "current", current,
                     "signature", evidence_sig_row_json(r, i, 13)); /* part: pdfsig */
}

json_t *evidence_get(db_conn *c, int64_t id)
{
    db_rows *r = NULL;
    if (db_exec(c, "SELECT " EV_COLS EV_FROM " WHERE e.id = ?", (db_param[]){DB_P_INT(id)}, 1,
                &r) != DB_OK)
        return NULL;
    json_t *j = db_rows_count(r) == 1 ? row_to_evidence(r, 0) : NULL;
    db_rows_free(r);
    evidence_sig_annotate(c, j); /* part: pdfsig */
    return j;
}

json_t *evidence_list(db_conn *c, int64_t task_id)
{
    db_rows *r = NULL;
    if (db_exec(c,
                "SELECT " EV_COLS EV_FROM " WHERE e.task_id = ? ORDER BY "
                "CASE WHEN e.superseded_at IS NULL AND e.removed_at IS NULL THEN 0 ELSE 1 END, "
                "e.id DESC",
                (db_param[]){DB_P_INT(task_id)}, 1, &r) != DB_OK)
        return NULL;
    json_t *a = json_rows_array(r, row_to_evidence);
    db_rows_free(r);
    json_t *l = a ? json_pack("{s:o}", "evidence", a) : NULL;
    evidence_sig_annotate(c, l); /* part: pdfsig */
    return l;
}

int evidence_clean_name(const char *raw, char *out, size_t cap, struct app_err *e)
{
    static const struct text_field f = {"file", "Tên tệp", EVIDENCE_NAME_MAX, true};
    return text_clean_line(raw, &f, out, cap, e);
}

int evidence_add(db_conn *c, const struct app_actor *who, const struct evidence_task *t,
                 const struct evidence_new *in, int64_t now, int64_t *id, struct app_err *e)
{
    char name[TEXT_BUF(EVIDENCE_NAME_MAX)];
    if (evidence_clean_name(in->file_name, name, sizeof name, e))
        return -1;
    json_t *old_v = NULL;
    if (in->replaces_id) {
        old_v = evidence_get(c, in->replaces_id);
        if (!old_v || json_integer_value(json_object_get(old_v, "task_id")) != t->id) {
            json_decref(old_v);
            return app_fail(e, 422, "invalid_value", "replaces",
                            "Không tìm thấy minh chứng cần thay thế (replaces) trên nhiệm vụ này.");
        }
        /* Only the current version is replaced; the row stays as the earlier version. */
        if (db_exec(c,
                    "UPDATE evidence SET superseded_at = ? WHERE id = ? AND "
                    "superseded_at IS NULL AND removed_at IS NULL",
                    (db_param[]){DB_P_INT(now), DB_P_INT(in->replaces_id)}, 2, NULL) != DB_OK) {
            json_decref(old_v);
            return app_fail_internal(e);
        }
        if (db_changes(c) != 1) {
            json_decref(old_v);
            return app_fail(e, 409, "conflict", "replaces",
                            "Minh chứng này đã được thay thế hoặc đã bị gỡ; hãy tải lại trang.");
        }
    }
    int rc = db_exec(c,
                     "INSERT INTO blobs (sha256, size, mime, created_at) VALUES (?, ?, ?, ?) "
                     "ON CONFLICT (sha256) DO NOTHING",
                     (db_param[]){DB_P_STR(in->sha256), DB_P_INT(in->size), DB_P_STR(in->mime),
                                  DB_P_INT(now)},
                     4, NULL);
    if (rc == DB_OK)
        rc = db_query_int(c,
                          "INSERT INTO evidence (task_id, sha256, file_name, mime, size, "
                          "uploaded_by, uploaded_at, replaces_id, trial) VALUES "
                          "(?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                          (db_param[]){DB_P_INT(t->id), DB_P_STR(in->sha256), DB_P_STR(name),
                                       DB_P_STR(in->mime), DB_P_INT(in->size),
                                       who->user_id ? DB_P_INT(who->user_id) : DB_P_NULL,
                                       DB_P_INT(now),
                                       in->replaces_id ? DB_P_INT(in->replaces_id) : DB_P_NULL,
                                       DB_P_INT(t->trial ? 1 : 0)},
                          9, id);
    /* Data entered in the trial phase is marked on the task too (cleared with it). */
    if (rc == DB_OK && t->trial)
        rc = db_exec(c, "UPDATE tasks SET trial = 1 WHERE id = ?", (db_param[]){DB_P_INT(t->id)},
                     1, NULL);
    if (rc == DB_OK)
        rc = evidence_sig_store(c, *id, in->sig); /* part: pdfsig */
    json_t *new_v = rc == DB_OK ? evidence_get(c, *id) : NULL;
    rc = new_v ? audit_change(c, who, "evidence", in->replaces_id ? "evidence.replace"
                                                                  : "evidence.add",
                              *id, old_v, new_v, now)
               : DB_ERROR;
    json_decref(old_v);
    json_decref(new_v);
    return rc == DB_OK ? 0 : app_fail_internal(e);
}

int evidence_file(db_conn *c, int64_t id, char sha256[65], char *mime, size_t mime_cap,
                  char *name, size_t name_cap, struct app_err *e)
{
    db_rows *r = NULL;
    if (db_exec(c, "SELECT sha256, mime, file_name FROM evidence WHERE id = ?",
                (db_param[]){DB_P_INT(id)}, 1, &r) != DB_OK)
        return app_fail_internal(e);
    if (db_rows_count(r) != 1) {
        db_rows_free(r);
        return app_fail(e, 404, "not_found", NULL, "Không tìm thấy minh chứng.");
    }
    snprintf(sha256, 65, "%s", db_text(r, 0, 0));
    snprintf(mime, mime_cap, "%s", db_text(r, 0, 1));
    snprintf(name, name_cap, "%s", db_text(r, 0, 2));
    db_rows_free(r);
    return 0;
}

int evidence_remove(db_conn *c, const struct app_actor *who, int64_t id, int64_t now,
                    struct app_err *e)
{
    json_t *old_v = evidence_get(c, id);
    if (!old_v)
        return app_fail(e, 404, "not_found", NULL, "Không tìm thấy minh chứng.");
    struct evidence_task t;
    if (evidence_may_save(c, json_integer_value(json_object_get(old_v, "task_id")), now, &t, e)) {
        json_decref(old_v);
        return -1;
    }
    if (db_exec(c,
                "UPDATE evidence SET removed_at = ? WHERE id = ? AND removed_at IS NULL AND "
                "superseded_at IS NULL",
                (db_param[]){DB_P_INT(now), DB_P_INT(id)}, 2, NULL) != DB_OK) {
        json_decref(old_v);
        return app_fail_internal(e);
    }
    if (db_changes(c) != 1) {
        json_decref(old_v);
        return app_fail(e, 409, "conflict", NULL,
                        "Minh chứng này đã được thay thế hoặc đã bị gỡ; hãy tải lại trang.");
    }
    json_t *new_v = evidence_get(c, id);
    int rc = new_v ? audit_change(c, who, "evidence", "evidence.remove", id, old_v, new_v, now)
                   : DB_ERROR;
    json_decref(old_v);
    json_decref(new_v);
    return rc == DB_OK ? 0 : app_fail_internal(e);
}
