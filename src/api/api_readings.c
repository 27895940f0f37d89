/* api_readings.c — GET/PUT /rounds/{id}/readings: the reading a round uses for each ambiguous
 * criterion, rescoring the affected tasks; GET/PUT /rounds/{id}/external-values: results taken
 * from another index (docs/rounds-api.md "Readings", "External values"). */
#include "api/api.h"
#include "app/external_values.h"
#include "app/readings.h"

static const char *const set_fields[] = {"framework_id", "criterion_key", "alternative", NULL};

int api_readings_get(http_req *r)
{
    return api_get_by_id(r, readings_list);
}

int api_readings_put(http_req *r)
{
    return api_write_by_id(r, set_fields, readings_set);
}

/* ---- GET/PUT /rounds/{id}/external-values: results taken from another index (CCHC) ---- */
static const char *const ev_fields[] = {"values", NULL};

int api_external_values_get(http_req *r)
{
    return api_get_by_id(r, external_values_list);
}

/* Ends the write; replies the list as it is now, with what this request changed (res). */
static int reply_list_with(http_req *r, db_conn *c, int64_t id, int rc, struct app_err *err,
                           json_t *res)
{
    if (!api_end(r, c, rc, err)) {
        json_decref(res);
        return 0;
    }
    json_t *o = external_values_list(c, id, err);
    if (o && json_object_update(o, res)) {
        json_decref(o);
        o = NULL;
    }
    json_decref(res);
    return api_reply_entity(r, 200, o);
}

int api_external_values_put(http_req *r)
{
    int64_t id;
    if (!in_path_id(r, &id))
        return 0;
    json_t *b = in_body_req(r, ev_fields);
    if (!b)
        return 0;
    db_conn *c = api_begin(r);
    if (!c)
        return 0;
    struct app_actor who = api_actor(r);
    struct app_err err;
    json_t *res = NULL;
    int rc = external_values_put(c, &who, id, b, api_now(), &res, &err);
    return reply_list_with(r, c, id, rc, &err, res);
}

/* POST /rounds/{id}/external-values/import: the body is a CSV file (text/csv) */
int api_external_values_import(http_req *r)
{
    int64_t id;
    if (!in_path_id(r, &id))
        return 0;
    size_t len = 0;
    const char *body = http_body(r, &len);
    if (!body || !len)
        return http_reply_error(r, 400, "missing_body",
                                "Cần gửi nội dung tệp CSV (unit_id, criterion_key, source, các dữ liệu đầu vào).",
                                NULL);
    db_conn *c = api_begin(r);
    if (!c)
        return 0;
    struct app_actor who = api_actor(r);
    struct app_err err;
    json_t *res = NULL;
    int rc = external_values_import_csv(c, &who, id, body, len, api_now(), &res, &err);
    return reply_list_with(r, c, id, rc, &err, res);
}
