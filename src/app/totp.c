/* totp.c — TOTP enrolment, verification, recovery codes (see totp.h). */
#include "app/totp.h"

#include <ctype.h>
#include <liboath/oath.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/secret.h"
#include "app/session.h"
#include "app/throttle.h"

#define P_STR(x) ((db_param){.type = DB_TEXT, .s = (x)})

/* Crockford-like alphabet without 0/O, 1/I: 32 symbols, 5 bits each; 16 symbols = 80 bits. */
static const char recovery_alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
#define RECOVERY_CHARS 16

static pthread_once_t oath_once = PTHREAD_ONCE_INIT;
static int oath_ok;
static void init_oath(void)
{
    oath_ok = oath_init() == OATH_OK;
}

/* Upper-cases and drops separators ("abcd-efgh ..." -> "ABCDEFGH..."); false if too long or
 * holding anything but letters and digits. */
static bool normalise(const char *code, char *out, size_t cap)
{
    size_t n = 0;
    for (const char *p = code; p && *p; p++) {
        if (*p == '-' || *p == ' ')
            continue;
        if (!isalnum((unsigned char)*p) || n + 1 >= cap)
            return false;
        out[n++] = (char)toupper((unsigned char)*p);
    }
    out[n] = '\0';
    return n > 0;
}

