/* dashboard.h — the "Báo cáo chỉ số DTI" table (docs/results-api.md, "Dashboard"): a round's
 * per-unit summary (app/round_summary.h) filtered by level and by a diacritic-insensitive
 * search on the unit name (core/vnfold.h), sorted by any column, paged, with totals.
 *
 * The aggregated rows of a round are kept in memory, process-wide, with each name's folded
 * key, and checked on every request against the database's change stamp (dash_stamp,
 * migration 4) read in the same snapshot: a node never serves rows older than the data it
 * reads. The last few serialized replies of a snapshot are kept too (a repeated request costs
 * one primary-key read). DTI_DASH_CACHE=0 in the environment turns the cache off. */
#ifndef DTI_APP_DASHBOARD_H
#define DTI_APP_DASHBOARD_H

#include <stddef.h>
#include <stdint.h>

#include "app/app_err.h"
#include "store/db.h"

#define DASH_LIMIT_DEFAULT 50
#define DASH_LIMIT_MAX 10000
#define DASH_Q_MAX 200 /* characters of the search text */

enum dash_sort {
    DASH_SORT_NAME,
    DASH_SORT_CODE,
    DASH_SORT_TASKS,
    DASH_SORT_APPROVED,
    DASH_SORT_MAX,
    DASH_SORT_SELF,
    DASH_SORT_DAT,
    DASH_SORT_CHUA_DAT,
    DASH_SORT_KHONG_DAT,
    DASH_SORT_COUNT
};

struct dash_query {
    int64_t round_id;
    const char *level; /* NULL: every level */
    const char *q;     /* NULL or "": every unit */
    enum dash_sort sort;
    int desc;
    int64_t offset, limit;
};

/* The API names of the sort keys ("name", "code", "tasks", "approved_points", "max_points",
 * "self_points", "dat", "chua_dat", "khong_dat"); -1 if s names none. */
int dash_sort_parse(const char *s);
const char *dash_sort_name(enum dash_sort s);

/* The reply body (compact JSON, malloc'd, *len its length), or NULL with err: 404 no such
 * round, 400 q not valid UTF-8, 500. Reads in its own read transaction on c. */
char *dashboard_json(db_conn *c, const struct dash_query *q, int64_t now, size_t *len,
                     struct app_err *err);

#endif
