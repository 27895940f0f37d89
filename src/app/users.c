/* users.c — accounts. No default passwords, ever (DESIGN §7): every new account and every
 * reset gets its own random one-time password that must be changed at first login. */
#include "app/users.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "app/isotime.h"
#include "app/json_rows.h"
#include "app/text.h"
#include "app/units.h"
#include "http/http.h"

/* A bound string known not to be NULL (arrays make DB_P_TEXT warn). */
#define P_STR(x) ((db_param){.type = DB_TEXT, .s = (x)})
#define USER_COLS "id, username, full_name, email, role, unit_id, disabled, totp_enabled, " \
                  "must_change_password, created_at, last_login_at"

static const struct {
    const char *name;
    unsigned bit;
} roles[] = {
    {"admin", ROLE_ADMIN}, {"appraiser", ROLE_APPRAISER}, {"staff", ROLE_STAFF},
    {"leader", ROLE_LEADER}, {"feed", ROLE_FEED},
};

unsigned role_from_name(const char *name)
{
    for (size_t i = 0; name && i < sizeof roles / sizeof *roles; i++)
        if (!strcmp(name, roles[i].name))
            return roles[i].bit;
    return 0;
}

const char *role_name(unsigned role)
{
    for (size_t i = 0; i < sizeof roles / sizeof *roles; i++)
        if (role == roles[i].bit)
            return roles[i].name;
    return "";
}

/* One json_pack with every member: a member that could not be allocated (NULL for "o") fails
 * the whole object, and json_pack releases the members it was given, so a row comes back whole
 * or NULL, never short of a field. */
static json_t *row_to_user(const db_rows *r, int i)
{
    return json_pack("{s:I,s:s,s:s,s:o,s:s,s:I,s:b,s:b,s:b,s:o,s:o}", "id",
                     (json_int_t)db_int(r, i, 0), "username", db_text(r, i, 1), "full_name",
                     db_text(r, i, 2), "email",
                     db_is_null(r, i, 3) ? json_null() : json_string(db_text(r, i, 3)), "role",
                     db_text(r, i, 4), "unit_id", (json_int_t)db_int(r, i, 5), "disabled",
                     db_int(r, i, 6) != 0, "totp_enabled", db_int(r, i, 7) != 0,
                     "must_change_password", db_int(r, i, 8) != 0, "created_at",
                     isotime_json(db_int(r, i, 9), 0), "last_login_at",
                     isotime_json(db_int(r, i, 10), db_is_null(r, i, 10)));
}

json_t *user_get(db_conn *c, int64_t id)
{
    db_rows *r = NULL;
    db_param p[] = {DB_P_INT(id)};
    if (db_exec(c, "SELECT " USER_COLS " FROM users WHERE id = ?", p, 1, &r) != DB_OK)
        return NULL;
    json_t *u = db_rows_count(r) == 1 ? row_to_user(r, 0) : NULL;
    db_rows_free(r);
    return u;
}

json_t *users_list(db_conn *c, int64_t unit_id)
{
    db_rows *r = NULL;
    db_param p[] = {DB_P_INT(unit_id)};
    int rc = unit_id > 0 ? db_exec(c, "SELECT " USER_COLS " FROM users WHERE unit_id = ? ORDER BY id",
                                   p, 1, &r)
                         : db_exec(c, "SELECT " USER_COLS " FROM users ORDER BY id", NULL, 0, &r);
    if (rc != DB_OK)
        return NULL;
    json_t *a = json_rows_array(r, row_to_user);
    db_rows_free(r);
    return a;
}

int64_t user_id_by_name(db_conn *c, const char *username)
{
    int64_t id = 0;
    db_param p[] = {DB_P_TEXT(username)};
    if (db_query_int(c, "SELECT id FROM users WHERE username = ?", p, 1, &id) != DB_OK)
        return 0;
    return id;
}

int64_t user_unit(db_conn *c, int64_t id)
{
    int64_t u = 0;
    db_param p[] = {DB_P_INT(id)};
    if (db_query_int(c, "SELECT unit_id FROM users WHERE id = ?", p, 1, &u) != DB_OK)
        return 0;
    return u;
}

