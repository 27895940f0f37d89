/* rule_count_steps.c — "count_steps": a count reaching a step's minimum earns that step's
 * fraction of the maximum (the highest step reached counts). */
#include "core/rule.h"

static void load(struct ld *ld, const json_t *j, const struct path *p, struct fw_criterion *c)
{
    struct fw_rule *ru = &c->rule;
    ru->input = ld_rule_input(ld, c, j, "input", p, TY(IN_COUNT), &ru->input_name);
    json_t *steps = ld_array(ld, j, "steps", p, true);
    if (!steps)
        return;
    struct path q = path_key(p, "steps");
    if (!json_array_size(steps))
        LD_ERR(ld, q.s, "cần ít nhất một mức");
    size_t n = json_array_size(steps);
    if (!(ru->steps = ld_alloc(ld, (n + 1) * sizeof *ru->steps)))
        return;
    ru->n_steps = n;
    for (size_t i = 0; i < ru->n_steps; i++) {
        static const char *const skeys[] = {"min", "fraction", NULL};
        struct path sq;
        json_t *o = ld_array_obj(ld, steps, i, &q, "", skeys, &sq);
        if (!o)
            continue;
        int64_t mn;
        ru->steps[i].min = ru->steps[i].fraction = rat_int(0);
        if (ld_int(ld, o, "min", &sq, true, 0, 1000000000, &mn))
            ru->steps[i].min = rat_int(mn);
        ld_fraction(ld, o, "fraction", &sq, true, &ru->steps[i].fraction);
        for (size_t k = 0; k < i; k++)
            if (rat_cmp(ru->steps[k].min, ru->steps[i].min) == 0) {
                struct path mq = path_key(&sq, "min");
                LD_ERR(ld, mq.s, "hai mức có cùng min");
            }
    }
}

static void score(const struct fw_criterion *c, const struct value *vals, struct sb *b,
                  struct score_result *r)
{
    const struct fw_rule *ru = &c->rule;
    int in = ru->input;
    rat pts = rat_int(0);
    if (!score_need(c, vals, in, r))
        return;
    rat n = vals[in].num;
    int best = -1;
    for (size_t i = 0; i < ru->n_steps; i++)
        if (rat_cmp(n, ru->steps[i].min) >= 0 &&
            (best < 0 || rat_cmp(ru->steps[i].min, ru->steps[best].min) > 0))
            best = (int)i;
    if (best >= 0 && !score_arith(rat_mul(&pts, c->max_points, ru->steps[best].fraction), c, r))
        return;
    score_finish(c, pts, r);
    if (b) {
        sb_r(b, n);
        sb_noun(b, &c->inputs[in]);
        if (best >= 0) {
            rat pct;
            sb_s(b, " (mức ≥ ");
            sb_r(b, ru->steps[best].min);
            sb_s(b, ": ");
            if (rat_mul(&pct, ru->steps[best].fraction, rat_int(100)) == RAT_OK)
                sb_r(b, pct);
            sb_s(b, "%) → ");
        } else {
            sb_s(b, " (dưới mức thấp nhất) → ");
        }
        sb_h(b, r->points_h);
    }
}

static void describe(const struct fw_criterion *c, struct sb *o)
{
    const struct fw_rule *ru = &c->rule;
    sb_s(o, "Theo số lượng (");
    sb_s(o, rule_input_label(c, ru->input));
    sb_s(o, "): ");
    for (size_t i = 0; i < ru->n_steps; i++) {
        rat p;
        rat_mul(&p, ru->steps[i].fraction, c->max_points);
        sb_s(o, i ? "; " : "");
        sb_s(o, "từ ");
        sb_r(o, ru->steps[i].min);
        sb_s(o, " trở lên → ");
        sb_r(o, p);
        sb_s(o, " điểm");
    }
    sb_s(o, "; thấp hơn: 0 điểm.");
}

static bool write(const struct fw_criterion *c, json_t *o)
{
    const struct fw_rule *ru = &c->rule;
    bool ok = fw_set_str(o, "input", ru->input_name);
    json_t *a = json_array();
    for (size_t i = 0; ok && a && i < ru->n_steps; i++) {
        json_t *x = json_object();
        ok = fw_append(a, x) && fw_set(x, "min", fw_json_number(ru->steps[i].min)) &&
             fw_set(x, "fraction", fw_json_number(ru->steps[i].fraction));
    }
    return fw_set(o, "steps", a) && ok;
}

static void needs(const struct fw_criterion *c, const struct value *vals, struct sb *o)
{
    const struct fw_rule *ru = &c->rule;
    int best = -1; /* the smallest minimum that earns the largest fraction */
    for (size_t i = 0; i < ru->n_steps; i++) {
        if (best < 0)
            best = (int)i;
        else {
            int f = rat_cmp(ru->steps[i].fraction, ru->steps[best].fraction);
            if (f > 0 || (f == 0 && rat_cmp(ru->steps[i].min, ru->steps[best].min) < 0))
                best = (int)i;
        }
    }
    if (best < 0)
        return;
    sb_s(o, "«");
    sb_s(o, rule_input_label(c, ru->input));
    sb_s(o, "» phải từ ");
    sb_r(o, ru->steps[best].min);
    sb_noun(o, &c->inputs[ru->input]);
    sb_s(o, " trở lên");
    rule_needs_now(o, c, vals, ru->input);
    sb_s(o, ".");
}

static const char *const keys[] = {"type", "input", "steps", NULL};
const struct rule_ops rule_count_steps = {"count_steps", keys, false, load, score, describe, write, NULL, needs, NULL};
