/* score.c — the rule types of docs/framework-format.md, with explanations a person can check
 * by hand ("9,51 = 921 / 968 × 10"). No allocation: explanation text goes into the result. */
#include "core/score.h"

#include <stdio.h>
#include <string.h>

const char *score_status_name(enum score_status s)
{
    switch (s) {
    case SCORE_SCORED: return "scored";
    case SCORE_NOT_APPLICABLE: return "not_applicable";
    case SCORE_MISSING: return "missing";
    case SCORE_ERROR: return "error";
    }
    return "error";
}

const char *score_status_label(enum score_status s)
{
    switch (s) {
    case SCORE_SCORED: return "đã tính";
    case SCORE_NOT_APPLICABLE: return "không áp dụng";
    case SCORE_MISSING: return "chưa có số liệu";
    case SCORE_ERROR: return "lỗi số liệu";
    }
    return "lỗi";
}

/* ---- a tiny string builder writing into a fixed buffer (snprintf is too slow for bulk) ---- */
struct sb {
    char *p;
    size_t n, cap;
};

static void sb_mem(struct sb *b, const char *s, size_t len)
{
    if (b->n + len >= b->cap) {
        len = b->cap - 1 - b->n;
        /* never cut a UTF-8 sequence in half */
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
    }
    memcpy(b->p + b->n, s, len);
    b->n += len;
    b->p[b->n] = 0;
}
static void sb_s(struct sb *b, const char *s) { sb_mem(b, s, strlen(s)); }
static void sb_h(struct sb *b, int64_t h)
{
    char t[32];
    sb_mem(b, t, hundredths_format(h, t, sizeof t));
}
static void sb_r(struct sb *b, rat v)
{
    char t[64];
    sb_mem(b, t, rat_format(v, t, sizeof t));
}
static void sb_noun(struct sb *b, const struct fw_input *in)
{
    if (in->unit && in->unit[0]) {
        sb_s(b, " ");
        sb_s(b, in->unit);
    }
}

/* ---- results ---- */
static void set_error(struct score_result *r, const struct fw_criterion *c, int input,
                      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#include <stdarg.h>
static void set_error(struct score_result *r, const struct fw_criterion *c, int input,
                      const char *fmt, ...)
{
    r->status = SCORE_ERROR;
    r->points_h = 0;
    r->max_h = c->max_h;
    r->exact = rat_int(0);
    r->error_input = input;
    int n = 0;
    if (input >= 0)
        n = snprintf(r->error, sizeof r->error, "dữ liệu '%s': ", c->inputs[input].name);
    if (n < 0 || (size_t)n >= sizeof r->error)
        n = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->error + n, sizeof r->error - (size_t)n, fmt, ap);
    va_end(ap);
}

static void fmt_rat(rat v, char *buf, size_t n) { rat_format(v, buf, n); }

/* Type and range checks of every given input (absent ones are the rule's business). */
static bool check_inputs(const struct fw_criterion *c, const struct value *vals,
                         struct score_result *r)
{
    static const uint8_t want[] = {[IN_BOOL] = VAL_BOOL, [IN_COUNT] = VAL_NUM,
                                   [IN_NUMBER] = VAL_NUM, [IN_RATIO] = VAL_NUM,
                                   [IN_CHOICE] = VAL_TEXT, [IN_DATE] = VAL_DATE,
                                   [IN_POINTS] = VAL_NUM};
    for (size_t i = 0; i < c->n_inputs; i++) {
        const struct fw_input *in = &c->inputs[i];
        const struct value *v = &vals[i];
        char a[64], b[64];
        if (v->kind == VAL_ABSENT)
            continue;
        if (v->kind != want[in->type]) {
            set_error(r, c, (int)i, "sai kiểu dữ liệu (cần %s)", fw_input_type_name(in->type));
            return false;
        }
        if (v->kind != VAL_NUM)
            continue;
        switch (in->type) {
        case IN_COUNT:
            if (v->num.n < 0) {
                fmt_rat(v->num, a, sizeof a);
                set_error(r, c, (int)i, "số lượng không được âm (%s)", a);
                return false;
            }
            if (v->num.d != 1) {
                fmt_rat(v->num, a, sizeof a);
                set_error(r, c, (int)i, "số lượng phải là số nguyên (%s)", a);
                return false;
            }
            break;
        case IN_NUMBER:
            /* Quantities in an index set are not negative unless the set says so with "min". */
            if (!in->has_min && v->num.n < 0) {
                fmt_rat(v->num, a, sizeof a);
                set_error(r, c, (int)i, "giá trị không được âm (%s)", a);
                return false;
            }
            break;
        case IN_RATIO:
            if (v->num.n < 0 || v->num.n > v->num.d) {
                fmt_rat(v->num, a, sizeof a);
                set_error(r, c, (int)i, "tỷ lệ phải từ 0 đến 1 (hoặc 0%% đến 100%%), nhận được %s", a);
                return false;
            }
            break;
        case IN_POINTS:
            if (v->num.n < 0 || rat_cmp(v->num, c->max_points) > 0) {
                fmt_rat(v->num, a, sizeof a);
                fmt_rat(c->max_points, b, sizeof b);
                set_error(r, c, (int)i, "điểm phải từ 0 đến %s, nhận được %s", b, a);
                return false;
            }
            break;
        default:
            break;
        }
        if (in->has_min && rat_cmp(v->num, in->min) < 0) {
            fmt_rat(v->num, a, sizeof a);
            fmt_rat(in->min, b, sizeof b);
            set_error(r, c, (int)i, "giá trị %s nhỏ hơn mức tối thiểu %s", a, b);
            return false;
        }
        if (in->has_max && rat_cmp(v->num, in->max) > 0) {
            fmt_rat(v->num, a, sizeof a);
            fmt_rat(in->max, b, sizeof b);
            set_error(r, c, (int)i, "giá trị %s lớn hơn mức tối đa %s", a, b);
            return false;
        }
    }
    return true;
}

