/* round_summary.h — per unit of a round: tasks, self points, approved points, the applicable
 * maximum and the Đạt / Chưa đạt / Không đạt counts (core/task_counts.h). */
#ifndef DTI_APP_ROUND_SUMMARY_H
#define DTI_APP_ROUND_SUMMARY_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/app_err.h"
#include "core/task_counts.h"
#include "store/db.h"

/* One unit's sums (points in hundredths). */
struct summary_acc {
    int64_t tasks, self_h, approved_h, max_h;
    struct task_counts counts;
};

/* One row per unit of the round; the strings live in the row (freed with the set). */
struct summary_row {
    int64_t unit_id;
    char *code, *name, *level;
    struct summary_acc acc;
};

struct summary_rows {
    struct summary_row *rows;
    size_t n;
    struct summary_acc total;
    bool window_closed; /* the self-assessment window has ended (the counts depend on it) */
};

/* {"round_id", "level", "units": [...], "totals": {...}} or NULL with err (404 no such round,
 * 500). level: NULL for every level. only_unit > 0: just that unit's row (staff, leaders). */
json_t *round_summary(db_conn *c, int64_t round_id, const char *level, int64_t only_unit,
                      int64_t now, struct app_err *err);

/* The same rows as C structs, in code order (the dashboard keeps them in memory). 0, or -1
 * with err. Free with summary_rows_free. */
int round_summary_rows(db_conn *c, int64_t round_id, const char *level, int64_t only_unit,
                       int64_t now, struct summary_rows *out, struct app_err *err);
void summary_rows_free(struct summary_rows *s);
/* {"tasks", "self_points", "approved_points", "max_points", "counts": {...}} */
json_t *summary_acc_json(const struct summary_acc *a);

#endif
