/* unit_scope.c — which unit a route's resource belongs to, and the server's check of it
 * (http.h: the route row's unit_of column and ROUTE_OWN_UNIT).
 *
 * One resolver per kind of resource, one row each in `resolvers` below; adding a resource
 * (rounds, tasks, evidence…) is an enum value in http.h and a row here.
 *
 * What a caller gets (decided so that nothing leaks across units):
 *   - ROUTE_OWN_UNIT and the caller is not admin/appraiser: 403 "chỉ được … đơn vị mình" when
 *     the resource belongs to another unit, AND when it does not exist or its id is malformed —
 *     the same answer, so probing ids tells a staff member nothing about other units;
 *   - otherwise (admin, appraiser, or a row without ROUTE_OWN_UNIT): 404 when it does not exist;
 *     a malformed id is left to the handler (its own 400/404);
 *   - a resource of a retired unit is 404 (same body as a nonexistent one) for everyone but
 *     admins: retired units are shown to admins only (GET /units likewise). */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "app/tasks.h"

enum found { FOUND, MISSING, MALFORMED, FAILED };

struct unit_resolver {
    const char *name;      /* openapi.json x-dti-unit-scope.resource */
    const char *field;     /* the error's `field`: the path or query parameter */
    enum found (*resolve)(http_req *r, int64_t *unit);
    const char *not_found; /* 404 message */
};

/* The unit of the row `sql` selects for the {id} path parameter. */
static enum found unit_by_id(http_req *r, const char *sql, int64_t *unit)
{
    int64_t id;
    if (!http_param_id(r, "id", &id))
        return MALFORMED;
    db_conn *c = http_db(r);
    if (!c)
        return FAILED;
    int rc = db_query_int(c, sql, (db_param[]){DB_P_INT(id)}, 1, unit);
    return rc == DB_OK ? FOUND : rc == DB_NOTFOUND ? MISSING : FAILED;
}

static enum found of_path_unit(http_req *r, int64_t *unit)
{
    return http_param_id(r, "unit", unit) ? FOUND : MALFORMED;
}

static enum found of_unit_id(http_req *r, int64_t *unit)
{
    return unit_by_id(r, "SELECT id FROM units WHERE id = ?", unit);
}

static enum found of_user(http_req *r, int64_t *unit)
{
    return unit_by_id(r, "SELECT unit_id FROM users WHERE id = ?", unit);
}

static enum found of_token(http_req *r, int64_t *unit)
{
    return unit_by_id(r, "SELECT unit_id FROM api_tokens WHERE id = ?", unit);
}

static enum found of_query_unit(http_req *r, int64_t *unit)
{
    const char *q = http_query(r, "unit_id");
    if (!q) {
        *unit = http_caller(r)->unit_id; /* the handler's default: the caller's own unit */
        return FOUND;
    }
    int64_t v;
    if (!http_parse_uint(q, 1, INT64_MAX, &v))
        return MALFORMED;
    db_conn *c = http_db(r);
    if (!c)
        return FAILED;
    int rc = db_query_int(c, "SELECT id FROM units WHERE id = ?", (db_param[]){DB_P_INT(v)}, 1,
                          unit);
    return rc == DB_OK ? FOUND : rc == DB_NOTFOUND ? MISSING : FAILED;
}

/* part: evidence */
static enum found of_evidence(http_req *r, int64_t *unit)
{
    return unit_by_id(r, "SELECT t.unit_id FROM evidence e JOIN tasks t ON t.id = e.task_id "
                         "WHERE e.id = ?", unit);
}

/* part: tasks */
static enum found of_task(http_req *r, int64_t *unit)
{
    return unit_by_id(r, "SELECT unit_id FROM tasks WHERE id = ?", unit);
}

/* {unit} of /rounds/{id}/units/{unit}: a unit taking part in round {id}. */
static enum found of_round_unit(http_req *r, int64_t *unit)
{
    int64_t round, u;
    if (!http_param_id(r, "id", &round) || !http_param_id(r, "unit", &u))
        return MALFORMED;
    db_conn *c = http_db(r);
    if (!c)
        return FAILED;
    int rc = db_query_int(c, "SELECT unit_id FROM round_units WHERE round_id = ? AND unit_id = ?",
                          (db_param[]){DB_P_INT(round), DB_P_INT(u)}, 2, unit);
    return rc == DB_OK ? FOUND : rc == DB_NOTFOUND ? MISSING : FAILED;
}

/* ROUTE_ASSIGNED: 1 when an assignment covers the resource for the appraiser, 0 not, -1 error. */
static int assigned(http_req *r, const struct route *rt)
{
    int64_t id;
    if ((rt->unit_of != UNIT_OF_TASK && rt->unit_of != UNIT_OF_EVIDENCE) ||
        !http_param_id(r, "id", &id))
        return 0; /* only tasks (and their evidence) are assigned */
    db_conn *c = http_db(r);
    if (c && rt->unit_of == UNIT_OF_EVIDENCE &&
        db_query_int(c, "SELECT task_id FROM evidence WHERE id = ?", (db_param[]){DB_P_INT(id)}, 1,
                     &id) != DB_OK)
        return 0;
    const struct caller *who = http_caller(r);
    return c ? task_assigned(c, id, who->user_id, who->unit_id) : -1;
}
/* end part: tasks */

