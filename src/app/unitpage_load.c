/* unitpage_load.c — a unit's tasks in a round for the unit page (app/unitpage_load.h). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/unitpage_load.h"
#include "core/inputs.h"
#include "core/json_oom.h"

static int64_t points_h_of(const json_t *j)
{
    return json_is_number(j) ? (int64_t)llround(json_number_value(j) * 100.0) : -1;
}

static json_t *load_text(const char *s)
{
    bool oom = false;
    return s ? json_oom_loadb(s, strlen(s), 0, NULL, &oom) : NULL;
}

static bool blank(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return false;
    return true;
}

/* Applies one audited snapshot ("new" of a task entry) over t: only the members it has. */
static void fold(struct up_task *t, const json_t *snap, bool *content)
{
    const json_t *v;
    if ((v = json_object_get(snap, "state")) && json_is_string(v)) {
        int s = wf_state_parse(json_string_value(v));
        if (s >= 0)
            t->state = (enum wf_state)s;
    }
    if ((v = json_object_get(snap, "inputs")) && json_is_object(v)) {
        json_decref(t->inputs);
        t->inputs = json_deep_copy(v);
    }
    if ((v = json_object_get(snap, "self_points")))
        t->self_h = points_h_of(v);
    if ((v = json_object_get(snap, "approved_points")))
        t->approved_h = points_h_of(v);
    if ((v = json_object_get(snap, "self_status")))
        t->na = json_is_string(v) && !strcmp(json_string_value(v), "not_applicable");
    if ((v = json_object_get(snap, "content")))
        *content = json_is_string(v) && !blank(json_string_value(v));
}

struct clear {
    int64_t id, at; /* audit id (order) and time */
};

/* The round's trial clears, in audit order; *n of them. */
static struct clear *trial_clears(db_conn *c, int64_t round_id, size_t *n)
{
    char rid[24];
    snprintf(rid, sizeof rid, "%lld", (long long)round_id);
    db_rows *r = NULL;
    *n = 0;
    if (db_exec(c,
                "SELECT id, at FROM audit_log WHERE entity = 'round' AND entity_id = ? AND action = "
                "'round.clear_trial' ORDER BY id",
                (db_param[]){DB_P_STR(rid)}, 1, &r) != DB_OK)
        return NULL;
    int k = db_rows_count(r);
    struct clear *ids = malloc((k ? (size_t)k : 1) * sizeof *ids);
    for (int i = 0; ids && i < k; i++)
        ids[i] = (struct clear){db_int(r, i, 0), db_int(r, i, 1)};
    *n = ids ? (size_t)k : 0;
    db_rows_free(r);
    return ids;
}

/* What a trial clear leaves of a task: nothing reported, not started. */
static void blank_task(struct up_task *t, bool *content)
{
    t->state = WS_NOT_STARTED;
    t->self_h = t->approved_h = -1;
    t->na = false;
    json_object_clear(t->inputs);
    *content = false;
}

/* Replays the unit's task entries before as_of. Trial data never counts once it was cleared
 * (one round-level entry "round.clear_trial" per clear, no entry per task): a task whose
 * snapshots say trial before a later clear keeps none of those values, and at a clear before
 * as_of every task still marked trial goes back to blank, as the clear did. The trial flag is
 * sticky until the clear (task_flow.c), so a task's snapshots are trial from its first trial
 * save until the clear; entries without the flag (rescore, assign) keep the task's mark. */
static int as_of_fold(db_conn *c, struct up_unit *u, int64_t as_of, bool *content)
{
    size_t nclr = 0, ci = 0;
    struct clear *clr = trial_clears(c, u->round_id, &nclr);
    bool *trial = calloc(u->n ? u->n : 1, sizeof *trial);
    db_rows *r = NULL;
    if (!clr || !trial ||
        db_exec(c,
                "SELECT a.entity_id, a.new_value, a.id FROM audit_log a WHERE a.entity = 'task' "
                "AND a.at < ? AND a.new_value IS NOT NULL AND a.entity_id IN (SELECT CAST(t.id "
                "AS TEXT) FROM tasks t WHERE t.round_id = ? AND t.subject_unit_id = ?) ORDER BY "
                "a.id",
                (db_param[]){DB_P_INT(as_of), DB_P_INT(u->round_id), DB_P_INT(u->unit_id)}, 3,
                &r) != DB_OK) {
        free(clr);
        free(trial);
        return -1;
    }
    int n = db_rows_count(r);
    for (int i = 0; i <= n; i++) {
        /* the clears before this entry (all the remaining ones before as_of at the end) */
        int64_t aid = i < n ? db_int(r, i, 2) : INT64_MAX;
        for (; ci < nclr && clr[ci].id < aid && clr[ci].at < as_of; ci++) {
            for (size_t k = 0; k < u->n; k++)
                if (trial[k]) {
                    blank_task(&u->t[k], &content[k]);
                    trial[k] = false;
                }
        }
        if (i == n)
            break;
        int64_t id = strtoll(db_text(r, i, 0), NULL, 10);
        for (size_t k = 0; k < u->n; k++) {
            if (u->t[k].id != id)
                continue;
            json_t *snap = load_text(db_text(r, i, 1));
            const json_t *tr = json_object_get(snap, "trial");
            if (json_is_boolean(tr))
                trial[k] = json_is_true(tr);
            /* trial values a later clear removed: never shown, whatever the period */
            if (snap && !(trial[k] && ci < nclr))
                fold(&u->t[k], snap, &content[k]);
            json_decref(snap);
        }
    }
    db_rows_free(r);
    free(clr);
    free(trial);
    return 0;
}

