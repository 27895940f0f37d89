/* rule_yes_no.c — "yes_no": the maximum when a bool input is true, else 0. */
#include "core/rule.h"

static void load(struct ld *ld, const json_t *j, const struct path *p, struct fw_criterion *c)
{
    c->rule.input = ld_rule_input(ld, c, j, "input", p, TY(IN_BOOL), &c->rule.input_name);
}

static void score(const struct fw_criterion *c, const struct value *vals, struct sb *b,
                  struct score_result *r)
{
    int in = c->rule.input;
    if (!score_need(c, vals, in, r))
        return;
    score_finish(c, vals[in].num.n ? c->max_points : rat_int(0), r);
    if (b) {
        sb_s(b, vals[in].num.n ? "Có → " : "Không → ");
        sb_h(b, r->points_h);
    }
}

static void describe(const struct fw_criterion *c, struct sb *o)
{
    sb_s(o, "Có (");
    sb_s(o, rule_input_label(c, c->rule.input));
    sb_s(o, "): ");
    sb_r(o, c->max_points);
    sb_s(o, " điểm; không: 0 điểm.");
}

static bool write(const struct fw_criterion *c, json_t *o)
{
    return fw_set_str(o, "input", c->rule.input_name);
}

static void needs(const struct fw_criterion *c, const struct value *vals, struct sb *o)
{
    sb_s(o, "«");
    sb_s(o, rule_input_label(c, c->rule.input));
    sb_s(o, "» phải là «Có»");
    rule_needs_now(o, c, vals, c->rule.input);
    sb_s(o, ".");
}

static const char *const keys[] = {"type", "input", NULL};
const struct rule_ops rule_yes_no = {"yes_no", keys, false, load, score, describe, write, NULL, needs, NULL};
