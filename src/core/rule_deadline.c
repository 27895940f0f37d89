/* rule_deadline.c — "deadline": full points for a date on or before day.month of the set's
 * year, late_fraction of them after, 0 without a date. */
#include "core/rule.h"

static void load(struct ld *ld, const json_t *j, const struct path *p, struct fw_criterion *c)
{
    struct fw_rule *ru = &c->rule;
    ru->input = ld_rule_input(ld, c, j, "input", p, TY(IN_DATE), &ru->input_name);
    char *due = ld_str(ld, j, "due", p, false, 5);
    const char *eff = due ? due : c->due;
    struct path q = path_key(p, "due");
    ru->due_text = due;
    if (!eff)
        LD_ERR(ld, q.s, "thiếu hạn (ngày.tháng), ở quy tắc hoặc ở trường due của tiêu chí");
    else if (!fw_parse_day_month(eff, &ru->due_day, &ru->due_month))
        LD_ERR(ld, q.s, "hạn '%s' phải có dạng ngày.tháng, ví dụ 31.10", eff);
    ru->late_fraction = rat_int(0);
    ld_fraction(ld, j, "late_fraction", p, false, &ru->late_fraction);
    ru->year = (int)ld->fw->year; /* read before the pillars */
    ru->early_text = ld_str(ld, j, "previous_year_from", p, false, 5);
    if (ru->early_text && !fw_parse_day_month(ru->early_text, &ru->early_day, &ru->early_month)) {
        struct path eq = path_key(p, "previous_year_from");
        LD_ERR(ld, eq.s, "'%s' phải có dạng ngày.tháng, ví dụ 01.12", ru->early_text);
    }
}

static void score(const struct fw_criterion *c, const struct value *vals, struct sb *b,
                  struct score_result *r)
{
    const struct fw_rule *ru = &c->rule;
    int in = ru->input;
    rat pts = rat_int(0);
    if (vals[in].kind == VAL_ABSENT) {
        score_finish(c, pts, r);
        if (b)
            sb_s(b, "Chưa có ngày → 0");
        return;
    }
    int32_t dt = vals[in].date, md = dt % 10000;
    /* Only day.month is compared with the due date, so the year must be the set's own: a date
     * of another year would otherwise count as on time or late by accident. */
    bool early = ru->year && ru->early_text && dt / 10000 == ru->year - 1 &&
                 md >= ru->early_month * 100 + ru->early_day;
    if (early) {
        score_finish(c, c->max_points, r);
        if (b) {
            sb_f(b, "Ngày %02d/%02d/%04d, từ %02d/%02d năm trước (sớm, trong hạn) → ", (int)(md % 100),
                 (int)(md / 100), (int)(dt / 10000), ru->early_day, ru->early_month);
            sb_h(b, r->points_h);
        }
        return;
    }
    if (ru->year && dt / 10000 != ru->year) {
        score_set_error(r, c, in, "ngày %02d/%02d/%04d không thuộc năm %d của bộ chỉ số",
                        (int)(md % 100), (int)(md / 100), (int)(dt / 10000), ru->year);
        return;
    }
    bool late = md > ru->due_month * 100 + ru->due_day;
    if (!late)
        pts = c->max_points;
    else if (!score_arith(rat_mul(&pts, c->max_points, ru->late_fraction), c, r))
        return;
    score_finish(c, pts, r);
    if (b) {
        sb_f(b, "Ngày %02d/%02d/%04d, %s hạn %02d/%02d → ", (int)(md % 100), (int)(md / 100),
             (int)(dt / 10000), late ? "sau" : "trong", ru->due_day, ru->due_month);
        if (late) {
            sb_h(b, c->max_h);
            sb_s(b, " × ");
            sb_r(b, ru->late_fraction);
            sb_s(b, " = ");
        }
        sb_h(b, r->points_h);
    }
}

static void describe(const struct fw_criterion *c, struct sb *o)
{
    const struct fw_rule *ru = &c->rule;
    rat p;
    rat_mul(&p, ru->late_fraction, c->max_points);
    if (ru->early_text)
        sb_f(o, "Hoàn thành từ ngày %02d/%02d năm trước đến ngày %02d/%02d → ", ru->early_day,
             ru->early_month, ru->due_day, ru->due_month);
    else
        sb_f(o, "Hoàn thành đến ngày %02d/%02d → ", ru->due_day, ru->due_month);
    sb_r(o, c->max_points);
    sb_s(o, " điểm; muộn hơn → ");
    sb_r(o, p);
    sb_s(o, " điểm; chưa có → 0 điểm.");
}

static bool write(const struct fw_criterion *c, json_t *o)
{
    const struct fw_rule *ru = &c->rule;
    return fw_set_str(o, "input", ru->input_name) && fw_set_str(o, "due", ru->due_text) &&
           fw_set(o, "late_fraction", fw_json_number(ru->late_fraction)) &&
           fw_set_str(o, "previous_year_from", ru->early_text);
}

static void needs(const struct fw_criterion *c, const struct value *vals, struct sb *o)
{
    const struct fw_rule *ru = &c->rule;
    sb_s(o, "«");
    sb_s(o, rule_input_label(c, ru->input));
    if (ru->year)
        sb_f(o, "» phải là một ngày đến hết %02d/%02d/%04d", ru->due_day, ru->due_month, ru->year);
    else
        sb_f(o, "» phải là một ngày đến hết %02d/%02d", ru->due_day, ru->due_month);
    if (ru->early_text && ru->year)
        sb_f(o, " (từ %02d/%02d/%04d)", ru->early_day, ru->early_month, ru->year - 1);
    rule_needs_now(o, c, vals, ru->input);
    sb_s(o, ".");
}

static const char *const keys[] = {"type", "input", "due", "late_fraction", "previous_year_from", NULL};
const struct rule_ops rule_deadline = {"deadline", keys, false, load, score, describe, write, NULL, needs, NULL};
