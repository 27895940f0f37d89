/* unitpage_xlsx.c — the progress report as an .xlsx file (libxlsxwriter): sheet "Tiến độ" with
 * one row per criterion (real numbers with a 2-decimal display format, which Excel shows with
 * the reader's decimal separator — a comma in a Vietnamese locale; frozen header, filters; the
 * evidence files with their signature verdicts, marked when a signed file is required and
 * missing) and sheet "Tổng hợp" with the counts per pillar and overall. */
#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

#include "app/evidence_text.h"
#include "app/unitpage.h"

static const char *str(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

int unitpage_progress_xlsx(const json_t *report, const struct evtext *ev, const char *path,
                           struct app_err *err)
{
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, "Tiến độ") : NULL;
    lxw_worksheet *sum = wb ? workbook_add_worksheet(wb, "Tổng hợp") : NULL;
    lxw_format *bold = wb ? workbook_add_format(wb) : NULL;
    lxw_format *num = wb ? workbook_add_format(wb) : NULL;
    lxw_format *wrap = wb ? workbook_add_format(wb) : NULL;
    lxw_format *warn = wb ? workbook_add_format(wb) : NULL;
    if (!ws || !sum || !bold || !num || !wrap || !warn) {
        if (wb)
            workbook_close(wb);
        return app_fail_internal(err);
    }
    format_set_bold(bold);
    format_set_text_wrap(bold);
    format_set_num_format(num, "#,##0.00");
    format_set_text_wrap(wrap);
    format_set_text_wrap(warn);
    format_set_bg_color(warn, 0xF8CBAD); /* as the template's mark */

    static const char *const head[] = {"Trụ cột", "TT", "Tiêu chí", "Tiến độ", "Trạng thái",
                                       "Điểm", "Điểm tối đa", "Kết quả đo được",
                                       "Tệp kiểm chứng (chữ ký số)"};
    static const double widths[] = {24, 6, 48, 16, 22, 10, 12, 40, 60};
    enum { NH = sizeof head / sizeof *head };
    for (size_t k = 0; k < NH; k++) {
        worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k, widths[k], k == 2 || k >= 7 ? wrap : NULL);
        worksheet_write_string(ws, 0, (lxw_col_t)k, head[k], bold);
    }
    worksheet_freeze_panes(ws, 1, 0);
    lxw_row_t row = 1;
    size_t i, j;
    json_t *p, *cr;
    json_array_foreach(json_object_get(report, "pillars"), i, p)
    {
        char pill[256];
        snprintf(pill, sizeof pill, "%s. %s", str(p, "code"), str(p, "title"));
        json_array_foreach(json_object_get(p, "criteria"), j, cr)
        {
            worksheet_write_string(ws, row, 0, pill, NULL);
            worksheet_write_string(ws, row, 1, str(cr, "code"), NULL);
            worksheet_write_string(ws, row, 2, str(cr, "title"), wrap);
            worksheet_write_string(ws, row, 3, str(cr, "progress_label"), NULL);
            worksheet_write_string(ws, row, 4, str(cr, "state_label"), NULL);
            json_t *pts = json_object_get(cr, "points");
            if (json_is_number(pts))
                worksheet_write_number(ws, row, 5, json_number_value(pts), num);
            worksheet_write_number(ws, row, 6, json_number_value(json_object_get(cr, "max_points")),
                                   num);
            worksheet_write_string(ws, row, 7, str(cr, "measured"), wrap);
            char files[8192];
            bool w = false;
            if (ev && evtext_task(ev, (int64_t)json_integer_value(json_object_get(cr, "task_id")),
                                  files, sizeof files, &w))
                worksheet_write_string(ws, row, 8, files, w ? warn : wrap);
            row++;
        }
    }
    worksheet_autofilter(ws, 0, 0, row > 1 ? row - 1 : 0, NH - 1);

    static const char *const shead[] = {"Trụ cột", "Đã hoàn thành", "Đang thực hiện",
                                        "Chưa thực hiện", "Không áp dụng", "Tổng số tiêu chí",
                                        "Tóm tắt"};
    static const char *const keys[] = {"done", "in_progress", "not_started", "not_applicable",
                                       "total"};
    for (size_t k = 0; k < sizeof shead / sizeof *shead; k++) {
        worksheet_set_column(sum, (lxw_col_t)k, (lxw_col_t)k, k == 0 ? 28 : k == 6 ? 70 : 14,
                             NULL);
        worksheet_write_string(sum, 0, (lxw_col_t)k, shead[k], bold);
    }
    worksheet_freeze_panes(sum, 1, 0);
    row = 1;
    json_array_foreach(json_object_get(report, "pillars"), i, p)
    {
        char pill[256];
        snprintf(pill, sizeof pill, "%s. %s", str(p, "code"), str(p, "title"));
        worksheet_write_string(sum, row, 0, pill, NULL);
        for (size_t k = 0; k < 5; k++)
            worksheet_write_number(
                sum, row, (lxw_col_t)(k + 1),
                (double)json_integer_value(json_object_get(json_object_get(p, "counts"), keys[k])),
                NULL);
        worksheet_write_string(sum, row, 6, str(p, "summary"), NULL);
        row++;
    }
    worksheet_write_string(sum, row, 0, "Tổng cộng", bold);
    for (size_t k = 0; k < 5; k++)
        worksheet_write_number(
            sum, row, (lxw_col_t)(k + 1),
            (double)json_integer_value(json_object_get(json_object_get(report, "counts"), keys[k])),
            bold);
    worksheet_write_string(sum, row, 6, str(report, "summary"), bold);
    return workbook_close(wb) == LXW_NO_ERROR ? 0 : app_fail_internal(err);
}
