/* rule_ratio_to_target.c — "ratio_to_target": value / target × maximum, full points at or
 * above the target. */
#include "core/rule.h"

static void load(struct ld *ld, const json_t *j, const struct path *p, struct fw_criterion *c)
{
    struct fw_rule *ru = &c->rule;
    ru->input = ld_rule_input(ld, c, j, "input", p, TY(IN_COUNT) | TY(IN_NUMBER) | TY(IN_RATIO),
                              &ru->input_name);
    ld_positive(ld, j, "target", p, "mục tiêu phải lớn hơn 0", &ru->target);
}

static void score(const struct fw_criterion *c, const struct value *vals, struct sb *b,
                  struct score_result *r)
{
    const struct fw_rule *ru = &c->rule;
    int in = ru->input;
    rat pts = rat_int(0);
    if (!score_need(c, vals, in, r))
        return;
    rat n = vals[in].num, q;
    if (n.n < 0) {
        score_set_error(r, c, in, "không được âm");
        return;
    }
    if (!score_arith(rat_div(&q, n, ru->target), c, r))
        return;
    bool full = rat_cmp(q, rat_int(1)) >= 0;
    if (full)
        pts = c->max_points;
    else if (!score_arith(rat_mul(&pts, q, c->max_points), c, r))
        return;
    score_finish(c, pts, r);
    if (b) {
        if (full) {
            sb_r(b, n);
            sb_s(b, " ≥ mục tiêu ");
            sb_r(b, ru->target);
            sb_s(b, " → ");
            sb_h(b, r->points_h);
        } else {
            sb_h(b, r->points_h);
            sb_s(b, " = ");
            sb_r(b, n);
            sb_s(b, " / ");
            sb_r(b, ru->target);
            sb_s(b, " × ");
            sb_h(b, c->max_h);
        }
    }
}

static void describe(const struct fw_criterion *c, struct sb *o)
{
    sb_s(o, "Đạt mục tiêu ");
    sb_r(o, c->rule.target);
    sb_s(o, " (");
    sb_s(o, rule_input_label(c, c->rule.input));
    sb_s(o, ") → ");
    sb_r(o, c->max_points);
    sb_s(o, " điểm; chưa đạt: tính theo tỷ lệ đạt được.");
}

static bool write(const struct fw_criterion *c, json_t *o)
{
    return fw_set_str(o, "input", c->rule.input_name) &&
           fw_set(o, "target", fw_json_number(c->rule.target));
}

static void needs(const struct fw_criterion *c, const struct value *vals, struct sb *o)
{
    sb_s(o, "«");
    sb_s(o, rule_input_label(c, c->rule.input));
    sb_s(o, "» phải đạt mục tiêu ");
    sb_r(o, c->rule.target);
    sb_noun(o, &c->inputs[c->rule.input]);
    sb_s(o, " trở lên");
    rule_needs_now(o, c, vals, c->rule.input);
    sb_s(o, ".");
}

static void measure(const struct fw_criterion *c, const struct value *vals, struct sb *o)
{
    int in = c->rule.input;
    if (in < 0 || vals[in].kind != VAL_NUM)
        return;
    if (c->inputs[in].type == IN_RATIO) { /* a rate against a target rate: both as percentages */
        rule_value_text(o, c, vals, in);
        struct value t = {.kind = VAL_NUM, .num = c->rule.target};
        struct value tv[64];
        if (c->n_inputs <= 64) {
            for (size_t i = 0; i < c->n_inputs; i++)
                tv[i] = vals[i];
            tv[in] = t;
            sb_s(o, " (mục tiêu ");
            rule_value_text(o, c, tv, in);
            sb_s(o, ")");
        }
        return;
    }
    sb_r(o, vals[in].num);
    sb_s(o, "/");
    sb_r(o, c->rule.target);
    sb_noun(o, &c->inputs[in]);
}

static const char *const keys[] = {"type", "input", "target", NULL};
const struct rule_ops rule_ratio_to_target = {"ratio_to_target", keys, false, load, score, describe, write, NULL, needs, measure};
