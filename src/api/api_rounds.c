/* api_rounds.c — GET/POST /rounds, GET/PATCH /rounds/{id} (docs/rounds-api.md). The body is
 * validated by the application layer (rounds.c), so `dti demo` creates rounds by the same rules. */
#include "api/api.h"
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
