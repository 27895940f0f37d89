/* totp.h — the second factor: TOTP (RFC 6238: HMAC-SHA1, 6 digits, 30 s steps, via liboath)
 * and recovery codes (10, shown once, stored as SHA-256, each usable once).
 *
 * Enrolment: totp_enrol_start stores a new secret (not yet active) and returns it with its
 * otpauth:// URI; totp_enrol_confirm activates it when given a valid code and returns the
 * recovery codes. A code is accepted once: the last time step used is stored and only a later
 * step passes (one conditional UPDATE, so two concurrent requests cannot both use it).
 * Mandatory for admins (the server's ROUTE_TOTP_SETUP_OK gate), optional for others. */
#ifndef DTI_APP_TOTP_H
#define DTI_APP_TOTP_H

#include <jansson.h>
#include <stdint.h>

#include "app/app_err.h"
#include "http/http.h"
#include "store/db.h"

#define TOTP_STEP 30
#define TOTP_DIGITS 6
#define TOTP_WINDOW 1 /* steps accepted either side of now (clock drift) */
#define TOTP_SECRET_BYTES 20
#define TOTP_RECOVERY_CODES 10

/* Checks a TOTP code or a recovery code of an enabled user and consumes it (replay-proof).
 * *kind = "totp" or "recovery_code". Returns 0 when accepted, -1 otherwise. No throttling
 * here: callers reserve a THR_OTP attempt first. */
int totp_check_code(db_conn *c, int64_t user_id, const char *code, int64_t now, const char **kind);

/* Starts (or restarts) enrolment for the caller. Returns {"secret","otpauth_uri"} or NULL with
 * err (409 totp_already_enabled, 500). Audited (without the secret). */
json_t *totp_enrol_start(db_conn *c, const struct caller *who, const char *addr, int64_t now,
                         struct app_err *err);

/* Activates the pending secret with a code from the app. Returns {"recovery_codes":[...]} or
 * NULL with err (409 totp_not_started, 422 invalid_code, 429). Audited. */
json_t *totp_enrol_confirm(db_conn *c, const struct caller *who, const char *addr,
                           const char *code, int64_t now, struct app_err *err);

/* Turns TOTP off given a current code (or a recovery code). Admins cannot (403). Audited. */
int totp_disable(db_conn *c, const struct caller *who, const char *addr, const char *code,
                 int64_t now, struct app_err *err);

/* An admin clears another user's TOTP and recovery codes and ends their sessions (the user
 * enrols again; an admin must before anything else). Audited. 404 unknown user. */
int totp_admin_reset(db_conn *c, const struct caller *who, const char *addr, int64_t user_id,
                     int64_t now, struct app_err *err);
/* The same inside the caller's transaction, for any actor (`dti user reset-totp`). */
int totp_reset_in_tx(db_conn *c, const struct app_actor *who, int64_t user_id, int64_t now,
                     struct app_err *err);

#endif
