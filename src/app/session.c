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
#include "app/totp.h"

#define P_STR(x) ((db_param){.type = DB_TEXT, .s = (x)})

static const char msg_bad_credentials[] = "Tên đăng nhập hoặc mật khẩu không đúng.";
const char unit_retired_message[] =
    "Đơn vị của tài khoản này đã ngừng hoạt động nên không thể sử dụng hệ thống. Vui lòng liên "
    "hệ quản trị viên.";

/* Same lower-casing as stored user names, so "Admin" and "admin" share one counter. */
static void lower_name(const char *username, char out[65])
{
    size_t i = 0;
    for (; username[i] && i < 64; i++) {
        char ch = username[i];
        out[i] = (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
    }
    out[i] = '\0';
}

static const char *addr_or_dash(const char *addr)
{
    return addr && *addr ? addr : "-";
}

/* The keys a password attempt reserves (throttle.h): a known device has its own budget and
 * nothing else, so no stranger can use it up; any other client reserves its (account, address)
 * pair, the account's budget for unknown clients and its address's budget. */
static void password_ticket(struct throttle_ticket *t, const char *name, const char *addr,
                            const char *device_hash)
{
    t->n = 0;
    if (device_hash) {
        throttle_add(t, THR_DEVICE, name, device_hash);
        return;
    }
    throttle_add(t, THR_PAIR, name, addr_or_dash(addr));
    throttle_add(t, THR_ACCOUNT, name, NULL);
    throttle_add(t, THR_ADDRESS, addr_or_dash(addr), NULL);
}

int session_fail_throttled(struct app_err *err, int64_t retry_at, int64_t now)
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

int session_reserve(db_conn *c, const struct throttle_ticket *t, int64_t now, struct app_err *err)
{
    int64_t retry_at = 0;
    int rc = throttle_reserve(c, t, now, &retry_at);
    if (rc < 0)
        return app_fail_internal(err);
    if (rc > 0)
        return session_fail_throttled(err, retry_at, now);
    return 0;
}

static int audit_session(db_conn *c, int64_t user_id, const char *username, const char *addr,
                         const char *action, json_t *new_v, int64_t now)
{
    struct app_actor who = {.user_id = user_id, .name = username, .client_addr = addr};
    return audit_change(c, &who, "user", action, user_id, NULL, new_v, now);
}

/* The device cookie's hash when it names a browser that logged in as user_id before, else "". */
static void known_device(db_conn *c, const char *device, int64_t user_id, char hash[SECRET_HEX_LEN])
{
    hash[0] = '\0';
    if (!user_id || !device || !secret_is_hex(device, 64))
        return;
    char h[SECRET_HEX_LEN];
    secret_sha256_hex(device, h);
    int64_t id = 0;
    if (db_query_int(c, "SELECT id FROM known_devices WHERE token_hash = ? AND user_id = ?",
                     (db_param[]){P_STR(h), DB_P_INT(user_id)}, 2, &id) == DB_OK)
        memcpy(hash, h, SECRET_HEX_LEN);
}

/* Remembers the browser as a known device of the user (inside the caller's transaction): the
 * cookie it sent if well-formed, else a new one in out. Keeps the newest SESSION_MAX_DEVICES. */
static int remember_device(db_conn *c, const char *device, int64_t user_id, int64_t now,
                           char out[SECRET_HEX_LEN])
{
    if (device && secret_is_hex(device, 64))
        memcpy(out, device, SECRET_HEX_LEN);
    else
        secret_random_hex(out);
    char h[SECRET_HEX_LEN];
    secret_sha256_hex(out, h);
    int rc = db_exec(c,
                     "INSERT INTO known_devices (token_hash, user_id, created_at, last_used_at) "
                     "VALUES (?, ?, ?, ?) ON CONFLICT (token_hash, user_id) DO UPDATE SET "
                     "last_used_at = excluded.last_used_at",
                     (db_param[]){P_STR(h), DB_P_INT(user_id), DB_P_INT(now), DB_P_INT(now)}, 4,
                     NULL);
    if (rc == DB_OK)
        rc = db_exec(c,
                     "DELETE FROM known_devices WHERE user_id = ? AND id NOT IN (SELECT id FROM "
                     "known_devices WHERE user_id = ? ORDER BY last_used_at DESC, id DESC "
                     "LIMIT ?)",
                     (db_param[]){DB_P_INT(user_id), DB_P_INT(user_id),
                                  DB_P_INT(SESSION_MAX_DEVICES)},
                     3, NULL);
    return rc;
}

/* Opens the session (inside the caller's transaction), remembers the device, audits. */
static int open_session(db_conn *c, int64_t user_id, const char *uname, const struct login_req *q,
                        int64_t now, json_t *audit_v, struct login_ok *out)
{
    char token_hash[SECRET_HEX_LEN];
    secret_random_hex(out->token);
    secret_random_hex(out->csrf);
    secret_sha256_hex(out->token, token_hash);
    db_param s[] = {P_STR(token_hash), DB_P_INT(user_id), P_STR(out->csrf), DB_P_TEXT(q->addr),
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
        rc = remember_device(c, q->device, user_id, now, out->device);
    if (rc == DB_OK)
        rc = audit_session(c, user_id, uname, q->addr, "session.login", audit_v, now);
    out->user_id = user_id;
    return rc;
}

/* Password accepted, TOTP on: a pending login the second step completes (caller's tx). */
static int open_pending(db_conn *c, int64_t user_id, const char *uname, const struct login_req *q,
                        int64_t now, struct login_ok *out)
{
    char h[SECRET_HEX_LEN];
    secret_random_hex(out->pending);
    secret_sha256_hex(out->pending, h);
    (void)db_exec(c, "DELETE FROM pending_logins WHERE expires_at <= ?",
                  (db_param[]){DB_P_INT(now)}, 1, NULL);
    int rc = db_exec(c,
                     "INSERT INTO pending_logins (token_hash, user_id, client_addr, created_at, "
                     "expires_at) VALUES (?, ?, ?, ?, ?)",
                     (db_param[]){P_STR(h), DB_P_INT(user_id), DB_P_TEXT(q->addr), DB_P_INT(now),
                                  DB_P_INT(now + SESSION_PENDING_SECONDS)},
                     5, NULL);
    if (rc == DB_OK)
        rc = audit_session(c, user_id, uname, q->addr, "session.password_ok", NULL, now);
    out->user_id = user_id;
    out->second_factor = true;
    return rc;
}

int session_login(db_conn *c, const struct login_req *q, int64_t now, struct login_ok *out,
                  struct app_err *err)
{
    memset(out, 0, sizeof *out);
    char name[65];
    lower_name(q->username, name);
    db_rows *r = NULL;
    if (db_exec(c,
                "SELECT u.id, u.password_hash, u.disabled, u.username, "
                "CASE WHEN n.retired_at IS NULL THEN 0 ELSE 1 END, u.totp_enabled "
                "FROM users u JOIN units n ON n.id = u.unit_id WHERE u.username = ?",
                (db_param[]){P_STR(name)}, 1, &r) != DB_OK)
        return app_fail_internal(err);
    bool found = db_rows_count(r) == 1;
    int64_t user_id = found ? db_int(r, 0, 0) : 0;
    char dev_hash[SECRET_HEX_LEN];
    known_device(c, q->device, user_id, dev_hash);

    /* Reserve before hashing: however many requests arrive at once, at most `max` per key
     * reach password_verify. */
    struct throttle_ticket t;
    password_ticket(&t, name, q->addr, dev_hash[0] ? dev_hash : NULL);
    if (session_reserve(c, &t, now, err)) {
        db_rows_free(r);
        return -1;
    }
    bool ok = found ? password_verify(db_text(r, 0, 1), q->password)
                    : password_verify_dummy(q->password);
    bool disabled = found && db_int(r, 0, 2) != 0;
    bool unit_retired = found && db_int(r, 0, 4) != 0;
    bool totp = found && db_int(r, 0, 5) != 0;
    char uname[65];
    snprintf(uname, sizeof uname, "%s", found ? db_text(r, 0, 3) : "");
    db_rows_free(r);

    if (!ok) /* the reservation stays: it is the failure's count */
        return app_fail(err, 401, "invalid_credentials", NULL, "%s", msg_bad_credentials);
    /* Only someone who knows the password learns that the account is disabled. */
    if (disabled || unit_retired) {
        (void)throttle_release(c, &t);
        if (disabled)
            return app_fail(err, 403, "account_disabled", NULL,
                            "Tài khoản đã bị khoá. Vui lòng liên hệ quản trị viên.");
        return app_fail(err, 403, UNIT_RETIRED_CODE, NULL, "%s", unit_retired_message);
    }

    if (db_begin(c) != DB_OK)
        return app_fail_internal(err);
    int rc = throttle_release(c, &t);
    if (rc == DB_OK)
        rc = totp ? open_pending(c, user_id, uname, q, now, out)
                  : open_session(c, user_id, uname, q, now, NULL, out);
    if (rc != DB_OK || db_commit(c) != DB_OK) {
        db_rollback(c);
        sodium_memzero(out, sizeof *out);
        return app_fail_internal(err);
    }
    return 0;
}

int session_login_second(db_conn *c, const char *pending, const char *code,
                         const struct login_req *q, int64_t now, struct login_ok *out,
                         struct app_err *err)
{
    memset(out, 0, sizeof *out);
    static const char expired[] =
        "Phiên đăng nhập đã hết hạn hoặc đã nhập sai quá nhiều lần. Vui lòng đăng nhập lại.";
    if (!pending || !secret_is_hex(pending, 64))
        return app_fail(err, 401, "login_expired", "pending_token", "%s", expired);
    char h[SECRET_HEX_LEN];
    secret_sha256_hex(pending, h);
    /* One statement counts the try and checks the limit: concurrent tries cannot pass it. */
    int64_t user_id = 0;
    int rc = db_query_int(c,
                          "UPDATE pending_logins SET attempts = attempts + 1 WHERE token_hash = ? "
                          "AND expires_at > ? AND attempts < ? RETURNING user_id",
                          (db_param[]){P_STR(h), DB_P_INT(now), DB_P_INT(SESSION_PENDING_TRIES)},
                          3, &user_id);
    if (rc == DB_NOTFOUND)
        return app_fail(err, 401, "login_expired", "pending_token", "%s", expired);
    if (rc != DB_OK)
        return app_fail_internal(err);
    char uid[24];
    snprintf(uid, sizeof uid, "%lld", (long long)user_id);
    struct throttle_ticket t = {0};
    throttle_add(&t, THR_OTP, uid, NULL);
    if (session_reserve(c, &t, now, err))
        return -1;
    const char *kind = NULL;
    if (totp_check_code(c, user_id, code, now, &kind) != 0)
        return app_fail(err, 401, "invalid_code", "code",
                        "Mã xác thực không đúng hoặc đã được dùng. Vui lòng nhập mã mới trong "
                        "ứng dụng xác thực hoặc một mã khôi phục.");
    db_rows *r = NULL;
    if (db_exec(c,
                "SELECT u.username, u.disabled, CASE WHEN n.retired_at IS NULL THEN 0 ELSE 1 END "
                "FROM users u JOIN units n ON n.id = u.unit_id WHERE u.id = ?",
                (db_param[]){DB_P_INT(user_id)}, 1, &r) != DB_OK ||
        db_rows_count(r) != 1) {
        db_rows_free(r);
        return app_fail_internal(err);
    }
    char uname[65];
    snprintf(uname, sizeof uname, "%s", db_text(r, 0, 0));
    bool disabled = db_int(r, 0, 1) != 0, unit_retired = db_int(r, 0, 2) != 0;
    db_rows_free(r);
    /* Disabled (or unit retired) between the two steps: no session. */
    if (disabled)
        return app_fail(err, 403, "account_disabled", NULL,
                        "Tài khoản đã bị khoá. Vui lòng liên hệ quản trị viên.");
    if (unit_retired)
        return app_fail(err, 403, UNIT_RETIRED_CODE, NULL, "%s", unit_retired_message);
    if (db_begin(c) != DB_OK)
        return app_fail_internal(err);
    rc = db_exec(c, "DELETE FROM pending_logins WHERE token_hash = ?", (db_param[]){P_STR(h)}, 1,
                 NULL);
    if (rc == DB_OK)
        rc = throttle_release(c, &t);
    json_t *v = json_pack("{s:s}", "second_factor", kind);
    if (rc == DB_OK)
        rc = v ? open_session(c, user_id, uname, q, now, v, out) : DB_ERROR;
    json_decref(v);
    if (rc != DB_OK || db_commit(c) != DB_OK) {
        db_rollback(c);
        sodium_memzero(out, sizeof *out);
        return app_fail_internal(err);
    }
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
    /* Counted per session: only someone signed in can try, and a stranger's failed logins
     * (the account budget) cannot stop a user from changing their password. */
    char name[65], sid[32];
    lower_name(who->username, name);
    snprintf(sid, sizeof sid, "%lld", (long long)who->session_id);
    struct throttle_ticket t = {0};
    throttle_add(&t, THR_SESSION, name, sid);
    if (session_reserve(c, &t, now, err))
        return -1;

    db_rows *r = NULL;
    if (db_exec(c,
                "SELECT u.password_hash, u.username, u.full_name, n.name "
                "FROM users u JOIN units n ON n.id = u.unit_id WHERE u.id = ?",
                (db_param[]){DB_P_INT(who->user_id)}, 1, &r) != DB_OK ||
        db_rows_count(r) != 1) {
        db_rows_free(r);
        return app_fail_internal(err);
    }
    bool ok = password_verify(db_text(r, 0, 0), current);
    char uname[65];
    snprintf(uname, sizeof uname, "%s", db_text(r, 0, 1));
    if (!ok) {
        db_rows_free(r);
        return app_fail(err, 422, "invalid_current_password", "current_password",
                        "Mật khẩu hiện tại không đúng.");
    }
    (void)throttle_release(c, &t);
    /* The user's own words (name, unit) count as guessable. */
    const char *words[] = {db_text(r, 0, 2), db_text(r, 0, 3), NULL};
    const char *weak = password_policy(uname, new_password, words);
    db_rows_free(r);
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
    return 0;
}
