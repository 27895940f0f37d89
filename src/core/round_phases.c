/* round_phases.c — see round_phases.h. */
#include "core/round_phases.h"

#include <stdio.h>

int round_phases_check(const struct phase_window w[PH_COUNT], char *msg, size_t cap)
{
    int prev = PH_NONE;
    for (int p = 0; p < PH_COUNT; p++) {
        if (!w[p].set)
            continue;
        if (w[p].ends_at <= w[p].starts_at) {
            snprintf(msg, cap, "Giai đoạn «%s»: ngày kết thúc phải từ ngày bắt đầu trở đi.",
                     phase_label((enum phase)p));
            return p;
        }
        if (prev != PH_NONE && w[p].starts_at < w[prev].ends_at) {
            char a[11], b[11];
            vn_date_human(w[p].starts_at, a);
            vn_date_human(w[prev].ends_at - 1, b);
            snprintf(msg, cap,
                     "Giai đoạn «%s» bắt đầu ngày %s, trước khi giai đoạn «%s» kết thúc (%s): "
                     "các giai đoạn phải theo thứ tự và không chồng lên nhau.",
                     phase_label((enum phase)p), a, phase_label((enum phase)prev), b);
            return p;
        }
        prev = p;
    }
    return PH_NONE;
}
