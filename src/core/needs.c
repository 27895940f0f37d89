/* needs.c — what a criterion needs for full points and its measured value, through the rule
 * table (core/needs.h). */
#include <string.h>

#include "core/needs.h"
#include "core/rule.h"

void rule_value_text(struct sb *o, const struct fw_criterion *c, const struct value *vals, int i)
{
    const struct value *v = &vals[i];
    const struct fw_input *in = &c->inputs[i];
    switch (v->kind) {
    case VAL_BOOL:
        sb_s(o, v->num.n ? "Có" : "Không");
        return;
    case VAL_DATE:
        sb_f(o, "%02d/%02d/%04d", (int)(v->date % 100), (int)(v->date / 100 % 100),
             (int)(v->date / 10000));
        return;
    case VAL_TEXT: {
        const char *lab = v->text;
        for (size_t k = 0; k < in->n_options; k++)
            if (!strcmp(in->options[k].value, v->text))
                lab = in->options[k].label;
        sb_s(o, lab);
        return;
    }
    case VAL_NUM:
        if (in->type == IN_RATIO) { /* a rate is a fraction: shown as a percentage */
            rat pct;
            int64_t h;
            if (rat_mul(&pct, v->num, rat_int(100)) == RAT_OK &&
                rat_to_hundredths(pct, &h) == RAT_OK) {
                sb_h(o, h);
                sb_s(o, " %");
                return;
            }
        }
        sb_r(o, v->num);
        sb_noun(o, in);
        return;
    default:
        return;
    }
}

void rule_needs_now(struct sb *o, const struct fw_criterion *c, const struct value *vals, int i)
{
    if (!vals || i < 0 || i >= (int)c->n_inputs || vals[i].kind == VAL_ABSENT)
        return;
    sb_s(o, " (hiện: ");
    rule_value_text(o, c, vals, i);
    sb_s(o, ")");
}

char *fw_rule_needs(const struct fw_criterion *c, const char *reading, const struct value *vals,
                    char *buf, size_t n)
{
    struct sb o = {buf, 0, n};
    if (n)
        buf[0] = 0;
    struct fw_criterion t;
    if (!n || !fw_criterion_reading(c, reading, &t))
        return buf;
    const struct rule_ops *ops = rule_ops_of(t.rule.type);
    if (ops->needs)
        ops->needs(&t, vals, &o);
    return buf;
}

char *fw_measured(const struct fw_criterion *c, const char *reading, const struct value *vals,
                  char *buf, size_t n)
{
    struct sb o = {buf, 0, n};
    if (n)
        buf[0] = 0;
    struct fw_criterion t;
    if (!n || !vals || !fw_criterion_reading(c, reading, &t))
        return buf;
    const struct rule_ops *ops = rule_ops_of(t.rule.type);
    if (ops->measure) {
        ops->measure(&t, vals, &o);
        if (o.n)
            return buf;
    }
    for (size_t i = 0; i < t.n_inputs; i++) {
        if (vals[i].kind == VAL_ABSENT)
            continue;
        sb_s(&o, o.n ? "; " : "");
        sb_s(&o, rule_input_label(&t, (int)i));
        sb_s(&o, ": ");
        rule_value_text(&o, &t, vals, (int)i);
    }
    return buf;
}
