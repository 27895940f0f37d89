/* rule_checklist.c — "checklist": points per bool item that is true (an item may require
 * another); the items' points may not exceed the criterion's maximum. */
#include "core/rule.h"

static void load(struct ld *ld, const json_t *j, const struct path *p, struct fw_criterion *c)
{
    struct fw_rule *ru = &c->rule;
    json_t *items = ld_array(ld, j, "items", p, true);
    if (!items)
        return;
    struct path q = path_key(p, "items");
    if (!json_array_size(items))
        LD_ERR(ld, q.s, "cần ít nhất một mục");
    size_t n = json_array_size(items);
    if (!(ru->items = ld_alloc(ld, (n + 1) * sizeof *ru->items)))
        return;
    ru->n_items = n;
    rat sum = rat_int(0);
    bool sum_ok = true;
    for (size_t i = 0; i < ru->n_items; i++) {
        struct fw_item *it = &ru->items[i];
        static const char *const ikeys[] = {"input", "points", "label", "requires", NULL};
        struct path iq;
        it->input = it->requires = -1;
        json_t *o = ld_array_obj(ld, items, i, &q, "", ikeys, &iq);
        if (!o) {
            sum_ok = false;
            continue;
        }
        it->input = ld_rule_input(ld, c, o, "input", &iq, TY(IN_BOOL), &it->input_name);
        if (json_object_get(o, "requires"))
            it->requires = ld_rule_input(ld, c, o, "requires", &iq, TY(IN_BOOL), &it->requires_name);
        it->label = ld_str(ld, o, "label", &iq, false, 1000);
        if (!it->label && it->input >= 0)
            it->label = c->inputs[it->input].label;
        if (!it->label)
            it->label = "";
        if (ld_points(ld, o, "points", &iq, true, &it->points))
            sum_ok = sum_ok && rat_add(&sum, sum, it->points) == RAT_OK;
        else
            sum_ok = false;
        if (it->input < 0 || (json_object_get(o, "requires") && it->requires < 0))
            sum_ok = false;
    }
    if (sum_ok && rat_cmp(sum, c->max_points) > 0) {
        char a[64], b[64];
        rat_format(sum, a, sizeof a);
        rat_format(c->max_points, b, sizeof b);
        LD_ERR(ld, q.s, "tổng điểm các mục (%s) lớn hơn điểm tối đa của tiêu chí (%s)", a, b);
    }
}

static void score(const struct fw_criterion *c, const struct value *vals, struct sb *b,
                  struct score_result *r)
{
    const struct fw_rule *ru = &c->rule;
    rat pts = rat_int(0);
    for (size_t i = 0; i < ru->n_items; i++)
        if (!score_need(c, vals, ru->items[i].input, r) ||
            (ru->items[i].requires >= 0 && !score_need(c, vals, ru->items[i].requires, r)))
            return;
    size_t counted = 0;
    for (size_t i = 0; i < ru->n_items; i++) {
        const struct fw_item *it = &ru->items[i];
        if (!vals[it->input].num.n || (it->requires >= 0 && !vals[it->requires].num.n))
            continue;
        if (!score_arith(rat_add(&pts, pts, it->points), c, r))
            return;
        if (b) {
            if (counted)
                sb_s(b, " + ");
            sb_s(b, it->label);
            sb_s(b, " (");
            sb_r(b, it->points);
            sb_s(b, ")");
        }
        counted++;
    }
    score_finish(c, pts, r);
    if (b) {
        if (!counted)
            sb_s(b, "Không mục nào đạt → 0");
        else {
            sb_s(b, " = ");
            sb_h(b, r->points_h);
        }
    }
}

static void describe(const struct fw_criterion *c, struct sb *o)
{
    const struct fw_rule *ru = &c->rule;
    sb_s(o, "Cộng điểm từng phần: ");
    for (size_t i = 0; i < ru->n_items; i++) {
        const struct fw_item *it = &ru->items[i];
        sb_s(o, i ? "; " : "");
        sb_s(o, it->label);
        sb_s(o, ": ");
        sb_r(o, it->points);
        sb_s(o, " điểm");
        if (it->requires >= 0) {
            sb_s(o, " (chỉ tính khi có: ");
            sb_s(o, rule_input_label(c, it->requires));
            sb_s(o, ")");
        }
    }
    sb_s(o, ".");
}

static bool write(const struct fw_criterion *c, json_t *o)
{
    const struct fw_rule *ru = &c->rule;
    json_t *a = json_array();
    bool ok = a != NULL;
    for (size_t i = 0; ok && i < ru->n_items; i++) {
        const struct fw_item *it = &ru->items[i];
        json_t *x = json_object();
        ok = fw_append(a, x) && fw_set_str(x, "input", it->input_name) &&
             fw_set(x, "points", fw_json_number(it->points)) && fw_set_str(x, "label", it->label) &&
             fw_set_str(x, "requires", it->requires_name);
    }
    return fw_set(o, "items", a) && ok;
}

static void needs(const struct fw_criterion *c, const struct value *vals, struct sb *o)
{
    const struct fw_rule *ru = &c->rule;
    size_t missing = 0;
    sb_s(o, "Phải có đủ các mục: ");
    for (size_t i = 0; i < ru->n_items; i++) {
        const struct fw_item *it = &ru->items[i];
        bool has = vals && vals[it->input].kind != VAL_ABSENT && vals[it->input].num.n &&
                   (it->requires < 0 || (vals[it->requires].kind != VAL_ABSENT &&
                                         vals[it->requires].num.n));
        sb_s(o, i ? "; " : "");
        sb_s(o, it->label);
        if (!has) {
            sb_s(o, " (còn thiếu)");
            missing++;
        }
    }
    sb_s(o, ".");
    (void)missing;
}

static const char *const keys[] = {"type", "items", NULL};
const struct rule_ops rule_checklist = {"checklist", keys, false, load, score, describe, write, NULL, needs, NULL};