int user_normalize_name(const char *in, char out[65], struct app_err *err)
{
    size_t n = strlen(in);
    if (n > 64)
        return app_fail(err, 400, "too_long", "username", "Tên đăng nhập dài quá 64 ký tự.");
    for (size_t i = 0; i < n; i++) {
        char ch = in[i];
        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch - 'A' + 'a');
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' ||
              ch == '-'))
            return app_fail(err, 422, "invalid_value", "username",
                            "Tên đăng nhập chỉ gồm chữ cái không dấu, chữ số, dấu chấm, gạch "
                            "dưới, gạch ngang (3–64 ký tự).");
        out[i] = ch;
    }
    out[n] = '\0';
    if (n < 3)
        return app_fail(err, 422, "invalid_value", "username",
                        "Tên đăng nhập phải có từ 3 đến 64 ký tự.");
    return 0;
}

/* The text fields of a user_input after cleaning (full name: text_clean_name, a display name). */
struct user_text {
    char full_name[TEXT_BUF(USER_FULL_NAME_MAX)];
    char email_buf[TEXT_BUF(USER_EMAIL_MAX)];
    const char *email; /* NULL: none (absent, null or empty) */
};

static const struct text_field full_name_field = {"full_name", "Họ và tên", USER_FULL_NAME_MAX,
                                                  true};
static const struct text_field email_field = {"email", "Địa chỉ thư điện tử", USER_EMAIL_MAX,
                                              false};

/* Checks the fields present in `in` and cleans its texts into t. A full name, when given, is
 * never empty (create requires one). */
static int check_fields(db_conn *c, const struct user_input *in, struct user_text *t,
                        struct app_err *err)
{
    t->full_name[0] = '\0';
    t->email = NULL;
    if (in->full_name &&
        text_clean_name(in->full_name, &full_name_field, t->full_name, sizeof t->full_name, err))
        return -1;
    if (in->has_email && in->email) {
        if (text_clean_line(in->email, &email_field, t->email_buf, sizeof t->email_buf, err))
            return -1;
        t->email = t->email_buf[0] ? t->email_buf : NULL;
    }
    if (t->email) {
        const char *e = t->email;
        if (strlen(e) > USER_EMAIL_MAX)
            return app_fail(err, 400, "too_long", "email", "Địa chỉ thư điện tử dài quá %d ký tự.",
                            USER_EMAIL_MAX);
        const char *at = strchr(e, '@');
        if (!at || at == e || !at[1] || strchr(at + 1, '@') || !strchr(at + 1, '.') ||
            text_has_control(e) || strchr(e, ' '))
            return app_fail(err, 422, "invalid_value", "email",
                            "Địa chỉ thư điện tử không hợp lệ.");
    }
    if (in->role) {
        unsigned r = role_from_name(in->role);
        if (!r || r == ROLE_FEED)
            return app_fail(err, 422, "invalid_value", "role",
                            "Vai trò phải là một trong: admin, appraiser, staff, leader.");
    }
    if (in->unit_id && !unit_is_active(c, in->unit_id))
        return app_fail(err, 422, "invalid_unit", "unit_id",
                        "Đơn vị không tồn tại hoặc đã ngừng hoạt động.");
    return 0;
}

int user_create(db_conn *c, const struct app_actor *who, const struct user_input *in,
                int64_t now, int64_t *id_out, char otp[PASSWORD_OTP_LEN], struct app_err *err)
{
    char name[65];
    if (!in->username)
        return app_fail(err, 400, "missing_field", "username", "Thiếu tên đăng nhập (username).");
    if (!in->role)
        return app_fail(err, 400, "missing_field", "role", "Thiếu vai trò (role).");
    if (!in->unit_id)
        return app_fail(err, 400, "missing_field", "unit_id", "Thiếu đơn vị (unit_id).");
    if (!in->full_name)
        return app_fail(err, 400, "missing_field", "full_name", "Thiếu họ và tên (full_name).");
    struct user_text t;
    if (user_normalize_name(in->username, name, err) || check_fields(c, in, &t, err))
        return -1;
    if (user_id_by_name(c, name))
        return app_fail(err, 409, "username_taken", "username",
                        "Tên đăng nhập “%s” đã có người dùng.", name);
    char hash[PASSWORD_HASH_LEN];
    password_generate(otp);
    if (password_hash(otp, hash) != 0)
        return app_fail_internal(err);
    int rc = user_create_hashed(c, who, in, hash, now, id_out, err);
    sodium_memzero(hash, sizeof hash);
    return rc;
}

