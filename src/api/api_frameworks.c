/* api_frameworks.c — GET /frameworks, GET /frameworks/{id}[?version=N], POST /frameworks.
 * The upload's body is the index set file itself (raw, up to 4 MiB), validated in full: every
 * error is returned at once and nothing is stored unless there is none. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/api_frameworks.h"
#include "app/frameworks_store.h"

int api_frameworks_list(http_req *r)
{
    db_conn *c = http_db(r);
    json_t *o = c ? frameworks_list(c) : NULL;
    if (!o)
        return api_internal(r);
    return http_reply_json(r, 200, o);
}

int api_framework_get(http_req *r)
{
    const char *id = http_param(r, "id");
    const char *v = http_query(r, "version");
    int64_t version = 0;
    if (v && !http_parse_uint(v, 1, INT64_MAX, &version))
        return http_reply_error(r, 400, "invalid_version",
                                "Tham số “version” (phiên bản) phải là số nguyên dương.", "version");
    db_conn *c = http_db(r);
    if (!c)
        return api_internal(r);
    struct app_err err;
    size_t len = 0;
    char *text = frameworks_get_text(c, id, version, &len, &err);
    if (!text)
        return api_fail(r, &err);
    int rc = http_reply_bytes(r, 200, "application/json; charset=utf-8", text, len);
    free(text);
    return rc;
}

int api_framework_create(http_req *r)
{
    size_t len = 0;
    const char *body = http_body(r, &len);
    if (!body || !len)
        return http_reply_error(r, 400, "missing_body", "Cần gửi nội dung tệp bộ chỉ số (JSON).",
                                NULL);
    db_conn *c = api_begin(r);
    if (!c)
        return 0;
    struct app_actor who = api_actor(r);
    struct app_err err;
    json_t *summary, *errors;
    if (frameworks_upload(c, &who, body, len, api_now(), &summary, &errors, &err)) {
        db_rollback(c);
        if (errors) {
            /* One pack: the body is whole (field omitted only when there is none) or NULL, which
             * http_reply_json answers with a 500. */
            json_t *e = json_pack("{s:{s:s,s:s,s:o,s:s*}}", "error", "code", err.code, "message",
                                  err.message, "errors", errors, "field",
                                  err.field[0] ? err.field : NULL);
            return http_reply_json(r, err.status, e);
        }
        return api_fail(r, &err);
    }
    if (!api_commit(r, c)) {
        json_decref(summary);
        return 0;
    }
    return http_reply_json(r, 201, summary);
}
