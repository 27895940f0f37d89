/* api_health.c — GET /api/v1/health: is the process up and the database reachable? */
#include "api/api_health.h"

int api_health(http_req *r)
{
    db *pool = http_pool(r);
    if (pool && db_ping(pool))
        return http_reply_json(r, 200, json_pack("{s:s,s:s}", "status", "ok", "database", "ok"));
    return http_reply_json(r, 503,
                           json_pack("{s:s,s:s}", "status", "error", "database", "unreachable"));
}