int up_load(db_conn *c, int64_t round_id, int64_t unit_id, int64_t now, int64_t as_of,
            struct up_unit *u, struct app_err *err)
{
    memset(u, 0, sizeof *u);
    u->round_id = round_id;
    u->unit_id = unit_id;
    db_rows *r = NULL;
    if (db_exec(c,
                "SELECT u.code, u.name, ru.level FROM round_units ru JOIN units u ON u.id = "
                "ru.unit_id WHERE ru.round_id = ? AND ru.unit_id = ?",
                (db_param[]){DB_P_INT(round_id), DB_P_INT(unit_id)}, 2, &r) != DB_OK)
        return app_fail_internal(err);
    if (db_rows_count(r) != 1) {
        db_rows_free(r);
        return app_fail(err, 404, "not_found", NULL,
                        "Không tìm thấy đơn vị này trong đợt đánh giá.");
    }
    snprintf(u->code, sizeof u->code, "%s", db_text(r, 0, 0));
    snprintf(u->name, sizeof u->name, "%s", db_text(r, 0, 1));
    snprintf(u->level, sizeof u->level, "%s", db_text(r, 0, 2));
    db_rows_free(r);
    r = NULL;
    if (round_clock_load(c, round_id, now, &u->clock) != 0)
        return app_fail_internal(err);
    if (db_exec(c,
                "SELECT t.id, t.seq, t.version, t.max_points, t.state, t.self_points, "
                "t.approved_points, t.self_status, t.inputs, t.content, t.external_value, "
                "t.framework_id, t.framework_version, t.criterion_key FROM tasks t WHERE "
                "t.round_id = ? AND t.subject_unit_id = ? ORDER BY t.seq, t.id",
                (db_param[]){DB_P_INT(round_id), DB_P_INT(unit_id)}, 2, &r) != DB_OK)
        return app_fail_internal(err);
    int n = db_rows_count(r);
    u->t = calloc(n ? (size_t)n : 1, sizeof *u->t);
    bool *content = calloc(n ? (size_t)n : 1, sizeof *content);
    if (!u->t || !content)
        goto internal;
    for (int i = 0; i < n; i++) {
        struct up_task *t = &u->t[u->n];
        t->id = db_int(r, i, 0);
        t->seq = db_int(r, i, 1);
        t->version = db_int(r, i, 2);
        t->max_h = db_int(r, i, 3);
        if (task_crit_open(c, round_id, db_text(r, i, 11), db_int(r, i, 12), db_text(r, i, 13),
                           &t->tc, err))
            goto fail;
        u->n++;
        if (as_of > 0) { /* as it stood before as_of: folded below from the audit trail */
            t->state = WS_NOT_STARTED;
            t->self_h = t->approved_h = -1;
            t->inputs = json_object();
        } else {
            int s = wf_state_parse(db_text(r, i, 4));
            t->state = s >= 0 ? (enum wf_state)s : WS_NOT_STARTED;
            t->self_h = db_is_null(r, i, 5) ? -1 : db_int(r, i, 5);
            t->approved_h = db_is_null(r, i, 6) ? -1 : db_int(r, i, 6);
            t->na = !db_is_null(r, i, 7) && !strcmp(db_text(r, i, 7), "not_applicable");
            content[i] = !db_is_null(r, i, 9) && !blank(db_text(r, i, 9));
            /* an external value (another index) stands for the unit's inputs */
            json_t *ext = db_is_null(r, i, 10) ? NULL : load_text(db_text(r, i, 10));
            json_t *val = json_object_get(ext, "value");
            if (json_is_object(val))
                t->inputs = json_incref(val);
            else if (!db_is_null(r, i, 8))
                t->inputs = load_text(db_text(r, i, 8));
            json_decref(ext);
            if (!json_is_object(t->inputs)) {
                json_decref(t->inputs);
                t->inputs = json_object();
            }
        }
        if (!t->inputs)
            goto internal;
    }
    db_rows_free(r);
    r = NULL;
    if (as_of > 0 && as_of_fold(c, u, as_of, content))
        goto internal;
    for (size_t k = 0; k < u->n; k++) {
        struct up_task *t = &u->t[k];
        t->reported = json_object_size(t->inputs) > 0 || content[k];
        const struct fw_criterion *cr = t->tc.crit;
        t->vals = calloc(cr->n_inputs ? cr->n_inputs : 1, sizeof *t->vals);
        if (!t->vals)
            goto internal;
        struct fw_errors errs = {0};
        t->vals_ok = criterion_values_from_json(cr, t->inputs, t->vals, "inputs", &errs) == 0 &&
                     !errs.oom;
        fw_errors_free(&errs);
    }
    free(content);
    return 0;
internal:
    app_fail_internal(err);
fail:
    free(content);
    db_rows_free(r);
    up_free(u);
    return -1;
}

void up_free(struct up_unit *u)
{
    for (size_t i = 0; i < u->n; i++) {
        task_crit_close(&u->t[i].tc);
        json_decref(u->t[i].inputs);
        free(u->t[i].vals);
    }
    free(u->t);
    u->t = NULL;
    u->n = 0;
}
