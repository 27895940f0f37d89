/* excel_template.c — loading a unit's report of a round and writing it as an Excel template
 * (see excel_template.h, docs/excel.md). */
#include "app/excel_template.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "app/evidence_text.h"
#include "app/json_rows.h"
#include "core/json_oom.h"

/* ---- the model ---- */

static void sheet_free(struct xt_sheet *s)
{
    for (size_t i = 0; i < s->n; i++) {
        json_decref(s->tasks[i].inputs);
        free(s->tasks[i].content);
        free(s->tasks[i].note);
    }
    free(s->tasks);
    tl_free(&s->lay);
    frameworks_cache_release(s->entry);
    memset(s, 0, sizeof *s);
}

void xt_free(struct xt_model *m)
{
    for (size_t i = 0; i < m->n_sheets; i++)
        sheet_free(&m->sheets[i]);
    m->n_sheets = 0;
    if (m->evidence)
        evtext_free(m->evidence);
    free(m->evidence);
    m->evidence = NULL;
}

int xt_load_evidence(db_conn *c, struct xt_model *m, struct app_err *err)
{
    struct evtext *ev = calloc(1, sizeof *ev);
    if (!ev || evtext_load(c, m->round_id, m->unit_id, 0, ev)) {
        free(ev);
        return app_fail_internal(err);
    }
    if (m->evidence)
        evtext_free(m->evidence);
    free(m->evidence);
    m->evidence = ev;
    return 0;
}

static char *dup_or_null(const db_rows *r, int i, int col)
{
    return db_is_null(r, i, col) ? NULL : strdup(db_text(r, i, col));
}

enum { Q_ID, Q_VERSION, Q_STATE, Q_FW, Q_FWV, Q_KEY, Q_MAX, Q_INPUTS, Q_CONTENT, Q_NOTE,
       Q_SELF, Q_LEVEL, Q_SUBJECT, Q_SHA, Q_FWTITLE };

/* Opens sheet s for rows [from, to) of r (one level and subject). */
static int sheet_open(db_conn *c, struct xt_sheet *s, const db_rows *r, int from, int to,
                      const db_rows *readings, size_t nth, struct app_err *err)
{
    const char *level = db_text(r, from, Q_LEVEL);
    const char *base = tl_sheet_name(level);
    if (!base)
        base = "CDS_KHAC";
    if (nth)
        snprintf(s->name, sizeof s->name, "%s_%zu", base, nth + 1);
    else
        snprintf(s->name, sizeof s->name, "%s", base);
    snprintf(s->level, sizeof s->level, "%s", level);
    snprintf(s->fw_id, sizeof s->fw_id, "%s", db_text(r, from, Q_FW));
    snprintf(s->fw_title, sizeof s->fw_title, "%s", db_text(r, from, Q_FWTITLE));
    s->fw_version = db_int(r, from, Q_FWV);
    s->subject_unit_id = db_int(r, from, Q_SUBJECT);
    s->entry = frameworks_cache_get(c, s->fw_id, s->fw_version, db_text(r, from, Q_SHA), &s->cf,
                                    err);
    if (!s->entry)
        return -1;
    s->tasks = calloc((size_t)(to - from), sizeof *s->tasks);
    const struct fw_criterion **crits = calloc((size_t)(to - from), sizeof *crits);
    if (!s->tasks || !crits) {
        free(crits);
        return app_fail_internal(err);
    }
    for (int i = from; i < to; i++) {
        if (strcmp(db_text(r, i, Q_FW), s->fw_id) || db_int(r, i, Q_FWV) != s->fw_version) {
            free(crits);
            return app_fail_internal(err); /* one level answers one set in a round */
        }
        long k = fw_find_criterion(s->cf.fw, db_text(r, i, Q_KEY));
        if (k < 0) {
            free(crits);
            return app_fail_internal(err);
        }
        struct xt_task *t = &s->tasks[s->n++];
        t->id = db_int(r, i, Q_ID);
        t->version = db_int(r, i, Q_VERSION);
        t->max_h = db_int(r, i, Q_MAX);
        t->has_self = !db_is_null(r, i, Q_SELF);
        t->self_h = t->has_self ? db_int(r, i, Q_SELF) : 0;
        snprintf(t->state, sizeof t->state, "%s", db_text(r, i, Q_STATE));
        t->crit = s->cf.fw->criteria[k];
        crits[s->n - 1] = t->crit;
        for (int j = 0; j < db_rows_count(readings); j++)
            if (!strcmp(db_text(readings, j, 0), s->fw_id) &&
                !strcmp(db_text(readings, j, 1), t->crit->key))
                snprintf(t->reading, sizeof t->reading, "%s", db_text(readings, j, 2));
        t->inputs = json_cell(r, i, Q_INPUTS);
        t->content = dup_or_null(r, i, Q_CONTENT);
        t->note = dup_or_null(r, i, Q_NOTE);
        if (!json_is_object(t->inputs)) {
            json_decref(t->inputs);
            t->inputs = json_object();
        }
        if (!t->inputs) {
            free(crits);
            return app_fail_internal(err);
        }
    }
    int rc = tl_build(s->name, crits, s->n, &s->lay);
    free(crits);
    return rc ? app_fail_internal(err) : 0;
}