int user_create_hashed(db_conn *c, const struct app_actor *who, const struct user_input *in,
                       const char *hash, int64_t now, int64_t *id_out, struct app_err *err)
{
    char name[65];
    if (!in->username || !in->role || !in->unit_id || !in->full_name)
        return app_fail(err, 400, "missing_field", NULL, "Thiếu thông tin tài khoản.");
    struct user_text t;
    if (user_normalize_name(in->username, name, err) || check_fields(c, in, &t, err))
        return -1;
    if (user_id_by_name(c, name))
        return app_fail(err, 409, "username_taken", "username",
                        "Tên đăng nhập “%s” đã có người dùng.", name);
    db_param p[] = {P_STR(name),  P_STR(t.full_name),
                    DB_P_TEXT(t.email), DB_P_TEXT(in->role),
                    DB_P_INT(in->unit_id), P_STR(hash),
                    DB_P_INT(now)};
    int64_t id = 0;
    int rc = db_query_int(c,
                          "INSERT INTO users (username, full_name, email, role, unit_id, "
                          "password_hash, must_change_password, disabled, created_at) "
                          "VALUES (?, ?, ?, ?, ?, ?, 1, 0, ?) RETURNING id",
                          p, 7, &id);
    if (rc == DB_CONSTRAINT)
        return app_fail(err, 409, "username_taken", "username",
                        "Tên đăng nhập “%s” đã có người dùng.", name);
    if (rc != DB_OK)
        return app_fail_internal(err);
    json_t *nu = user_get(c, id);
    rc = nu ? audit_change(c, who, "user", "user.create", id, NULL, nu, now) : DB_ERROR;
    json_decref(nu);
    if (rc != DB_OK)
        return app_fail_internal(err);
    if (id_out)
        *id_out = id;
    return 0;
}

int user_update(db_conn *c, const struct app_actor *who, int64_t id,
                const struct user_input *in, int64_t now, struct app_err *err)
{
    json_t *old_u = user_get(c, id);
    if (!old_u)
        return app_fail(err, 404, "not_found", NULL, "Không tìm thấy tài khoản.");
    struct user_text t;
    if (check_fields(c, in, &t, err)) {
        json_decref(old_u);
        return -1;
    }
    /* An administrator cannot demote themselves: the province would be left without one. */
    if (who->user_id == id && in->role && strcmp(in->role, "admin")) {
        json_decref(old_u);
        return app_fail(err, 422, "invalid_value", "role",
                        "Không thể tự thay đổi vai trò quản trị của chính mình.");
    }
    db_param p[] = {in->full_name ? P_STR(t.full_name) : DB_P_NULL, DB_P_INT(in->has_email),
                    DB_P_TEXT(t.email),
                    DB_P_TEXT(in->role),      DB_P_INT(in->unit_id),   DB_P_INT(id)};
    int rc = db_exec(c,
                     "UPDATE users SET full_name = COALESCE(?, full_name), "
                     "email = CASE WHEN ? = 1 THEN ? ELSE email END, "
                     "role = COALESCE(?, role), "
                     "unit_id = CASE WHEN ? > 0 THEN ? ELSE unit_id END WHERE id = ?",
                     (db_param[]){p[0], p[1], p[2], p[3], p[4], p[4], p[5]}, 7, NULL);
    json_t *new_u = rc == DB_OK ? user_get(c, id) : NULL;
    rc = !new_u                        ? DB_ERROR
         : json_equal(old_u, new_u)    ? DB_OK
                                       : audit_change(c, who, "user", "user.update", id, old_u, new_u, now);
    /* A user moved to another unit or role must sign in again with the new rights. */
    if (rc == DB_OK && new_u &&
        (!json_equal(json_object_get(old_u, "role"), json_object_get(new_u, "role")) ||
         !json_equal(json_object_get(old_u, "unit_id"), json_object_get(new_u, "unit_id"))))
        rc = db_exec(c, "DELETE FROM sessions WHERE user_id = ?", (db_param[]){DB_P_INT(id)}, 1,
                     NULL);
    json_decref(old_u);
    json_decref(new_u);
    return rc == DB_OK ? 0 : app_fail_internal(err);
}

