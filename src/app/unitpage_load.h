/* unitpage_load.h — internal to unitpage*.c: one unit's tasks in a round with their criteria
 * open, as they are now or as they stood at a past moment (folded from the audit trail). */
#ifndef DTI_APP_UNITPAGE_LOAD_H
#define DTI_APP_UNITPAGE_LOAD_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/app_err.h"
#include "app/task_row.h"
#include "app/task_score.h"
#include "core/value.h"
#include "store/db.h"

struct up_task {
    int64_t id, seq, version, max_h;
    int64_t self_h, approved_h; /* -1 when none */
    enum wf_state state;
    bool na;        /* the engine scored it not applicable (self_status) */
    bool reported;  /* inputs given or content written */
    json_t *inputs; /* owned: the stored inputs (or the external value's), {} when none */
    struct task_crit tc;
    struct value *vals; /* tc.crit->n_inputs values read from inputs */
    bool vals_ok;       /* the stored inputs read as the criterion's values */
};

struct up_unit {
    int64_t round_id, unit_id;
    char code[64], name[512], level[32];
    struct round_clock clock;
    struct up_task *t; /* in seq order */
    size_t n;
};

/* Loads the tasks the unit is assessed on (subject_unit_id) in the round. as_of > 0: each task
 * as it stood just before that moment (the audit trail's snapshots folded in order; a task with
 * no entry before it had not started). 404 when the round does not exist or the unit does not
 * take part in it. */
int up_load(db_conn *c, int64_t round_id, int64_t unit_id, int64_t now, int64_t as_of,
            struct up_unit *u, struct app_err *err);
void up_free(struct up_unit *u);

#endif
