/* rankings_xlsx.c — GET /rounds/{id}/rankings.xlsx (rankings_xlsx.h). One sheet per level of the
 * round: rank, unit, points, maximum, index, band, each pillar's points, then each criterion's
 * approved points (blank while not approved). Numbers are real numbers with a number format
 * (0.00 / 0.0000) that a Vietnamese-locale spreadsheet shows with a decimal comma; bold frozen
 * header, autofilter. Written in constant-memory mode, row by row. */
#include "app/rankings_xlsx.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "app/ranking_bands.h"
#include "app/rankings_calc.h"
#include "core/framework.h"

struct fmts {
    lxw_format *head, *pts, *idx;
};

/* Per-criterion approved points of the level: n × n_criteria, -1 = not approved. */
static int64_t *criterion_points(db_conn *c, int64_t round_id, const char *level,
                                 const struct rk_level *l)
{
    const struct framework *fw = l->cf.fw;
    size_t nc = fw->n_criteria;
    int64_t *a = malloc(sizeof *a * (l->n * nc + 1));
    if (!a)
        return NULL;
    for (size_t i = 0; i < l->n * nc; i++)
        a[i] = -1;
    db_rows *r = NULL;
    if (db_exec(c, "SELECT t.subject_unit_id, t.criterion_key, t.approved_points FROM tasks t "
                   "JOIN round_units ru ON ru.round_id = t.round_id AND ru.unit_id = "
                   "t.subject_unit_id WHERE t.round_id = ? AND ru.level = ? AND t.state = "
                   "'approved'",
                (db_param[]){DB_P_INT(round_id), DB_P_TEXT(level)}, 2, &r) != DB_OK) {
        free(a);
        return NULL;
    }
    for (int i = 0; i < db_rows_count(r); i++) {
        long u = rk_unit_pos(l, db_int(r, i, 0));
        long k = fw_find_criterion(fw, db_text(r, i, 1));
        if (u >= 0 && k >= 0)
            a[(size_t)u * nc + (size_t)k] = db_is_null(r, i, 2) ? 0 : db_int(r, i, 2);
    }
    db_rows_free(r);
    return a;
}

static int write_level(lxw_workbook *wb, const struct fmts *f, db_conn *c, int64_t round_id,
                       const char *level, struct app_err *err)
{
    struct rank_band bands[RANK_BANDS];
    bool custom;
    if (ranking_bands_load(c, round_id, level, bands, &custom, err))
        return -1;
    struct rk_level l;
    if (rk_level_load(c, round_id, level, &l, err))
        return -1;
    const struct framework *fw = l.cf.fw;
    size_t *order = rk_order(&l);
    int64_t *cp = criterion_points(c, round_id, level, &l);
    lxw_worksheet *ws = workbook_add_worksheet(wb, fw_level_label(level));
    if (!order || !cp || !ws) {
        free(order);
        free(cp);
        rk_level_free(&l);
        return app_fail_internal(err);
    }
    static const char *const head[] = {"Hạng", "Mã đơn vị", "Đơn vị", "Điểm", "Điểm tối đa",
                                       "Chỉ số", "Xếp loại"};
    const lxw_col_t nh = 7;
    static const double widths[] = {7, 14, 44, 10, 12, 10, 12};
    lxw_col_t col = 0;
    for (; col < nh; col++) {
        worksheet_set_column(ws, col, col, widths[col], NULL);
        worksheet_write_string(ws, 0, col, head[col], f->head);
    }
    for (size_t p = 0; p < fw->n_pillars; p++, col++) {
        char h[300];
        snprintf(h, sizeof h, "%s %s", fw->pillars[p].code ? fw->pillars[p].code : "",
                 fw->pillars[p].title);
        worksheet_set_column(ws, col, col, 14, NULL);
        worksheet_write_string(ws, 0, col, h, f->head);
    }
    for (size_t k = 0; k < fw->n_criteria; k++, col++) {
        worksheet_set_column(ws, col, col, 9, NULL);
        worksheet_write_string(ws, 0, col, fw->criteria[k]->code, f->head);
    }
    lxw_col_t last = col ? col - 1 : 0;
    worksheet_freeze_panes(ws, 1, 0);
    worksheet_autofilter(ws, 0, 0, (lxw_row_t)l.n, last);
    for (size_t i = 0; i < l.n; i++) {
        size_t u = order[i];
        lxw_row_t row = (lxw_row_t)(i + 1);
        worksheet_write_number(ws, row, 0, l.rank[u], NULL);
        worksheet_write_string(ws, row, 1, db_text(l.units, (int)u, 1), NULL);
        worksheet_write_string(ws, row, 2, db_text(l.units, (int)u, 2), NULL);
        worksheet_write_number(ws, row, 3, (double)l.pts[u] / 100.0, f->pts);
        worksheet_write_number(ws, row, 4, (double)l.max[u] / 100.0, f->pts);
        worksheet_write_number(ws, row, 5, (double)l.key[u] / 10000.0, f->idx);
        worksheet_write_string(ws, row, 6, bands[ranking_band(bands, RANK_BANDS, l.key[u])].label,
                               NULL);
        col = nh;
        for (size_t p = 0; p < l.np; p++, col++)
            worksheet_write_number(ws, row, col, (double)l.pillar_pts[u * l.np + p] / 100.0,
                                   f->pts);
        for (size_t k = 0; k < fw->n_criteria; k++, col++) {
            int64_t v = cp[u * fw->n_criteria + k];
            if (v >= 0)
                worksheet_write_number(ws, row, col, (double)v / 100.0, f->pts);
        }
    }
    free(order);
    free(cp);
    rk_level_free(&l);
    return 0;
}