static bool all_digits(const char *s)
{
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

/* The step a 6-digit code matches for the base32 secret, or -1. */
static int64_t match_step(const char *secret_b32, const char *code, int64_t now)
{
    pthread_once(&oath_once, init_oath);
    if (!oath_ok)
        return -1;
    char *key = NULL;
    size_t keylen = 0;
    if (oath_base32_decode(secret_b32, strlen(secret_b32), &key, &keylen) != OATH_OK)
        return -1;
    uint64_t counter = 0;
    int pos = 0;
    int rc = oath_totp_validate3(key, keylen, (time_t)now, TOTP_STEP, 0, TOTP_WINDOW, &pos,
                                 &counter, code);
    sodium_memzero(key, keylen);
    free(key);
    return rc >= 0 ? (int64_t)counter : -1;
}

/* Accepts step for user_id only if it is later than the last one used: one statement. */
static bool consume_step(db_conn *c, int64_t user_id, int64_t step, bool enabled_only)
{
    int rc = db_exec(c,
                     enabled_only ? "UPDATE users SET totp_last_step = ? WHERE id = ? AND "
                                    "totp_enabled = 1 AND (totp_last_step IS NULL OR "
                                    "totp_last_step < ?)"
                                  : "UPDATE users SET totp_last_step = ? WHERE id = ? AND "
                                    "(totp_last_step IS NULL OR totp_last_step < ?)",
                     (db_param[]){DB_P_INT(step), DB_P_INT(user_id), DB_P_INT(step)}, 3, NULL);
    return rc == DB_OK && db_changes(c) == 1;
}

int totp_check_code(db_conn *c, int64_t user_id, const char *code, int64_t now, const char **kind)
{
    char norm[40];
    if (!normalise(code, norm, sizeof norm))
        return -1;
    if (strlen(norm) == TOTP_DIGITS && all_digits(norm)) {
        db_rows *r = NULL;
        if (db_exec(c, "SELECT totp_secret FROM users WHERE id = ? AND totp_enabled = 1",
                    (db_param[]){DB_P_INT(user_id)}, 1, &r) != DB_OK ||
            db_rows_count(r) != 1) {
            db_rows_free(r);
            return -1;
        }
        int64_t step = match_step(db_text(r, 0, 0), norm, now);
        db_rows_free(r);
        if (step < 0 || !consume_step(c, user_id, step, true))
            return -1;
        *kind = "totp";
        return 0;
    }
    if (strlen(norm) != RECOVERY_CHARS)
        return -1;
    char h[SECRET_HEX_LEN];
    secret_sha256_hex(norm, h);
    if (db_exec(c,
                "UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND "
                "used_at IS NULL",
                (db_param[]){DB_P_INT(now), DB_P_INT(user_id), P_STR(h)}, 3, NULL) != DB_OK ||
        db_changes(c) != 1)
        return -1;
    *kind = "recovery_code";
    return 0;
}

static int audit_totp(db_conn *c, const struct caller *who, const char *addr, const char *action,
                      int64_t user_id, json_t *nv, int64_t now)
{
    struct app_actor a = {.user_id = who->user_id, .name = who->username, .client_addr = addr};
    return audit_change(c, &a, "user", action, user_id, NULL, nv, now);
}

json_t *totp_enrol_start(db_conn *c, const struct caller *who, const char *addr, int64_t now,
                         struct app_err *err)
{
    if (!who->user_id) {
        app_fail(err, 403, "forbidden", NULL, "Chỉ người dùng đã đăng nhập mới bật được xác thực hai bước.");
        return NULL;
    }
    unsigned char key[TOTP_SECRET_BYTES];
    randombytes_buf(key, sizeof key);
    char *b32 = NULL;
    size_t b32len = 0;
    pthread_once(&oath_once, init_oath);
    int orc = oath_ok ? oath_base32_encode((const char *)key, sizeof key, &b32, &b32len) : -1;
    sodium_memzero(key, sizeof key);
    if (orc != OATH_OK) {
        app_fail_internal(err);
        return NULL;
    }
    json_t *out = NULL;
    if (db_begin(c) != DB_OK)
        goto fail;
    int rc = db_exec(c,
                     "UPDATE users SET totp_secret = ?, totp_last_step = NULL WHERE id = ? AND "
                     "totp_enabled = 0",
                     (db_param[]){P_STR(b32), DB_P_INT(who->user_id)}, 2, NULL);
    if (rc == DB_OK && db_changes(c) != 1) {
        db_rollback(c);
        app_fail(err, 409, "totp_already_enabled", NULL,
                 "Xác thực hai bước đã được bật cho tài khoản này.");
        goto out;
    }
    if (rc == DB_OK)
        rc = audit_totp(c, who, addr, "user.totp_enrol_start", who->user_id, NULL, now);
    if (rc != DB_OK || db_commit(c) != DB_OK) {
        db_rollback(c);
        goto fail;
    }
    /* User names are [a-z0-9._-] (users.c), safe in a URI label as they are. */
    char uri[256];
    snprintf(uri, sizeof uri,
             "otpauth://totp/DTI:%.64s?secret=%s&issuer=DTI&algorithm=SHA1&digits=%d&period=%d",
             who->username, b32, TOTP_DIGITS, TOTP_STEP);
    out = json_pack("{s:s,s:s}", "secret", b32, "otpauth_uri", uri);
    if (!out)
        goto fail;
    goto out;
fail:
    app_fail_internal(err);
out:
    sodium_memzero(b32, b32len);
    free(b32);
    return out;
}

/* Replaces the user's recovery codes with new ones (caller's transaction); codes -> array. */
static int new_recovery_codes(db_conn *c, int64_t user_id, json_t *codes)
{
    int rc = db_exec(c, "DELETE FROM recovery_codes WHERE user_id = ?",
                     (db_param[]){DB_P_INT(user_id)}, 1, NULL);
    for (int i = 0; i < TOTP_RECOVERY_CODES && rc == DB_OK; i++) {
        char raw[RECOVERY_CHARS + 1], shown[RECOVERY_CHARS + RECOVERY_CHARS / 4];
        size_t k = 0;
        for (int j = 0; j < RECOVERY_CHARS; j++) {
            raw[j] = recovery_alphabet[randombytes_uniform(sizeof recovery_alphabet - 1)];
            if (j && j % 4 == 0)
                shown[k++] = '-';
            shown[k++] = raw[j];
        }
        raw[RECOVERY_CHARS] = '\0';
        shown[k] = '\0';
        char h[SECRET_HEX_LEN];
        secret_sha256_hex(raw, h);
        rc = db_exec(c, "INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)",
                     (db_param[]){DB_P_INT(user_id), P_STR(h)}, 2, NULL);
        if (rc == DB_OK && json_array_append_new(codes, json_string(shown)) != 0)
            rc = DB_ERROR;
        sodium_memzero(raw, sizeof raw);
        sodium_memzero(shown, sizeof shown);
    }
    return rc;
}

/* Reserves one second-factor attempt of the user (THR_OTP); 0 reserved, -1 with err. */
static int reserve_otp(db_conn *c, int64_t user_id, int64_t now, struct throttle_ticket *t,
                       struct app_err *err)
{
    char uid[24];
    snprintf(uid, sizeof uid, "%lld", (long long)user_id);
    t->n = 0;
    throttle_add(t, THR_OTP, uid, NULL);
    return session_reserve(c, t, now, err);
}

static int invalid_code(struct app_err *err)
{
    return app_fail(err, 422, "invalid_code", "code",
                    "Mã xác thực không đúng hoặc đã được dùng. Vui lòng nhập mã đang hiển thị "
                    "trong ứng dụng xác thực.");
}

json_t *totp_enrol_confirm(db_conn *c, const struct caller *who, const char *addr,
                           const char *code, int64_t now, struct app_err *err)
{
    db_rows *r = NULL;
    if (db_exec(c, "SELECT totp_secret, totp_enabled FROM users WHERE id = ?",
                (db_param[]){DB_P_INT(who->user_id)}, 1, &r) != DB_OK ||
        db_rows_count(r) != 1) {
        db_rows_free(r);
        app_fail_internal(err);
        return NULL;
    }
    if (db_int(r, 0, 1) != 0 || db_is_null(r, 0, 0)) {
        bool enabled = db_int(r, 0, 1) != 0;
        db_rows_free(r);
        if (enabled)
            app_fail(err, 409, "totp_already_enabled", NULL,
                     "Xác thực hai bước đã được bật cho tài khoản này.");
        else
            app_fail(err, 409, "totp_not_started", NULL,
                     "Chưa bắt đầu đăng ký xác thực hai bước: hãy tạo khoá bí mật trước.");
        return NULL;
    }
    char norm[16];
    int64_t step = -1;
    struct throttle_ticket t;
    if (reserve_otp(c, who->user_id, now, &t, err)) {
        db_rows_free(r);
        return NULL;
    }
    if (normalise(code, norm, sizeof norm) && strlen(norm) == TOTP_DIGITS && all_digits(norm))
        step = match_step(db_text(r, 0, 0), norm, now);
    db_rows_free(r);
    if (step < 0) {
        invalid_code(err);
        return NULL;
    }
    json_t *codes = json_array();
    if (!codes || db_begin(c) != DB_OK) {
        json_decref(codes);
        app_fail_internal(err);
        return NULL;
    }
    int rc = consume_step(c, who->user_id, step, false) ? DB_OK : DB_NOTFOUND;
    if (rc == DB_OK)
        rc = db_exec(c, "UPDATE users SET totp_enabled = 1 WHERE id = ? AND totp_enabled = 0",
                     (db_param[]){DB_P_INT(who->user_id)}, 1, NULL);
    if (rc == DB_OK && db_changes(c) != 1)
        rc = DB_NOTFOUND;
    if (rc == DB_OK)
        rc = new_recovery_codes(c, who->user_id, codes);
    if (rc == DB_OK)
        rc = throttle_release(c, &t);
    json_t *nv = json_pack("{s:b,s:i}", "totp_enabled", 1, "recovery_codes", TOTP_RECOVERY_CODES);
    if (rc == DB_OK)
        rc = nv ? audit_totp(c, who, addr, "user.totp_enable", who->user_id, nv, now) : DB_ERROR;
    json_decref(nv);
    if (rc != DB_OK || db_commit(c) != DB_OK) {
        db_rollback(c);
        json_decref(codes);
        if (rc == DB_NOTFOUND)
            invalid_code(err);
        else
            app_fail_internal(err);
        return NULL;
    }
    return json_pack("{s:o}", "recovery_codes", codes);
}

/* The second factor off: secret, last used step and recovery codes gone (caller's tx).
 * DB_NOTFOUND when there is no such user. */
static int clear_totp(db_conn *c, int64_t user_id)
{
    int rc = db_exec(c,
                     "UPDATE users SET totp_enabled = 0, totp_secret = NULL, totp_last_step = NULL "
                     "WHERE id = ?",
                     (db_param[]){DB_P_INT(user_id)}, 1, NULL);
    if (rc == DB_OK && db_changes(c) != 1)
        return DB_NOTFOUND;
    if (rc == DB_OK)
        rc = db_exec(c, "DELETE FROM recovery_codes WHERE user_id = ?",
                     (db_param[]){DB_P_INT(user_id)}, 1, NULL);
    return rc;
}

int totp_disable(db_conn *c, const struct caller *who, const char *addr, const char *code,
                 int64_t now, struct app_err *err)
{
    if (who->role == ROLE_ADMIN)
        return app_fail(err, 403, "totp_required", NULL,
                        "Tài khoản quản trị bắt buộc dùng xác thực hai bước, không thể tắt.");
    int64_t enabled = 0;
    if (db_query_int(c, "SELECT totp_enabled FROM users WHERE id = ?",
                     (db_param[]){DB_P_INT(who->user_id)}, 1, &enabled) != DB_OK)
        return app_fail_internal(err);
    if (!enabled)
        return app_fail(err, 409, "totp_not_enabled", NULL,
                        "Xác thực hai bước chưa được bật cho tài khoản này.");
    struct throttle_ticket t;
    if (reserve_otp(c, who->user_id, now, &t, err))
        return -1;
    const char *kind = NULL;
    if (totp_check_code(c, who->user_id, code, now, &kind) != 0)
        return invalid_code(err);
    if (db_begin(c) != DB_OK)
        return app_fail_internal(err);
    int rc = clear_totp(c, who->user_id);
    if (rc == DB_OK)
        rc = throttle_release(c, &t);
    json_t *nv = json_pack("{s:b,s:s}", "totp_enabled", 0, "confirmed_with", kind);
    if (rc == DB_OK)
        rc = nv ? audit_totp(c, who, addr, "user.totp_disable", who->user_id, nv, now) : DB_ERROR;
    json_decref(nv);
    if (rc != DB_OK || db_commit(c) != DB_OK) {
        db_rollback(c);
        return app_fail_internal(err);
    }
    return 0;
}

int totp_reset_in_tx(db_conn *c, const struct app_actor *who, int64_t user_id, int64_t now,
                     struct app_err *err)
{
    int rc = clear_totp(c, user_id);
    if (rc == DB_NOTFOUND)
        return app_fail(err, 404, "not_found", NULL, "Không tìm thấy người dùng.");
    if (rc == DB_OK)
        rc = db_exec(c, "DELETE FROM pending_logins WHERE user_id = ?",
                     (db_param[]){DB_P_INT(user_id)}, 1, NULL);
    if (rc == DB_OK)
        rc = db_exec(c, "DELETE FROM sessions WHERE user_id = ?", (db_param[]){DB_P_INT(user_id)},
                     1, NULL);
    json_t *nv = json_pack("{s:b}", "totp_enabled", 0);
    if (rc == DB_OK)
        rc = nv ? audit_change(c, who, "user", "user.totp_reset", user_id, NULL, nv, now)
                : DB_ERROR;
    json_decref(nv);
    return rc == DB_OK ? 0 : app_fail_internal(err);
}

int totp_admin_reset(db_conn *c, const struct caller *who, const char *addr, int64_t user_id,
                     int64_t now, struct app_err *err)
{
    if (db_begin(c) != DB_OK)
        return app_fail_internal(err);
    struct app_actor a = {.user_id = who->user_id, .name = who->username, .client_addr = addr};
    if (totp_reset_in_tx(c, &a, user_id, now, err) != 0) {
        db_rollback(c);
        return -1;
    }
    if (db_commit(c) != DB_OK) {
        db_rollback(c);
        return app_fail_internal(err);
    }
    return 0;
}
