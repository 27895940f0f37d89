/* tasks.c — reading tasks: one task's detail, lists, comments; the round's clock, time states
 * and the workflow's refusal messages shared with task_flow.c. */
#include "app/tasks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/isotime.h"
#include "app/json_rows.h"
#include "app/task_row.h"
#include "app/task_score.h"
#include "core/json_oom.h"
#include "core/score.h"

#define DAY 86400

int round_clock_load(db_conn *c, int64_t round_id, int64_t now, struct round_clock *k)
{
    memset(k, 0, sizeof *k);
    k->phase = PH_NONE;
    db_rows *r = NULL;
    if (db_exec(c, "SELECT status, year FROM rounds WHERE id = ?",
                (db_param[]){DB_P_INT(round_id)}, 1, &r) != DB_OK)
        return DB_ERROR;
    if (db_rows_count(r) != 1) {
        db_rows_free(r);
        return DB_NOTFOUND;
    }
    k->finalised = strcmp(db_text(r, 0, 0), "finalised") == 0;
    k->year = db_int(r, 0, 1);
    db_rows_free(r);
    r = NULL;
    if (db_exec(c, "SELECT phase, starts_at, ends_at FROM round_phases WHERE round_id = ?",
                (db_param[]){DB_P_INT(round_id)}, 1, &r) != DB_OK)
        return DB_ERROR;
    for (int i = 0; i < db_rows_count(r); i++) {
        int p = phase_parse(db_text(r, i, 0));
        if (p >= 0)
            k->w[p] = (struct phase_window){true, db_int(r, i, 1), db_int(r, i, 2)};
    }
    db_rows_free(r);
    k->phase = phase_current(k->w, now);
    return DB_OK;
}

int task_row_load(db_conn *c, int64_t id, db_rows **rows)
{
    *rows = NULL;
    if (db_exec(c, TASK_SELECT "WHERE t.id = ?", (db_param[]){DB_P_INT(id)}, 1, rows) != DB_OK)
        return DB_ERROR;
    if (db_rows_count(*rows) != 1) {
        db_rows_free(*rows);
        *rows = NULL;
        return DB_NOTFOUND;
    }
    return DB_OK;
}

enum wf_state task_row_state(const db_rows *r, int i)
{
    int s = wf_state_parse(db_text(r, i, TC_STATE));
    return s < 0 ? WS_NOT_STARTED : (enum wf_state)s;
}

int64_t task_due_at(const char *due, const struct round_clock *k)
{
    int d, m;
    char tail;
    if (due && sscanf(due, "%d.%d%c", &d, &m, &tail) == 2 && k->year > 1970 && k->year < 10000) {
        char ymd[32];
        int64_t t;
        snprintf(ymd, sizeof ymd, "%04d-%02d-%02d", (int)k->year, m, d);
        if (vn_date_start(ymd, &t))
            return t + DAY; /* the end of that day */
    }
    return k->w[PH_SELF_ASSESSMENT].set ? k->w[PH_SELF_ASSESSMENT].ends_at : 0;
}

const char *task_time_state(enum wf_state st, int64_t due_at, int64_t now)
{
    bool sent = !(st == WS_NOT_STARTED || st == WS_DRAFT || st == WS_SUBMITTED ||
                  st == WS_RETURNED);
    if (sent)
        return "done";
    if (!due_at)
        return "on_time";
    if (now >= due_at)
        return "overdue";
    return due_at - now <= 7 * DAY ? "due_soon" : "on_time";
}

json_t *task_cell_int(const db_rows *r, int i, int col)
{
    return db_is_null(r, i, col) ? json_null() : json_integer(db_int(r, i, col));
}

json_t *task_cell_points(const db_rows *r, int i, int col)
{
    return db_is_null(r, i, col) ? json_null() : json_hundredths(db_int(r, i, col));
}

json_t *task_cell_text(const db_rows *r, int i, int col)
{
    return db_is_null(r, i, col) ? json_null() : json_string(db_text(r, i, col));
}

json_t *task_cell_time(const db_rows *r, int i, int col)
{
    return isotime_json(db_int(r, i, col), db_is_null(r, i, col));
}

