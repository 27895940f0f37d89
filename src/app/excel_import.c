/* excel_import.c — validating and saving a filled Excel template (see excel_import.h). */
#include "app/excel_import.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/excel_template.h"
#include "app/json_rows.h"
#include "app/round_fws.h"
#include "app/task_row.h"
#include "app/task_score.h"
#include "core/import_limits.h"
#include "core/inputs.h"
#include "core/json_oom.h"
#include "core/template_layout.h"
#include "core/typed_number.h"
#include "core/vnfold.h"
#include "core/xlsx_read.h"

/* ---- what the reader delivered ---- */

struct xcell {
    uint32_t row, col; /* 0-based */
    enum xlsx_cell_type type;
    double number;
    char *text; /* TEXT / ERROR, owned */
    bool formula, is_date, is_percent;
};

struct xsheet {
    char name[128];
    bool hidden;
    struct xcell *cells;
    size_t n, cap;
};

#define XI_MAX_SHEETS 32

struct xbook {
    struct xsheet s[XI_MAX_SHEETS];
    size_t n;
    bool oom;
};

static void book_free(struct xbook *b)
{
    for (size_t i = 0; i < b->n; i++) {
        for (size_t k = 0; k < b->s[i].n; k++)
            free(b->s[i].cells[k].text);
        free(b->s[i].cells);
    }
    b->n = 0;
}

static int on_cell(const struct xlsx_cell *c, void *ud)
{
    struct xbook *b = ud;
    struct xsheet *s = b->n ? &b->s[b->n - 1] : NULL;
    if (!s || strcmp(s->name, c->sheet)) {
        s = NULL;
        for (size_t i = 0; i < b->n; i++)
            if (!strcmp(b->s[i].name, c->sheet))
                s = &b->s[i];
        if (!s) {
            if (b->n == XI_MAX_SHEETS)
                return 0; /* more sheets than a template has: the rest is ignored */
            s = &b->s[b->n++];
            memset(s, 0, sizeof *s);
            snprintf(s->name, sizeof s->name, "%s", c->sheet);
            s->hidden = c->sheet_hidden;
        }
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        struct xcell *v = realloc(s->cells, cap * sizeof *v);
        if (!v) {
            b->oom = true;
            return 1;
        }
        s->cells = v;
        s->cap = cap;
    }
    struct xcell *x = &s->cells[s->n];
    memset(x, 0, sizeof *x);
    x->row = c->row - 1;
    x->col = c->col - 1;
    x->type = c->type;
    x->number = c->number;
    x->formula = c->is_formula;
    x->is_date = c->is_date;
    x->is_percent = c->is_percent;
    if (c->type == XLSX_TEXT || c->type == XLSX_ERROR) {
        x->text = strndup(c->text ? c->text : "", c->text_len);
        if (!x->text) {
            b->oom = true;
            return 1;
        }
    }
    s->n++;
    return 0;
}

static const struct xsheet *book_sheet(const struct xbook *b, const char *name)
{
    for (size_t i = 0; i < b->n; i++)
        if (!strcmp(b->s[i].name, name))
            return &b->s[i];
    return NULL;
}

/* A text cell with nothing but spaces counts as empty: Unicode ones too (a NBSP or a
 * zero-width space left by a paste from Word or a web page), by the folded key. */
static bool cell_empty(const struct xcell *x)
{
    if (!x)
        return true;
    if (x->type != XLSX_TEXT)
        return false;
    bool ascii = true;
    for (const char *p = x->text; *p; p++) {
        if ((unsigned char)*p >= 0x80)
            ascii = false;
        else if (!isspace((unsigned char)*p))
            return false;
    }
    if (ascii)
        return true;
    size_t n = 1;
    char *k = vnfold(x->text, strlen(x->text), &n);
    free(k);
    return k && n == 0;
}

/* ---- the report ---- */

struct rep {
    json_t *errors, *warnings;
    bool oom;
};

static void issue(struct rep *r, bool error, const char *sheet, uint32_t row, int col,
                  const char *crit, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));

static void issue(struct rep *r, bool error, const char *sheet, uint32_t row, int col,
                  const char *crit, const char *code, const char *fmt, ...)
{
    char what[512], msg[800], ref[16] = "";
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (sheet && col >= 0) {
        tl_ref(row, (uint32_t)col, ref);
        snprintf(msg, sizeof msg, "Trang %s, ô %s: %s", sheet, ref, what);
    } else if (sheet && col == -2) {
        snprintf(msg, sizeof msg, "Trang %s, hàng %u: %s", sheet, row + 1, what);
    } else if (sheet) {
        snprintf(msg, sizeof msg, "Trang %s: %s", sheet, what);
    } else {
        snprintf(msg, sizeof msg, "%s", what);
    }
    json_t *o = json_pack("{s:o,s:o,s:o,s:s,s:s}", "sheet", sheet ? json_string(sheet) : json_null(),
                          "cell", ref[0] ? json_string(ref) : json_null(), "criterion",
                          crit ? json_string(crit) : json_null(), "code", code, "message", msg);
    json_t *list = error ? r->errors : r->warnings;
    if (!o || json_array_append_new(list, o))
        r->oom = true;
}

/* ---- cell values ---- */

/* The text of a cell as the user sees it, for messages. */
static void cell_show(const struct xcell *x, char *buf, size_t n)
{
    if (x->type == XLSX_TEXT || x->type == XLSX_ERROR)
        snprintf(buf, n, "\"%.60s\"", x->text);
    else if (x->type == XLSX_BOOL)
        snprintf(buf, n, "%s", x->number != 0 ? "TRUE" : "FALSE");
    else
        snprintf(buf, n, "%.15g", x->number);
}

/* Checks shared by every value cell: formula (warning), error value, date where a number
 * belongs. Returns false after reporting an error. */
