/* task_counts.c — the Đạt / Chưa đạt / Không đạt rule, one table of states. */
#include "core/task_counts.h"

#include <stddef.h>
#include <string.h>

/* States other than "approved" and "returned": their count does not depend on points or dates. */
static const struct {
    const char *state;
    enum task_count count;
} by_state[] = {
    {"not_started", TC_KHONG_DAT},  {"draft", TC_CHUA_DAT},
    {"submitted", TC_CHUA_DAT},     {"in_appraisal", TC_CHUA_DAT},
    {"explanation_requested", TC_CHUA_DAT}, {"explained", TC_CHUA_DAT},
};

static const char *const keys[TC_COUNT] = {"dat", "chua_dat", "khong_dat"};
static const char *const labels[TC_COUNT] = {"Đạt", "Chưa đạt", "Không đạt"};

enum task_count task_count_of(const char *state, int64_t approved_h, int64_t max_h,
                              bool window_closed)
{
    if (!state)
        return TC_KHONG_DAT;
    if (!strcmp(state, "approved")) {
        if (approved_h >= max_h)
            return TC_DAT;
        return approved_h <= 0 ? TC_KHONG_DAT : TC_CHUA_DAT;
    }
    if (!strcmp(state, "returned"))
        return window_closed ? TC_KHONG_DAT : TC_CHUA_DAT;
    for (size_t i = 0; i < sizeof by_state / sizeof *by_state; i++)
        if (!strcmp(state, by_state[i].state))
            return by_state[i].count;
    return TC_KHONG_DAT;
}

void task_counts_add(struct task_counts *c, const char *state, int64_t approved_h, int64_t max_h,
                     bool window_closed)
{
    c->n[task_count_of(state, approved_h, max_h, window_closed)]++;
}

const char *task_count_key(enum task_count k)
{
    return k >= 0 && k < TC_COUNT ? keys[k] : "";
}

const char *task_count_label(enum task_count k)
{
    return k >= 0 && k < TC_COUNT ? labels[k] : "";
}
