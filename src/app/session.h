/* session.h — signing in and out, changing one's password.
 *
 * The cookie carries 32 random bytes (hex); the database keeps only their SHA-256, so a copy
 * of the database does not let anyone sign in. Sessions end after 30 minutes without use or
 * 12 hours after sign-in, whichever comes first. */
#ifndef DTI_APP_SESSION_H
#define DTI_APP_SESSION_H

#include <stdint.h>

#include "app/app_err.h"
#include "app/secret.h"
#include "http/http.h"
#include "store/db.h"

#define SESSION_COOKIE "dti_session"
#define SESSION_IDLE_SECONDS 1800
#define SESSION_ABSOLUTE_SECONDS 43200
#define SESSION_TOUCH_SECONDS 60 /* last_seen_at is written at most once a minute */

/* A user of a retired unit is refused everywhere with this (403 unit_retired). */
#define UNIT_RETIRED_CODE "unit_retired"
extern const char unit_retired_message[];

struct login_ok {
    int64_t user_id;
    int64_t session_id;
    char token[SECRET_HEX_LEN]; /* cookie value: give to the client, never log */
    char csrf[SECRET_HEX_LEN];
};

/* Throttle check, constant-time verification, session creation (own transaction).
 * Errors: 401 invalid_credentials, 403 account_disabled, 403 unit_retired, 429
 * too_many_attempts. */
int session_login(db_conn *c, const char *username, const char *password, const char *addr,
                  int64_t now, struct login_ok *out, struct app_err *err);

/* Deletes the caller's session (own transaction, audited). */
int session_logout(db_conn *c, const struct caller *who, const char *addr, int64_t now);

/* Verifies the current password, applies the policy to the new one, stores it, clears
 * must_change_password and deletes every other session of the user; the current session
 * stays valid. Errors: 422 invalid_current_password / weak_password, 429. */
int session_change_password(db_conn *c, const struct caller *who, const char *addr,
                            const char *current, const char *new_password, int64_t now,
                            struct app_err *err);

#endif