/* "«Thử nghiệm» (01/03/2025 – 15/03/2025)" for every phase in mask, comma separated. */
static void phases_text(unsigned mask, const struct round_clock *k, char *out, size_t n)
{
    size_t o = 0;
    out[0] = '\0';
    for (int p = 0; p < PH_COUNT && o < n; p++) {
        if (!(mask & (1u << p)))
            continue;
        char a[11] = "", b[11] = "", win[64];
        if (k->w[p].set) {
            vn_date_human(k->w[p].starts_at, a);
            vn_date_human(k->w[p].ends_at - 1, b);
            snprintf(win, sizeof win, " (%s – %s)", a, b);
        } else {
            snprintf(win, sizeof win, " (chưa đặt lịch)");
        }
        int w = snprintf(out + o, n - o, "%s«%s»%s", o ? ", " : "", phase_label(p), win);
        if (w < 0 || (size_t)w >= n - o)
            break;
        o += (size_t)w;
    }
}

int task_refuse(const struct wf_decision *d, enum wf_state st, enum wf_action a,
                const struct round_clock *k, struct app_err *err)
{
    if (k->finalised)
        return app_fail(err, 409, "round_finalised", NULL,
                        "Kỳ đánh giá đã chốt kết quả cuối cùng; không thể thay đổi nhiệm vụ.");
    switch (d->verdict) {
    case WF_OK:
        return 0;
    case WF_WRONG_ROLE:
        return app_fail(err, 403, "forbidden", "action",
                        "Vai trò của bạn không được «%s» khi nhiệm vụ đang ở trạng thái «%s».",
                        wf_action_label(a), wf_state_label(st));
    case WF_WRONG_PHASE: {
        char ph[200];
        phases_text(d->allowed_phases, k, ph, sizeof ph);
        const char *now = k->phase >= 0 ? phase_label(k->phase) : "ngoài các giai đoạn";
        return app_fail(err, 409, "wrong_phase", "action",
                        "«%s» chỉ được thực hiện trong giai đoạn %s; hiện tại: %s.",
                        wf_action_label(a), ph, now);
    }
    case WF_INVALID_TRANSITION:
        break;
    }
    return app_fail(err, 409, "invalid_transition", "action",
                    "Không thể «%s» khi nhiệm vụ đang ở trạng thái «%s».", wf_action_label(a),
                    wf_state_label(st));
}

int task_assigned(db_conn *c, int64_t task_id, int64_t user_id, int64_t unit_id)
{
    int64_t one = 0;
    int rc = db_query_int(c, "SELECT 1 FROM tasks t WHERE t.id = ? AND " TASK_ASSIGNED_SQL,
                          (db_param[]){DB_P_INT(task_id), DB_P_INT(unit_id), DB_P_INT(user_id)},
                          3, &one);
    return rc == DB_OK ? 1 : rc == DB_NOTFOUND ? 0 : -1;
}

static bool put(json_t *o, const char *k, json_t *v)
{
    return v && json_object_set_new(o, k, v) == 0;
}

