/* api_unitpage.c — a unit's own page in a round (docs/results-api.md "Unit page and progress
 * report"): where it can still gain points, what-if (never saved), the progress report as JSON
 * and as .xlsx. The route rows scope them (UNIT_OF_ROUND_UNIT, OWN: staff and leaders see only
 * their own unit). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/api.h"
#include "app/evidence_text.h"
#include "app/unitpage.h"

#define WHAT_IF_MAX_CHANGES 100

static bool round_unit(http_req *r, int64_t *round, int64_t *unit)
{
    if (http_param_id(r, "id", round) && http_param_id(r, "unit", unit))
        return true;
    http_reply_error(r, 404, "not_found", "Không tìm thấy đơn vị trong đợt đánh giá.", NULL);
    return false;
}

int api_unit_gains(http_req *r)
{
    int64_t round, unit;
    if (!round_unit(r, &round, &unit))
        return 0;
    db_conn *c = http_db(r);
    if (!c)
        return api_internal(r);
    struct app_err err;
    json_t *o = unitpage_gains(c, round, unit, api_now(), &err);
    return o ? http_reply_json(r, 200, o) : api_fail(r, &err);
}

/* {"changes": [{"task_id", "inputs"}]}: 1…100 changes, each exactly those two members. */
static bool read_changes(http_req *r, json_t *b, json_t **out)
{
    json_t *ch = json_object_get(b, "changes");
    if (!ch || json_is_null(ch))
        return http_reply_error(r, 400, "missing_field", "Thiếu danh sách thay đổi (“changes”).",
                                "changes"),
               false;
    if (!json_is_array(ch) || !json_array_size(ch) ||
        json_array_size(ch) > WHAT_IF_MAX_CHANGES)
        return http_reply_error(r, 400, "invalid_type",
                                "“changes” phải là danh sách từ 1 đến 100 thay đổi.", "changes"),
               false;
    size_t i;
    json_t *x;
    char f[64];
    json_array_foreach(ch, i, x)
    {
        json_t *id = json_object_get(x, "task_id"), *in = json_object_get(x, "inputs");
        if (!json_is_object(x) || json_object_size(x) != 2 || !json_is_integer(id) ||
            json_integer_value(id) <= 0 || !json_is_object(in)) {
            snprintf(f, sizeof f, "changes[%zu]", i);
            return http_reply_error(r, 400, "invalid_type",
                                    "Mỗi thay đổi phải có đúng “task_id” (số nhiệm vụ) và "
                                    "“inputs” (các số liệu thay đổi).",
                                    f),
                   false;
        }
    }
    *out = ch;
    return true;
}

int api_unit_what_if(http_req *r)
{
    int64_t round, unit;
    static const char *const fields[] = {"changes", NULL};
    if (!round_unit(r, &round, &unit))
        return 0;
    json_t *b = in_body_req(r, fields), *changes;
    if (!b || !read_changes(r, b, &changes))
        return 0;
    db_conn *c = http_db(r);
    if (!c)
        return api_internal(r);
    struct app_err err;
    json_t *o = unitpage_what_if(c, round, unit, changes, &err);
    return o ? http_reply_json(r, 200, o) : api_fail(r, &err);
}

/* ?period=YYYY-Qn | YYYY-MM-DD; absent: now. */
static bool read_period(http_req *r, const char **period, int64_t *as_of)
{
    *period = http_query(r, "period");
    *as_of = 0;
    if (!*period || !**period) {
        *period = NULL;
        return true;
    }
    if (unitpage_parse_period(*period, as_of))
        return true;
    http_reply_error(r, 400, "invalid_value",
                     "Kỳ báo cáo (“period”) phải có dạng năm-quý (2024-Q2) hoặc một ngày "
                     "(2024-06-30).",
                     "period");
    return false;
}

int api_unit_progress(http_req *r)
{
    int64_t round, unit, as_of;
    const char *period;
    if (!round_unit(r, &round, &unit) || !read_period(r, &period, &as_of))
        return 0;
    db_conn *c = http_db(r);
    if (!c)
        return api_internal(r);
    struct app_err err;
    json_t *o = unitpage_progress(c, round, unit, as_of, period, &err);
    return o ? http_reply_json(r, 200, o) : api_fail(r, &err);
}

int api_unit_progress_xlsx(http_req *r)
{
    int64_t round, unit, as_of;
    const char *period;
    if (!round_unit(r, &round, &unit) || !read_period(r, &period, &as_of))
        return 0;
    db_conn *c = http_db(r);
    if (!c)
        return api_internal(r);
    struct app_err err;
    json_t *o = unitpage_progress(c, round, unit, as_of, period, &err);
    if (!o)
        return api_fail(r, &err);
    const char *dir = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/dti-progress-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) {
        json_decref(o);
        return api_internal(r);
    }
    close(fd);
    struct evtext ev;
    int rc = evtext_load(c, round, unit, as_of, &ev) ? app_fail_internal(&err) : 0;
    if (rc == 0) {
        rc = unitpage_progress_xlsx(o, &ev, path, &err);
        evtext_free(&ev);
    }
    json_decref(o);
    fd = rc ? -1 : open(path, O_RDONLY | O_CLOEXEC);
    unlink(path); /* the open descriptor keeps the bytes until they are sent */
    struct stat st;
    if (fd < 0 || fstat(fd, &st)) {
        if (fd >= 0)
            close(fd);
        return api_internal(r);
    }
    char cd[160];
    snprintf(cd, sizeof cd, "attachment; filename=\"tien-do-dot-%lld-don-vi-%lld.xlsx\"",
             (long long)round, (long long)unit);
    if (!http_add_header(r, "Content-Disposition", cd)) {
        close(fd);
        return api_internal(r);
    }
    return http_reply_fd(r, 200,
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", fd,
                         (uint64_t)st.st_size);
}
