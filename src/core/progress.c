/* progress.c — a task's place in a progress report (core/progress.h). */
#include "core/progress.h"

static const struct {
    const char *name, *label;
} names[PROG_COUNT] = {
    [PROG_DONE] = {"done", "Đã hoàn thành"},
    [PROG_IN_PROGRESS] = {"in_progress", "Đang thực hiện"},
    [PROG_NOT_STARTED] = {"not_started", "Chưa thực hiện"},
    [PROG_NOT_APPLICABLE] = {"not_applicable", "Không áp dụng"},
};

const char *progress_state_name(enum progress_state s)
{
    return (unsigned)s < PROG_COUNT ? names[s].name : "not_started";
}

const char *progress_state_label(enum progress_state s)
{
    return (unsigned)s < PROG_COUNT ? names[s].label : names[PROG_NOT_STARTED].label;
}

int64_t progress_current_points(enum wf_state st, int64_t self_h, int64_t approved_h)
{
    if (st == WS_APPROVED)
        return approved_h;
    return self_h;
}

/* Done: full points (approved, or self-assessed while not approved yet). Not started: nothing
 * reported and no points, or the appraiser gave 0. Everything between is in progress. */
enum progress_state progress_classify(const struct progress_task *t)
{
    if (t->not_applicable && t->state != WS_APPROVED)
        return PROG_NOT_APPLICABLE;
    if (t->points_h >= 0 && t->points_h >= t->max_h)
        return PROG_DONE;
    if (t->state == WS_APPROVED && t->points_h == 0)
        return PROG_NOT_STARTED;
    if (!t->reported && t->points_h <= 0)
        return PROG_NOT_STARTED;
    return PROG_IN_PROGRESS;
}
