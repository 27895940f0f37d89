/* api_tasks.c — the tasks of a round (docs/rounds-api.md "Tasks"): list, detail, report save,
 * preview, transitions (one task or a unit's whole report), standardise, comments, appraiser
 * inputs. Who may see which task is decided by the route table (unit scope, assignments);
 * what may happen to it by the workflow table (core/workflow.c, through app/tasks.c). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "app/tasks.h"
#include "core/framework.h"

_Static_assert((unsigned)WR_ADMIN == (unsigned)ROLE_ADMIN &&
                   (unsigned)WR_APPRAISER == (unsigned)ROLE_APPRAISER &&
                   (unsigned)WR_STAFF == (unsigned)ROLE_STAFF &&
                   (unsigned)WR_LEADER == (unsigned)ROLE_LEADER,
               "workflow roles are the server's role bits");

static struct task_who who_of(http_req *r)
{
    const struct caller *c = http_caller(r);
    return (struct task_who){api_actor(r), c->role, c->unit_id};
}

int api_tasks_list(http_req *r)
{
    const struct caller *who = http_caller(r);
    struct task_filter f = {.overdue = -1, .limit = 100};
    bool overdue;
    if (!http_query_int(r, "round_id", 1, INT64_MAX, &f.round_id) ||
        !http_query_int(r, "unit_id", 1, INT64_MAX, &f.unit_id) ||
        !http_query_int(r, "limit", 1, 1000, &f.limit) ||
        !http_query_int(r, "offset", 0, INT32_MAX, &f.offset))
        return 0;
    if (http_query(r, "overdue")) {
        if (!in_query_bool(r, "overdue", &overdue))
            return 0;
        f.overdue = overdue ? 1 : 0;
    }
    if (!in_query_level(r, &f.level))
        return 0;
    f.pillar = http_query(r, "pillar");
    f.state = http_query(r, "state");
    if (f.state && wf_state_parse(f.state) < 0)
        return http_reply_error(r, 400, "invalid_value",
                                "Tham số “state” không phải trạng thái nào của quy trình (danh "
                                "sách ở GET /api/v1/workflow).",
                                "state");
    if (who->role & (ROLE_STAFF | ROLE_LEADER))
        f.unit_id = who->unit_id; /* the route row allowed only their own ?unit_id */
    if (who->role == ROLE_APPRAISER) {
        f.assigned_only = true;
        f.appraiser_unit = who->unit_id;
        f.appraiser_user = who->user_id;
    }
    db_conn *c = http_db(r);
    return api_reply_entity(r, 200, c ? tasks_list(c, &f, api_now()) : NULL);
}

static int reply_task(http_req *r, db_conn *c, int64_t id)
{
    struct task_who w = who_of(r);
    bool missing;
    /* One read transaction for the detail's statements: one snapshot, and on SQLite the page
     * cache is checked (and, after others' commits, dropped) once instead of per statement. */
    bool tx = db_begin_read(c) == DB_OK;
    json_t *t = task_detail(c, id, &w, api_now(), &missing);
    if (tx)
        db_rollback(c);
    if (!t && missing)
        return http_reply_error(r, 404, "not_found", "Không tìm thấy nhiệm vụ.", NULL);
    return api_reply_entity(r, 200, t);
}

int api_task_get(http_req *r)
{
    int64_t id;
    if (!in_path_id(r, &id))
        return 0;
    db_conn *c = http_db(r);
    return c ? reply_task(r, c, id) : api_internal(r);
}

/* Ends the transaction; a version conflict carries the current task in error.current. */
static int end_write(http_req *r, db_conn *c, int64_t id, int rc, const struct app_err *err)
{
    if (rc && strcmp(err->code, "version_conflict") == 0) {
        db_rollback(c);
        struct task_who w = who_of(r);
        bool missing;
        json_t *cur = task_detail(c, id, &w, api_now(), &missing);
        json_t *body = cur ? json_pack("{s:{s:s,s:s,s:s,s:o}}", "error", "code", err->code,
                                       "message", err->message, "field", err->field, "current",
                                       cur)
                           : NULL;
        return body ? http_reply_json(r, 409, body) : api_internal(r);
    }
    if (!api_end(r, c, rc, err))
        return 0;
    return reply_task(r, c, id);
}

