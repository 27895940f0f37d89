/* demo_gen.h — `dti demo`: a synthetic province of N units for benchmarks and for trying the UI
 * at scale, with one or two evaluation rounds whose tasks are spread over every workflow state.
 *
 * Deterministic: the same (units, rounds, seed, today) on a fresh database gives the same rows
 * (ids included). Runs inside the caller's transaction; one audit entry (demo.generate) plus
 * the rounds' own round.create entries. Units and accounts are written directly (not through
 * unit_create/user_create, whose per-row checks are for people typing one unit at a time); the
 * names are unique among siblings by construction. Accounts get no usable password: an admin
 * issues one with "Cấp lại mật khẩu" (or `dti user reset-password`). */
#ifndef DTI_APP_DEMO_GEN_H
#define DTI_APP_DEMO_GEN_H

#include <stdbool.h>
#include <stdint.h>

#include "app/app_err.h"
#include "store/db.h"

#define DEMO_UNITS_MAX 200000

struct demo_opts {
    int64_t units;    /* 1 … DEMO_UNITS_MAX */
    int rounds;       /* 0, 1 (the current round) or 2 (last year's, finalised, too) */
    uint64_t seed;
    int64_t today;    /* unix seconds of 00:00 Asia/Ho_Chi_Minh: the current round's phases
                         are placed around it (its explanation phase is open) */
    bool accounts;    /* a staff and a leader account per unit, two appraisers */
};

struct demo_stats {
    int64_t units, users, rounds, tasks;
    int64_t by_state[8]; /* tasks per state, in the order of demo_state_names */
};

extern const char *const demo_state_names[8];

/* Refuses (409 demo_not_empty) unless the database holds only the root unit. */
int demo_generate(db_conn *c, const struct app_actor *who, const struct demo_opts *o,
                  int64_t now, struct demo_stats *st, struct app_err *err);

#endif
