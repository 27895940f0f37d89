/* score.c — scoring a criterion and a unit, with explanations a person can check by hand
 * ("9,51 = 921 / 968 × 10"). Each rule type scores in its own row (core/rule.h); this file has
 * the checks they share. No allocation: explanation text goes into the result. */
#include "core/score.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/rule.h"
#include "core/utf8.h"

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

/* ---- results ---- */
void score_set_error(struct score_result *r, const struct fw_criterion *c, int input,
                     const char *fmt, ...)
{
    r->status = SCORE_ERROR;
    r->points_h = 0;
    r->max_h = c->max_h;
    r->exact = rat_int(0);
    r->error_input = input;
    int n = 0;
    /* the input as the form labels it: users never see the set author's names (the API's
     * `field` carries the name for tools) */
    if (input >= 0) {
        n = snprintf(r->error, sizeof r->error, "“%s”: ", fw_input_label(&c->inputs[input]));
    }
    if (n < 0 || (size_t)n >= sizeof r->error)
        n = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->error + n, sizeof r->error - (size_t)n, fmt, ap);
    va_end(ap);
    /* a long label can push the message past the buffer: never cut a character in two (the
     * API put the message in JSON, and a broken one made the whole import answer 500) */
    utf8_cut_partial(r->error);
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
            score_set_error(r, c, (int)i, "sai kiểu dữ liệu (cần %s)", fw_input_type_name(in->type));
            return false;
        }
        if (v->kind != VAL_NUM)
            continue;
        switch (in->type) {
        case IN_COUNT:
            if (v->num.n < 0) {
                fmt_rat(v->num, a, sizeof a);
                score_set_error(r, c, (int)i, "số lượng không được âm (%s)", a);
                return false;
            }
            if (v->num.d != 1) {
                fmt_rat(v->num, a, sizeof a);
                score_set_error(r, c, (int)i, "số lượng phải là số nguyên (%s)", a);
                return false;
            }
            break;
        case IN_NUMBER:
            /* Quantities in an index set are not negative unless the set says so with "min". */
            if (!in->has_min && v->num.n < 0) {
                fmt_rat(v->num, a, sizeof a);
                score_set_error(r, c, (int)i, "giá trị không được âm (%s)", a);
                return false;
            }
            break;
        case IN_RATIO:
            if (v->num.n < 0 || v->num.n > v->num.d) {
                fmt_rat(v->num, a, sizeof a);
                score_set_error(r, c, (int)i, "tỷ lệ phải từ 0 đến 1 (hoặc 0%% đến 100%%), nhận được %s", a);
                return false;
            }
            break;
        case IN_POINTS:
            if (v->num.n < 0 || rat_cmp(v->num, c->max_points) > 0) {
                fmt_rat(v->num, a, sizeof a);
                fmt_rat(c->max_points, b, sizeof b);
                score_set_error(r, c, (int)i, "điểm phải từ 0 đến %s, nhận được %s", b, a);
                return false;
            }
            break;
        default:
            break;
        }
        if (in->has_min && rat_cmp(v->num, in->min) < 0) {
            fmt_rat(v->num, a, sizeof a);
            fmt_rat(in->min, b, sizeof b);
            score_set_error(r, c, (int)i, "giá trị %s nhỏ hơn mức tối thiểu %s", a, b);
            return false;
        }
        if (in->has_max && rat_cmp(v->num, in->max) > 0) {
            fmt_rat(v->num, a, sizeof a);
            fmt_rat(in->max, b, sizeof b);
            score_set_error(r, c, (int)i, "giá trị %s lớn hơn mức tối đa %s", a, b);
            return false;
        }
    }
    return true;
}

bool score_need(const struct fw_criterion *c, const struct value *vals, int i,
                struct score_result *r)
{
    if (vals[i].kind == VAL_ABSENT) {
        score_set_error(r, c, i, "chưa nhập giá trị");
        return false;
    }
    return true;
}

bool score_arith(int rc, const struct fw_criterion *c, struct score_result *r)
{
    if (rc == RAT_OK)
        return true;
    score_set_error(r, c, -1, "%s", rat_error_vi(rc));
    return false;
}

