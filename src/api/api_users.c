/* api_users.c — /users: list (admin: all; leader: own unit only, enforced from the route
 * row), create, update, disable, enable, reset password. One-time passwords appear in exactly
 * one response. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "app/totp.h"
#include "app/users.h"

static bool read_user_input(http_req *r, json_t *b, struct user_input *in)
{
    memset(in, 0, sizeof *in);
    if (in_string(r, b, "username", 64, &in->username) == IN_ERROR ||
        in_string(r, b, "full_name", IN_TEXT_ANY_LENGTH, &in->full_name) == IN_ERROR ||
        in_string(r, b, "role", 32, &in->role) == IN_ERROR)
        return false;
    int rc = in_string(r, b, "email", IN_TEXT_ANY_LENGTH, &in->email);
    if (rc == IN_ERROR)
        return false;
    in->has_email = rc != IN_ABSENT;
    if (in_id(r, b, "unit_id", &in->unit_id) == IN_ERROR)
        return false;
    return true;
}

int api_users_list(http_req *r)
{
    const struct caller *who = http_caller(r);
    int64_t unit = 0;
    if (!http_query_int(r, "unit_id", 1, INT64_MAX, &unit))
        return 0;
    /* The route row (UNIT_OF_QUERY_UNIT, ROUTE_OWN_UNIT) has refused another unit's id; a
     * leader who names no unit gets their own, an admin every unit. */
    if (!unit && who->role != ROLE_ADMIN)
        unit = who->unit_id;
    db_conn *c = http_db(r);
    json_t *users = c ? users_list(c, unit) : NULL;
    if (!users)
        return api_internal(r);
    return http_reply_json(r, 200, json_pack("{s:o}", "users", users));
}

int api_user_create(http_req *r)
{
    static const char *const allowed[] = {"username", "full_name", "email", "role", "unit_id",
                                          NULL};
    json_t *b = in_body_req(r, allowed);
    struct user_input in;
    if (!b || !read_user_input(r, b, &in))
        return 0;
    const char *fn;
    if (!in_string_req(r, b, "full_name", IN_TEXT_ANY_LENGTH, &fn))
        return 0;
    db_conn *c = api_begin(r);
    if (!c)
        return 0;
    struct app_actor who = api_actor(r);
    struct app_err err;
    int64_t id = 0;
    char otp[PASSWORD_OTP_LEN];
    int rc = user_create(c, &who, &in, api_now(), &id, otp, &err);
    if (!api_end(r, c, rc, &err))
        return 0;
    json_t *u = user_get(c, id);
    if (!u)
        return api_internal(r);
    json_t *out = json_pack("{s:o,s:s}", "user", u, "one_time_password", otp);
    sodium_memzero(otp, sizeof otp);
    return http_reply_json(r, 201, out);
}

int api_user_update(http_req *r)
{
    int64_t id;
    if (!in_path_id(r, &id))
        return 0;
    static const char *const allowed[] = {"full_name", "email", "role", "unit_id", NULL};
    static const char *const required[] = {"full_name", "role", "unit_id", NULL};
    json_t *b = in_body_req(r, allowed);
    struct user_input in;
    if (!b || !read_user_input(r, b, &in) || !in_refuse_null(r, b, required))
        return 0;
    db_conn *c = api_begin(r);
    if (!c)
        return 0;
    struct app_actor who = api_actor(r);
    struct app_err err;
    int rc = user_update(c, &who, id, &in, api_now(), &err);
    return api_end_get(r, c, rc, &err, 200, user_get, id);
}

static int set_disabled(http_req *r, bool disabled)
{
    int64_t id;
    if (!in_path_id_no_body(r, &id))
        return 0;
    db_conn *c = api_begin(r);
    if (!c)
        return 0;
    struct app_actor who = api_actor(r);
    struct app_err err;
    int rc = user_set_disabled(c, &who, id, disabled, api_now(), &err);
    return api_end_get(r, c, rc, &err, 200, user_get, id);
}

int api_user_disable(http_req *r)
{
    return set_disabled(r, true);
}

int api_user_enable(http_req *r)
{
    return set_disabled(r, false);
}

int api_user_reset_password(http_req *r)
{
    int64_t id;
    if (!in_path_id_no_body(r, &id))
        return 0;
    db_conn *c = api_begin(r);
    if (!c)
        return 0;
    struct app_actor who = api_actor(r);
    struct app_err err;
    char otp[PASSWORD_OTP_LEN];
    int rc = user_reset_password(c, &who, id, api_now(), otp, &err);
    if (!api_end(r, c, rc, &err))
        return 0;
    json_t *out = json_pack("{s:s}", "one_time_password", otp);
    sodium_memzero(otp, sizeof otp);
    return http_reply_json(r, 200, out);
}

int api_user_totp_reset(http_req *r)
{
    int64_t id;
    if (!in_path_id_no_body(r, &id))
        return 0;
    db_conn *c = http_db(r);
    if (!c)
        return api_internal(r);
    struct app_err err;
    if (totp_admin_reset(c, http_caller(r), http_client_addr(r), id, api_now(), &err))
        return api_fail(r, &err);
    return http_reply_no_content(r);
}
