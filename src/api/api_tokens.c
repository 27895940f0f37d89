/* api_tokens.c — GET/POST /tokens, POST /tokens/{id}/revoke. The secret is in the creation
 * response only; the database keeps its SHA-256. */
#include <sodium.h>

#include "api/api.h"
#include "app/tokens.h"

int api_tokens_list(http_req *r)
{
    db_conn *c = http_db(r);
    json_t *t = c ? tokens_list(c) : NULL;
    if (!t)
        return api_internal(r);
    return http_reply_json(r, 200, json_pack("{s:o}", "tokens", t));
}

int api_token_create(http_req *r)
{
    static const char *const allowed[] = {"name", "unit_id", "role", NULL};
    json_t *b = in_body_req(r, allowed);
    const char *name, *role;
    int64_t unit_id = 0;
    if (!b || !in_string_req(r, b, "name", IN_TEXT_ANY_LENGTH, &name) ||
        !in_string_req(r, b, "role", 32, &role) || in_id(r, b, "unit_id", &unit_id) == IN_ERROR)
        return 0;
    db_conn *c = api_begin(r);
    if (!c)
        return 0;
    struct app_actor who = api_actor(r);
    struct app_err err;
    int64_t id = 0;
    char secret[TOKEN_SECRET_LEN];
    int rc = token_create(c, &who, name, unit_id, role, api_now(), &id, secret, &err);
    if (!api_end(r, c, rc, &err)) {
        sodium_memzero(secret, sizeof secret);
        return 0;
    }
    json_t *t = token_get(c, id);
    json_t *out = t ? json_pack("{s:o,s:s}", "token", t, "secret", secret) : NULL;
    sodium_memzero(secret, sizeof secret);
    return api_reply_entity(r, 201, out);
}

int api_token_revoke(http_req *r)
{
    int64_t id;
    if (!in_path_id_no_body(r, &id))
        return 0;
    db_conn *c = api_begin(r);
    if (!c)
        return 0;
    struct app_actor who = api_actor(r);
    struct app_err err;
    int rc = token_revoke(c, &who, id, api_now(), &err);
    if (!api_end(r, c, rc, &err))
        return 0;
    return api_reply_entity(r, 200, token_get(c, id));
}
