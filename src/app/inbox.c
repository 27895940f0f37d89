/* inbox.c — the inbox kinds, one row each (inbox.h). A task is due when its criterion says
 * (the index set's `due`, day.month of the round's year), else at the end of the round's
 * self-assessment window — the same rule as the task list's due_at / time_state
 * (task_due_at). Criteria due dates live in the index set, not in SQL: the kinds that need
 * them (`by_due`) select the candidate tasks and keep those due within the horizon in C. */
#include "app/inbox.h"

#include <stdlib.h>
#include <string.h>

#include "app/isotime.h"
#include "app/task_row.h"
#include "core/phase.h"
#include "http/http.h"

/* Every items query selects: round_id, task_id, unit_id, criterion_key, phase, due. */
#define TASK_COLS                                                                       \
    "t.round_id AS round_id, t.id AS task_id, t.unit_id AS unit_id, t.criterion_key AS ckey, " \
    "CAST(NULL AS TEXT) AS phase, sa.ends_at AS due"
#define TASK_FROM                                                                        \
    " FROM tasks t JOIN rounds r ON r.id = t.round_id AND r.status = 'open'"             \
    " LEFT JOIN round_phases sa ON sa.round_id = t.round_id AND sa.phase = 'self_assessment'"

/* Parameters are named by one letter each, in order: u caller's unit, i caller's id, n now,
 * w now + INBOX_HORIZON. */
static const struct inbox_kind {
    unsigned role;
    const char *kind, *label;
    const char *sql; /* the items, without ORDER BY / LIMIT */
    const char *params;
    bool by_due; /* sql selects candidates (+ framework_id, framework_version); due in C */
} kinds[] = {
    {ROLE_STAFF, "task_returned", "Lãnh đạo trả lại",
     "SELECT " TASK_COLS TASK_FROM " WHERE t.unit_id = ? AND t.state = 'returned'", "u", false},
    {ROLE_STAFF, "explanation_requested", "Yêu cầu giải trình",
     "SELECT " TASK_COLS TASK_FROM " WHERE t.unit_id = ? AND t.state = 'explanation_requested'",
     "u", false},
    {ROLE_STAFF, "due_soon", "Sắp đến hạn (chưa trình)",
     "SELECT " TASK_COLS ", t.framework_id, t.framework_version" TASK_FROM
     " WHERE t.unit_id = ? AND t.state IN ('not_started', 'draft', 'returned') "
     "ORDER BY t.round_id, t.framework_id, t.framework_version",
     "u", true},
    {ROLE_LEADER, "awaiting_leader", "Chờ lãnh đạo duyệt",
     "SELECT " TASK_COLS TASK_FROM " WHERE t.unit_id = ? AND t.state = 'submitted'", "u", false},
    /* The scope rule of docs/rounds-api.md: an assignment of the task's round, at the level of
     * the assessed unit, covering its pillar/criterion, given to the appraiser or their unit. */
    {ROLE_APPRAISER, "awaiting_appraisal", "Chờ thẩm định",
     "SELECT " TASK_COLS TASK_FROM
     " JOIN round_units ru ON ru.round_id = t.round_id AND ru.unit_id = t.subject_unit_id"
     " WHERE t.state IN ('in_appraisal', 'explained') AND EXISTS (SELECT 1 FROM "
     "appraiser_assignments a WHERE a.round_id = t.round_id AND a.level = ru.level AND "
     "(a.pillar_key IS NULL OR a.pillar_key = t.pillar_key) AND (a.criterion_key IS NULL OR "
     "a.criterion_key = t.criterion_key) AND (a.appraiser_unit_id = ? OR a.appraiser_user_id = "
     "?))",
     "ui", false},
    {ROLE_ADMIN, "phase_starts", "Sắp bắt đầu giai đoạn",
     "SELECT p.round_id AS round_id, CAST(NULL AS BIGINT) AS task_id, CAST(NULL AS BIGINT) AS "
     "unit_id, CAST(NULL AS TEXT) AS ckey, p.phase AS phase, p.starts_at AS due FROM round_phases p JOIN rounds r ON r.id = p.round_id AND r.status = 'open' "
     "WHERE p.starts_at > ? AND p.starts_at <= ?",
     "nw", false},
    {ROLE_ADMIN, "phase_ends", "Sắp kết thúc giai đoạn",
     "SELECT p.round_id AS round_id, CAST(NULL AS BIGINT) AS task_id, CAST(NULL AS BIGINT) AS "
     "unit_id, CAST(NULL AS TEXT) AS ckey, p.phase AS phase, p.ends_at AS due FROM round_phases p JOIN rounds r ON r.id = p.round_id AND r.status = 'open' "
     "WHERE p.ends_at > ? AND p.ends_at <= ?",
     "nw", false},
    /* Not reported = some task not yet sent to appraisal (the "overdue" set of the contract). */
    {ROLE_ADMIN, "unit_not_reported", "Đơn vị chưa gửi báo cáo (sắp hết hạn tự đánh giá)",
     "SELECT t.round_id AS round_id, CAST(NULL AS BIGINT) AS task_id, t.unit_id AS unit_id, "
     "CAST(NULL AS TEXT) AS ckey, CAST(NULL AS TEXT) AS phase, MIN(sa.ends_at) AS due" TASK_FROM
     " WHERE t.state IN ('not_started', 'draft', 'submitted', 'returned') AND sa.ends_at > ? "
     "AND sa.ends_at <= ? GROUP BY t.round_id, t.unit_id",
     "nw", false},
};
#define NKINDS (sizeof kinds / sizeof *kinds)

