/* api_audit.c — GET /audit (newest first, paged by before_id) and GET /audit/verify. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "app/audit.h"

int api_audit_list(http_req *r)
{
    int64_t limit = 50, before = 0;
    if (!http_query_int(r, "limit", 1, 200, &limit) ||
        !http_query_int(r, "before_id", 1, INT64_MAX, &before))
        return 0;
    const char *entity = http_query(r, "entity");
    const char *entity_id = http_query(r, "entity_id");
    if ((entity && strlen(entity) > 64) || (entity_id && strlen(entity_id) > 64))
        return http_reply_error(r, 400, "too_long", "Tham số truy vấn quá dài.",
                                entity && strlen(entity) > 64 ? "entity" : "entity_id");

    db_conn *c = http_db(r);
    json_t *page = c ? audit_list(c, entity, entity_id, before, limit) : NULL;
    if (!page)
        return api_internal(r);
    return http_reply_json(r, 200, page);
}

int api_audit_verify(http_req *r)
{
    db_conn *c = http_db(r);
    if (!c)
        return api_internal(r);
    int64_t checked = 0, bad = 0;
    char reason[256] = "";
    int rc = audit_verify(c, &checked, &bad, reason, sizeof reason);
    if (rc == DB_OK)
        return http_reply_json(r, 200, json_pack("{s:b,s:I}", "ok", 1, "entries",
                                                 (json_int_t)checked));
    if (bad == 0 && !reason[0])
        return api_internal(r);
    return http_reply_json(r, 200, json_pack("{s:b,s:I,s:s}", "ok", 0, "first_bad_id",
                                             (json_int_t)bad, "reason", reason));
}
