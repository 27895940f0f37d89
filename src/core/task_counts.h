/* task_counts.h — the dashboard legend (docs/rounds-api.md, "Counts per unit"): which of
 * Đạt / Chưa đạt / Không đạt a task counts as. Pure: the caller gives the task's state, its
 * points and whether the round's self-assessment window has closed. */
#ifndef DTI_CORE_TASK_COUNTS_H
#define DTI_CORE_TASK_COUNTS_H

#include <stdbool.h>
#include <stdint.h>

enum task_count { TC_DAT, TC_CHUA_DAT, TC_KHONG_DAT, TC_COUNT };

struct task_counts {
    int64_t n[TC_COUNT];
};

/* Which count a task falls in. state: a workflow state code ("approved", "draft", …);
 * approved_h / max_h: approved points and the criterion's maximum in hundredths (approved_h is
 * read only for "approved"); window_closed: the self-assessment window has ended.
 *   approved: full points (approved_h >= max_h) -> Đạt, 0 -> Không đạt, else Chưa đạt
 *     (a criterion worth 0 approved at 0 has its full points: Đạt);
 *   draft, submitted, in_appraisal, explanation_requested, explained -> Chưa đạt;
 *   returned -> Chưa đạt while the window is open (being reworked), Không đạt once it closed;
 *   not_started and any unknown state -> Không đạt (not reported). */
enum task_count task_count_of(const char *state, int64_t approved_h, int64_t max_h,
                              bool window_closed);
/* Adds one task to c. */
void task_counts_add(struct task_counts *c, const char *state, int64_t approved_h, int64_t max_h,
                     bool window_closed);
/* "dat", "chua_dat", "khong_dat" (the JSON keys) and their Vietnamese labels. */
const char *task_count_key(enum task_count k);
const char *task_count_label(enum task_count k);

#endif
