/* round_summary.h — per unit of a round: tasks, self points, approved points, the applicable
 * maximum and the Đạt / Chưa đạt / Không đạt counts (core/task_counts.h). */
#ifndef DTI_APP_ROUND_SUMMARY_H
#define DTI_APP_ROUND_SUMMARY_H

#include <jansson.h>
#include <stdint.h>

#include "app/app_err.h"
#include "store/db.h"

/* {"round_id", "level", "units": [...], "totals": {...}} or NULL with err (404 no such round,
 * 500). level: NULL for every level. only_unit > 0: just that unit's row (staff, leaders). */
json_t *round_summary(db_conn *c, int64_t round_id, const char *level, int64_t only_unit,
                      int64_t now, struct app_err *err);

#endif
