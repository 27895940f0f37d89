/* rule_penalty.c — "penalty_per_incident": the maximum minus a penalty per incident, never
 * below 0, and 0 from zero_at incidents on. */
#include "core/rule.h"

static void load(struct ld *ld, const json_t *j, const struct path *p, struct fw_criterion *c)
{
    struct fw_rule *ru = &c->rule;
    ru->input = ld_rule_input(ld, c, j, "input", p, TY(IN_COUNT), &ru->input_name);
    ld_positive(ld, j, "penalty", p, "điểm trừ phải lớn hơn 0", &ru->penalty);
    ru->has_zero_at = ld_opt_int_rat(ld, j, "zero_at", p, 1, 1000000000, &ru->zero_at);
}

static void score(const struct fw_criterion *c, const struct value *vals, struct sb *b,
                  struct score_result *r)
{
    const struct fw_rule *ru = &c->rule;
    int in = ru->input;
    rat pts;
    if (!score_need(c, vals, in, r))
        return;
    rat n = vals[in].num, lost;
    bool zero = ru->has_zero_at && rat_cmp(n, ru->zero_at) >= 0;
    if (!score_arith(rat_mul(&lost, n, ru->penalty), c, r) ||
        !score_arith(rat_sub(&pts, c->max_points, lost), c, r))
        return;
    bool neg = pts.n < 0;
    if (zero || neg)
        pts = rat_int(0);
    score_finish(c, pts, r);
    if (b) {
        sb_r(b, n);
        sb_noun(b, &c->inputs[in]);
        if (zero) {
            sb_s(b, " ≥ ");
            sb_r(b, ru->zero_at);
            sb_s(b, " → 0");
        } else {
            sb_s(b, " → ");
            sb_h(b, c->max_h);
            sb_s(b, " − ");
            sb_r(b, n);
            sb_s(b, " × ");
            sb_r(b, ru->penalty);
            sb_s(b, neg ? " < 0 → 0" : " = ");
            if (!neg)
                sb_h(b, r->points_h);
        }
    }
}

static void describe(const struct fw_criterion *c, struct sb *o)
{
    const struct fw_rule *ru = &c->rule;
    sb_r(o, c->max_points);
    sb_s(o, " điểm, trừ ");
    sb_r(o, ru->penalty);
    sb_s(o, " điểm cho mỗi ");
    sb_s(o, rule_input_noun(c, ru->input));
    if (ru->has_zero_at) {
        sb_s(o, "; từ ");
        sb_r(o, ru->zero_at);
        sb_s(o, " trở lên: 0 điểm");
    }
    sb_s(o, "; không dưới 0.");
}

static bool write(const struct fw_criterion *c, json_t *o)
{
    const struct fw_rule *ru = &c->rule;
    return fw_set_str(o, "input", ru->input_name) &&
           fw_set(o, "penalty", fw_json_number(ru->penalty)) &&
           (!ru->has_zero_at || fw_set(o, "zero_at", fw_json_number(ru->zero_at)));
}

static void needs(const struct fw_criterion *c, const struct value *vals, struct sb *o)
{
    sb_s(o, "«");
    sb_s(o, rule_input_label(c, c->rule.input));
    sb_s(o, "» phải bằng 0");
    rule_needs_now(o, c, vals, c->rule.input);
    sb_s(o, ".");
}

static const char *const keys[] = {"type", "input", "penalty", "zero_at", NULL};
const struct rule_ops rule_penalty = {"penalty_per_incident", keys, false, load, score, describe, write, NULL, needs, NULL};
