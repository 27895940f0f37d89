/* rule_ratio.c — "ratio" (numerator / denominator × maximum) and "inverse_ratio"
 * ((1 − numerator / denominator) × maximum): two rows sharing everything but the final formula.
 * A zero denominator follows the rule's zero_denominator policy. */
#include <string.h>

#include "core/rule.h"

static const char *const zero_policies[] = {"not_applicable", "zero", "full"};

static void load(struct ld *ld, const json_t *j, const struct path *p, struct fw_criterion *c)
{
    struct fw_rule *ru = &c->rule;
    unsigned acc = TY(IN_COUNT) | TY(IN_NUMBER);
    ru->num = ld_rule_input(ld, c, j, "numerator", p, acc, &ru->num_name);
    ru->den = ld_rule_input(ld, c, j, "denominator", p, acc, &ru->den_name);
    ru->zero_denominator = ZD_NOT_APPLICABLE;
    char *zp = ld_str(ld, j, "zero_denominator", p, false, 32);
    if (zp) {
        size_t z = 0;
        while (z < sizeof zero_policies / sizeof *zero_policies && strcmp(zp, zero_policies[z]))
            z++;
        if (z == sizeof zero_policies / sizeof *zero_policies) {
            struct path q = path_key(p, "zero_denominator");
            LD_ERR(ld, q.s, "phải là \"zero\", \"full\" hoặc \"not_applicable\"");
        } else {
            ru->zero_denominator = (enum fw_zero_policy)z;
        }
    }
    if (ru->num >= 0 && ru->num == ru->den)
        LD_ERR(ld, p->s, "tử số và mẫu số phải là hai dữ liệu khác nhau");
}

static void score(const struct fw_criterion *c, const struct value *vals, struct sb *b,
                  struct score_result *r)
{
    const struct fw_rule *ru = &c->rule;
    if (!score_need(c, vals, ru->num, r) || !score_need(c, vals, ru->den, r))
        return;
    rat num = vals[ru->num].num, den = vals[ru->den].num;
    if (num.n < 0) {
        score_set_error(r, c, ru->num, "không được âm");
        return;
    }
    if (den.n < 0) {
        score_set_error(r, c, ru->den, "không được âm");
        return;
    }
    bool inv = ru->type == R_INVERSE_RATIO;
    if (den.n == 0) {
        if (num.n != 0) {
            score_set_error(r, c, ru->num, "lớn hơn mẫu số “%s” (bằng 0)", fw_input_label(&c->inputs[ru->den]));
            return;
        }
        if (ru->zero_denominator == ZD_NOT_APPLICABLE) {
            score_set_na(r, b, "mẫu số bằng 0");
            return;
        }
        rat pts = ru->zero_denominator == ZD_FULL ? c->max_points : rat_int(0);
        score_finish(c, pts, r);
        if (b) {
            sb_s(b, "Mẫu số bằng 0 → ");
            sb_h(b, r->points_h);
        }
        return;
    }
    if (rat_cmp(num, den) > 0) {
        char a[64], d[64];
        rat_format(num, a, sizeof a);
        rat_format(den, d, sizeof d);
        score_set_error(r, c, ru->num, "%s lớn hơn mẫu số “%s” (%s)", a, fw_input_label(&c->inputs[ru->den]), d);
        return;
    }
    rat q, pts;
    if (!score_arith(rat_div(&q, num, den), c, r))
        return;
    if (inv && !score_arith(rat_sub(&q, rat_int(1), q), c, r))
        return;
    if (!score_arith(rat_mul(&pts, q, c->max_points), c, r))
        return;
    score_finish(c, pts, r);
    if (b && r->status == SCORE_SCORED) {
        sb_h(b, r->points_h);
        sb_s(b, inv ? " = (1 − " : " = ");
        sb_r(b, num);
        sb_s(b, " / ");
        sb_r(b, den);
        sb_s(b, inv ? ") × " : " × ");
        sb_h(b, c->max_h);
    }
}

static void describe(const struct fw_criterion *c, struct sb *o)
{
    const struct fw_rule *ru = &c->rule;
    bool inv = ru->type == R_INVERSE_RATIO;
    sb_s(o, inv ? "(1 − (" : "(");
    sb_s(o, rule_input_label(c, ru->num));
    sb_s(o, ") / (");
    sb_s(o, rule_input_label(c, ru->den));
    sb_s(o, inv ? "))" : ")");
    sb_s(o, " × ");
    sb_r(o, c->max_points);
    sb_s(o, " điểm; mẫu số bằng 0: ");
    sb_s(o, ru->zero_denominator == ZD_ZERO   ? "0 điểm"
            : ru->zero_denominator == ZD_FULL ? "đủ điểm"
                                              : "không áp dụng");
    sb_s(o, ".");
}

static bool write(const struct fw_criterion *c, json_t *o)
{
    const struct fw_rule *ru = &c->rule;
    return fw_set_str(o, "numerator", ru->num_name) && fw_set_str(o, "denominator", ru->den_name) &&
           fw_set_str(o, "zero_denominator", zero_policies[ru->zero_denominator]);
}

static void needs(const struct fw_criterion *c, const struct value *vals, struct sb *o)
{
    const struct fw_rule *ru = &c->rule;
    if (ru->type == R_INVERSE_RATIO) {
        sb_s(o, "«");
        sb_s(o, rule_input_label(c, ru->num));
        sb_s(o, "» phải bằng 0");
        rule_needs_now(o, c, vals, ru->num);
        sb_s(o, ".");
        return;
    }
    sb_s(o, "«");
    sb_s(o, rule_input_label(c, ru->num));
    sb_s(o, "» phải bằng «");
    sb_s(o, rule_input_label(c, ru->den));
    sb_s(o, "»");
    if (vals && vals[ru->num].kind == VAL_NUM && vals[ru->den].kind == VAL_NUM) {
        rat gap;
        sb_s(o, " (hiện ");
        sb_r(o, vals[ru->num].num);
        sb_s(o, "/");
        sb_r(o, vals[ru->den].num);
        if (rat_sub(&gap, vals[ru->den].num, vals[ru->num].num) == RAT_OK && gap.n > 0) {
            sb_s(o, ", còn thiếu ");
            sb_r(o, gap);
        }
        sb_s(o, ")");
    }
    sb_s(o, ".");
}

/* "921/968 (95,14 %)": the percentage rounded half up to 2 decimals. */
static void measure(const struct fw_criterion *c, const struct value *vals, struct sb *o)
{
    const struct fw_rule *ru = &c->rule;
    if (vals[ru->num].kind != VAL_NUM || vals[ru->den].kind != VAL_NUM)
        return;
    sb_r(o, vals[ru->num].num);
    sb_s(o, "/");
    sb_r(o, vals[ru->den].num);
    sb_noun(o, &c->inputs[ru->den]);
    rat q, pct;
    int64_t h;
    if (vals[ru->den].num.n && rat_div(&q, vals[ru->num].num, vals[ru->den].num) == RAT_OK &&
        rat_mul(&pct, q, rat_int(100)) == RAT_OK && rat_to_hundredths(pct, &h) == RAT_OK) {
        sb_s(o, " (");
        sb_h(o, h);
        sb_s(o, " %)");
    }
}

static const char *const keys[] = {"type", "numerator", "denominator", "zero_denominator", NULL};
const struct rule_ops rule_ratio = {"ratio", keys, false, load, score, describe, write, NULL, needs, measure};
const struct rule_ops rule_inverse_ratio = {"inverse_ratio", keys, false, load, score, describe, write, NULL, needs, measure};