static bool cell_common(struct rep *r, const char *sheet, const struct xcell *x, const char *crit,
                        bool want_date)
{
    if (x->formula)
        issue(r, false, sheet, x->row, (int)x->col, crit, "formula",
              "ô có công thức; đã dùng giá trị Excel tính sẵn (công thức không được tính lại). "
              "Nên nhập thẳng giá trị.");
    if (x->type == XLSX_ERROR) {
        issue(r, true, sheet, x->row, (int)x->col, crit, "formula_error",
              "ô có lỗi %s; hãy nhập một giá trị.", x->text);
        return false;
    }
    if (x->type == XLSX_NUMBER && x->is_date && !want_date) {
        issue(r, true, sheet, x->row, (int)x->col, crit, "date_in_number",
              "Excel đã đổi giá trị thành ngày tháng (ví dụ gõ 8/5); ô này cần một số. Hãy gõ "
              "8,5 (dấu phẩy) hoặc định dạng ô là Số rồi nhập lại.");
        return false;
    }
    return true;
}

/* A number from a number cell or from text like "8,5" / "8.5" (percent: "95%" too). */
static bool cell_rat(struct rep *r, const char *sheet, const struct xcell *x, const char *crit,
                     bool percent, rat *out)
{
    if (!cell_common(r, sheet, x, crit, false))
        return false;
    char v[80];
    if (x->type == XLSX_NUMBER) {
        if (!isfinite(x->number) || rat_from_double(x->number, out) != RAT_OK) {
            issue(r, true, sheet, x->row, (int)x->col, crit, "invalid_number",
                  "số không hợp lệ hoặc quá lớn.");
            return false;
        }
        if (x->is_percent && !percent) {
            /* the cell shows 100 % and holds 1: which one the user meant is unknown */
            issue(r, true, sheet, x->row, (int)x->col, crit, "percent_in_number",
                  "ô đang định dạng phần trăm (hiện %.15g%%) nhưng ô này cần một số, không phải "
                  "tỉ lệ. Hãy định dạng lại ô là Số (chuột phải → Định dạng ô → Số) rồi nhập lại.",
                  x->number * 100);
            return false;
        }
        return true;
    }
    if (x->type == XLSX_TEXT) {
        switch (typed_number_parse(x->text, strlen(x->text), percent, out)) {
        case TN_OK:
            return true;
        case TN_AMBIGUOUS:
            cell_show(x, v, sizeof v);
            issue(r, true, sheet, x->row, (int)x->col, crit, "ambiguous_number",
                  "%s không rõ là số nguyên có dấu phân cách hàng nghìn hay số thập phân. Số "
                  "nguyên hãy nhập liền, không dấu chấm hay dấu phẩy (ví dụ 1234); số thập phân "
                  "nhập như 8,5.", v);
            return false;
        case TN_OVERFLOW:
            issue(r, true, sheet, x->row, (int)x->col, crit, "invalid_number",
                  "số không hợp lệ hoặc quá lớn.");
            return false;
        case TN_SYNTAX:
            break;
        }
    }
    cell_show(x, v, sizeof v);
    issue(r, true, sheet, x->row, (int)x->col, crit, "text_in_number",
          "%s không phải là số; ô này chỉ nhận số (số thập phân nhập 8,5 hoặc 8.5).", v);
    return false;
}

static bool range_ok(struct rep *r, const char *sheet, const struct xcell *x, const char *crit,
                     rat v, bool has_min, rat min, bool has_max, rat max)
{
    char a[64], b[64], s[64];
    rat_format(v, s, sizeof s);
    if (has_min && rat_cmp(v, min) < 0) {
        rat_format(min, a, sizeof a);
        issue(r, true, sheet, x->row, (int)x->col, crit, "out_of_range",
              "%s nhỏ hơn mức tối thiểu %s.", s, a);
        return false;
    }
    if (has_max && rat_cmp(v, max) > 0) {
        rat_format(max, b, sizeof b);
        issue(r, true, sheet, x->row, (int)x->col, crit, "out_of_range",
              "%s vượt quá mức tối đa %s.", s, b);
        return false;
    }
    return true;
}

static void trim(char *s)
{
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    size_t k = 0;
    while (s[k] && isspace((unsigned char)s[k]))
        k++;
    memmove(s, s + k, n - k + 1);
}

/* Excel serial day (1900 system) to y-m-d. */
static bool serial_ymd(double serial, int *y, int *m, int *d)
{
    if (!(serial >= 1 && serial < 200000))
        return false;
    long days = (long)floor(serial);
    /* serial 25569 is 1970-01-01; below 61 Excel has no phantom 29 February 1900 yet */
    long ud = days - 25569 + (days < 61 ? 1 : 0);
    long zz = ud + 719468;
    long era = (zz >= 0 ? zz : zz - 146096) / 146097;
    long doe = zz - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
    return true;
}

/* The folded key (vnfold) of a cell's text into buf; false when it does not fit or is not
 * UTF-8. */
static bool folded(const char *text, char *buf, size_t n)
{
    size_t len;
    char *k = vnfold(text, strlen(text), &len);
    bool ok = k && len < n;
    if (ok)
        memcpy(buf, k, len + 1);
    free(k);
    return ok;
}

/* What a yes/no cell's words mean, compared folded (case, accents, Unicode spaces ignored:
 * "CÓ", "co", "Có" decomposed from a Mac, "có" + NBSP). 1 yes, 0 no, -1 not a yes/no word. */
static const struct {
    const char *word;
    bool yes;
} yes_no_words[] = {
    {"co", true},     {"x", true},      {"true", true},  {"dung", true}, {"yes", true},
    {"khong", false}, {"false", false}, {"sai", false},  {"no", false},
};

static int yes_no_word(const char *text)
{
    char k[32];
    if (!folded(text, k, sizeof k))
        return -1;
    for (size_t i = 0; i < sizeof yes_no_words / sizeof *yes_no_words; i++)
        if (!strcmp(k, yes_no_words[i].word))
            return yes_no_words[i].yes;
    return -1;
}

/* The one option whose value or label folds to the typed text's key ("nguoi dung dau" for
 * «Người đứng đầu»), -1 when none or several do (never a guess between two). */
