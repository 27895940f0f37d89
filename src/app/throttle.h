/* throttle.h — login throttling, kept in the database (table login_failures) so every app node
 * sees the same counters (DESIGN §7). Keys: "user:<name>" and "addr:<client address>". */
#ifndef DTI_APP_THROTTLE_H
#define DTI_APP_THROTTLE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

#define THROTTLE_WINDOW 900 /* seconds: failures older than 15 min no longer count */
#define THROTTLE_USER_MAX 5
#define THROTTLE_ADDR_MAX 20
#define THROTTLE_KEY_LEN 160

/* True when either key has reached its limit; *retry_at = when the caller may try again.
 * A database error counts as "not throttled" only for reading; the caller still verifies. */
bool throttle_blocked(db_conn *c, const char *user_key, const char *addr_key, int64_t now,
                      int64_t *retry_at);
/* Records one failure under both keys (and drops expired rows of those keys). */
void throttle_failure(db_conn *c, const char *user_key, const char *addr_key, int64_t now);
/* A successful login clears the account's counter (not the address's). */
void throttle_clear(db_conn *c, const char *user_key);

#endif
