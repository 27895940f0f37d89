/* progress.h — where a task stands in a progress report (seed 001: "đã hoàn thành 20/53 tiêu
 * chí, đang thực hiện 28/53, chưa thực hiện 5/53"). Pure; the mapping is documented in
 * docs/results-api.md "Unit page and progress report". */
#ifndef DTI_CORE_PROGRESS_H
#define DTI_CORE_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/workflow.h"

enum progress_state { PROG_DONE, PROG_IN_PROGRESS, PROG_NOT_STARTED, PROG_NOT_APPLICABLE,
                      PROG_COUNT };

const char *progress_state_name(enum progress_state s);  /* "done", ... */
const char *progress_state_label(enum progress_state s); /* "Đã hoàn thành", ... */

/* One task: its state, whether the unit reported anything (inputs or content), its current
 * points in hundredths (approved when approved, else the engine's self points; -1 when none),
 * whether the engine found it not applicable, and its maximum. */
struct progress_task {
    enum wf_state state;
    bool reported;
    int64_t points_h;
    bool not_applicable;
    int64_t max_h;
};
enum progress_state progress_classify(const struct progress_task *t);

/* The current points the unit page works with: approved points once approved (the appraiser's
 * word is final), else the self-assessed points; -1 when neither is known. */
int64_t progress_current_points(enum wf_state st, int64_t self_h, int64_t approved_h);

#endif
