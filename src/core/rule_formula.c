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

static bool ident_char(char ch, bool first)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' || (!first && ch >= '0' && ch <= '9');
}

/* An input as the unit official knows it: its label in quotes. */
static void input_label(const struct fw_input *in, struct sb *o)
{
    sb_s(o, "“");
    sb_s(o, fw_input_label(in));
    sb_s(o, "”");
}

/* The expression as a reader sees it: each input's name replaced by its label (the names are
 * codes the set's author chose; users never typed them). Quoted strings and function names are
 * copied as they are; scanning follows formula.c's tokens, so a name inside a string stays. */
static void readable_expr(const struct fw_criterion *c, const char *e, struct sb *o)
{
    size_t i = 0, n = strlen(e);
    while (i < n) {
        if (e[i] == '"') {
            size_t j = i + 1;
            while (j < n && e[j] != '"')
                j++;
            j = j < n ? j + 1 : n;
            sb_mem(o, e + i, j - i);
            i = j;
        } else if (e[i] >= '0' && e[i] <= '9') {
            size_t j = i;
            while (j < n && e[j] >= '0' && e[j] <= '9')
                j++;
            sb_mem(o, e + i, j - i);
            i = j;
        } else if (ident_char(e[i], true)) {
            size_t j = i;
            while (j < n && ident_char(e[j], false))
                j++;
            const struct fw_input *hit = NULL;
            for (size_t k = 0; k < c->n_inputs && !hit; k++)
                if (c->inputs[k].name && strlen(c->inputs[k].name) == j - i && !memcmp(c->inputs[k].name, e + i, j - i))
                    hit = &c->inputs[k];
            if (hit)
                input_label(hit, o);
            else
                sb_mem(o, e + i, j - i);
            i = j;
        } else {
            sb_mem(o, e + i, 1);
            i++;
        }
    }
}

/* A choice input's value as its option's label ("head" → "Người đứng đầu"). */
static const char *option_label(const struct fw_input *in, const char *v)
{
    for (size_t k = 0; k < in->n_options; k++)
        if (in->options[k].value && !strcmp(in->options[k].value, v) && in->options[k].label)
            return in->options[k].label;
    return v;
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
        /* it read an input the report does not give yet: named as missing, by the input (a
         * draft still saves); a branch `if` did not take may leave an input absent, so only
         * a failed evaluation asks */
        for (size_t i = 0; i < c->n_inputs; i++)
            if (formula_uses_input(ru->compiled, i) && !score_need(c, vals, (int)i, r))
                return;
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
        readable_expr(c, ru->expr, b);
        bool first = true;
        for (size_t i = 0; i < c->n_inputs; i++) {
            if (!formula_uses_input(ru->compiled, i))
                continue;
            sb_s(b, first ? " với " : "; ");
            first = false;
            input_label(&c->inputs[i], b);
            sb_s(b, " = ");
            if (vals[i].kind == VAL_TEXT)
                sb_s(b, option_label(&c->inputs[i], vals[i].text));
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
    readable_expr(c, c->rule.expr ? c->rule.expr : "", o);
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
    readable_expr(c, c->rule.expr ? c->rule.expr : "", o);
    sb_s(o, " (tối đa ");
    sb_r(o, c->max_points);
    sb_s(o, " điểm): thử giá trị ở bảng “Nếu thay đổi”.");
}

static const char *const keys[] = {"type", "expr", NULL};
const struct rule_ops rule_formula = {"formula", keys, false, load, score, describe, write, NULL, needs, NULL};
