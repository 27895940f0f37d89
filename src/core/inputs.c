/* inputs.c — JSON answers to typed values: numbers with a decimal comma or point, percentages,
 * choices, ISO dates. */
#include "core/inputs.h"
#include "core/score.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool parse_date(const char *s, int32_t *out)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] + (m == 2 && leap))
        return false;
    *out = y * 10000 + m * 100 + d;
    return true;
}

static int num_from_json(const json_t *j, bool percent, rat *out, char *err, size_t errlen)
{
    if (json_is_integer(j) || json_is_real(j)) {
        if (!fw_json_to_rat(j, out)) {
            snprintf(err, errlen, "số không hợp lệ hoặc quá lớn");
            return -1;
        }
        return 0;
    }
    if (json_is_string(j)) {
        const char *s = json_string_value(j);
        int rc = percent ? rat_parse_percent(s, strlen(s), out) : rat_parse(s, strlen(s), out);
        if (rc == RAT_OK)
            return 0;
        snprintf(err, errlen, rc == RAT_OVERFLOW ? "số có quá nhiều chữ số: \"%.40s\", " RAT_OVERFLOW_VI
                                                 : "\"%.40s\" không phải là số (dùng dạng 8,5 hoặc 8.5)",
                 s);
        return -1;
    }
    snprintf(err, errlen, "phải là một số");
    return -1;
}

int value_from_json(const struct fw_input *in, const json_t *j, struct value *out, char *err,
                    size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->num = rat_int(0);
    if (!j || json_is_null(j))
        return 0;
    switch (in->type) {
    case IN_BOOL:
        out->kind = VAL_BOOL;
        if (json_is_boolean(j)) {
            out->num = rat_int(json_is_true(j));
            return 0;
        }
        if (json_is_integer(j) && (json_integer_value(j) == 0 || json_integer_value(j) == 1)) {
            out->num = rat_int(json_integer_value(j));
            return 0;
        }
        if (json_is_string(j)) {
            const char *s = json_string_value(j);
            if (!strcmp(s, "có") || !strcmp(s, "Có")) {
                out->num = rat_int(1);
                return 0;
            }
            if (!strcmp(s, "không") || !strcmp(s, "Không")) {
                return 0;
            }
        }
        snprintf(err, errlen, "phải là true/false (có/không)");
        return -1;
    case IN_COUNT:
    case IN_NUMBER:
    case IN_POINTS:
    case IN_RATIO:
        out->kind = VAL_NUM;
        return num_from_json(j, in->type == IN_RATIO, &out->num, err, errlen);
    case IN_CHOICE:
        out->kind = VAL_TEXT;
        if (json_is_string(j))
            for (size_t i = 0; i < in->n_options; i++)
                if (!strcmp(in->options[i].value, json_string_value(j))) {
                    out->text = in->options[i].value;
                    return 0;
                }
        {
            char list[200] = "";
            for (size_t i = 0; i < in->n_options && strlen(list) < 150; i++) {
                if (i)
                    strcat(list, ", ");
                strncat(list, in->options[i].value, 40);
            }
            snprintf(err, errlen, "lựa chọn không hợp lệ%s%.40s%s (chọn một trong: %s)",
                     json_is_string(j) ? " \"" : "", json_is_string(j) ? json_string_value(j) : "",
                     json_is_string(j) ? "\"" : "", list);
        }
        return -1;
    case IN_DATE:
        out->kind = VAL_DATE;
        if (json_is_string(j) && parse_date(json_string_value(j), &out->date))
            return 0;
        snprintf(err, errlen, "ngày phải có dạng YYYY-MM-DD và có thật, ví dụ 2023-10-31");
        return -1;
    }
    return -1;
}

