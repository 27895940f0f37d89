/* api_tx.c — the write transaction of a handler: begin, end it on the application call's
 * result (roll back and reply its error, or commit), reply with the entity read back. Every
 * write handler does exactly this; one place keeps the rollback and 500 rules identical. */
#include "api/api.h"

db_conn *api_begin(http_req *r)
{
    db_conn *c = http_db(r);
    if (c && db_begin(c) == DB_OK)
        return c;
    api_internal(r);
    return NULL;
}

bool api_end(http_req *r, db_conn *c, int rc, const struct app_err *err)
{
    if (rc) {
        db_rollback(c);
        api_fail(r, err);
        return false;
    }
    return api_commit(r, c);
}

bool api_commit(http_req *r, db_conn *c)
{
    if (db_commit(c) == DB_OK)
        return true;
    db_rollback(c);
    api_internal(r);
    return false;
}

int api_reply_entity(http_req *r, int status, json_t *entity)
{
    return entity ? http_reply_json(r, status, entity) : api_internal(r);
}

int api_get_by_id(http_req *r, api_read_fn read)
{
    int64_t id;
    if (!in_path_id(r, &id))
        return 0;
    db_conn *c = http_db(r);
    if (!c)
        return api_internal(r);
    struct app_err err;
    json_t *o = read(c, id, &err);
    return o ? http_reply_json(r, 200, o) : api_fail(r, &err);
}

int api_write_by_id(http_req *r, const char *const *fields, api_write_fn write)
{
    int64_t id;
    if (!in_path_id(r, &id))
        return 0;
    json_t *b = in_body_req(r, fields);
    if (!b)
        return 0;
    db_conn *c = api_begin(r);
    if (!c)
        return 0;
    struct app_actor who = api_actor(r);
    struct app_err err;
    json_t *res = NULL;
    int rc = write(c, &who, id, b, api_now(), &res, &err);
    return api_end_reply(r, c, rc, &err, 200, res);
}

int api_end_reply(http_req *r, db_conn *c, int rc, const struct app_err *err, int status,
                  json_t *res)
{
    if (!api_end(r, c, rc, err)) {
        json_decref(res);
        return 0;
    }
    return api_reply_entity(r, status, res);
}

int api_end_get(http_req *r, db_conn *c, int rc, const struct app_err *err, int status,
                json_t *(*get)(db_conn *c, int64_t id), int64_t id)
{
    if (!api_end(r, c, rc, err))
        return 0;
    return api_reply_entity(r, status, get(c, id));
}
