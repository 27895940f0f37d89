/* rule_formula.c — "formula": an expression over the criterion's inputs (core/formula.h),
 * compiled at load time; its result must lie in 0 … maximum. */
#include <string.h>

#include "core/rule.h"

/* s cut to fit n bytes on a UTF-8 boundary, with "…" when cut */
static const char *cut_utf8(const char *s, char *buf, size_t n)
{
    size_t len = strlen(s);
    if (len < n)
        return s;
    size_t k = n - 4; /* room for "…" and NUL */
    while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    memcpy(buf, s, k);
    memcpy(buf + k, "…", 4);
    return buf;
}

static void load(struct ld *ld, const json_t *j, const struct path *p, struct fw_criterion *c)
{
    struct fw_rule *ru = &c->rule;
    ru->expr = ld_str(ld, j, "expr", p, true, FORMULA_MAX_LEN);
    if (!ru->expr)
        return;
    struct formula_input fi[64];
    size_t n = c->n_inputs < 64 ? c->n_inputs : 64;
    for (size_t i = 0; i < n; i++)
        fi[i] = (struct formula_input){c->inputs[i].name ? c->inputs[i].name : "",
                                       c->inputs[i].type == IN_CHOICE, c->inputs[i].type == IN_DATE};
    char err[256], shown[96];
    ru->compiled = formula_compile(ru->expr, fi, n, err, sizeof err);
    if (!ru->compiled) {
        /* the criterion and the formula are named: the path alone is hard to find by eye */
        struct path q = path_key(p, "expr");
        LD_ERR(ld, q.s, "tiêu chí '%s', công thức \"%s\": %s", c->key ? c->key : "?",
               cut_utf8(ru->expr, shown, sizeof shown), err);
    }
}

static void score(const struct fw_criterion *c, const struct value *vals, struct sb *b,
                  struct score_result *r)
{
    const struct fw_rule *ru = &c->rule;
    char err[SCORE_ERROR_MAX];
    rat pts;
    int rc = formula_eval(ru->compiled, vals, &pts, err, sizeof err);
    if (rc) {
        score_set_error(r, c, -1, "%s", err);
        return;
    }
    if (pts.n < 0 || rat_cmp(pts, c->max_points) > 0) {
        char a[64], m[64];
        rat_format(pts, a, sizeof a);
        rat_format(c->max_points, m, sizeof m);
        score_set_error(r, c, -1, "kết quả biểu thức %s nằm ngoài khoảng 0 … %s", a, m);
        return;
    }
    score_finish(c, pts, r);
    if (b) {
        sb_s(b, ru->expr);
        bool first = true;
        for (size_t i = 0; i < c->n_inputs; i++) {
            if (!formula_uses_input(ru->compiled, i))
                continue;
            sb_s(b, first ? " với " : "; ");
            first = false;
            sb_s(b, c->inputs[i].name);
            sb_s(b, " = ");
            if (vals[i].kind == VAL_TEXT)
                sb_s(b, vals[i].text);
            else
                sb_r(b, vals[i].num);
        }
        sb_s(b, " → ");
        sb_h(b, r->points_h);
    }
}

static void describe(const struct fw_criterion *c, struct sb *o)
{
    sb_s(o, "Theo công thức: ");
    sb_s(o, c->rule.expr ? c->rule.expr : "");
    sb_s(o, " (từ 0 đến ");
    sb_r(o, c->max_points);
    sb_s(o, " điểm).");
}

static bool write(const struct fw_criterion *c, json_t *o)
{
    return fw_set_str(o, "expr", c->rule.expr);
}

static void needs(const struct fw_criterion *c, const struct value *vals, struct sb *o)
{
    (void)vals;
    /* A formula has no closed inverse: say what it computes; the what-if panel tries values. */
    sb_s(o, "Điểm tính theo công thức ");
    sb_s(o, c->rule.expr);
    sb_s(o, " (tối đa ");
    sb_r(o, c->max_points);
    sb_s(o, " điểm): thử giá trị ở bảng “Nếu thay đổi”.");
}

static const char *const keys[] = {"type", "expr", NULL};
const struct rule_ops rule_formula = {"formula", keys, false, load, score, describe, write, NULL, needs, NULL};