static int choice_folded(const struct fw_input *in, const char *typed)
{
    char k[400], o[400];
    if (!folded(typed, k, sizeof k) || !k[0])
        return -1;
    int found = -1;
    for (size_t i = 0; i < in->n_options; i++) {
        bool hit = (folded(in->options[i].value, o, sizeof o) && !strcmp(o, k)) ||
                   (in->options[i].label && folded(in->options[i].label, o, sizeof o) &&
                    !strcmp(o, k));
        if (hit && found >= 0)
            return -1;
        if (hit)
            found = (int)i;
    }
    return found;
}

/* A date typed as text: dd/mm/yyyy, dd-mm-yyyy or dd.mm.yyyy (day first, as in Vietnam), or
 * yyyy-mm-dd; the year always four digits, so "11/15/2025" fails the month check and
 * "15/11/25" is refused rather than guessed. */
static bool text_date(const char *text, int *y, int *m, int *d)
{
    char k[64], tail;
    if (!folded(text, k, sizeof k))
        return false;
    /* one separator for the whole date, read as '/' */
    char sep = k[strspn(k, "0123456789")];
    if (!sep || !strchr("/-.", sep))
        return false;
    for (char *p = k; *p; p++)
        if (*p == sep)
            *p = '/';
    int a, b, c, na = 0, nb = 0, nc = 0;
    if (sscanf(k, "%d%n/%d%n/%d%n%c", &a, &na, &b, &nb, &c, &nc, &tail) != 3)
        return false;
    if (nc - nb == 5 && na <= 2) { /* d/m/yyyy: the separator and four digits */
        *d = a, *m = b, *y = c;
        return true;
    }
    if (sep == '-' && na == 4 && nb - na <= 3 && nc - nb <= 3) { /* yyyy-mm-dd */
        *y = a, *m = b, *d = c;
        return true;
    }
    return false;
}

/* The JSON value of input `in` from cell x; NULL after reporting an error. *empty when the
 * cell holds nothing (then NULL too, and no error). */
static json_t *input_value(struct rep *r, const char *sheet, const struct xcell *x,
                           const struct fw_input *in, const char *crit, bool *empty)
{
    *empty = cell_empty(x) || (x->formula && x->type == XLSX_TEXT && !x->text[0]);
    if (*empty)
        return NULL;
    rat v;
    char tb[200];
    switch (in->type) {
    case IN_COUNT:
    case IN_NUMBER:
    case IN_POINTS:
    case IN_RATIO:
        if (!cell_rat(r, sheet, x, crit, in->type == IN_RATIO, &v))
            return NULL;
        if (in->type == IN_COUNT && !rat_is_int(v)) {
            issue(r, true, sheet, x->row, (int)x->col, crit, "not_integer",
                  "«%s» phải là số nguyên.", in->label ? in->label : in->name);
            return NULL;
        }
        if (in->type == IN_RATIO && rat_cmp(v, rat_int(1)) > 0) {
            /* "95" typed for 95 %: refused, not guessed (1 could be 100 % or 1 %) */
            cell_show(x, tb, sizeof tb);
            issue(r, true, sheet, x->row, (int)x->col, crit, "out_of_range",
                  "%s lớn hơn 100%%; tỉ lệ nhập dạng 95%% hoặc 0,95.", tb);
            return NULL;
        }
        if (in->type == IN_RATIO && !range_ok(r, sheet, x, crit, v, true, rat_int(0), true, rat_int(1)))
            return NULL;
        if (!range_ok(r, sheet, x, crit, v, in->has_min || in->type == IN_COUNT,
                      in->has_min ? in->min : rat_int(0), in->has_max, in->max))
            return NULL;
        return fw_json_number(v);
    case IN_BOOL:
        if (!cell_common(r, sheet, x, crit, false))
            return NULL;
        if (x->type == XLSX_BOOL || (x->type == XLSX_NUMBER && (x->number == 0 || x->number == 1)))
            return json_boolean(x->number != 0);
        if (x->type == XLSX_TEXT) {
            int yes = yes_no_word(x->text);
            if (yes >= 0)
                return json_boolean(yes);
        }
        cell_show(x, tb, sizeof tb);
        issue(r, true, sheet, x->row, (int)x->col, crit, "invalid_choice",
              "%s không hợp lệ; chọn Có hoặc Không.", tb);
        return NULL;
    case IN_CHOICE:
        if (!cell_common(r, sheet, x, crit, false))
            return NULL;
        if (x->type == XLSX_TEXT)
            snprintf(tb, sizeof tb, "%s", x->text);
        else
            snprintf(tb, sizeof tb, "%.15g", x->number);
        trim(tb);
        for (size_t i = 0; i < in->n_options; i++)
            if (!strcmp(tb, in->options[i].value) ||
                (in->options[i].label && !strcmp(tb, in->options[i].label)))
                return json_string(in->options[i].value);
        {
            int k = choice_folded(in, tb);
            if (k >= 0)
                return json_string(in->options[k].value);
        }
        {
            char shown[220];
            snprintf(shown, sizeof shown, "\"%.60s\"", tb);
            issue(r, true, sheet, x->row, (int)x->col, crit, "invalid_choice",
                  "%s không có trong danh sách lựa chọn của «%s».", shown,
                  in->label ? in->label : in->name);
        }
        return NULL;
    case IN_DATE: {
        if (!cell_common(r, sheet, x, crit, true))
            return NULL;
        int y = 0, m = 0, d = 0;
        bool ok = false;
        if (x->type == XLSX_NUMBER && x->is_date)
            ok = serial_ymd(x->number, &y, &m, &d);
        else if (x->type == XLSX_TEXT)
            ok = text_date(x->text, &y, &m, &d);
        if (ok) {
            char iso[16];
            snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, d);
            json_t *j = json_string(iso);
            struct value val;
            char e[200];
            if (j && value_from_json(in, j, &val, e, sizeof e) == 0)
                return j;
            json_decref(j);
        }
        cell_show(x, tb, sizeof tb);
        issue(r, true, sheet, x->row, (int)x->col, crit, "invalid_date",
              "%s không phải là ngày hợp lệ (nhập dd/mm/yyyy).", tb);
        return NULL;
    }
    }
    return NULL;
}

