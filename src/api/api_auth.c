/* api_auth.c — POST /auth/login, /auth/logout, /auth/password, GET /me. */
#include <sodium.h>
#include <string.h>

#include "api/api.h"
#include "app/password.h"
#include "app/session.h"
#include "app/tokens.h"
#include "app/totp.h"
#include "app/units.h"
#include "app/users.h"

/* Answers a finished login step: a session (cookies + user), or the second step's token. */
static int reply_login(http_req *r, db_conn *c, struct login_ok *ok)
{
    if (ok->second_factor) {
        json_t *out = json_pack("{s:b,s:s,s:i}", "second_factor_required", 1, "pending_token",
                                ok->pending, "expires_in", SESSION_PENDING_SECONDS);
        sodium_memzero(ok, sizeof *ok);
        return out ? http_reply_json(r, 200, out) : api_internal(r);
    }
    json_t *user = user_get(c, ok->user_id);
    if (!user) {
        sodium_memzero(ok, sizeof *ok);
        return api_internal(r);
    }
    http_set_cookie(r, SESSION_COOKIE, ok->token, SESSION_ABSOLUTE_SECONDS);
    /* Marks this browser as a known device of the user: its own login budget (throttle.h). */
    http_set_cookie(r, SESSION_DEVICE_COOKIE, ok->device, SESSION_DEVICE_SECONDS);
    json_t *out = json_pack("{s:o,s:s}", "user", user, "csrf_token", ok->csrf);
    sodium_memzero(ok, sizeof *ok);
    return out ? http_reply_json(r, 200, out) : api_internal(r);
}

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
    struct login_req q = {.username = username,
                          .password = password,
                          .addr = http_client_addr(r),
                          .device = http_cookie(r, SESSION_DEVICE_COOKIE)};
    if (session_login(c, &q, api_now(), &ok, &err))
        return api_fail(r, &err);
    return reply_login(r, c, &ok);
}

int api_login_second(http_req *r)
{
    static const char *const allowed[] = {"pending_token", "code", NULL};
    json_t *b = in_body_req(r, allowed);
    const char *pending, *code;
    if (!b || !in_string_req(r, b, "pending_token", 64, &pending) ||
        !in_string_req(r, b, "code", 32, &code))
        return 0;
    db_conn *c = http_db(r);
    if (!c)
        return api_internal(r);
    struct login_ok ok;
    struct app_err err;
    struct login_req q = {.addr = http_client_addr(r),
                          .device = http_cookie(r, SESSION_DEVICE_COOKIE)};
    if (session_login_second(c, pending, code, &q, api_now(), &ok, &err))
        return api_fail(r, &err);
    return reply_login(r, c, &ok);
}

/* Routes that take no fields refuse a body with any (as in_path_id_no_body does): a client
 * sending one believes it says something the server would silently ignore. */
static const char *const no_fields[] = {NULL};

int api_totp_enrol(http_req *r)
{
    if (!in_body(r, no_fields))
        return 0;
    db_conn *c = http_db(r);
    if (!c)
        return api_internal(r);
    struct app_err err;
    json_t *out = totp_enrol_start(c, http_caller(r), http_client_addr(r), api_now(), &err);
    return out ? http_reply_json(r, 200, out) : api_fail(r, &err);
}

/* {"code"} bodies of the TOTP routes. */
static bool read_code(http_req *r, const char **code)
{
    static const char *const allowed[] = {"code", NULL};
    json_t *b = in_body_req(r, allowed);
    return b && in_string_req(r, b, "code", 32, code);
}

int api_totp_confirm(http_req *r)
{
    const char *code;
    if (!read_code(r, &code))
        return 0;
    db_conn *c = http_db(r);
    if (!c)
        return api_internal(r);
    struct app_err err;
    json_t *out = totp_enrol_confirm(c, http_caller(r), http_client_addr(r), code, api_now(), &err);
    return out ? http_reply_json(r, 200, out) : api_fail(r, &err);
}

int api_totp_disable(http_req *r)
{
    const char *code;
    if (!read_code(r, &code))
        return 0;
    db_conn *c = http_db(r);
    if (!c)
        return api_internal(r);
    struct app_err err;
    if (totp_disable(c, http_caller(r), http_client_addr(r), code, api_now(), &err))
        return api_fail(r, &err);
    return http_reply_no_content(r);
}

/* Logging out ends a browser session. An API token is not a session: answering 204 would
 * let a script believe its token is dead while it still works, so say how to end it. */
int api_logout(http_req *r)
{
    if (!in_body(r, no_fields))
        return 0;
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