static bool need(const struct fw_criterion *c, const struct value *vals, int i,
                 struct score_result *r)
{
    if (vals[i].kind == VAL_ABSENT) {
        set_error(r, c, i, "thiếu giá trị (%s)", c->inputs[i].label);
        return false;
    }
    return true;
}

static bool arith(int rc, const struct fw_criterion *c, struct score_result *r)
{
    if (rc == RAT_OK)
        return true;
    set_error(r, c, -1, "%s", rat_error_vi(rc));
    return false;
}

static void finish(const struct fw_criterion *c, rat pts, struct score_result *r)
{
    int64_t h;
    if (rat_to_hundredths(pts, &h) != RAT_OK) {
        set_error(r, c, -1, "làm tròn điểm: %s", RAT_OVERFLOW_VI);
        return;
    }
    r->status = SCORE_SCORED;
    r->exact = pts;
    r->points_h = h;
    r->max_h = c->max_h;
}

static void set_na(const struct fw_criterion *c, struct score_result *r, struct sb *b,
                   const char *why)
{
    (void)c;
    r->status = SCORE_NOT_APPLICABLE;
    r->points_h = 0;
    r->max_h = 0;
    r->exact = rat_int(0);
    if (b) {
        sb_s(b, "Không áp dụng: ");
        sb_s(b, why);
    }
}

