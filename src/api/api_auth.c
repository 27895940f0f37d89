/* api_auth.c — POST /auth/login, /auth/logout, /auth/password, GET /me. */
#include <sodium.h>
#include <string.h>

#include "api/api.h"
#include "app/password.h"
#include "app/session.h"
#include "app/tokens.h"
#include "app/units.h"
#include "app/users.h"

int api_login(http_req *r)
{
    static const char *const allowed[] = {"username", "password", NULL};
    json_t *b = in_body_req(r, allowed);
    const char *username, *password;
    if (!b || !in_string_req(r, b, "username", 64, &username) ||
        !in_string_req(r, b, "password", PASSWORD_MAX_BYTES, &password))
        return 0;
    db_conn *c = http_db(r);
    if (!c)
        return api_internal(r);
    struct login_ok ok;
    struct app_err err;
    if (session_login(c, username, password, http_client_addr(r), api_now(), &ok, &err))
        return api_fail(r, &err);
    json_t *user = user_get(c, ok.user_id);
    if (!user) {
        sodium_memzero(&ok, sizeof ok);
        return api_internal(r);
    }
    http_set_cookie(r, SESSION_COOKIE, ok.token, SESSION_ABSOLUTE_SECONDS);
    json_t *out = json_pack("{s:o,s:s}", "user", user, "csrf_token", ok.csrf);
    sodium_memzero(&ok, sizeof ok);
    return http_reply_json(r, 200, out);
}

int api_logout(http_req *r)
{
    db_conn *c = http_db(r);
    if (!c)
        return api_internal(r);
    if (session_logout(c, http_caller(r), http_client_addr(r), api_now()) != 0)
        return api_internal(r);
    http_set_cookie(r, SESSION_COOKIE, "", 0);
    return http_reply_no_content(r);
}

int api_password(http_req *r)
{
    static const char *const allowed[] = {"current_password", "new_password", NULL};
    json_t *b = in_body_req(r, allowed);
    const char *cur, *new_pw;
    if (!b || !in_string_req(r, b, "current_password", PASSWORD_MAX_BYTES, &cur) ||
        !in_string_req(r, b, "new_password", PASSWORD_MAX_BYTES, &new_pw))
        return 0;
    db_conn *c = http_db(r);
    if (!c)
        return api_internal(r);
    struct app_err err;
    if (session_change_password(c, http_caller(r), http_client_addr(r), cur, new_pw, api_now(),
                                &err))
        return api_fail(r, &err);
    return http_reply_no_content(r);
}

int api_me(http_req *r)
{
    const struct caller *who = http_caller(r);
    db_conn *c = http_db(r);
    if (!c)
        return api_internal(r);
    /* Every caller has a unit, and a user or a token: one that cannot be read is a 500, never
     * an answer with null in its place. json_pack fails (and frees the others) on a NULL. */
    json_t *unit = unit_get(c, who->unit_id);
    if (who->user_id)
        return http_reply_json(r, 200, json_pack("{s:o,s:o,s:s}", "unit", unit, "user",
                                                 user_get(c, who->user_id), "csrf_token",
                                                 who->csrf));
    /* A machine client: say which token it is, never its secret. */
    return http_reply_json(r, 200, json_pack("{s:o,s:o,s:o}", "unit", unit, "user", json_null(),
                                             "token", token_get(c, who->token_id)));
}