static int bind(const struct inbox_kind *k, int64_t unit, int64_t user, int64_t now,
                db_param p[8])
{
    int n = 0;
    for (const char *c = k->params; *c && n < 7; c++)
        p[n++] = DB_P_INT(*c == 'u' ? unit : *c == 'i' ? user : *c == 'n' ? now
                                                                           : now + INBOX_HORIZON);
    return n;
}

static json_t *item(const struct inbox_kind *k, const db_rows *r, int i)
{
    const char *phase = db_is_null(r, i, 4) ? NULL : db_text(r, i, 4);
    int ph = phase ? phase_parse(phase) : -1;
    char label[256];
    if (ph >= 0)
        snprintf(label, sizeof label, "%s «%s»", k->label, phase_label((enum phase)ph));
    else
        snprintf(label, sizeof label, "%s", k->label);
#define ID_OR_NULL(col) (db_is_null(r, i, col) ? json_null() : json_integer(db_int(r, i, col)))
#define TEXT_OR_NULL(col) (db_is_null(r, i, col) ? json_null() : json_string(db_text(r, i, col)))
    return json_pack("{s:s,s:s,s:I,s:o,s:o,s:o,s:o,s:o}", "kind", k->kind, "label", label,
                     "round_id", (json_int_t)db_int(r, i, 0), "task_id", ID_OR_NULL(1),
                     "unit_id", ID_OR_NULL(2), "criterion_key", TEXT_OR_NULL(3), "phase",
                     TEXT_OR_NULL(4), "due", isotime_json(db_int(r, i, 5), db_is_null(r, i, 5)));
}

struct due_item {
    int64_t round, task, unit, due;
    const char *ckey; /* into the rows */
};

static int due_cmp(const void *a, const void *b)
{
    const struct due_item *x = a, *y = b;
    if (x->due != y->due)
        return x->due < y->due ? -1 : 1;
    if (x->round != y->round)
        return x->round < y->round ? -1 : 1;
    return x->task < y->task ? -1 : x->task > y->task;
}

/* A by_due kind: the candidates' due times (task_due_at), those within (now, now + horizon]
 * counted in *n and the first `room` of them, by due time, appended to items. */
