/* throttle.c — attempt reservation per key, one upsert each (see throttle.h). */
#include "app/throttle.h"

#include <sodium.h>
#include <stdio.h>

const struct throttle_limit throttle_limits[THR_RULES] = {
    [THR_PAIR] = {"pair", 5, 900, true},
    [THR_DEVICE] = {"device", 5, 900, true},
    [THR_SESSION] = {"session", 5, 900, true},
    [THR_ACCOUNT] = {"account", 10, 3600, false},
    [THR_ADDRESS] = {"address", 50, 900, false},
    [THR_OTP] = {"otp", 5, 900, false},
};

void throttle_add(struct throttle_ticket *t, enum throttle_rule rule, const char *a, const char *b)
{
    if (t->n >= THROTTLE_MAX_KEYS)
        return;
    t->rule[t->n] = rule;
    /* Bounded pieces: a user name is at most 64 bytes, an address or hash at most 64 used. */
    snprintf(t->key[t->n], THROTTLE_KEY_LEN, "%s:%.64s%s%.64s", throttle_limits[rule].prefix,
             a ? a : "-", b ? "|" : "", b ? b : "");
    t->n++;
}

/* One upsert: a new window starts when the stored one has ended; otherwise the count goes up
 * only while below max. The row lock (PostgreSQL) or the write lock (SQLite BEGIN IMMEDIATE)
 * makes check and increment one step: no row returned = at the limit. */
static const char reserve_sql[] =
    "INSERT INTO login_counters (key, window_start, n) VALUES (?, ?, 1) "
    "ON CONFLICT (key) DO UPDATE SET "
    "n = CASE WHEN login_counters.window_start <= ? THEN 1 ELSE login_counters.n + 1 END, "
    "window_start = CASE WHEN login_counters.window_start <= ? THEN excluded.window_start "
    "ELSE login_counters.window_start END "
    "WHERE login_counters.window_start <= ? OR login_counters.n < ? "
    "RETURNING n";

static int reserve_once(db_conn *c, const struct throttle_ticket *t, int64_t now,
                        int64_t *retry_at)
{
    if (db_begin(c) != DB_OK)
        return -1;
    int64_t until = 0;
    for (int i = 0; i < t->n; i++) {
        const struct throttle_limit *l = &throttle_limits[t->rule[i]];
        int64_t expired = now - l->window;
        db_param p[] = {DB_P_STR(t->key[i]), DB_P_INT(now),     DB_P_INT(expired),
                        DB_P_INT(expired),   DB_P_INT(expired), DB_P_INT(l->max)};
        db_rows *r = NULL;
        if (db_exec(c, reserve_sql, p, 6, &r) != DB_OK) {
            db_rollback(c);
            return -1;
        }
        bool got = db_rows_count(r) == 1;
        db_rows_free(r);
        if (got)
            continue;
        int64_t start = now;
        if (db_query_int(c, "SELECT window_start FROM login_counters WHERE key = ?",
                         (db_param[]){DB_P_STR(t->key[i])}, 1, &start) != DB_OK)
            start = now;
        if (start + l->window > until)
            until = start + l->window;
    }
    if (until) {
        db_rollback(c);
        *retry_at = until;
        return 1;
    }
    if (db_commit(c) != DB_OK) {
        db_rollback(c);
        return -1;
    }
    return 0;
}

int throttle_reserve(db_conn *c, const struct throttle_ticket *t, int64_t now, int64_t *retry_at)
{
    *retry_at = 0;
    int rc = -1;
    /* A busy database (lock timeout, serialization failure) is retried a few times. */
    for (int tries = 0; tries < 3 && rc < 0; tries++)
        rc = reserve_once(c, t, now, retry_at);
    /* Rows of ended windows are kept only a day: guesses at made-up user names must not grow
     * the table for ever. Now and then is enough (every window is at most an hour). */
    if (rc >= 0 && randombytes_uniform(64) == 0)
        (void)throttle_sweep(c, now);
    return rc;
}

int throttle_sweep(db_conn *c, int64_t now)
{
    return db_exec(c, "DELETE FROM login_counters WHERE window_start < ?",
                   (db_param[]){DB_P_INT(now - THROTTLE_KEEP_SECONDS)}, 1, NULL);
}

int throttle_release(db_conn *c, const struct throttle_ticket *t)
{
    int rc = DB_OK;
    for (int i = 0; i < t->n && rc == DB_OK; i++)
        rc = db_exec(c,
                     throttle_limits[t->rule[i]].clear_on_success
                         ? "UPDATE login_counters SET n = 0 WHERE key = ?"
                         : "UPDATE login_counters SET n = n - 1 WHERE key = ? AND n > 0",
                     (db_param[]){DB_P_STR(t->key[i])}, 1, NULL);
    return rc;
}
