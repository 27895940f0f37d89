/* api_rounds.c — GET/POST /rounds, GET/PATCH /rounds/{id} (docs/rounds-api.md). The body is
 * validated by the application layer (rounds.c), so `dti demo` creates rounds by the same rules. */
#include "api/api.h"
#include "app/round_admin.h"
#include "app/rounds.h"

static const char *const create_fields[] = {"title", "year", "frameworks", "units", "phases",
                                            NULL};
static const char *const update_fields[] = {"title", "phases", NULL};

int api_rounds_list(http_req *r)
{
    db_conn *c = http_db(r);
    json_t *l = c ? rounds_list(c, api_now()) : NULL;
    return api_reply_entity(r, 200, l);
}

int api_round_get(http_req *r)
{
    int64_t id;
    if (!in_path_id(r, &id))
        return 0;
    db_conn *c = http_db(r);
    if (!c)
        return api_internal(r);
    bool missing;
    json_t *o = round_get(c, id, api_now(), &missing);
    if (!o && missing)
        return http_reply_error(r, 404, "not_found", "Không tìm thấy đợt đánh giá.", NULL);
    return api_reply_entity(r, 200, o);
}

int api_round_create(http_req *r)
{
    json_t *b = in_body_req(r, create_fields);
    if (!b)
        return 0;
    db_conn *c = api_begin(r);
    if (!c)
        return 0;
    struct app_actor who = api_actor(r);
    struct app_err err;
    int64_t id = 0;
    int64_t now = api_now();
    int rc = round_create(c, &who, b, now, &id, NULL, &err);
    if (!api_end(r, c, rc, &err))
        return 0;
    return api_reply_entity(r, 201, round_get(c, id, now, NULL));
}

int api_round_update(http_req *r)
{
    int64_t id;
    if (!in_path_id(r, &id))
        return 0;
    json_t *b = in_body_req(r, update_fields);
    if (!b)
        return 0;
    db_conn *c = api_begin(r);
    if (!c)
        return 0;
    struct app_actor who = api_actor(r);
    struct app_err err;
    int64_t now = api_now();
    int rc = round_update(c, &who, id, b, now, &err);
    if (!api_end(r, c, rc, &err))
        return 0;
    return api_reply_entity(r, 200, round_get(c, id, now, NULL));
}

/* ---- finalise, trial data, appraisers, task assignment (app/round_admin.h) ---- */

int api_round_finalise(http_req *r)
{
    int64_t id;
    if (!in_path_id_no_body(r, &id))
        return 0;
    db_conn *c = api_begin(r);
    if (!c)
        return 0;
    struct app_actor who = api_actor(r);
    struct app_err err;
    int64_t now = api_now();
    int rc = round_finalise(c, &who, id, now, &err);
    if (!api_end(r, c, rc, &err))
        return 0;
    return api_reply_entity(r, 200, round_get(c, id, now, NULL));
}

int api_round_trial_data(http_req *r)
{
    return api_get_by_id(r, round_trial_data);
}

int api_round_clear_trial(http_req *r)
{
    int64_t id;
    if (!in_path_id(r, &id))
        return 0;
    static const char *const fields[] = {"confirm", NULL};
    json_t *b = in_body_req(r, fields);
    if (!b)
        return 0;
    json_t *v = json_object_get(b, "confirm");
    if (!v)
        return http_reply_error(r, 400, "missing_field",
                                "Thiếu số nhiệm vụ thử nghiệm đã xác nhận (confirm).", "confirm");
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return http_reply_error(r, 400, "invalid_type",
                                "Trường “confirm” phải là một số nguyên không âm.", "confirm");
    db_conn *c = api_begin(r);
    if (!c)
        return 0;
    struct app_actor who = api_actor(r);
    struct app_err err;
    json_t *cleared = NULL;
    int rc = round_clear_trial(c, &who, id, json_integer_value(v), api_now(), &cleared, &err);
    return api_end_reply(r, c, rc, &err, 200, cleared);
}

int api_round_appraisers(http_req *r)
{
    return api_get_by_id(r, round_appraisers);
}

int api_round_appraiser_add(http_req *r)
{
    int64_t id;
    if (!in_path_id(r, &id))
        return 0;
    static const char *const fields[] = {"level", "pillar_key", "criterion_key",
                                         "appraiser_unit_id", "appraiser_user_id", NULL};
    json_t *b = in_body_req(r, fields);
    if (!b)
        return 0;
    db_conn *c = api_begin(r);
    if (!c)
        return 0;
    struct app_actor who = api_actor(r);
    struct app_err err;
    int64_t aid = 0;
    int rc = round_appraiser_add(c, &who, id, b, api_now(), &aid, &err);
    if (!api_end(r, c, rc, &err))
        return 0;
    return api_reply_entity(r, 201, round_appraiser_get(c, id, aid));
}

int api_round_appraiser_remove(http_req *r)
{
    int64_t id, aid;
    if (!in_path_id_no_body(r, &id))
        return 0;
    if (!http_param_id(r, "aid", &aid))
        return http_reply_error(r, 404, "not_found", "Không tìm thấy phân công thẩm định này.",
                                NULL);
    db_conn *c = api_begin(r);
    if (!c)
        return 0;
    struct app_actor who = api_actor(r);
    struct app_err err;
    int rc = round_appraiser_remove(c, &who, id, aid, api_now(), &err);
    if (!api_end(r, c, rc, &err))
        return 0;
    return http_reply_no_content(r);
}

int api_task_assignment(http_req *r)
{
    int64_t id, unit = 0;
    if (!in_path_id(r, &id))
        return 0;
    static const char *const fields[] = {"unit_id", NULL};
    json_t *b = in_body_req(r, fields);
    if (!b)
        return 0;
    int got = in_id(r, b, "unit_id", &unit);
    if (got == IN_ERROR)
        return 0;
    if (got != IN_VALUE)
        return http_reply_error(r, 400, "missing_field", "Thiếu đơn vị chịu trách nhiệm (unit_id).",
                                "unit_id");
    db_conn *c = api_begin(r);
    if (!c)
        return 0;
    struct app_actor who = api_actor(r);
    struct app_err err;
    int rc = task_assign(c, &who, id, unit, api_now(), &err);
    return api_end_get(r, c, rc, &err, 200, task_assignment_get, id);
}