/* "version": a positive integer, required. */
static bool read_version(http_req *r, json_t *b, int64_t *v)
{
    json_t *j = json_object_get(b, "version");
    if (!j || json_is_null(j)) {
        http_reply_error(r, 400, "missing_field",
                         "Thiếu “version” (phiên bản nhiệm vụ đang sửa).", "version");
        return false;
    }
    if (!json_is_integer(j) || json_integer_value(j) < 1) {
        http_reply_error(r, 400, "invalid_type", "“version” phải là số nguyên dương.", "version");
        return false;
    }
    *v = json_integer_value(j);
    return true;
}

/* "inputs": an object or absent (*out NULL). */
static bool read_inputs(http_req *r, json_t *b, json_t **out, bool required)
{
    *out = json_object_get(b, "inputs");
    if (!*out && required) {
        http_reply_error(r, 400, "missing_field", "Thiếu “inputs”.", "inputs");
        return false;
    }
    if (*out && !json_is_object(*out)) {
        http_reply_error(r, 400, "invalid_type", "“inputs” phải là một đối tượng JSON.", "inputs");
        return false;
    }
    return true;
}

int api_task_report(http_req *r)
{
    int64_t id, version;
    static const char *const fields[] = {"inputs", "content", "note", "version", NULL};
    if (!in_path_id(r, &id))
        return 0;
    json_t *b = in_body_req(r, fields), *inputs;
    const char *content = NULL, *note = NULL;
    int rc1, rc2;
    if (!b || !read_version(r, b, &version) || !read_inputs(r, b, &inputs, false) ||
        (rc1 = in_string(r, b, "content", IN_TEXT_ANY_LENGTH, &content)) == IN_ERROR ||
        (rc2 = in_string(r, b, "note", IN_TEXT_ANY_LENGTH, &note)) == IN_ERROR)
        return 0;
    if (rc1 == IN_NULL)
        content = "";
    if (rc2 == IN_NULL)
        note = "";
    db_conn *c = api_begin(r);
    if (!c)
        return 0;
    struct task_who w = who_of(r);
    struct app_err err;
    int rc = task_save_report(c, &w, id, inputs, content, note, version, api_now(), &err);
    return end_write(r, c, id, rc, &err);
}

int api_task_preview(http_req *r)
{
    int64_t id;
    static const char *const fields[] = {"inputs", NULL};
    if (!in_path_id(r, &id))
        return 0;
    json_t *b = in_body_req(r, fields), *inputs;
    if (!b || !read_inputs(r, b, &inputs, true))
        return 0;
    db_conn *c = http_db(r);
    if (!c)
        return api_internal(r);
    struct app_err err;
    json_t *o = task_preview(c, id, inputs, &err);
    return o ? http_reply_json(r, 200, o) : api_fail(r, &err);
}

/* "points": a number 0… with at most 2 decimals, as hundredths; -1 when absent. */
static bool read_points(http_req *r, json_t *b, int64_t *h)
{
    *h = -1;
    json_t *j = json_object_get(b, "points");
    if (!j || json_is_null(j))
        return true;
    rat v;
    if (!json_is_number(j) || !fw_json_to_rat(j, &v)) {
        http_reply_error(r, 400, "invalid_type", "“points” phải là một số.", "points");
        return false;
    }
    if (rat_is_neg(v) || !rat_has_2_decimals(v) || rat_to_hundredths(v, h) || *h < 0) {
        *h = -1;
        http_reply_error(r, 422, "invalid_value",
                         "Điểm thẩm định phải là số không âm, tối đa 2 chữ số thập phân.",
                         "points");
        return false;
    }
    return true;
}

/* "action": one of the workflow's actions. */
static bool read_action(http_req *r, json_t *b, enum wf_action *a)
{
    const char *s;
    if (!in_string_req(r, b, "action", 64, &s))
        return false;
    int v = wf_action_parse(s);
    if (v < 0) {
        http_reply_error(r, 400, "invalid_value",
                         "Trường “action” không phải thao tác nào của quy trình (danh sách ở GET "
                         "/api/v1/workflow).",
                         "action");
        return false;
    }
    *a = (enum wf_action)v;
    return true;
}

