/* rule_per_item.c — "per_item": points per counted item, optionally counting at most
 * max_items, never above the maximum. */
#include "core/rule.h"

static void load(struct ld *ld, const json_t *j, const struct path *p, struct fw_criterion *c)
{
    struct fw_rule *ru = &c->rule;
    ru->input = ld_rule_input(ld, c, j, "input", p, TY(IN_COUNT), &ru->input_name);
    ld_positive(ld, j, "points_per_item", p, "phải lớn hơn 0", &ru->points_per_item);
    ru->has_max_items = ld_opt_int_rat(ld, j, "max_items", p, 1, 1000000, &ru->max_items);
}

static void score(const struct fw_criterion *c, const struct value *vals, struct sb *b,
                  struct score_result *r)
{
    const struct fw_rule *ru = &c->rule;
    int in = ru->input;
    rat pts;
    if (!score_need(c, vals, in, r))
        return;
    rat n = vals[in].num, eff = n;
    bool over = ru->has_max_items && rat_cmp(n, ru->max_items) > 0;
    if (over)
        eff = ru->max_items;
    if (!score_arith(rat_mul(&pts, eff, ru->points_per_item), c, r))
        return;
    bool capped = rat_cmp(pts, c->max_points) > 0;
    rat raw = pts;
    if (capped)
        pts = c->max_points;
    score_finish(c, pts, r);
    if (b) {
        const struct fw_input *ci = &c->inputs[in];
        sb_r(b, n);
        sb_noun(b, ci);
        if (over) {
            sb_s(b, ", tính tối đa ");
            sb_r(b, eff);
        }
        sb_s(b, " × ");
        sb_r(b, ru->points_per_item);
        sb_s(b, " = ");
        if (capped) {
            sb_r(b, raw);
            sb_s(b, ", tối đa ");
        }
        sb_h(b, r->points_h);
        if (ru->has_max_items && !over) {
            sb_s(b, " (tối đa ");
            sb_r(b, ru->max_items);
            sb_noun(b, ci);
            sb_s(b, ")");
        }
    }
}

static void describe(const struct fw_criterion *c, struct sb *o)
{
    const struct fw_rule *ru = &c->rule;
    sb_r(o, ru->points_per_item);
    sb_s(o, " điểm cho mỗi ");
    sb_s(o, rule_input_noun(c, ru->input));
    if (ru->has_max_items) {
        sb_s(o, ", tính tối đa ");
        sb_r(o, ru->max_items);
    }
    sb_s(o, "; không quá ");
    sb_r(o, c->max_points);
    sb_s(o, " điểm.");
}

static bool write(const struct fw_criterion *c, json_t *o)
{
    const struct fw_rule *ru = &c->rule;
    return fw_set_str(o, "input", ru->input_name) &&
           fw_set(o, "points_per_item", fw_json_number(ru->points_per_item)) &&
           (!ru->has_max_items || fw_set(o, "max_items", fw_json_number(ru->max_items)));
}

/* ppi × max_items when that is below the maximum */
static void reach(const struct fw_criterion *c, rat *out)
{
    const struct fw_rule *ru = &c->rule;
    rat m;
    *out = c->max_points;
    if (ru->has_max_items && rat_mul(&m, ru->max_items, ru->points_per_item) == RAT_OK &&
        rat_cmp(m, c->max_points) < 0)
        *out = m;
}

static void needs(const struct fw_criterion *c, const struct value *vals, struct sb *o)
{
    const struct fw_rule *ru = &c->rule;
    rat reach_pts, n;
    /* the fewest items whose points reach what the rule can give */
    reach(c, &reach_pts);
    if (rat_div(&n, reach_pts, ru->points_per_item) != RAT_OK)
        return;
    rat whole = n;
    if (n.d != 1 && rat_make(&whole, n.n / n.d + 1, 1) != RAT_OK)
        return;
    sb_s(o, "«");
    sb_s(o, rule_input_label(c, ru->input));
    sb_s(o, "» phải từ ");
    sb_r(o, whole);
    sb_noun(o, &c->inputs[ru->input]);
    sb_s(o, " trở lên");
    rule_needs_now(o, c, vals, ru->input);
    sb_s(o, ".");
}

static const char *const keys[] = {"type", "input", "points_per_item", "max_items", NULL};
const struct rule_ops rule_per_item = {"per_item", keys, false, load, score, describe, write, reach, needs, NULL};
