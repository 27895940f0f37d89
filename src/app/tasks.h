/* tasks.h — the tasks of an evaluation round (docs/rounds-api.md "Tasks"): reading them (detail,
 * lists, comments) and every change (report save, workflow transitions, unit-wide transitions,
 * standardise, appraiser inputs, comments). Every change goes through the workflow table
 * (core/workflow.h), is refused once the round is finalised, and is audited (old -> new) in the
 * caller's transaction; on refusal -1 with err filled and the caller rolls back. */
#ifndef DTI_APP_TASKS_H
#define DTI_APP_TASKS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/app_err.h"
#include "core/workflow.h"
#include "store/db.h"

/* Who acts: the audit actor, the role (one wf_role bit) and the caller's unit. */
struct task_who {
    struct app_actor actor;
    unsigned role;
    int64_t unit_id;
};

/* SQL condition (two parameters: appraiser unit id, appraiser user id) that is true when an
 * appraiser_assignments row covers task `t` (docs/rounds-api.md "Appraiser"). */
#define TASK_ASSIGNED_SQL                                                                     \
    "EXISTS (SELECT 1 FROM appraiser_assignments a JOIN round_units ru ON ru.round_id = "   \
    "a.round_id AND ru.unit_id = t.subject_unit_id WHERE a.round_id = t.round_id AND "       \
    "a.level = ru.level AND (a.pillar_key IS NULL OR a.pillar_key = t.pillar_key) AND "     \
    "(a.criterion_key IS NULL OR a.criterion_key = t.criterion_key) AND "                   \
    "(a.appraiser_unit_id = ? OR a.appraiser_user_id = ?))"

/* 1 when an assignment covers task `id` for the appraiser (user, unit), 0 when not, -1 on a
 * database error. */
int task_assigned(db_conn *c, int64_t task_id, int64_t user_id, int64_t unit_id);

/* Task detail as the API shows it (actions: what `who` may do now). NULL when there is no such
 * task or on a database error / out of memory (*missing tells which). */
json_t *task_detail(db_conn *c, int64_t id, const struct task_who *who, int64_t now,
                    bool *missing);

struct task_filter {
    int64_t round_id, unit_id;     /* 0: any */
    const char *level, *pillar, *state; /* NULL: any */
    int overdue;                   /* -1 any, 0 not overdue, 1 overdue */
    int64_t limit, offset;
    bool assigned_only;            /* appraisers: only tasks an assignment covers */
    int64_t appraiser_unit, appraiser_user;
};
/* {"tasks": [TaskRow], "total"}; NULL on a database error. */
json_t *tasks_list(db_conn *c, const struct task_filter *f, int64_t now);

/* {"comments": [...]}; NULL on error. */
json_t *task_comments(db_conn *c, int64_t id);

/* PUT /tasks/{id}/report. inputs/content/note NULL: unchanged. */
int task_save_report(db_conn *c, const struct task_who *who, int64_t id, const json_t *inputs,
                     const char *content, const char *note, int64_t version, int64_t now,
                     struct app_err *err);
/* POST /tasks/{id}/preview: {"points","status","explanation"} or NULL with err. */
json_t *task_preview(db_conn *c, int64_t id, const json_t *inputs, struct app_err *err);
/* One transition. comment may be NULL; points_h < 0: none given; version < 0: not checked. */
int task_transition(db_conn *c, const struct task_who *who, int64_t id, enum wf_action a,
                    const char *comment, int64_t points_h, int64_t version, int64_t now,
                    struct app_err *err);
/* The action on every task the unit reports in the round that allows it. *result =
 * {"applied": n, "skipped": [{"task_id","code","reason"}]}. */
int tasks_unit_transition(db_conn *c, const struct task_who *who, int64_t round_id,
                          int64_t unit_id, enum wf_action a, const char *comment, int64_t now,
                          json_t **result, struct app_err *err);
/* Recomputes every task of the unit; *result = {"recomputed", "missing": [...]}. */
int tasks_unit_standardise(db_conn *c, const struct task_who *who, int64_t round_id,
                           int64_t unit_id, int64_t now, json_t **result, struct app_err *err);
int task_comment_add(db_conn *c, const struct task_who *who, int64_t id, const char *body,
                     int64_t now, struct app_err *err);
/* {name: {"value", "source"}} entered by an appraiser. */
int task_set_appraiser_inputs(db_conn *c, const struct task_who *who, int64_t id,
                              const json_t *inputs, int64_t now, struct app_err *err);

#endif
