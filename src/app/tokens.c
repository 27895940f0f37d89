/* tokens.c — API tokens. */
#include "app/tokens.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "app/isotime.h"
#include "app/json_rows.h"
#include "app/secret.h"
#include "app/text.h"
#include "app/units.h"

#define P_STR(x) ((db_param){.type = DB_TEXT, .s = (x)})
#define TOKEN_COLS "id, name, unit_id, role, created_at, revoked_at, last_used_at, created_by"

static const char *const token_roles[] = {"feed", "staff", "leader", "appraiser"};

static json_t *row_to_token(const db_rows *r, int i)
{
    /* All members in one json_pack: whole or NULL (see row_to_user). */
    return json_pack("{s:I,s:s,s:I,s:s,s:o,s:o,s:o,s:o}", "id", (json_int_t)db_int(r, i, 0),
                     "name", db_text(r, i, 1), "unit_id", (json_int_t)db_int(r, i, 2), "role",
                     db_text(r, i, 3), "created_at", isotime_json(db_int(r, i, 4), 0),
                     "revoked_at", isotime_json(db_int(r, i, 5), db_is_null(r, i, 5)),
                     "last_used_at", isotime_json(db_int(r, i, 6), db_is_null(r, i, 6)),
                     "created_by",
                     db_is_null(r, i, 7) ? json_null() : json_integer(db_int(r, i, 7)));
}

json_t *token_get(db_conn *c, int64_t id)
{
    db_rows *r = NULL;
    if (db_exec(c, "SELECT " TOKEN_COLS " FROM api_tokens WHERE id = ?",
                (db_param[]){DB_P_INT(id)}, 1, &r) != DB_OK)
        return NULL;
    json_t *t = db_rows_count(r) == 1 ? row_to_token(r, 0) : NULL;
    db_rows_free(r);
    return t;
}

json_t *tokens_list(db_conn *c)
{
    db_rows *r = NULL;
    if (db_exec(c, "SELECT " TOKEN_COLS " FROM api_tokens ORDER BY id", NULL, 0, &r) != DB_OK)
        return NULL;
    json_t *a = json_rows_array(r, row_to_token);
    db_rows_free(r);
    return a;
}

int token_create(db_conn *c, const struct app_actor *who, const char *name, int64_t unit_id,
                 const char *role, int64_t now, int64_t *id_out, char secret[TOKEN_SECRET_LEN],
                 struct app_err *err)
{
    if (!name)
        return app_fail(err, 400, "missing_field", "name", "Thiếu tên mã truy cập (name).");
    if (!unit_id)
        return app_fail(err, 400, "missing_field", "unit_id", "Thiếu đơn vị (unit_id).");
    if (!role)
        return app_fail(err, 400, "missing_field", "role", "Thiếu vai trò (role).");
    static const struct text_field name_field = {"name", "Tên mã truy cập", TOKEN_NAME_MAX,
                                                 true};
    char clean[TEXT_BUF(TOKEN_NAME_MAX)];
    if (text_clean_name(name, &name_field, clean, sizeof clean, err))
        return -1;
    name = clean;
    bool role_ok = false;
    for (size_t i = 0; i < sizeof token_roles / sizeof *token_roles; i++)
        role_ok |= !strcmp(role, token_roles[i]);
    if (!role_ok)
        return app_fail(err, 422, "invalid_value", "role",
                        "Vai trò của mã truy cập phải là một trong: feed, staff, leader, "
                        "appraiser.");
    if (!unit_is_active(c, unit_id))
        return app_fail(err, 422, "invalid_unit", "unit_id",
                        "Đơn vị không tồn tại hoặc đã ngừng hoạt động.");

    char hex[SECRET_HEX_LEN], hash[SECRET_HEX_LEN];
    secret_random_hex(hex);
    snprintf(secret, TOKEN_SECRET_LEN, TOKEN_PREFIX "%s", hex);
    sodium_memzero(hex, sizeof hex);
    secret_sha256_hex(secret, hash);
    int64_t id = 0;
    int rc = db_query_int(c,
                          "INSERT INTO api_tokens (name, token_hash, unit_id, role, created_by, "
                          "created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                          (db_param[]){DB_P_TEXT(name), P_STR(hash), DB_P_INT(unit_id),
                                       DB_P_TEXT(role),
                                       who->user_id ? DB_P_INT(who->user_id) : DB_P_NULL,
                                       DB_P_INT(now)},
                          6, &id);
    if (rc != DB_OK) {
        sodium_memzero(secret, TOKEN_SECRET_LEN);
        return app_fail_internal(err);
    }
    json_t *t = token_get(c, id);
    rc = t ? audit_change(c, who, "api_token", "api_token.create", id, NULL, t, now) : DB_ERROR;
    json_decref(t);
    if (rc != DB_OK) {
        sodium_memzero(secret, TOKEN_SECRET_LEN);
        return app_fail_internal(err);
    }
    if (id_out)
        *id_out = id;
    return 0;
}

int token_revoke(db_conn *c, const struct app_actor *who, int64_t id, int64_t now,
                 struct app_err *err)
{
    json_t *old_t = token_get(c, id);
    if (!old_t)
        return app_fail(err, 404, "not_found", NULL, "Không tìm thấy mã truy cập.");
    if (!json_is_null(json_object_get(old_t, "revoked_at"))) {
        json_decref(old_t);
        return 0; /* revoking twice changes nothing */
    }
    int rc = db_exec(c, "UPDATE api_tokens SET revoked_at = ? WHERE id = ?",
                     (db_param[]){DB_P_INT(now), DB_P_INT(id)}, 2, NULL);
    json_t *new_t = rc == DB_OK ? token_get(c, id) : NULL;
    rc = new_t ? audit_change(c, who, "api_token", "api_token.revoke", id, old_t, new_t, now) : DB_ERROR;
    json_decref(old_t);
    json_decref(new_t);
    return rc == DB_OK ? 0 : app_fail_internal(err);
}
