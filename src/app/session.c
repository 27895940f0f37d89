/* session.c — sign in, sign out, change password.
 *
 * Password verification (~50 ms of argon2id) runs outside any transaction so it never holds
 * the database's write lock. Unknown users are verified against a dummy hash so the response
 * time does not tell whether an account exists; the message is the same either way. */
#include "app/session.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "app/isotime.h"
#include "app/password.h"
#include "app/throttle.h"

#define P_STR(x) ((db_param){.type = DB_TEXT, .s = (x)})

static const char msg_bad_credentials[] = "Tên đăng nhập hoặc mật khẩu không đúng.";
const char unit_retired_message[] =
    "Đơn vị của tài khoản này đã ngừng hoạt động nên không thể sử dụng hệ thống. Vui lòng liên "
    "hệ quản trị viên.";

static void make_keys(const char *username, const char *addr, char ukey[THROTTLE_KEY_LEN],
                      char akey[THROTTLE_KEY_LEN])
{
    /* Same lower-casing as stored user names, so "Admin" and "admin" share one counter. */
    char lower[65];
    size_t i = 0;
    for (; username[i] && i < 64; i++) {
        char ch = username[i];
        lower[i] = (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
    }
    lower[i] = '\0';
    snprintf(ukey, THROTTLE_KEY_LEN, "user:%s", lower);
    snprintf(akey, THROTTLE_KEY_LEN, "addr:%.120s", addr && *addr ? addr : "-");
}

static int fail_throttled(struct app_err *err, int64_t retry_at, int64_t now)
{
    char when[ISOTIME_LEN];
    isotime_human(retry_at, when);
    long minutes = (long)((retry_at - now + 59) / 60);
    if (minutes < 1)
        minutes = 1;
    app_fail(err, 429, "too_many_attempts", NULL,
             "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %ld phút (lúc %s).", minutes,
             when);
    if (err)
        err->retry_after = retry_at > now ? (long)(retry_at - now) : 1;
    return -1;
}

static int audit_session(db_conn *c, int64_t user_id, const char *username, const char *addr,
                         const char *action, json_t *new_v, int64_t now)
{
    struct app_actor who = {.user_id = user_id, .name = username, .client_addr = addr};
    return audit_change(c, &who, "user", action, user_id, NULL, new_v, now);
}

int session_login(db_conn *c, const char *username, const char *password, const char *addr,
                  int64_t now, struct login_ok *out, struct app_err *err)
{
    char ukey[THROTTLE_KEY_LEN], akey[THROTTLE_KEY_LEN];
    make_keys(username, addr, ukey, akey);
    int64_t retry_at = 0;
    if (throttle_blocked(c, ukey, akey, now, &retry_at))
        return fail_throttled(err, retry_at, now);

    const char *name = ukey + 5; /* lower-cased */
    db_rows *r = NULL;
    db_param p[] = {DB_P_TEXT(name)};
    if (db_exec(c,
                "SELECT u.id, u.password_hash, u.disabled, u.username, "
                "CASE WHEN n.retired_at IS NULL THEN 0 ELSE 1 END "
                "FROM users u JOIN units n ON n.id = u.unit_id WHERE u.username = ?",
                p, 1, &r) != DB_OK)
        return app_fail_internal(err);
    bool found = db_rows_count(r) == 1;
    bool ok = found ? password_verify(db_text(r, 0, 1), password)
                    : password_verify_dummy(password);
    int64_t user_id = found ? db_int(r, 0, 0) : 0;
    bool disabled = found && db_int(r, 0, 2) != 0;
    bool unit_retired = found && db_int(r, 0, 4) != 0;
    char uname[65];
    snprintf(uname, sizeof uname, "%s", found ? db_text(r, 0, 3) : "");
    db_rows_free(r);

    if (!ok) {
        throttle_failure(c, ukey, akey, now);
        return app_fail(err, 401, "invalid_credentials", NULL, "%s", msg_bad_credentials);
    }
    /* Only someone who knows the password learns that the account is disabled. */
    if (disabled)
        return app_fail(err, 403, "account_disabled", NULL,
                        "Tài khoản đã bị khoá. Vui lòng liên hệ quản trị viên.");
    if (unit_retired)
        return app_fail(err, 403, UNIT_RETIRED_CODE, NULL, "%s", unit_retired_message);

    char token_hash[SECRET_HEX_LEN];
    secret_random_hex(out->token);
    secret_random_hex(out->csrf);
    secret_sha256_hex(out->token, token_hash);
    if (db_begin(c) != DB_OK)
        return app_fail_internal(err);
    db_param s[] = {P_STR(token_hash), DB_P_INT(user_id), P_STR(out->csrf), DB_P_TEXT(addr),
                    DB_P_INT(now),     DB_P_INT(now),     DB_P_INT(now + SESSION_ABSOLUTE_SECONDS)};
    int rc = db_query_int(c,
                          "INSERT INTO sessions (token_hash, user_id, csrf_token, client_addr, "
                          "created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                          "RETURNING id",
                          s, 7, &out->session_id);
    if (rc == DB_OK)
        rc = db_exec(c, "UPDATE users SET last_login_at = ? WHERE id = ?",
                     (db_param[]){DB_P_INT(now), DB_P_INT(user_id)}, 2, NULL);
    if (rc == DB_OK)
        rc = db_exec(c, "DELETE FROM login_failures WHERE key = ?", (db_param[]){P_STR(ukey)}, 1,
                     NULL);
    if (rc == DB_OK)
        rc = audit_session(c, user_id, uname, addr, "session.login", NULL, now);
    if (rc != DB_OK || db_commit(c) != DB_OK) {
        db_rollback(c);
        sodium_memzero(out, sizeof *out);
        return app_fail_internal(err);
    }
    out->user_id = user_id;
    return 0;
}

int session_logout(db_conn *c, const struct caller *who, const char *addr, int64_t now)
{
    if (!who->session_id)
        return 0;
    if (db_begin(c) != DB_OK)
        return -1;
    int rc = db_exec(c, "DELETE FROM sessions WHERE id = ?",
                     (db_param[]){DB_P_INT(who->session_id)}, 1, NULL);
    if (rc == DB_OK)
        rc = audit_session(c, who->user_id, who->username, addr, "session.logout", NULL, now);
    if (rc != DB_OK || db_commit(c) != DB_OK) {
        db_rollback(c);
        return -1;
    }
    return 0;
}

int session_change_password(db_conn *c, const struct caller *who, const char *addr,
                            const char *current, const char *new_password, int64_t now,
                            struct app_err *err)
{
    if (!who->user_id || !who->session_id)
        return app_fail(err, 403, "forbidden", NULL,
                        "Chỉ người dùng đã đăng nhập mới đổi được mật khẩu.");
    /* Guessing the current password through a stolen session is throttled like a login. */
    char ukey[THROTTLE_KEY_LEN], akey[THROTTLE_KEY_LEN];
    make_keys(who->username, addr, ukey, akey);
    int64_t retry_at = 0;
    if (throttle_blocked(c, ukey, akey, now, &retry_at))
        return fail_throttled(err, retry_at, now);

    db_rows *r = NULL;
    if (db_exec(c, "SELECT password_hash, username FROM users WHERE id = ?",
                (db_param[]){DB_P_INT(who->user_id)}, 1, &r) != DB_OK ||
        db_rows_count(r) != 1) {
        db_rows_free(r);
        return app_fail_internal(err);
    }
    bool ok = password_verify(db_text(r, 0, 0), current);
    char uname[65];
    snprintf(uname, sizeof uname, "%s", db_text(r, 0, 1));
    db_rows_free(r);
    if (!ok) {
        throttle_failure(c, ukey, akey, now);
        return app_fail(err, 422, "invalid_current_password", "current_password",
                        "Mật khẩu hiện tại không đúng.");
    }
    const char *weak = password_policy(uname, new_password);
    if (!weak && !strcmp(current, new_password))
        weak = "Mật khẩu mới phải khác mật khẩu hiện tại.";
    if (weak)
        return app_fail(err, 422, "weak_password", "new_password", "%s", weak);

    char hash[PASSWORD_HASH_LEN];
    if (password_hash(new_password, hash) != 0)
        return app_fail_internal(err);
    if (db_begin(c) != DB_OK)
        return app_fail_internal(err);
    int rc = db_exec(c,
                     "UPDATE users SET password_hash = ?, must_change_password = 0, "
                     "password_changed_at = ? WHERE id = ?",
                     (db_param[]){P_STR(hash), DB_P_INT(now), DB_P_INT(who->user_id)}, 3, NULL);
    sodium_memzero(hash, sizeof hash);
    if (rc == DB_OK)
        rc = db_exec(c, "DELETE FROM sessions WHERE user_id = ? AND id <> ?",
                     (db_param[]){DB_P_INT(who->user_id), DB_P_INT(who->session_id)}, 2, NULL);
    int64_t revoked = rc == DB_OK ? db_changes(c) : 0;
    json_t *nv = json_pack("{s:b,s:I}", "must_change_password", 0, "other_sessions_revoked",
                           (json_int_t)revoked);
    if (rc == DB_OK) /* no entry without its values: out of memory fails the change */
        rc = nv ? audit_session(c, who->user_id, uname, addr, "user.change_password", nv, now)
                : DB_ERROR;
    json_decref(nv);
    if (rc != DB_OK || db_commit(c) != DB_OK) {
        db_rollback(c);
        return app_fail_internal(err);
    }
    throttle_clear(c, ukey);
    return 0;
}
