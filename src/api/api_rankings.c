/* api_rankings.c — GET /rounds/{id}/rankings (and .xlsx), GET/PUT /rounds/{id}/bands
 * (docs/results-api.md "Rankings"). Staff and leaders see a round's rankings only once the
 * round is finalised; admins and appraisers at any time (the route rows allow every signed-in
 * role, this file narrows staff and leaders). */
#include <string.h>

#include "api/api.h"
#include "app/ranking_bands.h"
#include "app/rankings.h"
#include "app/rankings_xlsx.h"

/* 403 for staff and leaders while the round is not finalised (404 for an unknown round). */
static bool may_see(http_req *r, db_conn *c, int64_t round_id)
{
    const struct caller *who = http_caller(r);
    db_rows *rows = NULL;
    if (db_exec(c, "SELECT status FROM rounds WHERE id = ?", (db_param[]){DB_P_INT(round_id)}, 1,
                &rows) != DB_OK) {
        api_internal(r);
        return false;
    }
    bool found = db_rows_count(rows) > 0;
    bool final = found && !strcmp(db_text(rows, 0, 0), "finalised");
    db_rows_free(rows);
    if (!found) {
        http_reply_error(r, 404, "not_found", "Không tìm thấy đợt đánh giá.", NULL);
        return false;
    }
    if ((who->role == ROLE_STAFF || who->role == ROLE_LEADER) && !final) {
        http_reply_error(r, 403, "forbidden",
                         "Kết quả xếp hạng của đợt chỉ được xem sau khi đợt đánh giá hoàn thành.",
                         NULL);
        return false;
    }
    return true;
}

static const char *level_param(http_req *r)
{
    const char *level = http_query(r, "level");
    if (!level) {
        http_reply_error(r, 400, "missing_field", "Thiếu tham số cấp (level).", "level");
        return NULL;
    }
    return level;
}

int api_rankings(http_req *r)
{
    int64_t id;
    if (!in_path_id(r, &id))
        return 0;
    const char *level = level_param(r);
    if (!level)
        return 0;
    bool ranges = false;
    if (!in_query_bool(r, "ranges", &ranges))
        return 0;
    db_conn *c = http_db(r);
    if (!c)
        return api_internal(r);
    if (!may_see(r, c, id))
        return 0;
    struct app_err err;
    json_t *o = rankings_level(c, id, level, ranges ? RANKINGS_WITH_RANGE : 0, &err);
    if (!o)
        return api_fail(r, &err);
    return http_reply_json(r, 200, o);
}

int api_rankings_xlsx(http_req *r)
{
    int64_t id;
    if (!in_path_id(r, &id))
        return 0;
    db_conn *c = http_db(r);
    if (!c)
        return api_internal(r);
    if (!may_see(r, c, id))
        return 0;
    struct app_err err;
    int fd = -1;
    uint64_t size = 0;
    if (rankings_xlsx(c, id, &fd, &size, &err))
        return api_fail(r, &err);
    char disp[96];
    snprintf(disp, sizeof disp, "attachment; filename=\"xep-hang-dot-%lld.xlsx\"", (long long)id);
    http_add_header(r, "Content-Disposition", disp);
    return http_reply_fd(r, 200, RANKINGS_XLSX_MIME, fd, size);
}

int api_bands_get(http_req *r)
{
    int64_t id;
    if (!in_path_id(r, &id))
        return 0;
    const char *level = level_param(r);
    if (!level)
        return 0;
    db_conn *c = http_db(r);
    if (!c)
        return api_internal(r);
    struct app_err err;
    json_t *o = ranking_bands_get(c, id, level, &err);
    if (!o)
        return api_fail(r, &err);
    return http_reply_json(r, 200, o);
}

static const char *const band_fields[] = {"level", "bands", NULL};

int api_bands_put(http_req *r)
{
    return api_write_by_id(r, band_fields, ranking_bands_set);
}