int xt_load(db_conn *c, int64_t round_id, int64_t unit_id, struct xt_model *m,
            struct app_err *err)
{
    memset(m, 0, sizeof *m);
    m->round_id = round_id;
    m->unit_id = unit_id;
    db_rows *r = NULL;
    if (db_exec(c, "SELECT title, year, status FROM rounds WHERE id = ?",
                (db_param[]){DB_P_INT(round_id)}, 1, &r) != DB_OK)
        return app_fail_internal(err);
    if (db_rows_count(r) != 1) {
        db_rows_free(r);
        return app_fail(err, 404, "not_found", NULL, "Không tìm thấy đợt đánh giá %lld.",
                        (long long)round_id);
    }
    snprintf(m->round_title, sizeof m->round_title, "%s", db_text(r, 0, 0));
    m->year = db_int(r, 0, 1);
    m->finalised = !strcmp(db_text(r, 0, 2), "finalised");
    db_rows_free(r);
    r = NULL;
    if (db_exec(c, "SELECT code, name FROM units WHERE id = ?", (db_param[]){DB_P_INT(unit_id)},
                1, &r) != DB_OK)
        return app_fail_internal(err);
    if (db_rows_count(r) != 1) {
        db_rows_free(r);
        return app_fail(err, 404, "not_found", NULL, "Không tìm thấy đơn vị.");
    }
    snprintf(m->unit_code, sizeof m->unit_code, "%s", db_text(r, 0, 0));
    snprintf(m->unit_name, sizeof m->unit_name, "%s", db_text(r, 0, 1));
    db_rows_free(r);
    r = NULL;
    db_rows *rd = NULL;
    if (db_exec(c, "SELECT framework_id, criterion_key, alternative FROM round_readings WHERE "
                   "round_id = ?",
                (db_param[]){DB_P_INT(round_id)}, 1, &rd) != DB_OK)
        return app_fail_internal(err);
    if (db_exec(c,
                "SELECT t.id, t.version, t.state, t.framework_id, t.framework_version, "
                "t.criterion_key, t.max_points, t.inputs, t.content, t.note, t.self_points, "
                "COALESCE(ru.level, 'other'), t.subject_unit_id, f.sha256, f.title FROM tasks t "
                "JOIN frameworks f ON f.id = t.framework_id AND f.version = t.framework_version "
                "LEFT JOIN round_units ru ON ru.round_id = t.round_id AND ru.unit_id = "
                "t.subject_unit_id WHERE t.round_id = ? AND t.unit_id = ? "
                "ORDER BY CASE COALESCE(ru.level, 'other') WHEN 'province' THEN 0 WHEN "
                "'department' THEN 1 WHEN 'district' THEN 2 WHEN 'commune' THEN 3 ELSE 4 END, "
                "t.subject_unit_id, t.seq, t.id",
                (db_param[]){DB_P_INT(round_id), DB_P_INT(unit_id)}, 2, &r) != DB_OK) {
        db_rows_free(rd);
        return app_fail_internal(err);
    }
    int n = db_rows_count(r), rc = 0;
    if (n == 0)
        rc = app_fail(err, 404, "not_found", NULL,
                      "Đơn vị %s không có nhiệm vụ nào trong đợt đánh giá này.", m->unit_code);
    for (int i = 0; rc == 0 && i < n;) {
        int j = i;
        while (j < n && !strcmp(db_text(r, j, Q_LEVEL), db_text(r, i, Q_LEVEL)) &&
               db_int(r, j, Q_SUBJECT) == db_int(r, i, Q_SUBJECT))
            j++;
        if (m->n_sheets == XT_MAX_SHEETS) {
            rc = app_fail(err, 422, "too_many_sheets", NULL,
                          "Đơn vị báo cáo cho quá nhiều cấp trong một đợt (tối đa %d).",
                          XT_MAX_SHEETS);
            break;
        }
        size_t nth = 0;
        for (size_t k = 0; k < m->n_sheets; k++)
            if (!strcmp(m->sheets[k].level, db_text(r, i, Q_LEVEL)))
                nth++;
        rc = sheet_open(c, &m->sheets[m->n_sheets++], r, i, j, rd, nth, err);
        i = j;
    }
    db_rows_free(r);
    db_rows_free(rd);
    if (rc)
        xt_free(m);
    return rc;
}

