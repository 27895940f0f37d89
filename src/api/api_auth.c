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

/* Logging out ends a browser session. An API token is not a session: answering 204 would
 * let a script believe its token is dead while it still works, so say how to end it. */
int api_logout(http_req *r)
{
    if (!http_caller(r)->session_id)
        return http_reply_error(r, 400, "not_a_session",
                                "Mã truy cập API không đăng xuất được. Để ngừng dùng mã này, "
                                "quản trị viên thu hồi nó ở trang Mã truy cập API (POST "
                                "/api/v1/tokens/{id}/revoke); mã vẫn còn hiệu lực cho đến lúc đó.",
                                NULL);
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
    json_t *unit = unit_get(c, who->unit_id);
    json_t *out = json_object();
    json_object_set_new(out, "unit", unit ? unit : json_null());
    if (who->user_id) {
        json_t *user = user_get(c, who->user_id);
        if (!user) {
            json_decref(out);
            return api_internal(r);
        }
        json_object_set_new(out, "user", user);
        json_object_set_new(out, "csrf_token", json_string(who->csrf));
    } else {
        /* A machine client: say which token it is, never its secret. */
        json_object_set_new(out, "user", json_null());
        json_t *t = token_get(c, who->token_id);
        json_object_set_new(out, "token", t ? t : json_null());
    }
    return http_reply_json(r, 200, out);
}