static int collect_by_due(db_conn *c, const struct inbox_kind *k, db_param *p, int np,
                          int64_t now, int room, json_t *items, int64_t *n)
{
    db_rows *r = NULL;
    if (db_exec(c, k->sql, p, np, &r) != DB_OK)
        return -1;
    int rows = db_rows_count(r), kept = 0, rc = 0;
    struct due_item *v = calloc(rows ? (size_t)rows : 1, sizeof *v);
    struct fw_hold h = {0};
    struct round_clock clock = {0};
    int64_t clock_round = 0;
    for (int i = 0; v && !rc && i < rows; i++) {
        int64_t round = db_int(r, i, 0);
        if (round != clock_round) {
            rc = round_clock_load(c, round, now, &clock) == DB_OK ? 0 : -1;
            clock_round = round;
        }
        const struct fw_criterion *cr =
            rc ? NULL : task_hold_crit(c, &h, db_text(r, i, 6), db_int(r, i, 7), db_text(r, i, 3));
        int64_t due = task_due_at(cr ? cr->due : NULL, &clock);
        if (!rc && due > now && due <= now + INBOX_HORIZON)
            v[kept++] = (struct due_item){round, db_int(r, i, 1), db_int(r, i, 2), due,
                                          db_text(r, i, 3)};
    }
    task_hold_release(&h);
    if (!v)
        rc = -1;
    if (!rc) {
        qsort(v, (size_t)kept, sizeof *v, due_cmp);
        *n = kept;
        for (int i = 0; !rc && i < kept && i < room; i++)
            if (json_array_append_new(
                    items, json_pack("{s:s,s:s,s:I,s:I,s:I,s:s,s:n,s:o}", "kind", k->kind, "label",
                                     k->label, "round_id", (json_int_t)v[i].round, "task_id",
                                     (json_int_t)v[i].task, "unit_id", (json_int_t)v[i].unit,
                                     "criterion_key", v[i].ckey, "phase", "due",
                                     isotime_json(v[i].due, false))))
                rc = -1;
    }
    free(v);
    db_rows_free(r);
    return rc;
}

json_t *inbox_get(db_conn *c, unsigned role, int64_t user_id, int64_t unit_id, int64_t now,
                  int limit)
{
    json_t *counts = json_object(), *items = json_array();
    json_t *out = json_pack("{s:o,s:o}", "counts", counts, "items", items);
    if (!out)
        return NULL;
    int64_t total = 0;
    for (size_t k = 0; k < NKINDS; k++) {
        if (kinds[k].role != role)
            continue;
        db_param p[8];
        int np = bind(&kinds[k], unit_id, user_id, now, p);
        char sql[2048];
        int64_t n = 0;
        if (kinds[k].by_due) {
            int room = limit - (int)json_array_size(items);
            if (collect_by_due(c, &kinds[k], p, np, now, room, items, &n) ||
                json_object_set_new(counts, kinds[k].kind, json_integer(n)))
                goto fail;
            total += n;
            continue;
        }
        snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM (%s) x", kinds[k].sql);
        if (db_query_int(c, sql, p, np, &n) != DB_OK ||
            json_object_set_new(counts, kinds[k].kind, json_integer(n)))
            goto fail;
        total += n;
        int room = limit - (int)json_array_size(items);
        if (n == 0 || room <= 0)
            continue;
        snprintf(sql, sizeof sql,
                 "SELECT round_id, task_id, unit_id, ckey, phase, due FROM (%s) x "
                 "ORDER BY CASE WHEN due IS NULL THEN 1 ELSE 0 END, due, round_id, task_id, "
                 "unit_id LIMIT ?",
                 kinds[k].sql);
        p[np++] = DB_P_INT(room);
        db_rows *r = NULL;
        if (db_exec(c, sql, p, np, &r) != DB_OK)
            goto fail;
        for (int i = 0; i < db_rows_count(r); i++)
            if (json_array_append_new(items, item(&kinds[k], r, i))) {
                db_rows_free(r);
                goto fail;
            }
        db_rows_free(r);
    }
    if (json_object_set_new(out, "total", json_integer(total)) ||
        json_object_set_new(out, "limit", json_integer(limit)))
        goto fail;
    return out;
fail:
    json_decref(out);
    return NULL;
}
