/* users.h — accounts: create (with a one-time password), update, disable/enable, reset
 * password. Every changing function runs inside the caller's open transaction and appends an
 * audit entry (old/new values, never a hash or a password). */
#ifndef DTI_APP_USERS_H
#define DTI_APP_USERS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/app_err.h"
#include "app/password.h"
#include "store/db.h"

#define USER_FULL_NAME_MAX 200
#define USER_EMAIL_MAX 254

struct user_input {
    const char *username; /* create only; lower-cased here */
    const char *full_name;
    bool has_email;
    const char *email; /* NULL or "": none */
    const char *role;
    int64_t unit_id; /* 0: absent */
};

/* User as the API shows it (never the hash), or NULL. */
json_t *user_get(db_conn *c, int64_t id);
/* Users of one unit (unit_id > 0) or all (0); NULL on database error. */
json_t *users_list(db_conn *c, int64_t unit_id);
/* Id of the user with this (lower-cased) name, 0 if none. */
int64_t user_id_by_name(db_conn *c, const char *username);
/* Unit of a user, 0 if no such user. */
int64_t user_unit(db_conn *c, int64_t id);

/* Lower-cases `in` into out and checks [a-z0-9._-]{3,64}; -1 with err when invalid. */
int user_normalize_name(const char *in, char out[65], struct app_err *err);
/* enum role bit for "admin"... "feed", 0 for an unknown name; and back. */
unsigned role_from_name(const char *name);
const char *role_name(unsigned role);

int user_create(db_conn *c, const struct app_actor *who, const struct user_input *in,
                int64_t now, int64_t *id_out, char otp[PASSWORD_OTP_LEN], struct app_err *err);
/* user_create for a password the caller generated and hashed (bulk creation hashes many in
 * parallel, outside the transaction). Same checks, same audit entry. */
int user_create_hashed(db_conn *c, const struct app_actor *who, const struct user_input *in,
                       const char *hash, int64_t now, int64_t *id_out, struct app_err *err);
int user_update(db_conn *c, const struct app_actor *who, int64_t id,
                const struct user_input *in, int64_t now, struct app_err *err);
/* Disabling revokes every session and API token the user created. */
int user_set_disabled(db_conn *c, const struct app_actor *who, int64_t id, bool disabled,
                      int64_t now, struct app_err *err);
/* New one-time password, must change at next login, sessions revoked. */
int user_reset_password(db_conn *c, const struct app_actor *who, int64_t id, int64_t now,
                        char otp[PASSWORD_OTP_LEN], struct app_err *err);

#endif