/* The text of an evidence / note cell (a number is kept as typed); NULL when empty. */
static char *cell_text(const struct xcell *x)
{
    if (cell_empty(x) || x->type == XLSX_ERROR)
        return NULL;
    char b[64];
    if (x->type == XLSX_TEXT)
        return strdup(x->text);
    if (x->type == XLSX_BOOL)
        return strdup(x->number != 0 ? "TRUE" : "FALSE");
    snprintf(b, sizeof b, "%.15g", x->number);
    return strdup(b);
}

static bool str_same(const char *a, const char *b)
{
    return !strcmp(a ? a : "", b ? b : "");
}

/* ---- the import ---- */

struct meta_sheet {
    char name[128], level[128], fw_id[128], hash[128];
    int64_t fw_version, subject;
};

struct meta {
    char format[128], unit_code[128];
    int64_t round_id, unit_id;
    struct meta_sheet sheets[XT_MAX_SHEETS];
    size_t n_sheets;
};

static const char *meta_text(const struct xsheet *s, uint32_t row, uint32_t col, char *buf,
                             size_t n)
{
    buf[0] = '\0';
    for (size_t i = 0; i < s->n; i++)
        if (s->cells[i].row == row && s->cells[i].col == col) {
            if (s->cells[i].type == XLSX_TEXT)
                snprintf(buf, n, "%s", s->cells[i].text);
            else if (s->cells[i].type == XLSX_NUMBER)
                snprintf(buf, n, "%.0f", s->cells[i].number);
        }
    return buf;
}

static int64_t to_id(const char *s)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    return *s && !*end && v > 0 ? v : 0;
}

/* Reads the fingerprint sheet; false when it is missing or unreadable. */
static bool meta_read(const struct xbook *b, struct meta *m)
{
    memset(m, 0, sizeof *m);
    const struct xsheet *s = book_sheet(b, TL_META_SHEET);
    if (!s)
        return false;
    char k[64], v[128];
    for (uint32_t row = 0; row < 4 + XT_MAX_SHEETS; row++) {
        meta_text(s, row, 0, k, sizeof k);
        meta_text(s, row, 1, v, sizeof v);
        if (!strcmp(k, "format"))
            snprintf(m->format, sizeof m->format, "%s", v);
        else if (!strcmp(k, "round_id"))
            m->round_id = to_id(v);
        else if (!strcmp(k, "unit_id"))
            m->unit_id = to_id(v);
        else if (!strcmp(k, "unit_code"))
            snprintf(m->unit_code, sizeof m->unit_code, "%s", v);
        else if (!strcmp(k, "sheet") && m->n_sheets < XT_MAX_SHEETS) {
            struct meta_sheet *ms = &m->sheets[m->n_sheets++];
            char t[128];
            snprintf(ms->name, sizeof ms->name, "%s", v);
            meta_text(s, row, 2, ms->level, sizeof ms->level);
            meta_text(s, row, 3, ms->fw_id, sizeof ms->fw_id);
            ms->fw_version = to_id(meta_text(s, row, 4, t, sizeof t));
            meta_text(s, row, 5, ms->hash, sizeof ms->hash);
            ms->subject = to_id(meta_text(s, row, 6, t, sizeof t));
        }
    }
    return !strcmp(m->format, TL_FORMAT) && m->round_id && m->unit_id;
}

/* One criterion's outcome. */
struct outcome {
    json_t *inputs; /* new inputs, owned */
    char *content, *note;
    bool bad, changed;
};

/* The grid of one sheet: cell pointers by (row, col) within the layout, NULL when empty.
 * Reports cells outside the template and a changed header or row order. false when the sheet's
 * structure is broken (its values are then not read). */
static bool sheet_grid(struct rep *r, const struct xt_sheet *s, const struct xsheet *xs,
                       const struct xcell ***grid)
{
    size_t rows = (size_t)s->lay.last_row + 1;
    *grid = calloc(rows * TL_NCOLS, sizeof **grid);
    if (!*grid) {
        r->oom = true;
        return false;
    }
    bool ok = true;
    int outside = 0;
    for (size_t i = 0; i < xs->n; i++) {
        const struct xcell *x = &xs->cells[i];
        if (x->row >= rows || x->col >= TL_NCOLS) {
            if (!cell_empty(x) && outside++ < 3) {
                issue(r, true, s->name, x->row, (int)x->col, NULL, "structure_changed",
                      "ô nằm ngoài bảng mẫu (đã thêm hàng hoặc cột?). Không sửa cấu trúc tệp "
                      "mẫu; hãy tải mẫu mới và nhập lại.");
                ok = false;
            }
            continue;
        }
        (*grid)[x->row * TL_NCOLS + x->col] = x;
    }
    for (int k = 0; k < TL_NCOLS; k++) {
        const struct xcell *x = (*grid)[TL_HEADER_ROW * TL_NCOLS + k];
        if (!x || x->type != XLSX_TEXT || strcmp(x->text, tl_col_header(k))) {
            issue(r, true, s->name, TL_HEADER_ROW, k, NULL, "structure_changed",
                  "tiêu đề cột phải là «%s» (cột đã bị xoá, thêm hoặc di chuyển). Không sửa "
                  "cấu trúc tệp mẫu; hãy tải mẫu mới và nhập lại.",
                  tl_col_header(k));
            return false;
        }
    }
    for (size_t i = 0; i < s->lay.n; i++) {
        const struct tl_row *lr = &s->lay.rows[i];
        const struct fw_criterion *cr = s->tasks[lr->item].crit;
        char want[256];
        if (lr->input < 0)
            snprintf(want, sizeof want, "%s", cr->key);
        else
            snprintf(want, sizeof want, "%s.%s", cr->key, cr->inputs[lr->input].name);
        const struct xcell *k = (*grid)[lr->row * TL_NCOLS + TL_KEY];
        const struct xcell *code = (*grid)[lr->row * TL_NCOLS + TL_CODE];
        bool code_ok = lr->input >= 0 ||
                       (code && code->type == XLSX_TEXT &&
                        !strcmp(code->text, cr->code ? cr->code : cr->key));
        if (!k || k->type != XLSX_TEXT || strcmp(k->text, want) || !code_ok) {
            issue(r, true, s->name, lr->row, -2, cr->code, "structure_changed",
                  "đây phải là hàng %s của tiêu chí %s; hàng đã bị thêm, xoá hoặc di chuyển. "
                  "Không sửa cấu trúc tệp mẫu; hãy tải mẫu mới và nhập lại.",
                  lr->input < 0 ? "điểm" : "số liệu", cr->code ? cr->code : cr->key);
            return false;
        }
    }
    return ok;
}