/* ---- the writer ---- */

#define XT_MAX_LISTS 1024
struct xt_lists {
    const struct fw_input *in[XT_MAX_LISTS];
    size_t n;
};

struct fmts {
    lxw_format *title, *head, *text, *num, *input, *input_num, *input_pct, *input_date,
        *input_text, *appraisal, *crit_text, *crit_num, *crit_warn;
};

static lxw_format *fmt(lxw_workbook *wb, bool locked, bool bold, bool wrap, uint32_t fill,
                       const char *numfmt)
{
    lxw_format *f = workbook_add_format(wb);
    if (!f)
        return NULL;
    if (!locked)
        format_set_unlocked(f);
    if (bold)
        format_set_bold(f);
    if (wrap)
        format_set_text_wrap(f);
    if (fill)
        format_set_bg_color(f, fill);
    if (numfmt)
        format_set_num_format(f, numfmt);
    format_set_border(f, LXW_BORDER_THIN);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    return f;
}

#define YELLOW 0xFFF2CC
#define GREY 0xE7E6E6
#define BLUE 0xDDEBF7
#define ORANGE 0xF8CBAD /* a criterion needing a signed file that has none valid */

static bool fmts_make(lxw_workbook *wb, struct fmts *f)
{
    f->title = workbook_add_format(wb);
    if (f->title)
        format_set_bold(f->title);
    f->head = fmt(wb, true, true, true, BLUE, NULL);
    f->text = fmt(wb, true, false, true, 0, NULL);
    f->num = fmt(wb, true, false, false, 0, "0.##");
    f->crit_text = fmt(wb, true, true, true, 0, NULL);
    f->crit_num = fmt(wb, true, true, false, 0, "0.##");
    f->crit_warn = fmt(wb, true, true, true, ORANGE, NULL);
    f->input = fmt(wb, false, false, false, YELLOW, NULL);
    f->input_num = fmt(wb, false, false, false, YELLOW, "0.##");
    f->input_pct = fmt(wb, false, false, false, YELLOW, "0.##%");
    f->input_date = fmt(wb, false, false, false, YELLOW, "dd/mm/yyyy");
    f->input_text = fmt(wb, false, false, true, YELLOW, "@");
    f->appraisal = fmt(wb, true, false, false, GREY, NULL);
    return f->title && f->head && f->text && f->num && f->crit_text && f->crit_num && f->input &&
           f->input_num && f->input_pct && f->input_date && f->input_text && f->appraisal &&
           f->crit_warn;
}

static double rat_d(rat r)
{
    return rat_to_double(r);
}

