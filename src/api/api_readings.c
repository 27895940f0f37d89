/* api_readings.c — GET/PUT /rounds/{id}/readings: the reading a round uses for each ambiguous
 * criterion, rescoring the affected tasks (docs/rounds-api.md "Readings"). */
#include "api/api.h"
#include "app/readings.h"

static const char *const set_fields[] = {"framework_id", "criterion_key", "alternative", NULL};

int api_readings_get(http_req *r)
{
    int64_t id;
    if (!in_path_id(r, &id))
        return 0;
    db_conn *c = http_db(r);
    if (!c)
        return api_internal(r);
    struct app_err err;
    json_t *o = readings_list(c, id, &err);
    if (!o)
        return api_fail(r, &err);
    return api_reply_entity(r, 200, o);
}

int api_readings_put(http_req *r)
{
    int64_t id;
    if (!in_path_id(r, &id))
        return 0;
    json_t *b = in_body_req(r, set_fields);
    if (!b)
        return 0;
    db_conn *c = api_begin(r);
    if (!c)
        return 0;
    struct app_actor who = api_actor(r);
    struct app_err err;
    json_t *res = NULL;
    int rc = readings_set(c, &who, id, b, api_now(), &res, &err);
    if (!api_end(r, c, rc, &err)) {
        json_decref(res);
        return 0;
    }
    return api_reply_entity(r, 200, res);
}