/* Whether one input's two JSON values mean the same (a ratio saved as "82%" through the API and
 * read back from the sheet as 0.82, a count saved as 3 and read as 3.0). */
static bool value_same(const struct fw_input *in, const json_t *a, const json_t *b)
{
    struct value va, vb;
    char e[200];
    if (json_equal(a, b))
        return true;
    if (value_from_json(in, a ? a : json_null(), &va, e, sizeof e) ||
        value_from_json(in, b ? b : json_null(), &vb, e, sizeof e) || va.kind != vb.kind)
        return false;
    switch (va.kind) {
    case VAL_ABSENT:
        return true;
    case VAL_BOOL:
    case VAL_NUM:
        return rat_cmp(va.num, vb.num) == 0;
    case VAL_TEXT:
        return va.text && vb.text && !strcmp(va.text, vb.text);
    case VAL_DATE:
        return va.date == vb.date;
    }
    return false;
}

/* Whether the file's inputs of a criterion mean what is saved: by value for its inputs, exactly
 * for anything else; so an untouched template is "unchanged" whatever form the API saved. */
static bool inputs_same(const struct fw_criterion *cr, const json_t *file, const json_t *saved)
{
    const char *key;
    json_t *v;
    for (int pass = 0; pass < 2; pass++) {
        const json_t *one = pass ? saved : file, *other = pass ? file : saved;
        json_object_foreach((json_t *)one, key, v) {
            const struct fw_input *in = NULL;
            for (size_t i = 0; i < cr->n_inputs; i++)
                if (!strcmp(cr->inputs[i].name, key))
                    in = &cr->inputs[i];
            json_t *w = json_object_get(other, key);
            if (in ? !value_same(in, v, w) : !json_equal(v, w))
                return false;
        }
    }
    return true;
}

static json_t *pts_json(bool has, int64_t h)
{
    return has ? json_hundredths(h) : json_null();
}