/* A number validation between lo and hi (either may be absent). */
static void dv_number(lxw_worksheet *ws, uint32_t row, uint32_t col, bool integer, bool has_lo,
                      double lo, bool has_hi, double hi, const char *msg)
{
    lxw_data_validation dv = {0};
    dv.validate = integer ? LXW_VALIDATION_TYPE_INTEGER : LXW_VALIDATION_TYPE_DECIMAL;
    if (has_lo && has_hi) {
        dv.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
        dv.minimum_number = lo;
        dv.maximum_number = hi;
    } else if (has_lo) {
        dv.criteria = LXW_VALIDATION_CRITERIA_GREATER_THAN_OR_EQUAL_TO;
        dv.value_number = lo;
    } else if (has_hi) {
        dv.criteria = LXW_VALIDATION_CRITERIA_LESS_THAN_OR_EQUAL_TO;
        dv.value_number = hi;
    } else {
        dv.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
        dv.minimum_number = -1e15;
        dv.maximum_number = 1e15;
    }
    dv.error_title = "Giá trị không hợp lệ";
    dv.error_message = (char *)msg;
    worksheet_data_validation_cell(ws, row, (lxw_col_t)col, &dv);
}

static void dv_list(lxw_worksheet *ws, uint32_t row, uint32_t col, const char **items)
{
    lxw_data_validation dv = {0};
    dv.validate = LXW_VALIDATION_TYPE_LIST;
    dv.value_list = (char **)items;
    dv.error_title = "Giá trị không hợp lệ";
    dv.error_message = "Hãy chọn một giá trị trong danh sách.";
    worksheet_data_validation_cell(ws, row, (lxw_col_t)col, &dv);
}

/* The option's label ("Có văn bản ký số"), or the value when it has none. */
static const char *opt_label(const struct fw_option *o)
{
    return o->label ? o->label : o->value;
}

/* Choice lists live on the hidden sheet TL_LIST_SHEET, one column per distinct list, and the
 * input cell validates against that range: an inline list cannot hold a comma nor exceed
 * Excel's 255 characters, a range can (docs/excel.md). */
static bool same_options(const struct fw_input *a, const struct fw_input *b)
{
    if (a->n_options != b->n_options)
        return false;
    for (size_t i = 0; i < a->n_options; i++)
        if (strcmp(opt_label(&a->options[i]), opt_label(&b->options[i])))
            return false;
    return true;
}

/* The list sheet's column holding in's options (added when new); -1 when the sheet is full. */
static int list_col(struct xt_lists *l, const struct fw_input *in)
{
    for (size_t k = 0; k < l->n; k++)
        if (same_options(l->in[k], in))
            return (int)k;
    if (l->n == XT_MAX_LISTS)
        return -1;
    l->in[l->n] = in;
    return (int)l->n++;
}

static void dv_choice(lxw_worksheet *ws, uint32_t row, uint32_t col, struct xt_lists *l,
                      const struct fw_input *in)
{
    int k = in->n_options ? list_col(l, in) : -1;
    if (k < 0)
        return; /* no options, or more lists than the sheet holds: the importer checks anyway */
    char range[LXW_MAX_CELL_RANGE_LENGTH], ref[LXW_MAX_CELL_RANGE_LENGTH + 32];
    lxw_rowcol_to_range_abs(range, 0, (lxw_col_t)k, (lxw_row_t)in->n_options - 1, (lxw_col_t)k);
    snprintf(ref, sizeof ref, "=%s!%s", TL_LIST_SHEET, range);
    lxw_data_validation dv = {0};
    dv.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
    dv.value_formula = ref;
    dv.error_title = "Giá trị không hợp lệ";
    dv.error_message = "Hãy chọn một giá trị trong danh sách.";
    worksheet_data_validation_cell(ws, row, (lxw_col_t)col, &dv);
}

/* Writes the list sheet (hidden, protected) when a choice cell refers to it. */
static void write_lists(lxw_workbook *wb, const struct xt_lists *l)
{
    if (l->n == 0)
        return;
    lxw_worksheet *ws = workbook_add_worksheet(wb, TL_LIST_SHEET);
    if (!ws)
        return;
    for (size_t k = 0; k < l->n; k++) {
        worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k, 40, NULL);
        for (size_t i = 0; i < l->in[k]->n_options; i++)
            worksheet_write_string(ws, (lxw_row_t)i, (lxw_col_t)k,
                                   opt_label(&l->in[k]->options[i]), NULL);
    }
    worksheet_hide(ws);
    worksheet_protect(ws, NULL, NULL);
}

