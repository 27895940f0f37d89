/* rule_manual.c — "manual": an assessor's points (a points input, 0 … maximum). */
#include "core/rule.h"

static void load(struct ld *ld, const json_t *j, const struct path *p, struct fw_criterion *c)
{
    c->rule.input = ld_rule_input(ld, c, j, "input", p, TY(IN_POINTS), &c->rule.input_name);
}

static void score(const struct fw_criterion *c, const struct value *vals, struct sb *b,
                  struct score_result *r)
{
    int in = c->rule.input;
    if (!score_need(c, vals, in, r))
        return;
    score_finish(c, vals[in].num, r);
    if (b) {
        sb_s(b, "Điểm chấm: ");
        sb_h(b, r->points_h);
    }
}

static void describe(const struct fw_criterion *c, struct sb *o)
{
    sb_s(o, "Cán bộ thẩm định chấm điểm, từ 0 đến ");
    sb_r(o, c->max_points);
    sb_s(o, ".");
}

static bool write(const struct fw_criterion *c, json_t *o)
{
    return fw_set_str(o, "input", c->rule.input_name);
}

static void needs(const struct fw_criterion *c, const struct value *vals, struct sb *o)
{
    (void)vals;
    sb_s(o, "Cán bộ thẩm định chấm điểm (tối đa ");
    sb_r(o, c->max_points);
    sb_s(o, " điểm): cần đáp ứng đầy đủ điều kiện của tiêu chí.");
}

static const char *const keys[] = {"type", "input", NULL};
const struct rule_ops rule_manual = {"manual", keys, false, load, score, describe, write, NULL, needs, NULL};
