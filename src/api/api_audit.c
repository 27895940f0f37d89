/* api_audit.c — GET /audit (newest first, paged by before_id) and GET /audit/verify. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "app/audit.h"
#include "app/isotime.h"

static bool query_int(http_req *r, const char *name, int64_t min, int64_t max, int64_t *out)
{
    const char *q = http_query(r, name);
    if (!q)
        return true;
    char *end;
    long long v = strtoll(q, &end, 10);
    if (!*q || *end || v < min || v > max) {
        http_reply_error(r, 400, "invalid_value", "Tham số truy vấn không hợp lệ.", name);
        return false;
    }
    *out = v;
    return true;
}

static json_t *parse_or_null(const db_rows *rows, int i, int col)
{
    if (db_is_null(rows, i, col))
        return json_null();
    json_t *v = json_loads(db_text(rows, i, col), JSON_DECODE_ANY, NULL);
    return v ? v : json_string(db_text(rows, i, col));
}

int api_audit_list(http_req *r)
{
    int64_t limit = 50, before = 0;
    if (!query_int(r, "limit", 1, 200, &limit) ||
        !query_int(r, "before_id", 1, INT64_MAX, &before))
        return 0;
    const char *entity = http_query(r, "entity");
    const char *entity_id = http_query(r, "entity_id");
    if ((entity && strlen(entity) > 64) || (entity_id && strlen(entity_id) > 64))
        return http_reply_error(r, 400, "too_long", "Tham số truy vấn quá dài.",
                                entity && strlen(entity) > 64 ? "entity" : "entity_id");

    /* The statement is assembled from fixed fragments only; every value is bound. */
    char sql[512] = "SELECT id, at, actor_user_id, actor_name, client_addr, action, entity, "
                    "entity_id, old_value, new_value FROM audit_log WHERE 1 = 1";
    db_param p[4];
    int n = 0;
    if (entity) {
        strcat(sql, " AND entity = ?");
        p[n++] = DB_P_TEXT(entity);
    }
    if (entity_id) {
        strcat(sql, " AND entity_id = ?");
        p[n++] = DB_P_TEXT(entity_id);
    }
    if (before) {
        strcat(sql, " AND id < ?");
        p[n++] = DB_P_INT(before);
    }
    strcat(sql, " ORDER BY id DESC LIMIT ?");
    p[n++] = DB_P_INT(limit);

    db_conn *c = http_db(r);
    db_rows *rows = NULL;
    if (!c || db_exec(c, sql, p, n, &rows) != DB_OK)
        return api_internal(r);
    json_t *entries = json_array();
    int count = db_rows_count(rows);
    for (int i = 0; i < count; i++) {
        json_t *actor = json_pack("{s:o,s:s}", "user_id",
                                  db_is_null(rows, i, 2) ? json_null()
                                                         : json_integer(db_int(rows, i, 2)),
                                  "username", db_text(rows, i, 3));
        json_t *e = json_pack("{s:I,s:o,s:o}", "id", (json_int_t)db_int(rows, i, 0), "at",
                              isotime_json(db_int(rows, i, 1), 0), "actor", actor);
        json_object_set_new(e, "client_addr", db_is_null(rows, i, 4)
                                                  ? json_null()
                                                  : json_string(db_text(rows, i, 4)));
        json_object_set_new(e, "action", json_string(db_text(rows, i, 5)));
        json_object_set_new(e, "entity", json_string(db_text(rows, i, 6)));
        json_object_set_new(e, "entity_id", db_is_null(rows, i, 7)
                                                ? json_null()
                                                : json_string(db_text(rows, i, 7)));
        json_object_set_new(e, "old", parse_or_null(rows, i, 8));
        json_object_set_new(e, "new", parse_or_null(rows, i, 9));
        json_array_append_new(entries, e);
    }
    json_t *next = count == limit && count > 0 ? json_integer(db_int(rows, count - 1, 0))
                                               : json_null();
    db_rows_free(rows);
    return http_reply_json(r, 200, json_pack("{s:o,s:o}", "entries", entries, "next_before_id",
                                             next));
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