static void dv_length(lxw_worksheet *ws, uint32_t row, uint32_t col, double max)
{
    lxw_data_validation dv = {0};
    dv.validate = LXW_VALIDATION_TYPE_LENGTH;
    dv.criteria = LXW_VALIDATION_CRITERIA_LESS_THAN_OR_EQUAL_TO;
    dv.value_number = max;
    dv.error_title = "Quá dài";
    dv.error_message = "Nội dung quá dài.";
    worksheet_data_validation_cell(ws, row, (lxw_col_t)col, &dv);
}

/* Writes the saved value of input `in` (j may be NULL) into its cell, with validation. */
static void write_input(lxw_worksheet *ws, const struct fmts *f, struct xt_lists *lists,
                        uint32_t row, const struct fw_input *in, const json_t *j)
{
    const uint32_t col = TL_INPUT;
    rat v;
    bool has = false;
    if (j && (json_is_number(j) || json_is_string(j))) {
        if (json_is_number(j))
            has = fw_json_to_rat(j, &v);
        else if (in->type == IN_RATIO)
            has = rat_parse_percent(json_string_value(j), strlen(json_string_value(j)), &v) == RAT_OK;
        else
            has = rat_parse(json_string_value(j), strlen(json_string_value(j)), &v) == RAT_OK;
    }
    switch (in->type) {
    case IN_BOOL: {
        static const char *yn[] = {"Có", "Không", NULL};
        if (json_is_boolean(j))
            worksheet_write_string(ws, row, col, json_is_true(j) ? "Có" : "Không", f->input);
        else
            worksheet_write_blank(ws, row, col, f->input);
        dv_list(ws, row, col, yn);
        return;
    }
    case IN_CHOICE: {
        const char *cur = NULL;
        for (size_t i = 0; i < in->n_options; i++)
            if (json_is_string(j) && !strcmp(json_string_value(j), in->options[i].value))
                cur = opt_label(&in->options[i]);
        if (cur)
            worksheet_write_string(ws, row, col, cur, f->input);
        else
            worksheet_write_blank(ws, row, col, f->input);
        dv_choice(ws, row, col, lists, in);
        return;
    }
    case IN_DATE: {
        int y, mo, d;
        if (json_is_string(j) && sscanf(json_string_value(j), "%4d-%2d-%2d", &y, &mo, &d) == 3) {
            lxw_datetime dt = {y, mo, d, 0, 0, 0};
            worksheet_write_datetime(ws, row, col, &dt, f->input_date);
        } else {
            worksheet_write_blank(ws, row, col, f->input_date);
        }
        lxw_data_validation dv = {0};
        dv.validate = LXW_VALIDATION_TYPE_DATE;
        dv.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
        dv.minimum_datetime = (lxw_datetime){1900, 1, 1, 0, 0, 0};
        dv.maximum_datetime = (lxw_datetime){2200, 12, 31, 0, 0, 0};
        dv.error_title = "Ngày không hợp lệ";
        dv.error_message = "Hãy nhập một ngày, dạng dd/mm/yyyy.";
        worksheet_data_validation_cell(ws, row, (lxw_col_t)col, &dv);
        return;
    }
    case IN_RATIO:
        if (has)
            worksheet_write_number(ws, row, col, rat_d(v), f->input_pct);
        else
            worksheet_write_blank(ws, row, col, f->input_pct);
        dv_number(ws, row, col, false, true, 0, true, 1, "Tỉ lệ từ 0% đến 100%.");
        return;
    case IN_COUNT:
    case IN_NUMBER:
    case IN_POINTS: {
        if (has)
            worksheet_write_number(ws, row, col, rat_d(v), f->input_num);
        else
            worksheet_write_blank(ws, row, col, f->input_num);
        char hint[160];
        tl_input_hint(in, hint, sizeof hint);
        dv_number(ws, row, col, in->type == IN_COUNT, in->has_min || in->type == IN_COUNT,
                  in->has_min ? rat_d(in->min) : 0, in->has_max,
                  in->has_max ? rat_d(in->max) : 0, hint);
        return;
    }
    }
}

/* The task's uploaded files with their signature verdicts, as a note on its evidence cell: a
 * note is not a cell, so the unit cannot type over it (objects are protected) and the importer,
 * which reads cells only, never sees it. *warn: the criterion needs a signed file and lacks one. */
