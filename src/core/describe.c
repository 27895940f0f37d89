/* describe.c — rules in plain Vietnamese. */
#include "core/describe.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct out {
    char *p;
    size_t n, cap;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
    if (o->n + 1 >= o->cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(o->p + o->n, o->cap - o->n, fmt, ap);
    va_end(ap);
    if (k > 0)
        o->n = o->n + (size_t)k < o->cap ? o->n + (size_t)k : o->cap - 1;
}

static const char *R(rat v, char *b)
{
    rat_format(v, b, 64);
    return b;
}

static const char *label(const struct fw_criterion *c, int i)
{
    return i >= 0 && i < (int)c->n_inputs ? c->inputs[i].label : "?";
}

char *fw_rule_describe(const struct fw_criterion *c, char *buf, size_t n)
{
    const struct fw_rule *ru = &c->rule;
    struct out o = {buf, 0, n};
    char a[64], b[64], m[64];
    buf[0] = 0;
    R(c->max_points, m);
    switch (ru->type) {
    case R_YES_NO:
        put(&o, "Có (%s): %s điểm; không: 0 điểm.", label(c, ru->input), m);
        break;
    case R_BY_SIGNER:
        put(&o, "Theo %s: ", label(c, ru->input));
        for (size_t i = 0; i < ru->n_fractions; i++) {
            rat p;
            const char *lab = ru->fractions[i].value;
            if (ru->input >= 0)
                for (size_t k = 0; k < c->inputs[ru->input].n_options; k++)
                    if (!strcmp(c->inputs[ru->input].options[k].value, lab))
                        lab = c->inputs[ru->input].options[k].label;
            rat_mul(&p, ru->fractions[i].fraction, c->max_points);
            put(&o, "%s%s → %s điểm", i ? "; " : "", lab, R(p, a));
        }
        put(&o, "; trường hợp khác: 0 điểm.");
        break;
    case R_CHECKLIST:
        put(&o, "Cộng điểm từng phần: ");
        for (size_t i = 0; i < ru->n_items; i++)
            put(&o, "%s%s: %s điểm%s%s%s", i ? "; " : "", ru->items[i].label, R(ru->items[i].points, a),
                ru->items[i].requires >= 0 ? " (chỉ tính khi có: " : "",
                ru->items[i].requires >= 0 ? label(c, ru->items[i].requires) : "",
                ru->items[i].requires >= 0 ? ")" : "");
        put(&o, ".");
        break;
    case R_PER_ITEM:
        put(&o, "%s điểm cho mỗi %s", R(ru->points_per_item, a),
            ru->input >= 0 && c->inputs[ru->input].unit ? c->inputs[ru->input].unit : "lần");
        if (ru->has_max_items)
            put(&o, ", tính tối đa %s", R(ru->max_items, b));
        put(&o, "; không quá %s điểm.", m);
        break;
    case R_COUNT_STEPS:
        put(&o, "Theo số lượng (%s): ", label(c, ru->input));
        for (size_t i = 0; i < ru->n_steps; i++) {
            rat p;
            rat_mul(&p, ru->steps[i].fraction, c->max_points);
            put(&o, "%stừ %s trở lên → %s điểm", i ? "; " : "", R(ru->steps[i].min, a), R(p, b));
        }
        put(&o, "; thấp hơn: 0 điểm.");
        break;
    case R_RATIO_TO_TARGET:
        put(&o, "Đạt mục tiêu %s (%s) → %s điểm; chưa đạt: tính theo tỷ lệ đạt được.", R(ru->target, a),
            label(c, ru->input), m);
        break;
    case R_RATIO:
    case R_INVERSE_RATIO:
        put(&o, "%s(%s) / (%s)%s × %s điểm; mẫu số bằng 0: %s.",
            ru->type == R_INVERSE_RATIO ? "(1 − " : "", label(c, ru->num), label(c, ru->den),
            ru->type == R_INVERSE_RATIO ? ")" : "", m,
            ru->zero_denominator == ZD_ZERO   ? "0 điểm"
            : ru->zero_denominator == ZD_FULL ? "đủ điểm"
                                              : "không áp dụng");
        break;
    case R_PENALTY:
        put(&o, "%s điểm, trừ %s điểm cho mỗi %s", m, R(ru->penalty, a),
            ru->input >= 0 && c->inputs[ru->input].unit ? c->inputs[ru->input].unit : "lần");
        if (ru->has_zero_at)
            put(&o, "; từ %s trở lên: 0 điểm", R(ru->zero_at, b));
        put(&o, "; không dưới 0.");
        break;
    case R_DEADLINE: {
        rat p;
        rat_mul(&p, ru->late_fraction, c->max_points);
        put(&o, "Hoàn thành đến ngày %02d/%02d → %s điểm; muộn hơn → %s điểm; chưa có → 0 điểm.",
            ru->due_day, ru->due_month, m, R(p, a));
        break;
    }
    case R_NOT_APPLICABLE:
        put(&o, "Không tính điểm.");
        break;
    case R_MANUAL:
        put(&o, "Cán bộ thẩm định chấm điểm, từ 0 đến %s.", m);
        break;
    case R_FORMULA:
        put(&o, "Theo công thức: %s (từ 0 đến %s điểm).", ru->expr ? ru->expr : "", m);
        break;
    }
    return buf;
}
