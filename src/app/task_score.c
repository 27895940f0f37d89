/* task_score.c — a task's criterion and its scoring (see task_score.h). */
#include "app/task_score.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/inputs.h"

int task_crit_open(db_conn *c, int64_t round_id, const char *fw_id, int64_t fw_version,
                   const char *key, struct task_crit *tc, struct app_err *err)
{
    memset(tc, 0, sizeof *tc);
    db_rows *rows = NULL;
    if (db_exec(c, "SELECT sha256 FROM frameworks WHERE id = ? AND version = ?",
                (db_param[]){DB_P_TEXT(fw_id), DB_P_INT(fw_version)}, 2, &rows) != DB_OK ||
        db_rows_count(rows) != 1) {
        db_rows_free(rows);
        return app_fail_internal(err);
    }
    char sha[80];
    snprintf(sha, sizeof sha, "%s", db_text(rows, 0, 0));
    db_rows_free(rows);
    rows = NULL;
    if (db_exec(c, "SELECT alternative FROM round_readings WHERE round_id = ? AND "
                   "framework_id = ? AND criterion_key = ?",
                (db_param[]){DB_P_INT(round_id), DB_P_TEXT(fw_id), DB_P_TEXT(key)}, 3,
                &rows) != DB_OK)
        return app_fail_internal(err);
    if (db_rows_count(rows) == 1)
        snprintf(tc->reading, sizeof tc->reading, "%s", db_text(rows, 0, 0));
    db_rows_free(rows);
    tc->entry = frameworks_cache_get(c, fw_id, fw_version, sha, &tc->cf, err);
    if (!tc->entry)
        return -1;
    long i = fw_find_criterion(tc->cf.fw, key);
    if (i < 0) {
        task_crit_close(tc);
        return app_fail_internal(err);
    }
    tc->crit = tc->cf.fw->criteria[i];
    return 0;
}

void task_crit_close(struct task_crit *tc)
{
    frameworks_cache_release(tc->entry);
    tc->entry = NULL;
    tc->crit = NULL;
}

/* "inputs.staff_total" from an error path like "inputs.staff_total" or "x.staff_total". */
static void input_field(const char *path, char *out, size_t n)
{
    const char *dot = strrchr(path, '.');
    snprintf(out, n, "inputs.%.80s", dot ? dot + 1 : path);
}

int task_crit_score(const struct task_crit *tc, const json_t *inputs, bool explain,
                    struct score_result *res, struct app_err *err)
{
    const struct fw_criterion *cr = tc->crit;
    struct value *vals = calloc(cr->n_inputs ? cr->n_inputs : 1, sizeof *vals);
    json_t *empty = NULL;
    if (!inputs)
        inputs = empty = json_object();
    if (!inputs || !vals) {
        free(vals);
        json_decref(empty);
        return app_fail_internal(err);
    }
    struct fw_errors errs = {0};
    size_t n = criterion_values_from_json(cr, inputs, vals, "inputs", &errs);
    if (n || errs.oom) {
        int rc;
        if (errs.oom || !errs.n) {
            rc = app_fail_internal(err);
        } else {
            char field[96];
            input_field(errs.v[0].path, field, sizeof field);
            int k = fw_find_input(cr, field + strlen("inputs."));
            if (k >= 0) /* name the input as the form shows it */
                rc = app_fail(err, 400, "invalid_value", field, "«%s»: %s",
                              cr->inputs[k].label ? cr->inputs[k].label : cr->inputs[k].name,
                              errs.v[0].message);
            else
                rc = app_fail(err, 400, "unknown_field", field, "%s", errs.v[0].message);
        }
        fw_errors_free(&errs);
        json_decref(empty);
        free(vals);
        return rc;
    }
    fw_errors_free(&errs);
    bool known = score_criterion_reading(cr, tc->reading[0] ? tc->reading : NULL, vals,
                                         explain, res);
    if (!known) /* the round's reading is no longer declared: the main rule */
        score_criterion(cr, vals, explain, res);
    if (res->status == SCORE_ERROR && res->error_input >= 0 &&
        (size_t)res->error_input < cr->n_inputs && vals[res->error_input].kind == VAL_ABSENT) {
        /* an input not given yet: a draft still being filled in, not a wrong value */
        char why[SCORE_ERROR_MAX];
        snprintf(why, sizeof why, "%s", res->error);
        res->status = SCORE_MISSING;
        res->points_h = 0;
        res->error_input = -1;
        res->error[0] = '\0';
        snprintf(res->explain, sizeof res->explain, "Chưa đủ số liệu: %.300s", why);
    }
    if (res->status == SCORE_ERROR) {
        char field[96] = "inputs";
        if (res->error_input >= 0 && (size_t)res->error_input < cr->n_inputs)
            snprintf(field, sizeof field, "inputs.%s", cr->inputs[res->error_input].name);
        json_decref(empty);
        free(vals);
        return app_fail(err, 422, "invalid_value", field, "%s", res->error);
    }
    json_decref(empty);
    free(vals);
    return 0;
}

bool task_crit_needs_evidence(const struct task_crit *tc)
{
    return (tc->crit->evidence && tc->crit->evidence[0]) ||
           (tc->crit->has_signed_evidence && tc->crit->signed_evidence);
}

static int set_text(json_t *o, const char *k, const char *v)
{
    return json_object_set_new(o, k, v ? json_string(v) : json_null());
}

static json_t *input_json(const struct fw_input *in)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    int bad = set_text(o, "name", in->name) | set_text(o, "label", in->label) |
              set_text(o, "type", fw_input_type_name(in->type)) |
              set_text(o, "unit", in->unit) |
              json_object_set_new(o, "min", in->has_min ? fw_json_number(in->min) : json_null()) |
              json_object_set_new(o, "max", in->has_max ? fw_json_number(in->max) : json_null());
    json_t *opts = json_array();
    for (size_t i = 0; opts && i < in->n_options; i++) {
        json_t *op = json_pack("{s:s,s:s}", "value", in->options[i].value, "label",
                               in->options[i].label ? in->options[i].label : in->options[i].value);
        if (!op || json_array_append_new(opts, op)) {
            json_decref(opts);
            opts = NULL;
        }
    }
    bad |= json_object_set_new(o, "options", opts);
    if (bad || !opts) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *task_crit_json(const struct task_crit *tc)
{
    const struct fw_criterion *cr = tc->crit;
    json_t *o = json_object(), *ins = json_array();
    if (!o || !ins) {
        json_decref(o);
        json_decref(ins);
        return NULL;
    }
    int bad = set_text(o, "key", cr->key) | set_text(o, "code", cr->code) |
              set_text(o, "title", cr->title) | set_text(o, "guidance", cr->guidance) |
              set_text(o, "conditions", cr->conditions) | set_text(o, "evidence", cr->evidence) |
              json_object_set_new(o, "evidence_required",
                                  json_boolean(task_crit_needs_evidence(tc))) |
              json_object_set_new(o, "signed_evidence",
                                  json_boolean(cr->has_signed_evidence && cr->signed_evidence)) |
              json_object_set_new(o, "max_points", json_hundredths(cr->max_h)) |
              set_text(o, "due", cr->due) |
              set_text(o, "reading", tc->reading[0] ? tc->reading : "main");
    for (size_t i = 0; !bad && i < cr->n_inputs; i++) {
        json_t *in = input_json(&cr->inputs[i]);
        if (!in || json_array_append_new(ins, in))
            bad = 1;
    }
    bad |= json_object_set_new(o, "inputs", ins);
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}