static void write_evidence_note(lxw_worksheet *ws, const struct xt_model *m, uint32_t row,
                                int64_t task_id, bool *warn)
{
    static const char head[] = "Tệp kiểm chứng (chữ ký số):\n";
    char text[8192];
    memcpy(text, head, sizeof head);
    if (!m->evidence || !evtext_task(m->evidence, task_id, text + sizeof head - 1,
                                     sizeof text - (sizeof head - 1), warn))
        return;
    uint16_t lines = 2;
    for (const char *p = text; *p; p++)
        lines += *p == '\n';
    lxw_comment_options co = {.author = "DTI", .width = 520,
                              .height = (uint16_t)(lines > 30 ? 600 : 20 * lines + 20)};
    worksheet_write_comment_opt(ws, row, TL_EVIDENCE, text, &co);
}

static void write_sheet(lxw_workbook *wb, const struct xt_model *m, const struct xt_sheet *s,
                        const struct fmts *f, struct xt_lists *lists)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, s->name);
    if (!ws)
        return;
    static const double widths[TL_NCOLS] = {5, 10, 60, 9, 22, 14, 12, 40, 30, 12, 14};
    for (int k = 0; k < TL_NCOLS; k++) {
        lxw_row_col_options hide = {.hidden = k == TL_KEY};
        worksheet_set_column_opt(ws, (lxw_col_t)k, (lxw_col_t)k, widths[k], NULL,
                                 k == TL_KEY ? &hide : NULL);
    }
    char line[1024];
    snprintf(line, sizeof line, "BÁO CÁO TỰ ĐÁNH GIÁ — %s", m->round_title);
    worksheet_write_string(ws, 0, 0, line, f->title);
    snprintf(line, sizeof line, "Đơn vị: %s (mã %s) · Bộ chỉ số: %s (%s, phiên bản %lld)",
             m->unit_name, m->unit_code, s->fw_title, s->fw_id, (long long)s->fw_version);
    worksheet_write_string(ws, 1, 0, line, NULL);
    worksheet_write_string(ws, 2, 0,
                           "Chỉ nhập vào các ô màu vàng. Số thập phân nhập 8,5 (hoặc 8.5). "
                           "Không thêm, xoá, di chuyển hàng hay cột. Không nhập cột «Điểm thẩm "
                           "định» (do cán bộ thẩm định chấm).",
                           NULL);
    for (int k = 0; k < TL_NCOLS; k++)
        worksheet_write_string(ws, TL_HEADER_ROW, (lxw_col_t)k, tl_col_header(k), f->head);
    worksheet_freeze_panes(ws, TL_FIRST_ROW, 3);
    for (size_t i = 0; i < s->lay.n; i++) {
        const struct tl_row *lr = &s->lay.rows[i];
        const struct xt_task *t = &s->tasks[lr->item];
        const struct fw_criterion *cr = t->crit;
        uint32_t row = lr->row;
        if (lr->input < 0) {
            int mi = tl_manual_input(cr);
            worksheet_write_number(ws, row, TL_SEQ, (double)lr->item + 1, f->crit_num);
            bool warn = false;
            write_evidence_note(ws, m, row, t->id, &warn);
            worksheet_write_string(ws, row, TL_CODE, cr->code ? cr->code : cr->key,
                                   warn ? f->crit_warn : f->crit_text);
            worksheet_write_string(ws, row, TL_TITLE, cr->title ? cr->title : "", f->crit_text);
            worksheet_write_number(ws, row, TL_MAX, (double)cr->max_h / 100.0, f->crit_num);
            worksheet_write_string(ws, row, TL_HINT,
                                   mi >= 0 ? "Nhập điểm tự đánh giá"
                                   : cr->n_inputs ? "Điểm do hệ thống tính từ số liệu"
                                                  : "",
                                   f->text);
            worksheet_write_blank(ws, row, TL_INPUT, f->text);
            const json_t *pv = mi >= 0 ? json_object_get(t->inputs, cr->inputs[mi].name) : NULL;
            rat v;
            if (pv && json_is_number(pv) && fw_json_to_rat(pv, &v))
                worksheet_write_number(ws, row, TL_SELF, rat_d(v), f->input_num);
            else if (pv && json_is_string(pv) &&
                     rat_parse(json_string_value(pv), strlen(json_string_value(pv)), &v) == RAT_OK)
                worksheet_write_number(ws, row, TL_SELF, rat_d(v), f->input_num);
            else
                worksheet_write_blank(ws, row, TL_SELF, f->input_num);
            dv_number(ws, row, TL_SELF, false, true, 0, true, (double)cr->max_h / 100.0,
                      "Điểm từ 0 đến điểm tối đa của tiêu chí.");
            if (t->content)
                worksheet_write_string(ws, row, TL_EVIDENCE, t->content, f->input_text);
            else
                worksheet_write_blank(ws, row, TL_EVIDENCE, f->input_text);
            dv_length(ws, row, TL_EVIDENCE, 10000);
            if (t->note)
                worksheet_write_string(ws, row, TL_NOTE, t->note, f->input_text);
            else
                worksheet_write_blank(ws, row, TL_NOTE, f->input_text);
            dv_length(ws, row, TL_NOTE, 4000);
            worksheet_write_blank(ws, row, TL_APPRAISAL, f->appraisal);
            worksheet_write_string(ws, row, TL_KEY, cr->key, f->text);
        } else {
            const struct fw_input *in = &cr->inputs[lr->input];
            char hint[160], label[600];
            tl_input_hint(in, hint, sizeof hint);
            snprintf(label, sizeof label, "   – %s", in->label ? in->label : in->name);
            worksheet_write_blank(ws, row, TL_SEQ, f->text);
            worksheet_write_blank(ws, row, TL_CODE, f->text);
            worksheet_write_string(ws, row, TL_TITLE, label, f->text);
            worksheet_write_blank(ws, row, TL_MAX, f->text);
            worksheet_write_string(ws, row, TL_HINT, hint, f->text);
            write_input(ws, f, lists, row, in, json_object_get(t->inputs, in->name));
            for (int k = TL_SELF; k <= TL_APPRAISAL; k++)
                worksheet_write_blank(ws, row, (lxw_col_t)k, k == TL_APPRAISAL ? f->appraisal : f->text);
            snprintf(label, sizeof label, "%s.%s", cr->key, in->name);
            worksheet_write_string(ws, row, TL_KEY, label, f->text);
        }
    }
    lxw_protection prot = {0};
    prot.format_columns = 1; /* widen a column to read: harmless */
    prot.format_rows = 1;
    worksheet_protect(ws, NULL, &prot);
}

