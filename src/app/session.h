/* session.h — signing in and out, changing one's password.
 *
 * The cookie carries 32 random bytes (hex); the database keeps only their SHA-256, so a copy
 * of the database does not let anyone sign in. Sessions end after 30 minutes without use or
 * 12 hours after sign-in, whichever comes first. */
#ifndef DTI_APP_SESSION_H
#define DTI_APP_SESSION_H

#include <stdbool.h>
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

#define SESSION_DEVICE_COOKIE "dti_device"
#define SESSION_DEVICE_SECONDS (365 * 86400) /* a known device is remembered for a year */
#define SESSION_MAX_DEVICES 10               /* per user, newest kept */
#define SESSION_PENDING_SECONDS 300          /* password accepted, second factor awaited */
#define SESSION_PENDING_TRIES 5              /* codes per pending login */

struct login_req {
    const char *username;
    const char *password;
    const char *addr;   /* client address (from the socket) */
    const char *device; /* the dti_device cookie, or NULL */
};

struct login_ok {
    int64_t user_id;
    int64_t session_id;
    char token[SECRET_HEX_LEN];   /* cookie value: give to the client, never log */
    char csrf[SECRET_HEX_LEN];
    char device[SECRET_HEX_LEN];  /* dti_device cookie to set (session opened) */
    bool second_factor;           /* no session yet: complete with session_login_second */
    char pending[SECRET_HEX_LEN]; /* the pending login's token when second_factor */
};

/* Reserves the attempt (throttle.h), then verifies the password in constant time, then opens
 * the session (own transaction) — or, when the user has TOTP on, a pending login
 * (out->second_factor, out->pending). Errors: 401 invalid_credentials, 403 account_disabled,
 * 403 unit_retired, 429 too_many_attempts (err->retry_after). */
int session_login(db_conn *c, const struct login_req *q, int64_t now, struct login_ok *out,
                  struct app_err *err);

/* Completes a pending login with a TOTP code or a recovery code. Each pending login takes
 * SESSION_PENDING_TRIES codes, the account THR_OTP's; both counted before the code is checked.
 * Errors: 401 login_expired, 401 invalid_code, 429 too_many_attempts. */
int session_login_second(db_conn *c, const char *pending, const char *code,
                         const struct login_req *q, int64_t now, struct login_ok *out,
                         struct app_err *err);

/* Fills err with the Vietnamese 429 (minutes and clock time) and its Retry-After; returns -1. */
int session_fail_throttled(struct app_err *err, int64_t retry_at, int64_t now);
/* Reserves the attempt (throttle_reserve) before any secret is checked: 0 when it may go on,
 * else the app error (429 with the retry time, or 500). */
struct throttle_ticket;
int session_reserve(db_conn *c, const struct throttle_ticket *t, int64_t now, struct app_err *err);

/* Deletes the caller's session (own transaction, audited). */
int session_logout(db_conn *c, const struct caller *who, const char *addr, int64_t now);

/* Verifies the current password, applies the policy to the new one, stores it, clears
 * must_change_password and deletes every other session of the user; the current session
 * stays valid. Errors: 422 invalid_current_password / weak_password, 429. */
int session_change_password(db_conn *c, const struct caller *who, const char *addr,
                            const char *current, const char *new_password, int64_t now,
                            struct app_err *err);

#endif