void score_finish(const struct fw_criterion *c, rat pts, struct score_result *r)
{
    int64_t h;
    if (rat_to_hundredths(pts, &h) != RAT_OK) {
        score_set_error(r, c, -1, "làm tròn điểm: %s", RAT_OVERFLOW_VI);
        return;
    }
    r->status = SCORE_SCORED;
    r->exact = pts;
    r->points_h = h;
    r->max_h = c->max_h;
}

void score_set_na(struct score_result *r, struct sb *b, const char *why)
{
    r->status = SCORE_NOT_APPLICABLE;
    r->points_h = 0;
    r->max_h = 0;
    r->exact = rat_int(0);
    if (b) {
        sb_s(b, "Không áp dụng: ");
        sb_s(b, why);
    }
}

/* Shared checks here; the rule's own arithmetic is its row's score function (core/rule.h). */
void score_criterion(const struct fw_criterion *c, const struct value *vals, bool explain,
                     struct score_result *r)
{
    const struct rule_ops *ops = rule_ops_of(c->rule.type);
    struct sb sbuf = {r->explain, 0, sizeof r->explain}, *b = explain ? &sbuf : NULL;
    r->explain[0] = 0;
    r->error[0] = 0;
    r->error_input = -1;
    if (!ops->unscored && !check_inputs(c, vals, r))
        return;
    ops->score(c, vals, b, r);
}

bool score_criterion_reading(const struct fw_criterion *c, const char *reading,
                             const struct value *vals, bool explain, struct score_result *r)
{
    struct fw_criterion t;
    if (!fw_criterion_reading(c, reading, &t))
        return false;
    score_criterion(&t, vals, explain, r);
    return true;
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
            score_set_na(r, explain ? &b : NULL, why);
        } else if (rule_ops_of(c->rule.type)->unscored) {
            score_criterion(c, NULL, explain, r);
        } else if (st == CS_NA) {
            struct sb b = {r->explain, 0, sizeof r->explain};
            r->explain[0] = r->error[0] = 0;
            r->error_input = -1;
            const char *why = ui->na_reason && ui->na_reason[i] ? ui->na_reason[i] : "đơn vị đặc thù";
            score_set_na(r, explain ? &b : NULL, why);
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

/* Any failed allocation gives NULL, never a trace with fields missing. */
json_t *score_trace_json(const struct fw_criterion *c, const struct value *vals,
                         const struct score_result *r)
{
    json_t *t = json_object(), *ins = json_object();
    char ex[80];
    bool ok = t && fw_set(t, "key", json_string(c->key)) &&
              fw_set_str(t, "status", score_status_name(r->status)) &&
              fw_set(t, "points", json_hundredths(r->points_h)) &&
              fw_set(t, "max_points", json_hundredths(r->max_h)) &&
              fw_set_str(t, "rule", fw_rule_type_name(c->rule.type));
    for (size_t i = 0; ok && vals && ins && i < c->n_inputs; i++)
        ok = fw_set(ins, c->inputs[i].name, value_json(&vals[i]));
    ok = fw_set(t, "inputs", ins) && ok; /* takes ins */
    if (ok && r->status == SCORE_SCORED) {
        rat_format_json(r->exact, ex, sizeof ex);
        ok = fw_set_str(t, "exact", ex);
        char fr[96];
        /* the exact fraction too, so a checker sees 4605/242 rather than a rounded decimal */
        if (ok && r->exact.n <= INT64_MAX && r->exact.n >= -INT64_MAX && r->exact.d <= INT64_MAX) {
            snprintf(fr, sizeof fr, "%lld/%lld", (long long)r->exact.n, (long long)r->exact.d);
            ok = fw_set_str(t, "exact_fraction", fr);
        }
    }
    if (ok && r->explain[0])
        ok = fw_set_str(t, "explanation", r->explain);
    if (ok && r->status == SCORE_ERROR) {
        ok = fw_set_str(t, "error", r->error);
        if (ok && r->error_input >= 0)
            ok = fw_set_str(t, "error_input", c->inputs[r->error_input].name);
    }
    if (!ok) {
        json_decref(t);
        return NULL;
    }
    return t;
}