size_t criterion_values_from_json(const struct fw_criterion *c, const json_t *obj,
                                  struct value *vals, const char *path, struct fw_errors *errs)
{
    size_t before = errs->n;
    char err[200], p[256];
    for (size_t i = 0; i < c->n_inputs; i++) {
        json_t *j = obj ? json_object_get(obj, c->inputs[i].name) : NULL;
        if (value_from_json(&c->inputs[i], j, &vals[i], err, sizeof err)) {
            snprintf(p, sizeof p, "%s.%s", path, c->inputs[i].name);
            fw_errors_add(errs, p, "%s", err);
            vals[i].kind = VAL_ABSENT;
        }
    }
    const char *k;
    json_t *v;
    if (obj)
        json_object_foreach((json_t *)obj, k, v) {
            (void)v;
            if (fw_find_input(c, k) < 0) {
                snprintf(p, sizeof p, "%s.%s", path, k);
                fw_errors_add(errs, p, "tiêu chí %s không có dữ liệu đầu vào tên '%s'", c->key, k);
            }
        }
    return errs->n - before;
}

void unit_inputs_buf_free(struct unit_inputs_buf *b)
{
    free(b->values);
    free(b->state);
    free(b->na_reason);
    memset(b, 0, sizeof *b);
}

size_t unit_inputs_from_json(const struct framework *fw, const json_t *doc,
                             struct unit_inputs_buf *out, struct fw_errors *errs)
{
    size_t before = errs->n;
    memset(out, 0, sizeof *out);
    out->unit_kind = -1;
    out->values = calloc(fw->n_values + 1, sizeof *out->values);
    out->state = calloc(fw->n_criteria + 1, 1);
    out->na_reason = calloc(fw->n_criteria + 1, sizeof *out->na_reason);
    if (!out->values || !out->state || !out->na_reason) {
        fw_errors_add(errs, "$", "hết bộ nhớ");
        return 1; /* even when the error list could not grow: the arrays are not there */
    }
    if (!json_is_object(doc)) {
        fw_errors_add(errs, "$", "tệp dữ liệu phải là một đối tượng JSON {…}");
        return errs->n - before;
    }
    json_t *uk = json_object_get(doc, "unit_kind");
    if (uk && !json_is_null(uk)) {
        if (!json_is_string(uk) || (out->unit_kind = fw_unit_kind_parse(json_string_value(uk))) < 0)
            fw_errors_add(errs, "unit_kind", "loại đơn vị phải là province (cấp tỉnh), department (cấp sở), district (cấp huyện), commune (cấp xã) hoặc other (khác)");
    }
    json_t *crit = json_object_get(doc, "criteria");
    if (!json_is_object(crit)) {
        fw_errors_add(errs, "criteria", "thiếu đối tượng criteria {\"khoá tiêu chí\": {\"inputs\": {…}}}");
        return errs->n - before;
    }
    const char *key;
    json_t *v;
    char p[256];
    json_object_foreach(crit, key, v) {
        long i = fw_find_criterion(fw, key);
        snprintf(p, sizeof p, "criteria.%s", key);
        if (i < 0) {
            fw_errors_add(errs, p, "bộ chỉ số không có tiêu chí khoá '%s'", key);
            continue;
        }
        const struct fw_criterion *c = fw->criteria[i];
        if (!json_is_object(v)) {
            fw_errors_add(errs, p, "phải là {\"inputs\": {…}} hoặc {\"not_applicable\": \"lý do\"}");
            continue;
        }
        json_t *na = json_object_get(v, "not_applicable");
        if (na) {
            char q[300];
            snprintf(q, sizeof q, "%s.not_applicable", p);
            if (!json_is_string(na) || !json_string_value(na)[0])
                fw_errors_add(errs, q, "cần ghi lý do không áp dụng");
            else if (!c->na_allowed)
                fw_errors_add(errs, q, "tiêu chí %s không cho phép đánh dấu không áp dụng", key);
            else {
                out->state[i] = CS_NA;
                out->na_reason[i] = json_string_value(na);
            }
            continue;
        }
        json_t *ins = json_object_get(v, "inputs");
        char q[300];
        snprintf(q, sizeof q, "%s.inputs", p);
        if (!json_is_object(ins)) {
            fw_errors_add(errs, q, "thiếu đối tượng inputs {…}");
            continue;
        }
        criterion_values_from_json(c, ins, out->values + c->input_offset, q, errs);
        out->state[i] = CS_PRESENT;
    }
    return errs->n - before;
}