static void write_meta(lxw_workbook *wb, const struct xt_model *m)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, TL_META_SHEET);
    if (!ws)
        return;
    char b[64];
    uint32_t r = 0;
    worksheet_write_string(ws, r, 0, "format", NULL);
    worksheet_write_string(ws, r++, 1, TL_FORMAT, NULL);
    worksheet_write_string(ws, r, 0, "round_id", NULL);
    snprintf(b, sizeof b, "%lld", (long long)m->round_id);
    worksheet_write_string(ws, r++, 1, b, NULL);
    worksheet_write_string(ws, r, 0, "unit_id", NULL);
    snprintf(b, sizeof b, "%lld", (long long)m->unit_id);
    worksheet_write_string(ws, r++, 1, b, NULL);
    worksheet_write_string(ws, r, 0, "unit_code", NULL);
    worksheet_write_string(ws, r++, 1, m->unit_code, NULL);
    for (size_t i = 0; i < m->n_sheets; i++, r++) {
        const struct xt_sheet *s = &m->sheets[i];
        worksheet_write_string(ws, r, 0, "sheet", NULL);
        worksheet_write_string(ws, r, 1, s->name, NULL);
        worksheet_write_string(ws, r, 2, s->level, NULL);
        worksheet_write_string(ws, r, 3, s->fw_id, NULL);
        snprintf(b, sizeof b, "%lld", (long long)s->fw_version);
        worksheet_write_string(ws, r, 4, b, NULL);
        worksheet_write_string(ws, r, 5, s->lay.hash, NULL);
        snprintf(b, sizeof b, "%lld", (long long)s->subject_unit_id);
        worksheet_write_string(ws, r, 6, b, NULL);
    }
    worksheet_hide(ws);
    worksheet_protect(ws, NULL, NULL);
}