/* Validates one sheet into out[] (one per task). */
static void sheet_values(struct rep *r, const struct xt_sheet *s, const struct xcell **grid,
                         struct outcome *out, json_t *criteria)
{
    for (size_t i = 0; i < s->lay.n; i++) {
        const struct tl_row *lr = &s->lay.rows[i];
        const struct xt_task *t = &s->tasks[lr->item];
        const struct fw_criterion *cr = t->crit;
        struct outcome *o = &out[lr->item];
        const char *code = cr->code ? cr->code : cr->key;
        const struct xcell **row = &grid[lr->row * TL_NCOLS];
        if (!o->inputs && !(o->inputs = json_object())) {
            r->oom = true;
            return;
        }
        if (lr->input >= 0) {
            const struct fw_input *in = &cr->inputs[lr->input];
            bool empty;
            json_t *v = input_value(r, s->name, row[TL_INPUT], in, code, &empty);
            if (v)
                json_object_set_new(o->inputs, in->name, v);
            else if (!empty)
                o->bad = true;
            for (int k = TL_SELF; k <= TL_APPRAISAL; k++)
                if (!cell_empty(row[k])) {
                    issue(r, true, s->name, lr->row, k, code, "structure_changed",
                          "hàng số liệu chỉ nhận giá trị ở cột «%s».", tl_col_header(TL_INPUT));
                    o->bad = true;
                }
            continue;
        }
        if (!cell_empty(row[TL_APPRAISAL])) {
            issue(r, true, s->name, lr->row, TL_APPRAISAL, code, "appraisal_filled",
                  "cột «Điểm thẩm định» do cán bộ thẩm định chấm; đơn vị không được nhập. Hãy "
                  "xoá giá trị này rồi tải lên lại.");
            o->bad = true;
        }
        if (!cell_empty(row[TL_INPUT])) {
            issue(r, true, s->name, lr->row, TL_INPUT, code, "structure_changed",
                  "hàng tiêu chí không nhận số liệu ở cột «%s»; nhập ở các hàng bên dưới.",
                  tl_col_header(TL_INPUT));
            o->bad = true;
        }
        o->content = cell_text(row[TL_EVIDENCE]);
        o->note = cell_text(row[TL_NOTE]);
        const struct xcell *self = row[TL_SELF];
        int mi = tl_manual_input(cr);
        if (mi >= 0) {
            struct fw_input pin = cr->inputs[mi];
            pin.has_min = true;
            pin.min = rat_int(0);
            if (!pin.has_max || rat_cmp(pin.max, cr->max_points) > 0) {
                pin.has_max = true;
                pin.max = cr->max_points;
            }
            bool empty;
            json_t *v = input_value(r, s->name, self, &pin, code, &empty);
            rat pv;
            if (v && fw_json_to_rat(v, &pv) && !rat_has_2_decimals(pv)) {
                issue(r, true, s->name, lr->row, TL_SELF, code, "too_many_decimals",
                      "điểm chỉ có tối đa 2 chữ số thập phân.");
                json_decref(v);
                v = NULL;
                empty = false;
            }
            if (v)
                json_object_set_new(o->inputs, pin.name, v);
            else if (!empty)
                o->bad = true;
        }
        (void)self;
    }
    /* score every criterion of the sheet and list it */
    for (size_t i = 0; i < s->n; i++) {
        const struct xt_task *t = &s->tasks[i];
        const struct fw_criterion *cr = t->crit;
        struct outcome *o = &out[i];
        const char *code = cr->code ? cr->code : cr->key;
        uint32_t crow = 0;
        for (size_t k = 0; k < s->lay.n; k++)
            if (s->lay.rows[k].item == i && s->lay.rows[k].input < 0)
                crow = s->lay.rows[k].row;
        o->changed = !inputs_same(cr, o->inputs, t->inputs) || !str_same(o->content, t->content) ||
                     !str_same(o->note, t->note);
        json_t *np = json_null(), *status = json_null(), *expl = json_null();
        if (!o->bad) {
            struct task_crit tc = {.crit = cr};
            snprintf(tc.reading, sizeof tc.reading, "%s", t->reading);
            struct score_result res;
            struct app_err e = {0};
            int sc = task_crit_score(&tc, o->inputs, true, &res, &e);
            if (sc && !o->changed) {
                /* what was saved already does not score (a draft half filled in): shown, not
                 * refused, since the file does not change it */
                json_decref(status);
                json_decref(expl);
                status = json_string("error");
                expl = json_string(e.message);
            } else if (sc) {
                int col = TL_SELF;
                uint32_t erow = crow;
                const char *dot = strchr(e.field, '.');
                const struct fw_input *at_input = NULL;
                for (size_t k = 0; dot && k < s->lay.n; k++)
                    if (s->lay.rows[k].item == i && s->lay.rows[k].input >= 0 &&
                        !strcmp(cr->inputs[s->lay.rows[k].input].name, dot + 1)) {
                        erow = s->lay.rows[k].row;
                        col = TL_INPUT;
                        at_input = &cr->inputs[s->lay.rows[k].input];
                    }
                for (size_t k = 0; col == TL_SELF && tl_manual_input(cr) < 0 && k < s->lay.n; k++)
                    if (s->lay.rows[k].item == i && s->lay.rows[k].input >= 0) {
                        erow = s->lay.rows[k].row; /* no single input named: the first */
                        col = TL_INPUT;
                    }
                /* at the input's own cell the engine's "“Label”: " prefix says nothing the
                 * cell reference does not */
                const char *msg = e.message;
                char pre[SCORE_ERROR_MAX];
                if (at_input) {
                    int pn = snprintf(pre, sizeof pre, "“%s”: ", fw_input_label(at_input));
                    if (pn > 0 && (size_t)pn < sizeof pre && !strncmp(msg, pre, (size_t)pn))
                        msg += pn;
                }
                issue(r, true, s->name, erow, col, code, "invalid_value", "%s", msg);
                o->bad = true;
            } else {
                bool pts = res.status == SCORE_SCORED || res.status == SCORE_NOT_APPLICABLE;
                json_decref(np);
                json_decref(status);
                json_decref(expl);
                np = pts ? json_hundredths(res.points_h) : json_null();
                status = json_string(score_status_name(res.status));
                expl = json_string(res.explain);
                const struct xcell *self = grid[crow * TL_NCOLS + TL_SELF];
                rat typed;
                if (tl_manual_input(cr) < 0 && !cell_empty(self)) {
                    struct rep quiet = {json_array(), json_array(), false};
                    if (quiet.errors && quiet.warnings &&
                        cell_rat(&quiet, s->name, self, code, false, &typed)) {
                        int64_t th = 0;
                        if (rat_to_hundredths(typed, &th) == RAT_OK && (!pts || th != res.points_h)) {
                            char a[32], b[32] = "chưa tính được";
                            hundredths_format(th, a, sizeof a);
                            if (pts)
                                hundredths_format(res.points_h, b, sizeof b);
                            issue(r, false, s->name, crow, TL_SELF, code, "points_mismatch",
                                  "điểm đơn vị nhập (%s) khác điểm hệ thống tính từ số liệu "
                                  "(%s); hệ thống dùng điểm tính từ số liệu.",
                                  a, b);
                        }
                    } else {
                        char v[80];
                        cell_show(self, v, sizeof v);
                        issue(r, true, s->name, crow, TL_SELF, code, "text_in_number",
                              "%s không phải là số; ô điểm chỉ nhận số (8,5 hoặc 8.5).", v);
                        o->bad = true;
                    }
                    json_decref(quiet.errors);
                    json_decref(quiet.warnings);
                }
            }
        }
        char ref[16];
        tl_ref(crow, TL_SELF, ref);
        json_t *row = json_pack(
            "{s:I,s:s,s:s,s:s,s:s,s:s,s:o,s:b,s:s,"
            "s:{s:O,s:o,s:o,s:o},s:{s:O,s:o,s:o,s:o,s:o,s:o}}",
            "task_id", (json_int_t)t->id, "sheet", s->name, "cell", ref, "criterion_key", cr->key,
            "code", code, "title", cr->title ? cr->title : "", "max_points",
            json_hundredths(t->max_h), "changed", o->changed, "state", t->state, "old", "inputs",
            t->inputs, "content", t->content ? json_string(t->content) : json_null(), "note",
            t->note ? json_string(t->note) : json_null(), "points", pts_json(t->has_self, t->self_h),
            "new", "inputs", o->inputs, "content",
            o->content ? json_string(o->content) : json_null(), "note",
            o->note ? json_string(o->note) : json_null(), "points", np, "status", status,
            "explanation", expl);
        if (!row || json_array_append_new(criteria, row))
            r->oom = true;
    }
}

/* Refusals of the workflow for a changed task, found before anything is written. */
static void check_workflow(db_conn *c, struct rep *r, const struct xt_model *m,
                           const struct xi_opts *o, struct outcome *const *outs)
{
    struct round_clock k;
    if (round_clock_load(c, m->round_id, o->now, &k) != DB_OK) {
        r->oom = true;
        return;
    }
    for (size_t si = 0; si < m->n_sheets; si++) {
        const struct xt_sheet *s = &m->sheets[si];
        for (size_t i = 0; i < s->n; i++) {
            if (!outs[si][i].changed)
                continue;
            int st = wf_state_parse(s->tasks[i].state);
            enum wf_state ws = st < 0 ? WS_NOT_STARTED : (enum wf_state)st;
            struct wf_decision d = wf_decide(ws, WA_SAVE, o->who->role, k.phase);
            struct app_err e;
            if (task_refuse(&d, ws, WA_SAVE, &k, &e)) {
                if (!strcmp(e.code, "wrong_phase") || !strcmp(e.code, "round_finalised")) {
                    /* the whole round refuses: said once, not once per criterion */
                    issue(r, true, NULL, 0, -1, NULL, e.code, "Chưa lưu được báo cáo: %s",
                          e.message);
                    return;
                }
                const struct fw_criterion *cr = s->tasks[i].crit;
                uint32_t crow = 0;
                for (size_t q = 0; q < s->lay.n; q++)
                    if (s->lay.rows[q].item == i && s->lay.rows[q].input < 0)
                        crow = s->lay.rows[q].row;
                issue(r, true, s->name, crow, -2, cr->code, e.code,
                      "tiêu chí %s không lưu được: %s", cr->code ? cr->code : cr->key, e.message);
            }
        }
    }
}