static int revoke_all(db_conn *c, int64_t id, int64_t now)
{
    db_param p[] = {DB_P_INT(id)};
    if (db_exec(c, "DELETE FROM sessions WHERE user_id = ?", p, 1, NULL) != DB_OK)
        return DB_ERROR;
    db_param q[] = {DB_P_INT(now), DB_P_INT(id)};
    return db_exec(c,
                   "UPDATE api_tokens SET revoked_at = ? WHERE created_by = ? AND revoked_at IS "
                   "NULL",
                   q, 2, NULL);
}

int user_set_disabled(db_conn *c, const struct app_actor *who, int64_t id, bool disabled,
                      int64_t now, struct app_err *err)
{
    if (disabled && who->user_id == id)
        return app_fail(err, 422, "cannot_disable_self", NULL,
                        "Không thể tự khoá tài khoản của chính mình.");
    json_t *old_u = user_get(c, id);
    if (!old_u)
        return app_fail(err, 404, "not_found", NULL, "Không tìm thấy tài khoản.");
    int rc = DB_OK;
    if (json_is_true(json_object_get(old_u, "disabled")) == disabled) {
        json_decref(old_u); /* already in that state: nothing to change, nothing to audit */
        return 0;
    }
    db_param p[] = {DB_P_INT(disabled ? 1 : 0), DB_P_INT(id)};
    rc = db_exec(c, "UPDATE users SET disabled = ? WHERE id = ?", p, 2, NULL);
    if (rc == DB_OK && disabled)
        rc = revoke_all(c, id, now);
    json_t *new_u = rc == DB_OK ? user_get(c, id) : NULL;
    rc = new_u ? audit_change(c, who, "user", disabled ? "user.disable" : "user.enable", id, old_u, new_u,
                            now)
               : DB_ERROR;
    json_decref(old_u);
    json_decref(new_u);
    return rc == DB_OK ? 0 : app_fail_internal(err);
}

int user_reset_password(db_conn *c, const struct app_actor *who, int64_t id, int64_t now,
                        char otp[PASSWORD_OTP_LEN], struct app_err *err)
{
    json_t *old_u = user_get(c, id);
    if (!old_u)
        return app_fail(err, 404, "not_found", NULL, "Không tìm thấy tài khoản.");
    char hash[PASSWORD_HASH_LEN];
    password_generate(otp);
    if (password_hash(otp, hash) != 0) {
        json_decref(old_u);
        return app_fail_internal(err);
    }
    db_param p[] = {P_STR(hash), DB_P_INT(now), DB_P_INT(id)};
    int rc = db_exec(c,
                     "UPDATE users SET password_hash = ?, must_change_password = 1, "
                     "password_changed_at = ? WHERE id = ?",
                     p, 3, NULL);
    sodium_memzero(hash, sizeof hash);
    if (rc == DB_OK)
        rc = db_exec(c, "DELETE FROM sessions WHERE user_id = ?", (db_param[]){DB_P_INT(id)}, 1,
                     NULL);
    json_t *new_u = rc == DB_OK ? user_get(c, id) : NULL;
    rc = new_u ? audit_change(c, who, "user", "user.reset_password", id, old_u, new_u, now) : DB_ERROR;
    json_decref(old_u);
    json_decref(new_u);
    return rc == DB_OK ? 0 : app_fail_internal(err);
}
