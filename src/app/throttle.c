/* throttle.c — counting failed logins per account and per client address. */
#include "app/throttle.h"

/* When the count of `key` within the window will drop below `max`, or 0 if it is below. */
static int64_t blocked_until(db_conn *c, const char *key, int max, int64_t now)
{
    int64_t n = 0;
    db_param p[] = {DB_P_TEXT(key), DB_P_INT(now - THROTTLE_WINDOW)};
    if (db_query_int(c, "SELECT COUNT(*) FROM login_failures WHERE key = ? AND at > ?", p, 2,
                     &n) != DB_OK ||
        n < max)
        return 0;
    /* Sorted oldest first, the (n-max)th failure is the one whose expiry lifts the block. */
    int64_t at = 0;
    db_param q[] = {DB_P_TEXT(key), DB_P_INT(now - THROTTLE_WINDOW), DB_P_INT(n - max)};
    if (db_query_int(c,
                     "SELECT at FROM login_failures WHERE key = ? AND at > ? ORDER BY at, id "
                     "LIMIT 1 OFFSET ?",
                     q, 3, &at) != DB_OK)
        return now + THROTTLE_WINDOW;
    return at + THROTTLE_WINDOW;
}

bool throttle_blocked(db_conn *c, const char *user_key, const char *addr_key, int64_t now,
                      int64_t *retry_at)
{
    int64_t u = blocked_until(c, user_key, THROTTLE_USER_MAX, now);
    int64_t a = blocked_until(c, addr_key, THROTTLE_ADDR_MAX, now);
    int64_t until = u > a ? u : a;
    if (retry_at)
        *retry_at = until;
    return until > now;
}

static void record(db_conn *c, const char *key, int64_t now)
{
    db_param d[] = {DB_P_TEXT(key), DB_P_INT(now - THROTTLE_WINDOW)};
    (void)db_exec(c, "DELETE FROM login_failures WHERE key = ? AND at <= ?", d, 2, NULL);
    db_param p[] = {DB_P_TEXT(key), DB_P_INT(now)};
    (void)db_exec(c, "INSERT INTO login_failures (key, at) VALUES (?, ?)", p, 2, NULL);
}

void throttle_failure(db_conn *c, const char *user_key, const char *addr_key, int64_t now)
{
    record(c, user_key, now);
    record(c, addr_key, now);
}

void throttle_clear(db_conn *c, const char *user_key)
{
    db_param p[] = {DB_P_TEXT(user_key)};
    (void)db_exec(c, "DELETE FROM login_failures WHERE key = ?", p, 1, NULL);
}