int rankings_xlsx(db_conn *c, int64_t round_id, int *fd_out, uint64_t *size, struct app_err *err)
{
    db_rows *lv = NULL;
    if (db_exec(c, "SELECT level FROM round_frameworks WHERE round_id = ? ORDER BY CASE level "
                   "WHEN 'province' THEN 1 WHEN 'department' THEN 2 WHEN 'district' THEN 3 "
                   "WHEN 'commune' THEN 4 ELSE 5 END",
                (db_param[]){DB_P_INT(round_id)}, 1, &lv) != DB_OK)
        return app_fail_internal(err);
    const char *dir = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/dti-rankings-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) {
        db_rows_free(lv);
        return app_fail_internal(err);
    }
    close(fd);
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE,
                                .tmpdir = dir && *dir ? (char *)dir : NULL};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    struct fmts f = {0};
    if (wb) {
        f.head = workbook_add_format(wb);
        f.pts = workbook_add_format(wb);
        f.idx = workbook_add_format(wb);
    }
    int rc = -1;
    if (!wb || !f.head || !f.pts || !f.idx) {
        app_fail_internal(err);
        goto close;
    }
    format_set_bold(f.head);
    format_set_num_format(f.pts, "0.00");
    format_set_num_format(f.idx, "0.0000");
    rc = 0;
    for (int i = 0; !rc && i < db_rows_count(lv); i++)
        rc = write_level(wb, &f, c, round_id, db_text(lv, i, 0), err);
    if (!rc && db_rows_count(lv) == 0) /* a round without sets: an empty sheet */
        rc = workbook_add_worksheet(wb, "Xếp hạng") ? 0 : app_fail_internal(err);
close:
    db_rows_free(lv);
    if (wb && workbook_close(wb) != LXW_NO_ERROR && !rc)
        rc = app_fail_internal(err);
    if (!rc) {
        fd = open(path, O_RDONLY | O_CLOEXEC);
        struct stat st;
        if (fd < 0 || fstat(fd, &st)) {
            if (fd >= 0)
                close(fd);
            rc = app_fail_internal(err);
        } else {
            *fd_out = fd;
            *size = (uint64_t)st.st_size;
        }
    }
    unlink(path);
    return rc;
}