int api_task_transition(http_req *r)
{
    int64_t id, version, points;
    static const char *const fields[] = {"action", "comment", "points", "version", NULL};
    if (!in_path_id(r, &id))
        return 0;
    json_t *b = in_body_req(r, fields);
    enum wf_action a;
    const char *comment = NULL;
    if (!b || !read_action(r, b, &a) || !read_version(r, b, &version) ||
        in_string(r, b, "comment", IN_TEXT_ANY_LENGTH, &comment) == IN_ERROR ||
        !read_points(r, b, &points))
        return 0;
    db_conn *c = api_begin(r);
    if (!c)
        return 0;
    struct task_who w = who_of(r);
    struct app_err err;
    int rc = task_transition(c, &w, id, a, comment, points, version, api_now(), &err);
    return end_write(r, c, id, rc, &err);
}

/* {id} the round and {unit} the unit of /rounds/{id}/units/{unit}/… */
static bool round_unit(http_req *r, int64_t *round, int64_t *unit)
{
    if (http_param_id(r, "id", round) && http_param_id(r, "unit", unit))
        return true;
    http_reply_error(r, 404, "not_found", "Không tìm thấy đơn vị trong đợt đánh giá.", NULL);
    return false;
}

int api_unit_transition(http_req *r)
{
    int64_t round, unit;
    static const char *const fields[] = {"action", "comment", NULL};
    if (!round_unit(r, &round, &unit))
        return 0;
    json_t *b = in_body_req(r, fields);
    enum wf_action a;
    const char *comment = NULL;
    if (!b || !read_action(r, b, &a) ||
        in_string(r, b, "comment", IN_TEXT_ANY_LENGTH, &comment) == IN_ERROR)
        return 0;
    db_conn *c = api_begin(r);
    if (!c)
        return 0;
    struct task_who w = who_of(r);
    struct app_err err;
    json_t *out = NULL;
    int rc = tasks_unit_transition(c, &w, round, unit, a, comment, api_now(), &out, &err);
    return api_end_reply(r, c, rc, &err, 200, out);
}

int api_unit_standardise(http_req *r)
{
    int64_t round, unit;
    static const char *const none[] = {NULL};
    if (!round_unit(r, &round, &unit) || !in_body(r, none))
        return 0;
    db_conn *c = api_begin(r);
    if (!c)
        return 0;
    struct task_who w = who_of(r);
    struct app_err err;
    json_t *out = NULL;
    int rc = tasks_unit_standardise(c, &w, round, unit, api_now(), &out, &err);
    return api_end_reply(r, c, rc, &err, 200, out);
}

int api_task_comments(http_req *r)
{
    int64_t id;
    if (!in_path_id(r, &id))
        return 0;
    db_conn *c = http_db(r);
    return api_reply_entity(r, 200, c ? task_comments(c, id) : NULL);
}

int api_task_comment_add(http_req *r)
{
    int64_t id;
    static const char *const fields[] = {"body", NULL};
    const char *body;
    if (!in_path_id(r, &id))
        return 0;
    json_t *b = in_body_req(r, fields);
    if (!b || !in_string_req(r, b, "body", IN_TEXT_ANY_LENGTH, &body))
        return 0;
    db_conn *c = api_begin(r);
    if (!c)
        return 0;
    struct task_who w = who_of(r);
    struct app_err err;
    int rc = task_comment_add(c, &w, id, body, api_now(), &err);
    return api_end_get(r, c, rc, &err, 201, task_comments, id);
}

int api_task_appraiser_inputs(http_req *r)
{
    int64_t id;
    static const char *const fields[] = {"inputs", NULL};
    if (!in_path_id(r, &id))
        return 0;
    json_t *b = in_body_req(r, fields), *inputs;
    if (!b || !read_inputs(r, b, &inputs, true))
        return 0;
    db_conn *c = api_begin(r);
    if (!c)
        return 0;
    struct task_who w = who_of(r);
    struct app_err err;
    int rc = task_set_appraiser_inputs(c, &w, id, inputs, api_now(), &err);
    return end_write(r, c, id, rc, &err);
}