/* The reader's limits (docs/excel.md "Limits"). With the round known (the API), from the
 * largest template the file can be: the unit's own tasks when the unit is known, else every
 * criterion of the round's index sets, each with at most all its inputs as rows; never above the
 * general import limits below. Without a round (the CLI, a coordinator's own files): those. */
static int import_limits_for(db_conn *c, const struct xi_opts *o, struct xlsx_limits *lim)
{
    xlsx_limits_default(lim);
    if (o->max_file_bytes)
        lim->max_file_bytes = o->max_file_bytes;
    lim->max_sheets = XI_MAX_SHEETS;
    lim->max_rows = 20000;
    lim->max_cols = 1024;
    lim->max_cells = 200000;
    /* A filled template inflates to well under 1 MB of XML (even saved by LibreOffice with its
     * styles); 8 MB keeps a crafted file of empty cells to a fraction of a second of CPU where
     * the reader's general 100 MB limit would allow seconds (docs/xlsx-read.md). */
    lim->max_inflated_total = 8u << 20;
    lim->max_part_inflated = 8u << 20;
    if (!o->expect_round)
        return 0;
    struct round_fw fws[ROUND_FWS_MAX];
    struct app_err e;
    int n = round_fws_load(c, o->expect_round, fws, &e);
    if (n < 0)
        return e.status >= 500 ? -1 : 0; /* no such round: the fingerprint check says so */
    struct import_bound b = {0, 0, 0, 0};
    uint64_t most_inputs = 0;
    for (int i = 0; i < n; i++) {
        const struct framework *fw = fws[i].cf.fw;
        b.crit_rows += fw->n_criteria;
        for (size_t k = 0; k < fw->n_criteria; k++) {
            const struct fw_criterion *cr = fw->criteria[k];
            b.input_rows += cr->n_inputs;
            if (cr->n_inputs > most_inputs)
                most_inputs = cr->n_inputs;
            for (size_t q = 0; q < cr->n_inputs; q++) {
                /* a choice input may have its own list (column) on the lists' sheet */
                b.list_cols += cr->inputs[q].n_options > 0;
                if (cr->inputs[q].n_options > b.list_rows)
                    b.list_rows = cr->inputs[q].n_options;
            }
        }
    }
    round_fws_release(fws, n);
    if (o->expect_unit) {
        int64_t tasks = 0;
        if (db_query_int(c, "SELECT COUNT(*) FROM tasks WHERE unit_id = ? AND round_id = ?",
                         (db_param[]){DB_P_INT(o->expect_unit), DB_P_INT(o->expect_round)}, 2,
                         &tasks) != DB_OK)
            return -1;
        b.crit_rows = (uint64_t)tasks;
        b.input_rows = (uint64_t)tasks * most_inputs;
    }
    struct xlsx_limits general = *lim;
    import_limits(&b, XI_MAX_SHEETS, lim);
    /* never looser than the general import limits */
#define XI_MIN(f) if (general.f < lim->f) lim->f = general.f
    XI_MIN(max_rows);
    XI_MIN(max_cols);
    XI_MIN(max_cells);
    XI_MIN(max_shared_strings);
    XI_MIN(max_inflated_total);
    XI_MIN(max_part_inflated);
#undef XI_MIN
    return 0;
}

json_t *excel_import(db_conn *c, const void *data, size_t len, const struct xi_opts *o,
                     struct app_err *err)
{
    struct rep r = {json_array(), json_array(), false};
    json_t *criteria = json_array();
    struct xbook *b = calloc(1, sizeof *b);
    struct xt_model m = {0};
    bool model = false;
    struct outcome *outs[XT_MAX_SHEETS] = {0};
    struct meta mt = {0};
    json_t *std = NULL, *out = NULL;
    int64_t changed = 0;
    bool saved = false;
    if (!r.errors || !r.warnings || !criteria || !b)
        goto oom;

