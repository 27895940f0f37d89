/* level_totals.h — every unit of a round's level with its current points (approved if
 * approved, else self-assessed) and applicable maximum: what the what-if ranks against
 * (app/unitpage.c). On SQLite the sums are kept in memory per (round, level) and checked
 * against the dashboard's change stamp (dash_stamp, migration 4), so a user trying inputs one
 * after another pays the aggregate once; on PostgreSQL (no stamp trigger) they are summed per
 * request. DTI_DASH_CACHE=0 turns the cache off, as for the dashboard. */
#ifndef DTI_APP_LEVEL_TOTALS_H
#define DTI_APP_LEVEL_TOTALS_H

#include <stddef.h>
#include <stdint.h>

#include "app/app_err.h"
#include "store/db.h"

struct lt_unit {
    int64_t unit_id, points_h, max_h;
};

struct level_totals {
    int refs;
    int64_t round_id, gen;
    char level[16];
    size_t n;
    struct lt_unit *u;
};

/* The level's totals (held: release them), or NULL with err. */
struct level_totals *level_totals_get(db_conn *c, int64_t round_id, const char *level,
                                      struct app_err *err);
void level_totals_release(struct level_totals *t);

#endif
