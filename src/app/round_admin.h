/* round_admin.h — what the admin does to a round after creating it (docs/rounds-api.md):
 * finalise it, clear the trial data (after confirming how much), assign appraisers, and move a
 * province-level task to another responsible agency. Each change runs inside the caller's
 * transaction with its audit entry; a refusal returns -1 with err filled (field named). */
#ifndef DTI_APP_ROUND_ADMIN_H
#define DTI_APP_ROUND_ADMIN_H

#include <jansson.h>
#include <stdint.h>

#include "app/app_err.h"
#include "store/db.h"

/* status -> finalised: no transition, report or assignment change is accepted afterwards.
 * 409 round_finalised when it already is. */
int round_finalise(db_conn *c, const struct app_actor *who, int64_t id, int64_t now,
                   struct app_err *err);

/* {"tasks": n, "evidence": n}: what clear-trial would clear now; NULL with err (404, 500). */
json_t *round_trial_data(db_conn *c, int64_t id, struct app_err *err);
/* Clears every task with trial = 1 back to not_started (inputs, content, points, approval,
 * dates, thread) and unlinks its trial evidence; 409 trial_count_changed (saying how many would
 * be cleared) unless confirm equals the current number of trial tasks. *cleared = {"tasks",
 * "evidence"} (new reference). */
int round_clear_trial(db_conn *c, const struct app_actor *who, int64_t id, int64_t confirm,
                      int64_t now, json_t **cleared, struct app_err *err);

/* {"appraisers": [Assignment…]}; NULL with err (404, 500). */
json_t *round_appraisers(db_conn *c, int64_t id, struct app_err *err);
/* body {"level", "pillar_key"?, "criterion_key"?, "appraiser_unit_id"? | "appraiser_user_id"?}
 * (exactly one of the last two). *aid = the new assignment. */
int round_appraiser_add(db_conn *c, const struct app_actor *who, int64_t id, json_t *body,
                        int64_t now, int64_t *aid, struct app_err *err);
int round_appraiser_remove(db_conn *c, const struct app_actor *who, int64_t id, int64_t aid,
                           int64_t now, struct app_err *err);
/* One assignment as the API shows it, NULL when it is not one of round id's. */
json_t *round_appraiser_get(db_conn *c, int64_t id, int64_t aid);

/* The responsible agency of a task of a province-level set (subject = the province): any
 * active unit. 409 not_province_task for another task. */
int task_assign(db_conn *c, const struct app_actor *who, int64_t task, int64_t unit_id,
                int64_t now, struct app_err *err);
/* {"id", "round_id", "subject_unit_id", "unit_id", "unit_name", "criterion_key", "version"} */
json_t *task_assignment_get(db_conn *c, int64_t task);

#endif