    struct xlsx_limits lim;
    if (import_limits_for(c, o, &lim))
        goto internal;
    struct xlsx_error xe = {0};
    enum xlsx_err_code xc = xlsx_read(data, len, &lim, on_cell, b, &xe);
    if (b->oom)
        goto oom;
    if (xc != XLSX_OK) {
        issue(&r, true, xe.sheet[0] ? xe.sheet : NULL, 0, -1, NULL, "not_a_workbook",
              "Không đọc được tệp: %s", xe.message[0] ? xe.message : "tệp không phải bảng tính Excel (.xlsx)");
        goto report;
    }
    if (!meta_read(b, &mt)) {
        issue(&r, true, NULL, 0, -1, NULL, "not_template",
              "Tệp không phải mẫu báo cáo của hệ thống (thiếu dấu nhận dạng ẩn). Hãy tải mẫu "
              "của đơn vị từ hệ thống, nhập số liệu vào đó rồi tải lên.");
        goto report;
    }
    if (o->expect_round && mt.round_id != o->expect_round) {
        issue(&r, true, NULL, 0, -1, NULL, "wrong_round",
              "Tệp này là mẫu của đợt đánh giá số %lld, không phải đợt số %lld. Hãy tải mẫu "
              "của đúng đợt.",
              (long long)mt.round_id, (long long)o->expect_round);
        goto report;
    }
    if (o->expect_unit && mt.unit_id != o->expect_unit) {
        issue(&r, true, NULL, 0, -1, NULL, "wrong_unit",
              "Tệp này là mẫu của đơn vị khác (mã %s), không phải của đơn vị đang nhập. Hãy "
              "tải mẫu của đơn vị mình.",
              mt.unit_code);
        goto report;
    }
    struct app_err le;
    if (xt_load(c, mt.round_id, mt.unit_id, &m, &le)) {
        if (le.status >= 500)
            goto internal;
        issue(&r, true, NULL, 0, -1, NULL, "wrong_round", "%s", le.message);
        goto report;
    }
    model = true;
    if (strcmp(m.unit_code, mt.unit_code)) {
        issue(&r, true, NULL, 0, -1, NULL, "wrong_unit",
              "Dấu nhận dạng của tệp (đơn vị %s) không khớp đơn vị %s trong hệ thống.",
              mt.unit_code, m.unit_code);
        goto report;
    }
    bool structure_ok = mt.n_sheets == m.n_sheets;
    for (size_t i = 0; structure_ok && i < m.n_sheets; i++) {
        const struct xt_sheet *s = &m.sheets[i];
        const struct meta_sheet *ms = &mt.sheets[i];
        if (strcmp(s->fw_id, ms->fw_id) || s->fw_version != ms->fw_version) {
            issue(&r, true, s->name, 0, -1, NULL, "template_outdated",
                  "mẫu được tạo theo bộ chỉ số %s phiên bản %lld; đợt đánh giá nay dùng %s "
                  "phiên bản %lld. Hãy tải mẫu mới.",
                  ms->fw_id, (long long)ms->fw_version, s->fw_id, (long long)s->fw_version);
            structure_ok = false;
        } else if (strcmp(s->name, ms->name) || strcmp(s->lay.hash, ms->hash) ||
                   s->subject_unit_id != ms->subject) {
            issue(&r, true, s->name, 0, -1, NULL, "structure_changed",
                  "dấu nhận dạng của mẫu không khớp cấu trúc hiện tại (mẫu cũ hoặc đã bị sửa). "
                  "Hãy tải mẫu mới.");
            structure_ok = false;
        }
    }
    if (mt.n_sheets != m.n_sheets) {
        issue(&r, true, NULL, 0, -1, NULL, "structure_changed",
              "Dấu nhận dạng của mẫu không khớp các nhiệm vụ hiện tại của đơn vị (mẫu cũ hoặc "
              "đã bị sửa). Hãy tải mẫu mới.");
    }
    if (!structure_ok)
        goto report;
    for (size_t i = 0; i < m.n_sheets; i++) {
        const struct xt_sheet *s = &m.sheets[i];
        const struct xsheet *xs = book_sheet(b, s->name);
        if (!xs) {
            /* a sheet without a single cell is not delivered either: it was deleted or emptied */
            issue(&r, true, s->name, 0, -1, NULL, "structure_changed",
                  "thiếu trang này (đã bị xoá hoặc đổi tên). Hãy tải mẫu mới.");
            continue;
        }
        outs[i] = calloc(s->n ? s->n : 1, sizeof *outs[i]);
        if (!outs[i])
            goto oom;
        const struct xcell **grid = NULL;
        if (sheet_grid(&r, s, xs, &grid))
            sheet_values(&r, s, grid, outs[i], criteria);
        free(grid);
        if (r.oom)
            goto oom;
        for (size_t k = 0; k < s->n; k++)
            changed += outs[i][k].changed;
    }
    if (json_array_size(r.errors) == 0)
        check_workflow(c, &r, &m, o, outs);
    if (r.oom)
        goto oom;
    if (json_array_size(r.errors) == 0 && !o->dry_run) {
        for (size_t si = 0; si < m.n_sheets && json_array_size(r.errors) == 0; si++) {
            const struct xt_sheet *s = &m.sheets[si];
            for (size_t i = 0; i < s->n; i++) {
                struct outcome *oc = &outs[si][i];
                if (!oc->changed)
                    continue;
                struct app_err e;
                if (task_save_report(c, o->who, s->tasks[i].id, oc->inputs,
                                     oc->content ? oc->content : "", oc->note ? oc->note : "",
                                     s->tasks[i].version, o->now, &e)) {
                    if (e.status >= 500) {
                        *err = e;
                        goto fail;
                    }
                    const struct fw_criterion *cr = s->tasks[i].crit;
                    issue(&r, true, s->name, 0, -1, cr->code, e.code,
                          "tiêu chí %s không lưu được: %s", cr->code ? cr->code : cr->key,
                          e.message);
                    break;
                }
            }
        }
        if (json_array_size(r.errors) == 0) {
            struct app_err e;
            if (tasks_unit_standardise(c, o->who, m.round_id, m.unit_id, o->now, &std, &e)) {
                if (e.status >= 500) {
                    *err = e;
                    goto fail;
                }
                issue(&r, true, NULL, 0, -1, NULL, e.code, "%s", e.message);
            } else {
                saved = true;
            }
        }
    }
report:
    if (r.oom)
        goto oom;
    out = json_pack("{s:b,s:b,s:b,s:o,s:o,s:o,s:o,s:I,s:O,s:O,s:O,s:o}", "ok",
                    json_array_size(r.errors) == 0, "dry_run", o->dry_run, "saved", saved,
                    "round_id", mt.round_id ? json_integer(mt.round_id) : json_null(), "unit_id",
                    mt.unit_id ? json_integer(mt.unit_id) : json_null(), "unit_code",
                    mt.unit_code[0] ? json_string(mt.unit_code) : json_null(), "unit_name",
                    model ? json_string(m.unit_name) : json_null(), "changed",
                    (json_int_t)changed, "errors", r.errors, "warnings", r.warnings, "criteria",
                    criteria, "standardise", std ? std : json_null());
    std = NULL;
    if (!out)
        goto oom;
    goto done;
oom:
internal:
    app_fail_internal(err);
fail:
    json_decref(std);
    out = NULL;
done:
    for (size_t i = 0; i < XT_MAX_SHEETS; i++) {
        for (size_t k = 0; outs[i] && model && k < m.sheets[i].n; k++) {
            json_decref(outs[i][k].inputs);
            free(outs[i][k].content);
            free(outs[i][k].note);
        }
        free(outs[i]);
    }
    if (model)
        xt_free(&m);
    if (b)
        book_free(b);
    free(b);
    json_decref(r.errors);
    json_decref(r.warnings);
    json_decref(criteria);
    return out;
}