static const struct unit_resolver resolvers[] = {
    [UNIT_OF_NONE] = {NULL, NULL, NULL, NULL},
    [UNIT_OF_PATH_UNIT] = {"unit", "unit", of_path_unit, "Không tìm thấy đơn vị."},
    [UNIT_OF_UNIT_ID] = {"unit", "id", of_unit_id, "Không tìm thấy đơn vị."},
    [UNIT_OF_USER] = {"user", "id", of_user, "Không tìm thấy tài khoản."},
    [UNIT_OF_TOKEN] = {"api_token", "id", of_token, "Không tìm thấy mã truy cập API."},
    [UNIT_OF_QUERY_UNIT] = {"unit", "unit_id", of_query_unit, "Không tìm thấy đơn vị."},
    [UNIT_OF_TASK] = {"task", "id", of_task, "Không tìm thấy nhiệm vụ."},
    [UNIT_OF_ROUND_UNIT] = {"round_unit", "unit", of_round_unit,
                            "Không tìm thấy đơn vị trong đợt đánh giá."},
    [UNIT_OF_EVIDENCE] = {"evidence", "id", of_evidence, "Không tìm thấy minh chứng."},
};
_Static_assert(sizeof resolvers / sizeof *resolvers == UNIT_OF_COUNT,
               "one resolver row per enum unit_of value");

const char *unit_scope_name(enum unit_of u)
{
    return (unsigned)u < UNIT_OF_COUNT ? resolvers[u].name : NULL;
}

static const char msg_other_unit[] = "Bạn chỉ được xem và thao tác trên dữ liệu của đơn vị mình.";

/* 1 retired, 0 active, -1 no such unit or database error. */
static int unit_retired(db_conn *c, int64_t unit)
{
    int64_t retired = 0;
    int rc = db_query_int(c, "SELECT CASE WHEN retired_at IS NULL THEN 0 ELSE 1 END FROM units "
                             "WHERE id = ?",
                          (db_param[]){DB_P_INT(unit)}, 1, &retired);
    return rc == DB_OK ? (int)retired : -1;
}

bool unit_scope_enforce(http_req *r, const struct route *rt)
{
    if (rt->unit_of == UNIT_OF_NONE || (unsigned)rt->unit_of >= UNIT_OF_COUNT) {
        if (!(rt->flags & ROUTE_OWN_UNIT))
            return true;
        /* A row that asks for its own unit without saying how to find it: refuse, loudly. */
        api_internal(r);
        return false;
    }
    const struct unit_resolver *res = &resolvers[rt->unit_of];
    const struct caller *who = http_caller(r);
    bool own_only = (rt->flags & ROUTE_OWN_UNIT) && !(who->role & (ROLE_ADMIN | ROLE_APPRAISER));
    int64_t unit = 0;
    enum found f = res->resolve(r, &unit);
    if (f == FAILED) {
        http_reply_error(r, 503, "database_unavailable",
                         "Cơ sở dữ liệu tạm thời không truy cập được, vui lòng thử lại sau.", NULL);
        return false;
    }
    if (own_only && (f != FOUND || unit != who->unit_id)) {
        http_reply_error(r, 403, "forbidden", msg_other_unit, res->field);
        return false;
    }
    if (f == MALFORMED)
        return true; /* the handler answers its own 400/404 */
    if (f == MISSING) {
        http_reply_error(r, 404, "not_found", res->not_found, NULL);
        return false;
    }
    /* Retired units' data is for admins only. No database (unit tests of the server): no units. */
    if (who->role != ROLE_ADMIN && http_pool(r)) {
        db_conn *c = http_db(r);
        int retired = c ? unit_retired(c, unit) : -1;
        if (retired != 0) {
            http_reply_error(r, 404, "not_found", res->not_found, NULL);
            return false;
        }
    }
    /* part: tasks — an appraiser acts only on what an assignment covers */
    if ((rt->flags & ROUTE_ASSIGNED) && who->role == ROLE_APPRAISER) {
        int a = assigned(r, rt);
        if (a < 0) {
            http_reply_error(r, 503, "database_unavailable",
                             "Cơ sở dữ liệu tạm thời không truy cập được, vui lòng thử lại sau.",
                             NULL);
            return false;
        }
        if (a == 0) {
            http_reply_error(r, 403, "forbidden",
                             "Bạn chưa được phân công thẩm định nhiệm vụ này.", res->field);
            return false;
        }
    }
    return true;
}
