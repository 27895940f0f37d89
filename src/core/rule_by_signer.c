/* rule_by_signer.c — "by_signer": a choice input (who signed), each option worth a fraction of
 * the maximum; an option without a fraction gives 0. */
#include <string.h>

#include "core/rule.h"

static void load(struct ld *ld, const json_t *j, const struct path *p, struct fw_criterion *c)
{
    struct fw_rule *ru = &c->rule;
    ru->input = ld_rule_input(ld, c, j, "input", p, TY(IN_CHOICE), &ru->input_name);
    json_t *fr = json_object_get(j, "fractions");
    struct path q = path_key(p, "fractions");
    if (!fr) {
        LD_ERR(ld, q.s, "thiếu trường bắt buộc");
        return;
    }
    if (!ld_is_obj(ld, fr, &q))
        return;
    size_t n = json_object_size(fr);
    ru->fractions = ld_alloc(ld, (n + 1) * sizeof *ru->fractions);
    if (!ru->fractions)
        return;
    const char *k;
    json_t *v;
    json_object_foreach(fr, k, v) {
        (void)v;
        struct fw_fraction *f = &ru->fractions[ru->n_fractions];
        if (!(f->value = ld_strdup(ld, k)))
            return;
        ru->n_fractions++;
        ld_fraction(ld, fr, k, &q, true, &f->fraction);
        if (ru->input >= 0) {
            const struct fw_input *in = &c->inputs[ru->input];
            size_t o = 0;
            while (o < in->n_options && (!in->options[o].value || strcmp(in->options[o].value, k)))
                o++;
            if (o == in->n_options) {
                struct path kq = path_key(&q, k);
                LD_ERR(ld, kq.s, "'%s' không có trong các lựa chọn của '%s'", k, in->name);
            }
        }
    }
    if (ru->input >= 0) {
        const struct fw_input *in = &c->inputs[ru->input];
        ru->fraction_of_option = ld_alloc(ld, (in->n_options + 1) * sizeof(int));
        if (!ru->fraction_of_option)
            return;
        for (size_t o = 0; o < in->n_options; o++) {
            ru->fraction_of_option[o] = -1;
            for (size_t f = 0; f < ru->n_fractions; f++)
                if (in->options[o].value && !strcmp(in->options[o].value, ru->fractions[f].value))
                    ru->fraction_of_option[o] = (int)f;
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
    const struct fw_input *ci = &c->inputs[in];
    size_t k = 0;
    while (k < ci->n_options && ci->options[k].value != vals[in].text &&
           strcmp(ci->options[k].value, vals[in].text))
        k++;
    if (k == ci->n_options) {
        score_set_error(r, c, in, "lựa chọn không hợp lệ '%s'", vals[in].text);
        return;
    }
    int fi = ru->fraction_of_option[k];
    if (fi >= 0 && !score_arith(rat_mul(&pts, c->max_points, ru->fractions[fi].fraction), c, r))
        return;
    score_finish(c, pts, r);
    if (b) {
        sb_s(b, ci->options[k].label);
        sb_s(b, " → ");
        if (fi >= 0) {
            sb_h(b, c->max_h);
            sb_s(b, " × ");
            sb_r(b, ru->fractions[fi].fraction);
            sb_s(b, " = ");
            sb_h(b, r->points_h);
        } else {
            sb_s(b, "0");
        }
    }
}

static void describe(const struct fw_criterion *c, struct sb *o)
{
    const struct fw_rule *ru = &c->rule;
    sb_s(o, "Theo ");
    sb_s(o, rule_input_label(c, ru->input));
    sb_s(o, ": ");
    for (size_t i = 0; i < ru->n_fractions; i++) {
        rat p;
        const char *lab = ru->fractions[i].value;
        if (ru->input >= 0)
            for (size_t k = 0; k < c->inputs[ru->input].n_options; k++)
                if (!strcmp(c->inputs[ru->input].options[k].value, lab))
                    lab = c->inputs[ru->input].options[k].label;
        rat_mul(&p, ru->fractions[i].fraction, c->max_points);
        sb_s(o, i ? "; " : "");
        sb_s(o, lab);
        sb_s(o, " → ");
        sb_r(o, p);
        sb_s(o, " điểm");
    }
    sb_s(o, "; trường hợp khác: 0 điểm.");
}

static bool write(const struct fw_criterion *c, json_t *o)
{
    const struct fw_rule *ru = &c->rule;
    bool ok = fw_set_str(o, "input", ru->input_name);
    json_t *f = json_object();
    for (size_t i = 0; ok && f && i < ru->n_fractions; i++)
        ok = fw_set(f, ru->fractions[i].value, fw_json_number(ru->fractions[i].fraction));
    return fw_set(o, "fractions", f) && ok; /* fw_set always takes f */
}

static void needs(const struct fw_criterion *c, const struct value *vals, struct sb *o)
{
    const struct fw_rule *ru = &c->rule;
    int best = -1;
    for (size_t i = 0; i < ru->n_fractions; i++)
        if (best < 0 || rat_cmp(ru->fractions[i].fraction, ru->fractions[best].fraction) > 0)
            best = (int)i;
    if (best < 0 || ru->input < 0)
        return;
    const char *lab = ru->fractions[best].value;
    for (size_t k = 0; k < c->inputs[ru->input].n_options; k++)
        if (!strcmp(c->inputs[ru->input].options[k].value, lab))
            lab = c->inputs[ru->input].options[k].label;
    sb_s(o, "«");
    sb_s(o, rule_input_label(c, ru->input));
    sb_s(o, "» phải là «");
    sb_s(o, lab);
    sb_s(o, "»");
    rule_needs_now(o, c, vals, ru->input);
    sb_s(o, ".");
}

static const char *const keys[] = {"type", "input", "fractions", NULL};
const struct rule_ops rule_by_signer = {"by_signer", keys, false, load, score, describe, write, NULL, needs, NULL};
