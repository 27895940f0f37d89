/* api_dashboard.c — GET /rounds/{id}/dashboard (part: dash; docs/results-api.md, "Dashboard"):
 * the query parameters checked here, the table from app/dashboard.c. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "app/dashboard.h"

int api_round_dashboard(http_req *r)
{
    struct dash_query q = {.sort = DASH_SORT_NAME, .limit = DASH_LIMIT_DEFAULT};
    if (!in_path_id(r, &q.round_id) || !in_query_level(r, &q.level))
        return 0;
    const char *s = http_query(r, "sort");
    if (s) {
        int k = dash_sort_parse(s);
        if (k < 0)
            return http_reply_error(r, 400, "invalid_value",
                                    "Cột sắp xếp (sort) phải là một trong: name, code, tasks, "
                                    "approved_points, max_points, self_points, dat, chua_dat, "
                                    "khong_dat.",
                                    "sort");
        q.sort = (enum dash_sort)k;
    }
    const char *d = http_query(r, "dir");
    if (d) {
        if (strcmp(d, "asc") && strcmp(d, "desc"))
            return http_reply_error(r, 400, "invalid_value",
                                    "Chiều sắp xếp (dir) phải là asc (tăng dần) hoặc desc "
                                    "(giảm dần).",
                                    "dir");
        q.desc = !strcmp(d, "desc");
    }
    if (!http_query_int(r, "offset", 0, 1000000000, &q.offset) ||
        !http_query_int(r, "limit", 1, DASH_LIMIT_MAX, &q.limit))
        return 0;
    q.q = http_query(r, "q");
    db_conn *c = http_db(r);
    if (!c)
        return api_internal(r);
    struct app_err err;
    size_t len = 0;
    char *body = dashboard_json(c, &q, api_now(), &len, &err);
    if (!body)
        return api_fail(r, &err);
    int rc = http_reply_bytes(r, 200, "application/json; charset=utf-8", body, len);
    free(body);
    return rc;
}