/* ratio and inverse_ratio share everything but the final formula */
static void score_ratio(const struct fw_criterion *c, const struct value *vals, struct sb *b,
                        struct score_result *r)
{
    const struct fw_rule *ru = &c->rule;
    if (!need(c, vals, ru->num, r) || !need(c, vals, ru->den, r))
        return;
    rat num = vals[ru->num].num, den = vals[ru->den].num;
    if (num.n < 0) {
        set_error(r, c, ru->num, "không được âm");
        return;
    }
    if (den.n < 0) {
        set_error(r, c, ru->den, "không được âm");
        return;
    }
    bool inv = ru->type == R_INVERSE_RATIO;
    if (den.n == 0) {
        if (num.n != 0) {
            set_error(r, c, ru->num, "lớn hơn mẫu số '%s' (bằng 0)", c->inputs[ru->den].name);
            return;
        }
        if (ru->zero_denominator == ZD_NOT_APPLICABLE) {
            set_na(c, r, b, "mẫu số bằng 0");
            return;
        }
        rat pts = ru->zero_denominator == ZD_FULL ? c->max_points : rat_int(0);
        finish(c, pts, r);
        if (b) {
            sb_s(b, "Mẫu số bằng 0 → ");
            sb_h(b, r->points_h);
        }
        return;
    }
    if (rat_cmp(num, den) > 0) {
        char a[64], d[64];
        fmt_rat(num, a, sizeof a);
        fmt_rat(den, d, sizeof d);
        set_error(r, c, ru->num, "%s lớn hơn mẫu số '%s' (%s)", a, c->inputs[ru->den].name, d);
        return;
    }
    rat q, pts;
    if (!arith(rat_div(&q, num, den), c, r))
        return;
    if (inv && !arith(rat_sub(&q, rat_int(1), q), c, r))
        return;
    if (!arith(rat_mul(&pts, q, c->max_points), c, r))
        return;
    finish(c, pts, r);
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

void score_criterion(const struct fw_criterion *c, const struct value *vals, bool explain,
                     struct score_result *r)
{
    const struct fw_rule *ru = &c->rule;
    struct sb sbuf = {r->explain, 0, sizeof r->explain}, *b = explain ? &sbuf : NULL;
    r->explain[0] = 0;
    r->error[0] = 0;
    r->error_input = -1;
    if (ru->type == R_NOT_APPLICABLE) {
        set_na(c, r, b, "tiêu chí không tính điểm");
        return;
    }
    if (!check_inputs(c, vals, r))
        return;
    const rat M = c->max_points;
    rat pts = rat_int(0);
    int in = ru->input;
    switch (ru->type) {
    case R_YES_NO:
        if (!need(c, vals, in, r))
            return;
        finish(c, vals[in].num.n ? M : rat_int(0), r);
        if (b) {
            sb_s(b, vals[in].num.n ? "Có → " : "Không → ");
            sb_h(b, r->points_h);
        }
        return;
    case R_BY_SIGNER: {
        if (!need(c, vals, in, r))
            return;
        const struct fw_input *ci = &c->inputs[in];
        size_t k = 0;
        while (k < ci->n_options && ci->options[k].value != vals[in].text &&
               strcmp(ci->options[k].value, vals[in].text))
            k++;
        if (k == ci->n_options) {
            set_error(r, c, in, "lựa chọn không hợp lệ '%s'", vals[in].text);
            return;
        }
        int fi = ru->fraction_of_option[k];
        if (fi >= 0 && !arith(rat_mul(&pts, M, ru->fractions[fi].fraction), c, r))
            return;
        finish(c, pts, r);
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
        return;
    }
    case R_CHECKLIST: {
        for (size_t i = 0; i < ru->n_items; i++)
            if (!need(c, vals, ru->items[i].input, r) ||
                (ru->items[i].requires >= 0 && !need(c, vals, ru->items[i].requires, r)))
                return;
        size_t counted = 0;
        for (size_t i = 0; i < ru->n_items; i++) {
            const struct fw_item *it = &ru->items[i];
            if (!vals[it->input].num.n || (it->requires >= 0 && !vals[it->requires].num.n))
                continue;
            if (!arith(rat_add(&pts, pts, it->points), c, r))
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
        finish(c, pts, r);
        if (b) {
            if (!counted)
                sb_s(b, "Không mục nào đạt → 0");
            else {
                sb_s(b, " = ");
                sb_h(b, r->points_h);
            }
        }
        return;
    }
    case R_PER_ITEM: {
        if (!need(c, vals, in, r))
            return;
        rat n = vals[in].num, eff = n;
        bool over = ru->has_max_items && rat_cmp(n, ru->max_items) > 0;
        if (over)
            eff = ru->max_items;
        if (!arith(rat_mul(&pts, eff, ru->points_per_item), c, r))
            return;
        bool capped = rat_cmp(pts, M) > 0;
        rat raw = pts;
        if (capped)
            pts = M;
        finish(c, pts, r);
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
        return;
    }
    case R_COUNT_STEPS: {
        if (!need(c, vals, in, r))
            return;
        rat n = vals[in].num;
        int best = -1;
        for (size_t i = 0; i < ru->n_steps; i++)
            if (rat_cmp(n, ru->steps[i].min) >= 0 &&
                (best < 0 || rat_cmp(ru->steps[i].min, ru->steps[best].min) > 0))
                best = (int)i;
        if (best >= 0 && !arith(rat_mul(&pts, M, ru->steps[best].fraction), c, r))
            return;
        finish(c, pts, r);
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
        return;
    }
    case R_RATIO_TO_TARGET: {
        if (!need(c, vals, in, r))
            return;
        rat n = vals[in].num, q;
        if (n.n < 0) {
            set_error(r, c, in, "không được âm");
            return;
        }
        if (!arith(rat_div(&q, n, ru->target), c, r))
            return;
        bool full = rat_cmp(q, rat_int(1)) >= 0;
        if (full)
            pts = M;
        else if (!arith(rat_mul(&pts, q, M), c, r))
            return;
        finish(c, pts, r);
        if (b) {
            if (full) {
                sb_r(b, n);
                sb_s(b, " ≥ mục tiêu ");
                sb_r(b, ru->target);
                sb_s(b, " → ");
                sb_h(b, r->points_h);
            } else {
                sb_h(b, r->points_h);
                sb_s(b, " = ");
                sb_r(b, n);
                sb_s(b, " / ");
                sb_r(b, ru->target);
                sb_s(b, " × ");
                sb_h(b, c->max_h);
            }
        }
        return;
    }
    case R_RATIO:
    case R_INVERSE_RATIO:
        score_ratio(c, vals, b, r);
        return;
    case R_PENALTY: {
        if (!need(c, vals, in, r))
            return;
        rat n = vals[in].num, lost;
        bool zero = ru->has_zero_at && rat_cmp(n, ru->zero_at) >= 0;
        if (!arith(rat_mul(&lost, n, ru->penalty), c, r) || !arith(rat_sub(&pts, M, lost), c, r))
            return;
        bool neg = pts.n < 0;
        if (zero || neg)
            pts = rat_int(0);
        finish(c, pts, r);
        if (b) {
            sb_r(b, n);
            sb_noun(b, &c->inputs[in]);
            if (zero) {
                sb_s(b, " ≥ ");
                sb_r(b, ru->zero_at);
                sb_s(b, " → 0");
            } else {
                sb_s(b, " → ");
                sb_h(b, c->max_h);
                sb_s(b, " − ");
                sb_r(b, n);
                sb_s(b, " × ");
                sb_r(b, ru->penalty);
                sb_s(b, neg ? " < 0 → 0" : " = ");
                if (!neg)
                    sb_h(b, r->points_h);
            }
        }
        return;
    }
    case R_DEADLINE: {
        if (vals[in].kind == VAL_ABSENT) {
            finish(c, pts, r);
            if (b)
                sb_s(b, "Chưa có ngày → 0");
            return;
        }
        int32_t dt = vals[in].date, md = dt % 10000;
        /* Only day.month is compared with the due date, so the year must be the set's own: a
         * date of another year would otherwise count as on time or late by accident. */
        if (ru->year && dt / 10000 != ru->year) {
            set_error(r, c, in, "ngày %02d/%02d/%04d không thuộc năm %d của bộ chỉ số", (int)(md % 100),
                      (int)(md / 100), (int)(dt / 10000), ru->year);
            return;
        }
        bool late = md > ru->due_month * 100 + ru->due_day;
        if (!late)
            pts = M;
        else if (!arith(rat_mul(&pts, M, ru->late_fraction), c, r))
            return;
        finish(c, pts, r);
        if (b) {
            char t[64];
            snprintf(t, sizeof t, "Ngày %02d/%02d/%04d, %s hạn %02d/%02d → ", (int)(md % 100),
                     (int)(md / 100), (int)(dt / 10000), late ? "sau" : "trong", ru->due_day,
                     ru->due_month);
            sb_s(b, t);
            if (late) {
                sb_h(b, c->max_h);
                sb_s(b, " × ");
                sb_r(b, ru->late_fraction);
                sb_s(b, " = ");
            }
            sb_h(b, r->points_h);
        }
        return;
    }
    case R_MANUAL:
        if (!need(c, vals, in, r))
            return;
        finish(c, vals[in].num, r);
        if (b) {
            sb_s(b, "Điểm chấm: ");
            sb_h(b, r->points_h);
        }
        return;
    case R_FORMULA: {
        char err[SCORE_ERROR_MAX];
        int rc = formula_eval(ru->compiled, vals, &pts, err, sizeof err);
        if (rc) {
            set_error(r, c, -1, "%s", err);
            return;
        }
        if (pts.n < 0 || rat_cmp(pts, M) > 0) {
            char a[64], m[64];
            fmt_rat(pts, a, sizeof a);
            fmt_rat(M, m, sizeof m);
            set_error(r, c, -1, "kết quả biểu thức %s nằm ngoài khoảng 0 … %s", a, m);
            return;
        }
        finish(c, pts, r);
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
        return;
    }
    case R_NOT_APPLICABLE:
        break;
    }
}

void score_unit(const struct framework *fw, const struct unit_inputs *ui, bool explain,
                struct score_result *results, struct unit_score *us)
{
    us->total_h = us->max_h = 0;
    us->n_scored = us->n_na = us->n_missing = us->n_error = 0;
    for (size_t p = 0; p < fw->n_pillars; p++)
        us->pillar_h[p] = us->pillar_max_h[p] = 0;
    for (size_t i = 0; i < fw->n_criteria; i++) {
        const struct fw_criterion *c = fw->criteria[i];
        struct score_result *r = &results[i];
        uint8_t st = ui->state[i];
        if (ui->unit_kind >= 0 && c->applies_to && !(c->applies_to & (1u << ui->unit_kind))) {
            struct sb b = {r->explain, 0, sizeof r->explain};
            r->explain[0] = r->error[0] = 0;
            r->error_input = -1;
            char why[64];
            snprintf(why, sizeof why, "không áp dụng cho loại đơn vị này (%s)",
                     fw_unit_kind_label((enum fw_unit_kind)ui->unit_kind));
            set_na(c, r, explain ? &b : NULL, why);
        } else if (c->rule.type == R_NOT_APPLICABLE) {
            score_criterion(c, NULL, explain, r);
        } else if (st == CS_NA) {
            struct sb b = {r->explain, 0, sizeof r->explain};
            r->explain[0] = r->error[0] = 0;
            r->error_input = -1;
            const char *why = ui->na_reason && ui->na_reason[i] ? ui->na_reason[i] : "đơn vị đặc thù";
            set_na(c, r, explain ? &b : NULL, why);
        } else if (st == CS_MISSING) {
            r->status = SCORE_MISSING;
            r->points_h = 0;
            r->max_h = c->max_h;
            r->exact = rat_int(0);
            r->error_input = -1;
            r->error[0] = 0;
            if (explain)
                snprintf(r->explain, sizeof r->explain, "Chưa có số liệu → 0");
            else
                r->explain[0] = 0;
        } else {
            score_criterion(c, ui->values + c->input_offset, explain, r);
        }
        switch (r->status) {
        case SCORE_SCORED: us->n_scored++; break;
        case SCORE_NOT_APPLICABLE: us->n_na++; break;
        case SCORE_MISSING: us->n_missing++; break;
        case SCORE_ERROR: us->n_error++; break;
        }
        us->total_h += r->points_h;
        us->max_h += r->max_h;
        us->pillar_h[c->pillar] += r->points_h;
        us->pillar_max_h[c->pillar] += r->max_h;
    }
}

int64_t score_index_e4(int64_t points_h, int64_t max_h)
{
    if (max_h <= 0 || points_h < 0)
        return 0;
    i128 twice = (i128)points_h * 20000 + max_h;
    return (int64_t)(twice / ((i128)max_h * 2));
}

json_t *json_hundredths(int64_t h)
{
    if (h % 100 == 0)
        return json_integer(h / 100);
    return fw_json_number(rat_from_hundredths(h));
}

static json_t *value_json(const struct value *v)
{
    char t[16];
    switch (v->kind) {
    case VAL_BOOL: return json_boolean(v->num.n != 0);
    case VAL_NUM: return fw_json_number(v->num);
    case VAL_TEXT: return json_string(v->text);
    case VAL_DATE:
        snprintf(t, sizeof t, "%04d-%02d-%02d", (int)(v->date / 10000), (int)(v->date / 100 % 100),
                 (int)(v->date % 100));
        return json_string(t);
    default: return json_null();
    }
}

json_t *score_trace_json(const struct fw_criterion *c, const struct value *vals,
                         const struct score_result *r)
{
    /* Members that are always there go in one pack; the optional ones are added one by one,
     * each checked: the trace is whole or NULL, never silently short of an input or a field. */
    json_t *ins = json_object();
    for (size_t i = 0; ins && vals && i < c->n_inputs; i++)
        if (json_object_set_new(ins, c->inputs[i].name, value_json(&vals[i]))) {
            json_decref(ins);
            ins = NULL;
        }
    json_t *t = json_pack("{s:s,s:s,s:o,s:o,s:s,s:o}", "key", c->key, "status",
                          score_status_name(r->status), "points", json_hundredths(r->points_h),
                          "max_points", json_hundredths(r->max_h), "rule",
                          fw_rule_type_name(c->rule.type), "inputs", ins);
    if (!t)
        return NULL;
    int bad = 0;
    if (r->status == SCORE_SCORED) {
        char ex[80];
        rat_format_json(r->exact, ex, sizeof ex);
        bad |= json_object_set_new(t, "exact", json_string(ex));
        char fr[96];
        /* the exact fraction too, so a checker sees 4605/242 rather than a rounded decimal */
        if (r->exact.n <= INT64_MAX && r->exact.n >= -INT64_MAX && r->exact.d <= INT64_MAX) {
            snprintf(fr, sizeof fr, "%lld/%lld", (long long)r->exact.n, (long long)r->exact.d);
            bad |= json_object_set_new(t, "exact_fraction", json_string(fr));
        }
    }
    if (r->explain[0])
        bad |= json_object_set_new(t, "explanation", json_string(r->explain));
    if (r->status == SCORE_ERROR) {
        bad |= json_object_set_new(t, "error", json_string(r->error));
        if (r->error_input >= 0)
            bad |= json_object_set_new(t, "error_input",
                                       json_string(c->inputs[r->error_input].name));
    }
    if (bad) {
        json_decref(t);
        return NULL;
    }
    return t;
}
