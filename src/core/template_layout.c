/* template_layout.c — the cells of an Excel template (see template_layout.h). */
#include "core/template_layout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const headers[TL_NCOLS] = {
    [TL_SEQ] = "STT",
    [TL_CODE] = "Mã tiêu chí",
    [TL_TITLE] = "Tiêu chí / số liệu cần nhập",
    [TL_MAX] = "Điểm tối đa",
    [TL_HINT] = "Cách nhập",
    [TL_INPUT] = "Số liệu",
    [TL_SELF] = "Điểm tự đánh giá",
    [TL_EVIDENCE] = "Tài liệu kiểm chứng",
    [TL_NOTE] = "Ghi chú",
    [TL_APPRAISAL] = "Điểm thẩm định",
    [TL_KEY] = "Khoá (không sửa)",
};

const char *tl_col_header(enum tl_col c)
{
    return (unsigned)c < TL_NCOLS ? headers[c] : "";
}

/* 004: CDS_CAPSO, CDS_CAPHUYEN, CDS_CAPXA; the province and "other" levels follow the pattern. */
static const struct {
    const char *level, *sheet;
} sheets[] = {
    {"province", "CDS_CAPTINH"}, {"department", "CDS_CAPSO"}, {"district", "CDS_CAPHUYEN"},
    {"commune", "CDS_CAPXA"},    {"other", "CDS_KHAC"},
};

const char *tl_sheet_name(const char *level)
{
    for (size_t i = 0; level && i < sizeof sheets / sizeof *sheets; i++)
        if (!strcmp(sheets[i].level, level))
            return sheets[i].sheet;
    return NULL;
}

int tl_manual_input(const struct fw_criterion *c)
{
    if (c->rule.type != R_MANUAL || c->rule.input < 0 || (size_t)c->rule.input >= c->n_inputs ||
        c->inputs[c->rule.input].type != IN_POINTS || c->n_inputs != 1)
        return -1;
    return c->rule.input;
}

static void fnv(uint64_t *h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        *h ^= s[i];
        *h *= 1099511628211ull;
    }
}

static void fnv_s(uint64_t *h, const char *s)
{
    fnv(h, s ? s : "", s ? strlen(s) + 1 : 1);
}

static void fnv_i(uint64_t *h, int64_t v)
{
    char b[24];
    snprintf(b, sizeof b, "%lld;", (long long)v);
    fnv_s(h, b);
}

static void fnv_rat(uint64_t *h, bool has, rat r)
{
    char b[64] = "-";
    if (has)
        rat_format(r, b, sizeof b);
    fnv_s(h, b);
}

int tl_build(const char *sheet, const struct fw_criterion *const *crits, size_t n,
             struct tl_layout *out)
{
    memset(out, 0, sizeof *out);
    size_t rows = 0;
    for (size_t i = 0; i < n; i++)
        rows += 1 + (tl_manual_input(crits[i]) >= 0 ? 0 : crits[i]->n_inputs);
    out->rows = calloc(rows ? rows : 1, sizeof *out->rows);
    if (!out->rows)
        return -1;
    uint64_t h = 1469598103934665603ull;
    fnv_s(&h, TL_FORMAT);
    fnv_s(&h, sheet);
    uint32_t r = TL_FIRST_ROW;
    for (size_t i = 0; i < n; i++) {
        const struct fw_criterion *c = crits[i];
        bool manual = tl_manual_input(c) >= 0;
        out->rows[out->n++] = (struct tl_row){r, (uint32_t)i, -1};
        fnv_i(&h, r);
        fnv_s(&h, c->key);
        fnv_s(&h, c->code);
        fnv_i(&h, c->max_h);
        fnv_i(&h, manual);
        r++;
        for (size_t k = 0; !manual && k < c->n_inputs; k++) {
            const struct fw_input *in = &c->inputs[k];
            out->rows[out->n++] = (struct tl_row){r, (uint32_t)i, (int)k};
            fnv_i(&h, r);
            fnv_s(&h, in->name);
            fnv_i(&h, in->type);
            fnv_rat(&h, in->has_min, in->min);
            fnv_rat(&h, in->has_max, in->max);
            for (size_t o = 0; o < in->n_options; o++)
                fnv_s(&h, in->options[o].value);
            r++;
        }
    }
    out->last_row = r > TL_FIRST_ROW ? r - 1 : TL_HEADER_ROW;
    snprintf(out->hash, sizeof out->hash, "%016llx", (unsigned long long)h);
    return 0;
}

void tl_free(struct tl_layout *l)
{
    free(l->rows);
    memset(l, 0, sizeof *l);
}

void tl_ref(uint32_t row, uint32_t col, char buf[16])
{
    char letters[8];
    int n = 0;
    uint32_t c = col + 1;
    while (c && n < 7) {
        letters[n++] = (char)('A' + (c - 1) % 26);
        c = (c - 1) / 26;
    }
    char *o = buf;
    while (n)
        *o++ = letters[--n];
    snprintf(o, 16 - (size_t)(o - buf), "%u", row + 1);
}

void tl_input_hint(const struct fw_input *in, char *buf, size_t n)
{
    char a[48] = "", b[48] = "";
    if (in->has_min)
        rat_format(in->min, a, sizeof a);
    if (in->has_max)
        rat_format(in->max, b, sizeof b);
    const char *unit = in->unit ? in->unit : "";
    switch (in->type) {
    case IN_BOOL:
        snprintf(buf, n, "Chọn Có / Không");
        return;
    case IN_CHOICE:
        snprintf(buf, n, "Chọn trong danh sách");
        return;
    case IN_DATE:
        snprintf(buf, n, "Ngày (dd/mm/yyyy)");
        return;
    case IN_RATIO:
        snprintf(buf, n, "Tỉ lệ %% (vd 95%%)");
        return;
    case IN_COUNT:
    case IN_NUMBER:
    case IN_POINTS: {
        const char *what = in->type == IN_COUNT ? "Số nguyên" : in->type == IN_POINTS ? "Điểm" : "Số";
        if (in->has_min && in->has_max)
            snprintf(buf, n, "%s từ %s đến %s%s%s", what, a, b, *unit ? " " : "", unit);
        else if (in->has_min || in->type == IN_COUNT)
            snprintf(buf, n, "%s từ %s%s%s", what, in->has_min ? a : "0", *unit ? " " : "", unit);
        else if (in->has_max)
            snprintf(buf, n, "%s đến %s%s%s", what, b, *unit ? " " : "", unit);
        else
            snprintf(buf, n, "%s%s%s", what, *unit ? " " : "", unit);
        return;
    }
    }
    buf[0] = '\0';
}
