/* task_score.h — a task's criterion from its compiled index set, and scoring a task's inputs
 * with the engine under the round's chosen reading (table round_readings). */
#ifndef DTI_APP_TASK_SCORE_H
#define DTI_APP_TASK_SCORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/app_err.h"
#include "app/frameworks_cache.h"
#include "core/score.h"
#include "store/db.h"

#define TASK_READING_MAX 64

/* An open criterion: the cache entry is held until task_crit_close. */
struct task_crit {
    struct fw_cache_entry *entry;
    struct fw_compiled cf;
    const struct fw_criterion *crit;
    char reading[TASK_READING_MAX]; /* "" when the round chose none (the main rule) */
};

/* Opens criterion `key` of set (fw_id, fw_version) for round `round_id`. -1 with err (500). */
int task_crit_open(db_conn *c, int64_t round_id, const char *fw_id, int64_t fw_version,
                   const char *key, struct task_crit *tc, struct app_err *err);
void task_crit_close(struct task_crit *tc);

/* Scores `inputs` ({"name": value}; NULL = none). Bad values are refused: 400 invalid_value for
 * a value that is not of the input's type or an unknown input, 422 invalid_value for a value out
 * of range, field "inputs.<name>", message naming the input. Missing inputs are not errors (the
 * result is then SCORE_MISSING). 0 on success. */
int task_crit_score(const struct task_crit *tc, const json_t *inputs, bool explain,
                    struct score_result *res, struct app_err *err);

/* The criterion as the task detail shows it: code, title, guidance, conditions, evidence,
 * signed_evidence, max_points, due, inputs (name, label, type, unit, min, max, options),
 * reading. NULL when memory ran out. */
json_t *task_crit_json(const struct task_crit *tc);

/* True when the criterion asks for evidence files. */
bool task_crit_needs_evidence(const struct task_crit *tc);

#endif
