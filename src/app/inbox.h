/* inbox.h — what needs the caller now (GET /inbox), with counts per kind for the navigation
 * badges. One row per kind in the table of inbox.c: the role it is for, its Vietnamese label
 * and its query. */
#ifndef DTI_APP_INBOX_H
#define DTI_APP_INBOX_H

#include <jansson.h>
#include <stdint.h>

#include "store/db.h"

#define INBOX_LIMIT_DEFAULT 50
#define INBOX_LIMIT_MAX 200
/* "Within 7 days": deadlines and phase changes this close are shown. */
#define INBOX_HORIZON (7 * 86400)

/* {"counts": {kind: n for every kind of the role}, "total", "limit", "items": [...]} for a
 * caller of `role` (enum role bit) in `unit_id`; at most `limit` items, every count whole.
 * NULL on a database error. */
json_t *inbox_get(db_conn *c, unsigned role, int64_t user_id, int64_t unit_id, int64_t now,
                  int limit);

#endif