/* The fields a list row and the detail share. crit may be NULL (code and title then null). */
static json_t *row_json(const db_rows *r, int i, const struct fw_criterion *crit,
                        const struct round_clock *k, int64_t now)
{
    enum wf_state st = task_row_state(r, i);
    int64_t due_at = task_due_at(crit ? crit->due : NULL, k);
    json_t *o = json_object();
    if (!o)
        return NULL;
    bool ok = put(o, "id", json_integer(db_int(r, i, TC_ID))) &&
              put(o, "round_id", json_integer(db_int(r, i, TC_ROUND))) &&
              put(o, "unit_id", json_integer(db_int(r, i, TC_UNIT))) &&
              put(o, "unit_name", json_string(db_text(r, i, TC_UNIT_NAME))) &&
              put(o, "subject_unit_id", json_integer(db_int(r, i, TC_SUBJECT))) &&
              put(o, "subject_unit_name", json_string(db_text(r, i, TC_SUBJECT_NAME))) &&
              put(o, "level", task_cell_text(r, i, TC_LEVEL)) &&
              put(o, "framework_id", json_string(db_text(r, i, TC_FW))) &&
              put(o, "framework_version", json_integer(db_int(r, i, TC_FW_VERSION))) &&
              put(o, "criterion_key", json_string(db_text(r, i, TC_CRIT))) &&
              put(o, "pillar_key", json_string(db_text(r, i, TC_PILLAR))) &&
              put(o, "seq", json_integer(db_int(r, i, TC_SEQ))) &&
              put(o, "code", crit && crit->code ? json_string(crit->code) : json_null()) &&
              put(o, "title", crit && crit->title ? json_string(crit->title) : json_null()) &&
              put(o, "max_points", json_hundredths(db_int(r, i, TC_MAX))) &&
              put(o, "state", json_string(wf_state_code(st))) &&
              put(o, "state_label", json_string(wf_state_label(st))) &&
              put(o, "version", json_integer(db_int(r, i, TC_VERSION))) &&
              put(o, "trial", json_boolean(db_int(r, i, TC_TRIAL) != 0)) &&
              put(o, "self_points", task_cell_points(r, i, TC_SELF_POINTS)) &&
              put(o, "approved_points", task_cell_points(r, i, TC_APPROVED_POINTS)) &&
              put(o, "time_state", json_string(task_time_state(st, due_at, now))) &&
              put(o, "due_at", isotime_json(due_at, due_at == 0)) &&
              put(o, "updated_at", task_cell_time(r, i, TC_UPDATED_AT));
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *comment_row(const db_rows *r, int i)
{
    return json_pack("{s:I,s:o,s:s,s:s,s:s,s:o}", "id", (json_int_t)db_int(r, i, 0), "author_user_id",
                     task_cell_int(r, i, 1), "author_name", db_text(r, i, 2), "kind",
                     db_text(r, i, 3), "body", db_text(r, i, 4), "at", task_cell_time(r, i, 5));
}

json_t *task_comments(db_conn *c, int64_t id)
{
    db_rows *r = NULL;
    if (db_exec(c, "SELECT id, author_user_id, author_name, kind, body, at FROM task_comments "
                   "WHERE task_id = ? ORDER BY at, id",
                (db_param[]){DB_P_INT(id)}, 1, &r) != DB_OK)
        return NULL;
    json_t *a = json_rows_array(r, comment_row);
    db_rows_free(r);
    return a ? json_pack("{s:o}", "comments", a) : NULL;
}

static json_t *evidence_row(const db_rows *r, int i)
{
    return json_pack("{s:I,s:s,s:s,s:I,s:o,s:b,s:o,s:o}", "id", (json_int_t)db_int(r, i, 0),
                     "file_name", db_text(r, i, 1), "mime", db_text(r, i, 2), "size",
                     (json_int_t)db_int(r, i, 3), "uploaded_at", task_cell_time(r, i, 4), "trial",
                     db_int(r, i, 5) != 0, /* part: pdfsig: */
                     "signature_verdict",
                     db_is_null(r, i, 6) ? json_null() : json_string(db_text(r, i, 6)), "signer",
                     db_is_null(r, i, 7) ? json_null() : json_string(db_text(r, i, 7)));
}

static json_t *task_evidence(db_conn *c, int64_t id)
{
    db_rows *r = NULL;
    if (db_exec(c, "SELECT id, file_name, mime, size, uploaded_at, trial, sig_verdict, sig_signer "
                   "FROM evidence WHERE "
                   "task_id = ? AND superseded_at IS NULL AND removed_at IS NULL ORDER BY id",
                (db_param[]){DB_P_INT(id)}, 1, &r) != DB_OK)
        return NULL;
    json_t *a = json_rows_array(r, evidence_row);
    db_rows_free(r);
    return a;
}

/* The engine's proposal for the appraiser: the unit's own score, or when the unit gave no
 * inputs, the score of the values the appraiser took from shared systems. */
static json_t *proposal(const db_rows *r, const struct task_crit *tc)
{
    json_t *mine = json_cell(r, 0, TC_INPUTS);
    bool unit_gave = json_is_object(mine) && json_object_size(mine) > 0;
    json_decref(mine);
    json_t *ai = db_is_null(r, 0, TC_APPR_INPUTS) ? NULL : json_cell(r, 0, TC_APPR_INPUTS);
    if (unit_gave || !json_is_object(ai) || !json_object_size(ai)) {
        json_decref(ai);
        return json_pack("{s:s,s:o,s:o,s:o}", "from", "report", "points",
                         task_cell_points(r, 0, TC_SELF_POINTS), "status",
                         task_cell_text(r, 0, TC_SELF_STATUS), "explanation",
                         task_cell_text(r, 0, TC_SELF_EXPL));
    }
    json_t *vals = json_object();
    const char *k;
    json_t *v;
    json_object_foreach(ai, k, v) {
        json_t *val = json_object_get(v, "value");
        if (vals && val)
            json_object_set(vals, k, val);
    }
    json_decref(ai);
    struct score_result res;
    struct app_err err;
    json_t *out;
    if (!vals)
        return NULL;
    if (task_crit_score(tc, vals, true, &res, &err))
        out = json_pack("{s:s,s:n,s:s,s:s}", "from", "appraiser_inputs", "points", "status",
                        "error", "explanation", err.message);
    else
        out = json_pack("{s:s,s:o,s:s,s:s}", "from", "appraiser_inputs", "points",
                        res.status == SCORE_SCORED ? json_hundredths(res.points_h) : json_null(),
                        "status", score_status_name(res.status), "explanation", res.explain);
    json_decref(vals);
    return out;
}

static json_t *actions_json(enum wf_state st, const struct task_who *who,
                            const struct round_clock *k)
{
    json_t *a = json_array();
    enum wf_action acts[WA_COUNT];
    size_t n = k->finalised ? 0 : wf_actions(st, who->role, k->phase, acts);
    for (size_t i = 0; a && i < n; i++)
        a = json_append_or_free(
            a, json_pack("{s:s,s:s,s:b,s:b}", "action", wf_action_code(acts[i]), "label",
                         wf_action_label(acts[i]), "needs_comment",
                         wf_action_needs_comment(acts[i]), "needs_points",
                         wf_action_needs_points(acts[i])));
    return a;
}

json_t *task_detail(db_conn *c, int64_t id, const struct task_who *who, int64_t now,
                    bool *missing)
{
    *missing = false;
    db_rows *r = NULL;
    int rc = task_row_load(c, id, &r);
    if (rc != DB_OK) {
        *missing = rc == DB_NOTFOUND;
        return NULL;
    }
    struct round_clock k;
    struct task_crit tc;
    struct app_err err;
    if (round_clock_load(c, db_int(r, 0, TC_ROUND), now, &k) != DB_OK ||
        task_crit_open(c, db_int(r, 0, TC_ROUND), db_text(r, 0, TC_FW),
                       db_int(r, 0, TC_FW_VERSION), db_text(r, 0, TC_CRIT), &tc, &err)) {
        db_rows_free(r);
        return NULL;
    }
    enum wf_state st = task_row_state(r, 0);
    json_t *o = row_json(r, 0, tc.crit, &k, now);
    json_t *report = json_object(), *approval = json_object(), *dates = json_object();
    bool ok = o && report && approval && dates &&
              put(report, "inputs", json_cell(r, 0, TC_INPUTS)) &&
              put(report, "content", task_cell_text(r, 0, TC_CONTENT)) &&
              put(report, "note", task_cell_text(r, 0, TC_NOTE)) &&
              put(report, "self_points", task_cell_points(r, 0, TC_SELF_POINTS)) &&
              put(report, "self_status", task_cell_text(r, 0, TC_SELF_STATUS)) &&
              put(report, "self_explanation", task_cell_text(r, 0, TC_SELF_EXPL)) &&
              put(approval, "approved_points", task_cell_points(r, 0, TC_APPROVED_POINTS)) &&
              put(approval, "approval_comment", task_cell_text(r, 0, TC_APPROVAL_COMMENT)) &&
              put(approval, "approved_by", task_cell_int(r, 0, TC_APPROVED_BY)) &&
              put(approval, "approved_at", task_cell_time(r, 0, TC_APPROVED_AT)) &&
              put(approval, "appraisal_round", task_cell_int(r, 0, TC_APPRAISAL_ROUND)) &&
              put(dates, "submitted_at", task_cell_time(r, 0, TC_SUBMITTED_AT)) &&
              put(dates, "sent_at", task_cell_time(r, 0, TC_SENT_AT)) &&
              put(dates, "approved_at", task_cell_time(r, 0, TC_APPROVED_AT)) &&
              put(dates, "updated_at", task_cell_time(r, 0, TC_UPDATED_AT));
    if (ok) {
        json_t *cm = task_comments(c, id);
        ok = put(o, "round_title", json_string(db_text(r, 0, TC_ROUND_TITLE))) &&
             put(o, "round_status", json_string(db_text(r, 0, TC_ROUND_STATUS))) &&
             put(o, "current_phase",
                 k.phase >= 0 ? json_string(phase_code(k.phase)) : json_null()) &&
             put(o, "criterion", task_crit_json(&tc)) && put(o, "report", report) &&
             put(o, "approval", approval) && put(o, "dates", dates) &&
             put(o, "appraiser_inputs",
                 db_is_null(r, 0, TC_APPR_INPUTS) ? json_null()
                                                  : json_cell(r, 0, TC_APPR_INPUTS)) &&
             put(o, "external_value", json_cell(r, 0, TC_EXTERNAL)) &&
             put(o, "leader_comment", task_cell_text(r, 0, TC_LEADER_COMMENT)) &&
             put(o, "proposal", proposal(r, &tc)) &&
             put(o, "evidence", task_evidence(c, id)) &&
             put(o, "comments", cm ? json_incref(json_object_get(cm, "comments")) : NULL) &&
             put(o, "actions", actions_json(st, who, &k));
        json_decref(cm);
        report = approval = dates = NULL; /* owned by o now (or freed by put) */
    }
    json_decref(report);
    json_decref(approval);
    json_decref(dates);
    task_crit_close(&tc);
    db_rows_free(r);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* A framework held while listing rows of it. */
void task_hold_release(struct fw_hold *h)
{
    frameworks_cache_release(h->e);
    h->e = NULL;
}

const struct fw_criterion *task_hold_crit(db_conn *c, struct fw_hold *h, const char *id,
                                          int64_t version, const char *key)
{
    if (!h->e || h->version != version || strcmp(h->id, id)) {
        frameworks_cache_release(h->e);
        h->e = NULL;
        int64_t one;
        db_rows *r = NULL;
        (void)one;
        if (db_exec(c, "SELECT sha256 FROM frameworks WHERE id = ? AND version = ?",
                    (db_param[]){DB_P_TEXT(id), DB_P_INT(version)}, 2, &r) != DB_OK ||
            db_rows_count(r) != 1) {
            db_rows_free(r);
            return NULL;
        }
        struct app_err err;
        h->e = frameworks_cache_get(c, id, version, db_text(r, 0, 0), &h->cf, &err);
        db_rows_free(r);
        if (!h->e)
            return NULL;
        snprintf(h->id, sizeof h->id, "%s", id);
        h->version = version;
    }
    long i = fw_find_criterion(h->cf.fw, key);
    return i < 0 ? NULL : h->cf.fw->criteria[i];
}

json_t *tasks_list(db_conn *c, const struct task_filter *f, int64_t now)
{
    char sql[2048];
    db_param p[12];
    int n = 0;
    int w = snprintf(sql, sizeof sql, "%s WHERE 1 = 1", TASK_SELECT);
#define ADD(cond, param)                                                                        \
    do {                                                                                        \
        w += snprintf(sql + w, sizeof sql - (size_t)w, " AND %s", cond);                       \
        p[n++] = param;                                                                         \
    } while (0)
    if (f->round_id)
        ADD("t.round_id = ?", DB_P_INT(f->round_id));
    if (f->unit_id)
        ADD("t.unit_id = ?", DB_P_INT(f->unit_id));
    if (f->level)
        ADD("ru.level = ?", DB_P_TEXT(f->level));
    if (f->pillar)
        ADD("t.pillar_key = ?", DB_P_TEXT(f->pillar));
    if (f->state)
        ADD("t.state = ?", DB_P_TEXT(f->state));
    if (f->assigned_only) {
        ADD(TASK_ASSIGNED_SQL, DB_P_INT(f->appraiser_unit));
        p[n++] = DB_P_INT(f->appraiser_user);
    }
#undef ADD
    snprintf(sql + w, sizeof sql - (size_t)w, " ORDER BY t.round_id, t.unit_id, t.seq, t.id");
    db_rows *r = NULL;
    if (db_exec(c, sql, p, n, &r) != DB_OK)
        return NULL;
    json_t *tasks = json_array();
    struct fw_hold h = {0};
    struct round_clock k = {0};
    int64_t k_round = 0;
    int64_t total = 0;
    bool ok = tasks != NULL;
    for (int i = 0; ok && i < db_rows_count(r); i++) {
        int64_t rid = db_int(r, i, TC_ROUND);
        if (rid != k_round) {
            ok = round_clock_load(c, rid, now, &k) == DB_OK;
            k_round = rid;
        }
        const struct fw_criterion *cr = ok ? task_hold_crit(c, &h, db_text(r, i, TC_FW),
                                                       db_int(r, i, TC_FW_VERSION),
                                                       db_text(r, i, TC_CRIT))
                                           : NULL;
        if (!ok)
            break;
        if (f->overdue >= 0) {
            const char *ts = task_time_state(task_row_state(r, i),
                                             task_due_at(cr ? cr->due : NULL, &k), now);
            if ((strcmp(ts, "overdue") == 0) != (f->overdue == 1))
                continue;
        }
        total++;
        if (total <= f->offset || total > f->offset + f->limit)
            continue;
        tasks = json_append_or_free(tasks, row_json(r, i, cr, &k, now));
        ok = tasks != NULL;
    }
    task_hold_release(&h);
    db_rows_free(r);
    if (!ok) {
        json_decref(tasks);
        return NULL;
    }
    return json_pack("{s:o,s:I}", "tasks", tasks, "total", (json_int_t)total);
}