int xt_write(const struct xt_model *m, const char *path, struct app_err *err)
{
    lxw_workbook *wb = workbook_new(path);
    if (!wb)
        return app_fail(err, 500, "internal", NULL, "Không tạo được tệp Excel.");
    struct fmts f;
    if (!fmts_make(wb, &f)) {
        workbook_close(wb);
        unlink(path);
        return app_fail_internal(err);
    }
    workbook_set_properties(wb, &(lxw_doc_properties){.title = "Báo cáo tự đánh giá",
                                                      .company = "DTI"});
    struct xt_lists *lists = calloc(1, sizeof *lists);
    if (!lists) {
        workbook_close(wb);
        unlink(path);
        return app_fail_internal(err);
    }
    for (size_t i = 0; i < m->n_sheets; i++)
        write_sheet(wb, m, &m->sheets[i], &f, lists);
    write_lists(wb, lists);
    free(lists);
    write_meta(wb, m);
    if (workbook_close(wb) != LXW_NO_ERROR) {
        unlink(path);
        return app_fail(err, 500, "internal", NULL, "Không ghi được tệp Excel.");
    }
    return 0;
}

int excel_template_file(db_conn *c, int64_t round_id, int64_t unit_id, const char *path,
                        struct app_err *err)
{
    struct xt_model m;
    if (xt_load(c, round_id, unit_id, &m, err))
        return -1;
    int rc = xt_load_evidence(c, &m, err) ? -1 : xt_write(&m, path, err);
    xt_free(&m);
    return rc;
}

void excel_template_name(int64_t round_id, const char *unit_code, char *buf, size_t n)
{
    char safe[64];
    size_t k = 0;
    for (const char *p = unit_code; *p && k < sizeof safe - 1; p++)
        safe[k++] = ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                     (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.')
                        ? *p
                        : '_';
    safe[k] = '\0';
    snprintf(buf, n, "mau-%lld-%s.xlsx", (long long)round_id, safe);
}

int excel_templates_zip(db_conn *c, int64_t round_id, const char *path, size_t *count,
                        struct app_err *err)
{
    *count = 0;
    db_rows *r = NULL;
    if (db_exec(c, "SELECT DISTINCT t.unit_id, u.code FROM tasks t JOIN units u ON u.id = "
                   "t.unit_id WHERE t.round_id = ? ORDER BY u.code",
                (db_param[]){DB_P_INT(round_id)}, 1, &r) != DB_OK)
        return app_fail_internal(err);
    if (db_rows_count(r) == 0) {
        db_rows_free(r);
        return app_fail(err, 404, "not_found", NULL,
                        "Đợt đánh giá %lld không có nhiệm vụ nào (hoặc không tồn tại).",
                        (long long)round_id);
    }
    const char *tmp = getenv("TMPDIR");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/dti-templates-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        db_rows_free(r);
        return app_fail_internal(err);
    }
    int zerr = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    int rc = z ? 0 : app_fail(err, 500, "internal", NULL, "Không tạo được tệp zip.");
    int n = db_rows_count(r);
    char (*files)[600] = calloc((size_t)n + 1, sizeof *files);
    if (!files && rc == 0)
        rc = app_fail_internal(err);
    for (int i = 0; rc == 0 && i < n; i++) {
        char name[128];
        excel_template_name(round_id, db_text(r, i, 1), name, sizeof name);
        snprintf(files[i], sizeof files[i], "%s/%d.xlsx", dir, i);
        rc = excel_template_file(c, round_id, db_int(r, i, 0), files[i], err);
        if (rc)
            break;
        zip_source_t *src = zip_source_file(z, files[i], 0, -1);
        if (!src || zip_file_add(z, name, src, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) < 0) {
            zip_source_free(src);
            rc = app_fail(err, 500, "internal", NULL, "Không ghi được tệp zip.");
            break;
        }
        /* xlsx is already deflated: store it */
        zip_set_file_compression(z, (zip_uint64_t)i, ZIP_CM_STORE, 0);
        (*count)++;
    }
    if (z) {
        if (rc == 0 && zip_close(z) != 0)
            rc = app_fail(err, 500, "internal", NULL, "Không ghi được tệp zip.");
        else if (rc)
            zip_discard(z);
    }
    for (int i = 0; files && i < n; i++)
        if (files[i][0])
            unlink(files[i]);
    free(files);
    rmdir(dir);
    db_rows_free(r);
    if (rc)
        unlink(path);
    return rc;
}
