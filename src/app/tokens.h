/* tokens.h — API tokens for machine clients (data feeds): "dti_" + 64 hex digits, shown once,
 * stored as SHA-256, scoped to one unit and one role, revocable. Changing functions run inside
 * the caller's transaction and are audited. */
#ifndef DTI_APP_TOKENS_H
#define DTI_APP_TOKENS_H

#include <jansson.h>
#include <stdint.h>

#include "app/app_err.h"
#include "store/db.h"

#define TOKEN_PREFIX "dti_"
#define TOKEN_SECRET_LEN 69 /* "dti_" + 64 hex + NUL */
#define TOKEN_NAME_MAX 100

json_t *token_get(db_conn *c, int64_t id);
json_t *tokens_list(db_conn *c);
/* role: feed, staff, leader or appraiser — never admin: a leaked machine credential must not
 * be able to manage accounts. */
int token_create(db_conn *c, const struct app_actor *who, const char *name, int64_t unit_id,
                 const char *role, int64_t now, int64_t *id_out, char secret[TOKEN_SECRET_LEN],
                 struct app_err *err);
int token_revoke(db_conn *c, const struct app_actor *who, int64_t id, int64_t now,
                 struct app_err *err);

#endif
