/* task_row.h — internal to tasks*.c: one task row with its round's clock. */
#ifndef DTI_APP_TASK_ROW_H
#define DTI_APP_TASK_ROW_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/app_err.h"
#include "app/frameworks_cache.h"
#include "core/phase.h"
#include "core/workflow.h"
#include "store/db.h"

/* Columns of TASK_SELECT, in order. */
enum task_col {
    TC_ID, TC_ROUND, TC_SUBJECT, TC_UNIT, TC_FW, TC_FW_VERSION, TC_CRIT, TC_PILLAR, TC_SEQ,
    TC_MAX, TC_STATE, TC_VERSION, TC_TRIAL, TC_INPUTS, TC_CONTENT, TC_NOTE, TC_SELF_POINTS,
    TC_SELF_STATUS, TC_SELF_EXPL, TC_APPR_INPUTS, TC_EXTERNAL, TC_APPROVED_POINTS,
    TC_APPROVAL_COMMENT, TC_APPROVED_BY, TC_APPROVED_AT, TC_APPRAISAL_ROUND, TC_LEADER_COMMENT,
    TC_SUBMITTED_AT, TC_SENT_AT, TC_UPDATED_AT, TC_UPDATED_BY, TC_ROUND_STATUS, TC_YEAR,
    TC_ROUND_TITLE, TC_UNIT_NAME, TC_SUBJECT_NAME, TC_LEVEL,
    TC_COUNT
};
#define TASK_SELECT                                                                           \
    "SELECT t.id, t.round_id, t.subject_unit_id, t.unit_id, t.framework_id, "               \
    "t.framework_version, t.criterion_key, t.pillar_key, t.seq, t.max_points, t.state, "    \
    "t.version, t.trial, t.inputs, t.content, t.note, t.self_points, t.self_status, "       \
    "t.self_explanation, t.appraiser_inputs, t.external_value, t.approved_points, "         \
    "t.approval_comment, t.approved_by, t.approved_at, t.appraisal_round, t.leader_comment, " \
    "t.submitted_at, t.sent_at, t.updated_at, t.updated_by, r.status, r.year, r.title, "    \
    "u.name, su.name, ru.level FROM tasks t JOIN rounds r ON r.id = t.round_id "            \
    "JOIN units u ON u.id = t.unit_id JOIN units su ON su.id = t.subject_unit_id "          \
    "LEFT JOIN round_units ru ON ru.round_id = t.round_id AND ru.unit_id = t.subject_unit_id "

/* A round's phases and status. */
struct round_clock {
    bool finalised;
    int64_t year;
    struct phase_window w[PH_COUNT];
    int phase; /* the current phase or PH_NONE */
};
int round_clock_load(db_conn *c, int64_t round_id, int64_t now, struct round_clock *k);

/* The compiled index set of the tasks read in order, kept between rows (one cache entry held
 * at a time): the criterion `key` of (id, version), NULL when unknown. Zero-initialise; release
 * at the end. */
struct fw_hold {
    char id[128];
    int64_t version;
    struct fw_cache_entry *e;
    struct fw_compiled cf;
};
const struct fw_criterion *task_hold_crit(db_conn *c, struct fw_hold *h, const char *id,
                                          int64_t version, const char *key);
void task_hold_release(struct fw_hold *h);

/* The task row `id` (rows has one row), DB_NOTFOUND or DB_ERROR. */
int task_row_load(db_conn *c, int64_t id, db_rows **rows);
/* State of row i (WS_NOT_STARTED for an unknown text: never happens, the table writes it). */
enum wf_state task_row_state(const db_rows *r, int i);

/* When the criterion is due (due = "dd.mm" or NULL: end of the self-assessment window), 0 when
 * unknown; and the time state "on_time" | "due_soon" | "overdue" | "done". */
int64_t task_due_at(const char *due, const struct round_clock *k);
const char *task_time_state(enum wf_state st, int64_t due_at, int64_t now);

/* A nullable integer cell as JSON (hundredths as points when points). */
json_t *task_cell_int(const db_rows *r, int i, int col);
json_t *task_cell_points(const db_rows *r, int i, int col);
json_t *task_cell_text(const db_rows *r, int i, int col);
json_t *task_cell_time(const db_rows *r, int i, int col);

/* The messages of the workflow's refusals (409 round_finalised / invalid_transition /
 * wrong_phase, 403 forbidden for the role). 0 when d is WF_OK. */
int task_refuse(const struct wf_decision *d, enum wf_state st, enum wf_action a,
                const struct round_clock *k, struct app_err *err);

#endif
