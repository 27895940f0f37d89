/* units.c — the unit tree. Units are never deleted: a district abolished in 2025 is retired
 * and keeps every score it ever had (DESIGN §3). One tree: exactly one root, of kind
 * province, and every other unit has an active parent (never null, never a cycle). Names are
 * display names (text_clean_name: NFC, spaces collapsed, one script, no look-alike forms) and
 * unique among active siblings after case folding, and not confusable with one (UTS #39
 * skeleton). A retirement needs a reason. */
#include "app/units.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/isotime.h"
#include "app/json_rows.h"
#include "core/json_oom.h"
#include "app/text.h"
#include "app/tokens.h"
#include "core/framework.h"

#define UNIT_COLS "id, code, name, kind, parent_id, official_code, info, created_at, " \
                  "retired_at, retired_reason"


static const char *const info_text_keys[] = {"address", "website"};
static const char *const info_count_keys[] = {
    "subunits_count",     "civil_servants_count",      "public_employees_count",
    "servers_count",      "workstations_count",        "information_systems_count",
    "admin_procedures_count",
};
#define INFO_TEXT_MAX 500
#define INFO_COUNT_MAX 100000000 /* 10^8: more than any province has of anything */

static json_t *row_to_unit(const db_rows *r, int i)
{
    bool oom;
    const char *text = db_text(r, i, 6);
    json_t *info = json_oom_loadb(text, strlen(text), 0, NULL, &oom);
    if (oom)
        return NULL; /* not an empty info: the stored one could not be read */
    if (!json_is_object(info)) {
        json_decref(info);
        info = json_object();
    }
    /* All members in one json_pack: whole or NULL (see row_to_user). */
    return json_pack("{s:I,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o}", "id",
                     (json_int_t)db_int(r, i, 0), "code", db_text(r, i, 1), "name",
                     db_text(r, i, 2), "kind", db_text(r, i, 3), "parent_id",
                     db_is_null(r, i, 4) ? json_null() : json_integer(db_int(r, i, 4)),
                     "official_code",
                     db_is_null(r, i, 5) ? json_null() : json_string(db_text(r, i, 5)), "info",
                     info, "created_at", isotime_json(db_int(r, i, 7), 0), "retired_at",
                     isotime_json(db_int(r, i, 8), db_is_null(r, i, 8)), "retired_reason",
                     db_is_null(r, i, 9) ? json_null() : json_string(db_text(r, i, 9)));
}

json_t *unit_get(db_conn *c, int64_t id)
{
    db_rows *r = NULL;
    db_param p[] = {DB_P_INT(id)};
    if (db_exec(c, "SELECT " UNIT_COLS " FROM units WHERE id = ?", p, 1, &r) != DB_OK)
        return NULL;
    json_t *u = db_rows_count(r) == 1 ? row_to_unit(r, 0) : NULL;
    db_rows_free(r);
    return u;
}

int64_t unit_id_by_code(db_conn *c, const char *code)
{
    int64_t id = 0;
    db_param p[] = {DB_P_TEXT(code)};
    if (db_query_int(c, "SELECT id FROM units WHERE code = ?", p, 1, &id) != DB_OK)
        return 0;
    return id;
}

json_t *units_list(db_conn *c, bool include_retired)
{
    db_rows *r = NULL;
    const char *sql = include_retired
                          ? "SELECT " UNIT_COLS " FROM units ORDER BY id"
                          : "SELECT " UNIT_COLS " FROM units WHERE retired_at IS NULL ORDER BY id";
    if (db_exec(c, sql, NULL, 0, &r) != DB_OK)
        return NULL;
    json_t *a = json_rows_array(r, row_to_unit);
    db_rows_free(r);
    return a;
}

bool unit_is_active(db_conn *c, int64_t id)
{
    int64_t n = 0;
    db_param p[] = {DB_P_INT(id)};
    return db_query_int(c, "SELECT COUNT(*) FROM units WHERE id = ? AND retired_at IS NULL", p,
                        1, &n) == DB_OK &&
           n == 1;
}

static bool key_in(const char *k, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(k, list[i]))
            return true;
    return false;
}

/* http(s)://host[...], host made of letters, digits, dots, dashes (and a port). */
static bool is_web_url(const char *s)
{
    const char *h;
    if (!strncmp(s, "https://", 8))
        h = s + 8;
    else if (!strncmp(s, "http://", 7))
        h = s + 7;
    else
        return false;
    size_t n = 0;
    for (; h[n] && h[n] != '/' && h[n] != '?' && h[n] != '#'; n++) {
        char ch = h[n];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '.' || ch == '-' || ch == ':'))
            return false;
    }
    if (n == 0 || h[0] == '.' || h[0] == '-' || h[0] == ':')
        return false;
    for (const char *p = h; *p; p++)
        if ((unsigned char)*p <= 0x20 || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
            return false;
    return true;
}

/* Validates the `info` keys of `in` and applies them to dst: text values cleaned by
 * text_clean_line, counts as given, null removes the key. */
static int info_apply(json_t *dst, json_t *info, struct app_err *err)
{
    char field[96];
    if (!json_is_object(info))
        return app_fail(err, 400, "invalid_type", "info",
                        "Trường “info” phải là một đối tượng JSON.");
    const char *k;
    json_t *v;
    json_object_foreach(info, k, v) {
        snprintf(field, sizeof field, "info.%s", k);
        bool is_text = key_in(k, info_text_keys, 2);
        bool is_count = key_in(k, info_count_keys, sizeof info_count_keys / sizeof *info_count_keys);
        if (!is_text && !is_count)
            return app_fail(err, 400, "unknown_field", field,
                            "Trường “%.60s” không được hỗ trợ.", field);
        if (json_is_null(v)) {
            json_object_del(dst, k); /* removes the key on update */
            continue;
        }
        if (is_text) {
            if (!json_is_string(v))
                return app_fail(err, 400, "invalid_type", field,
                                "Trường “%s” phải là chuỗi ký tự.", field);
            char label[120], s[TEXT_BUF(INFO_TEXT_MAX)];
            snprintf(label, sizeof label, "Trường “%s”", field);
            const struct text_field tf = {field, label, INFO_TEXT_MAX, false};
            if (text_clean_line(json_string_value(v), &tf, s, sizeof s, err))
                return -1;
            if (!strcmp(k, "website") && *s && !is_web_url(s))
                return app_fail(err, 422, "invalid_value", field,
                                "Trang thông tin điện tử phải là địa chỉ bắt đầu bằng http:// "
                                "hoặc https://.");
            if (*s) {
                if (json_object_set_new(dst, k, json_string(s)))
                    return app_fail_internal(err); /* never a field silently left out */
            } else /* blank after cleaning: "none", like null, not a stored "" */
                json_object_del(dst, k);
        } else {
            if (!json_is_integer(v))
                return app_fail(err, 400, "invalid_type", field,
                                "Trường “%s” phải là số nguyên.", field);
            json_int_t x = json_integer_value(v);
            if (x < 0 || x > INFO_COUNT_MAX)
                return app_fail(err, 422, "invalid_value", field,
                                "Trường “%s” phải là số nguyên không âm (tối đa %d).", field,
                                INFO_COUNT_MAX);
            if (json_object_set(dst, k, v))
                return app_fail_internal(err);
        }
    }
    return 0;
}

int unit_info_check(json_t *info, struct app_err *err)
{
    json_t *scratch = json_object();
    int rc = info_apply(scratch, info, err);
    json_decref(scratch);
    return rc;
}

static const struct text_field name_field = {"name", "Tên đơn vị", UNIT_NAME_MAX, true};
static const struct text_field official_code_field = {"official_code", "Mã hành chính",
                                                      UNIT_OFFICIAL_CODE_MAX, false};
static const struct text_field reason_field = {"reason", "Lý do ngừng hoạt động", UNIT_REASON_MAX,
                                               true};

static int check_kind(const char *kind, struct app_err *err)
{
    if (fw_unit_kind_parse(kind) >= 0)
        return 0;
    return app_fail(err, 422, "invalid_value", "kind",
                    "Loại đơn vị phải là một trong: " FW_UNIT_KINDS_LIST ".");
}

static int check_code(const char *code, struct app_err *err)
{
    if (strlen(code) > UNIT_CODE_MAX)
        return app_fail(err, 400, "too_long", "code", "Mã đơn vị dài quá %d ký tự.",
                        UNIT_CODE_MAX);
    if (!text_is_code(code, UNIT_CODE_MAX))
        return app_fail(err, 422, "invalid_value", "code",
                        "Mã đơn vị chỉ gồm chữ cái không dấu, chữ số, dấu chấm, gạch dưới, "
                        "gạch ngang (1–%d ký tự).",
                        UNIT_CODE_MAX);
    return 0;
}

/* Cleans the optional official code into buf; *out = NULL when absent, null or empty. */
static int clean_official_code(const char *oc, char *buf, size_t cap, const char **out,
                               struct app_err *err)
{
    *out = NULL;
    if (!oc)
        return 0;
    if (text_clean_line(oc, &official_code_field, buf, cap, err))
        return -1;
    *out = *buf ? buf : NULL;
    return 0;
}

/* The parent must exist, be active, and (for an existing unit) not be the unit or below it. */
static int check_parent(db_conn *c, int64_t self, int64_t parent, struct app_err *err)
{
    if (parent == 0)
        return 0;
    if (!unit_is_active(c, parent))
        return app_fail(err, 422, "invalid_parent", "parent_id",
                        "Đơn vị cấp trên không tồn tại hoặc đã ngừng hoạt động.");
    int64_t at = parent;
    for (int depth = 0; at != 0 && depth < 64; depth++) {
        if (at == self)
            return app_fail(err, 422, "invalid_parent", "parent_id",
                            "Không thể đặt đơn vị làm cấp dưới của chính nó.");
        int64_t up = 0;
        db_param p[] = {DB_P_INT(at)};
        int rc = db_query_int(c, "SELECT COALESCE(parent_id, 0) FROM units WHERE id = ?", p, 1,
                              &up);
        if (rc != DB_OK && rc != DB_NOTFOUND)
            return app_fail_internal(err);
        at = up;
    }
    if (at != 0)
        return app_fail(err, 422, "invalid_parent", "parent_id", "Cây đơn vị quá sâu.");
    return 0;
}

/* Id of the root (the unit without a parent; the lowest id should old data hold several),
 * 0 when there is none yet, -1 on a database error. */
static int64_t root_id(db_conn *c)
{
    int64_t id = 0;
    int rc = db_query_int(c, "SELECT id FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1",
                          NULL, 0, &id);
    return rc == DB_OK ? id : rc == DB_NOTFOUND ? 0 : -1;
}

/* One tree: `self` (0 when creating) with `parent` (0: none) and `kind` must be either the one
 * root, of kind province, or a non-province unit below it. */
static int check_tree(db_conn *c, int64_t self, int64_t parent, const char *kind,
                      struct app_err *err)
{
    int64_t root = root_id(c);
    if (root < 0)
        return app_fail_internal(err);
    bool is_root = parent == 0;
    if (is_root && root != 0 && root != self)
        return app_fail(err, 422, "invalid_parent", "parent_id",
                        self && root
                            ? "Đơn vị phải có đơn vị cấp trên (parent_id); chỉ đơn vị gốc (cấp "
                              "tỉnh) không có."
                            : "Đã có đơn vị gốc (cấp tỉnh); đơn vị mới phải có đơn vị cấp trên "
                              "(parent_id).");
    if (!is_root && self && self == root)
        return app_fail(err, 422, "invalid_parent", "parent_id",
                        "Đơn vị gốc (cấp tỉnh) không có đơn vị cấp trên.");
    if (is_root != !strcmp(kind, "province"))
        return app_fail(err, 422, "invalid_value", "kind",
                        is_root ? "Đơn vị gốc phải có loại province (cấp tỉnh)."
                                : "Chỉ đơn vị gốc mới có loại province (cấp tỉnh); đơn vị cấp "
                                  "dưới là department, district, commune hoặc other.");
    return 0;
}

/* The cleaned `name` of unit `self` (0 when creating) under `parent` (0: root) must differ from
 * every active sibling's after case folding, and not look like one (UTS #39 skeleton). The
 * parent's row is locked first so that two concurrent writers cannot both pass (PostgreSQL;
 * SQLite writers are serialised by BEGIN IMMEDIATE). */
static int check_siblings(db_conn *c, int64_t self, int64_t parent, const char *name,
                          struct app_err *err)
{
    if (parent && db_exec(c, "UPDATE units SET parent_id = parent_id WHERE id = ?",
                          (db_param[]){DB_P_INT(parent)}, 1, NULL) != DB_OK)
        return app_fail_internal(err);
    db_rows *r = NULL;
    db_param p[] = {DB_P_INT(self), DB_P_INT(parent)};
    int rc = db_exec(c,
                     "SELECT name FROM units WHERE retired_at IS NULL AND id <> ? AND "
                     "COALESCE(parent_id, 0) = ? ORDER BY id",
                     p, 2, &r);
    char *key = text_name_key(name), *skel = text_name_skeleton(name);
    int ret = rc != DB_OK || !key || !skel ? app_fail_internal(err) : 0;
    for (int i = 0; ret == 0 && i < db_rows_count(r); i++) {
        const char *other = db_text(r, i, 0);
        char *okey = text_name_key(other), *oskel = text_name_skeleton(other);
        if (!okey || !oskel)
            ret = app_fail_internal(err);
        else if (!strcmp(key, okey))
            ret = app_fail(err, 409, "unit_name_taken", "name",
                           "Đơn vị cấp trên đã có một đơn vị tên “%s” (không phân biệt chữ "
                           "hoa, chữ thường).",
                           other);
        else if (!strcmp(skel, oskel))
            ret = app_fail(err, 409, "unit_name_confusable", "name",
                           "Tên đơn vị trông giống hệt tên đơn vị “%s” cùng cấp trên (có chữ "
                           "trông giống nhau); hãy đặt tên khác.",
                           other);
        free(okey);
        free(oskel);
    }
    free(key);
    free(skel);
    db_rows_free(r);
    return ret;
}

static char *info_text(json_t *info)
{
    return json_oom_dumps(info, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
}

int unit_create(db_conn *c, const struct app_actor *who, const struct unit_input *in,
                int64_t now, int64_t *id_out, struct app_err *err)
{
    if (!in->code)
        return app_fail(err, 400, "missing_field", "code", "Thiếu mã đơn vị (code).");
    if (!in->name)
        return app_fail(err, 400, "missing_field", "name", "Thiếu tên đơn vị (name).");
    if (!in->kind)
        return app_fail(err, 400, "missing_field", "kind", "Thiếu loại đơn vị (kind).");
    char name[TEXT_BUF(UNIT_NAME_MAX)], oc_buf[TEXT_BUF(UNIT_OFFICIAL_CODE_MAX)];
    const char *oc;
    if (check_code(in->code, err) || text_clean_name(in->name, &name_field, name, sizeof name, err) ||
        check_kind(in->kind, err) ||
        clean_official_code(in->has_official_code ? in->official_code : NULL, oc_buf,
                            sizeof oc_buf, &oc, err))
        return -1;
    json_t *info = json_object();
    if (!info)
        return app_fail_internal(err);
    if (in->info && info_apply(info, in->info, err)) {
        json_decref(info);
        return -1;
    }
    if (unit_id_by_code(c, in->code)) {
        json_decref(info);
        return app_fail(err, 409, "unit_code_taken", "code", "Mã đơn vị “%.40s” đã được dùng.",
                        in->code);
    }
    int64_t parent = in->has_parent ? in->parent_id : 0;
    if (check_parent(c, 0, parent, err) || check_tree(c, 0, parent, in->kind, err) ||
        check_siblings(c, 0, parent, name, err)) {
        json_decref(info);
        return -1;
    }
    char *info_s = info_text(info);
    json_decref(info);
    if (!info_s)
        return app_fail_internal(err);
    db_param p[] = {DB_P_TEXT(in->code), DB_P_STR(name),         DB_P_TEXT(in->kind),
                    parent ? DB_P_INT(parent) : DB_P_NULL,       DB_P_TEXT(oc),
                    DB_P_TEXT(info_s),                           DB_P_INT(now)};
    int64_t id = 0;
    int rc = db_query_int(c,
                          "INSERT INTO units (code, name, kind, parent_id, official_code, info, "
                          "created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                          p, 7, &id);
    free(info_s);
    if (rc == DB_CONSTRAINT)
        return app_fail(err, 409, "unit_code_taken", "code", "Mã đơn vị “%.40s” đã được dùng.",
                        in->code);
    if (rc != DB_OK)
        return app_fail_internal(err);
    json_t *nu = unit_get(c, id);
    rc = nu ? audit_change(c, who, "unit", "unit.create", id, NULL, nu, now) : DB_ERROR;
    json_decref(nu);
    if (rc != DB_OK)
        return app_fail_internal(err);
    if (id_out)
        *id_out = id;
    return 0;
}

int unit_update(db_conn *c, const struct app_actor *who, int64_t id,
                const struct unit_input *in, int64_t now, struct app_err *err)
{
    json_t *old_u = unit_get(c, id);
    if (!old_u)
        return app_fail(err, 404, "not_found", NULL, "Không tìm thấy đơn vị.");
    int ret = -1;
    json_t *info = json_deep_copy(json_object_get(old_u, "info"));
    char *info_s = NULL;
    char name[TEXT_BUF(UNIT_NAME_MAX)], oc_buf[TEXT_BUF(UNIT_OFFICIAL_CODE_MAX)];
    const char *oc = NULL;
    if ((in->code && check_code(in->code, err)) ||
        (in->name && text_clean_name(in->name, &name_field, name, sizeof name, err)) ||
        (in->kind && check_kind(in->kind, err)) ||
        (in->has_official_code &&
         clean_official_code(in->official_code, oc_buf, sizeof oc_buf, &oc, err)))
        goto out;
    if (in->has_parent && check_parent(c, id, in->parent_id, err))
        goto out;
    {
        /* The unit as it would be: tree shape and sibling names. */
        int64_t parent = in->has_parent ? in->parent_id
                                        : json_integer_value(json_object_get(old_u, "parent_id"));
        const char *kind = in->kind ? in->kind : json_string_value(json_object_get(old_u, "kind"));
        const char *new_name = in->name ? name : json_string_value(json_object_get(old_u, "name"));
        bool moved = in->has_parent || in->name;
        if ((in->has_parent || in->kind) && check_tree(c, id, parent, kind, err))
            goto out;
        if (moved && json_is_null(json_object_get(old_u, "retired_at")) &&
            check_siblings(c, id, parent, new_name, err))
            goto out;
    }
    if (in->code && strcmp(in->code, json_string_value(json_object_get(old_u, "code")))) {
        int64_t other = unit_id_by_code(c, in->code);
        if (other && other != id) {
            app_fail(err, 409, "unit_code_taken", "code", "Mã đơn vị “%.40s” đã được dùng.",
                     in->code);
            goto out;
        }
    }
    if (in->info && info_apply(info, in->info, err))
        goto out;
    info_s = info ? info_text(info) : NULL;
    if (!info_s) { /* out of memory: never an update that wipes or shortens the info */
        app_fail_internal(err);
        goto out;
    }
    /* Absent fields keep their value: COALESCE on the text fields, flags for the nullable ones. */
    db_param p[] = {DB_P_TEXT(in->code),
                    in->name ? DB_P_STR(name) : DB_P_NULL,
                    DB_P_TEXT(in->kind),
                    DB_P_INT(in->has_parent),
                    in->has_parent && in->parent_id ? DB_P_INT(in->parent_id) : DB_P_NULL,
                    DB_P_INT(in->has_official_code),
                    DB_P_TEXT(oc),
                    DB_P_TEXT(info_s),
                    DB_P_INT(id)};
    int rc = db_exec(c,
                     "UPDATE units SET code = COALESCE(?, code), name = COALESCE(?, name), "
                     "kind = COALESCE(?, kind), "
                     "parent_id = CASE WHEN ? = 1 THEN ? ELSE parent_id END, "
                     "official_code = CASE WHEN ? = 1 THEN ? ELSE official_code END, "
                     "info = ? WHERE id = ?",
                     p, 9, NULL);
    if (rc == DB_CONSTRAINT) {
        app_fail(err, 409, "unit_code_taken", "code", "Mã đơn vị đã được dùng.");
        goto out;
    }
    if (rc != DB_OK) {
        app_fail_internal(err);
        goto out;
    }
    json_t *new_u = unit_get(c, id);
    /* No audit entry for a PATCH that changed nothing. */
    rc = !new_u ? DB_ERROR
         : json_equal(old_u, new_u) ? DB_OK
                                    : audit_change(c, who, "unit", "unit.update", id, old_u, new_u, now);
    json_decref(new_u);
    if (rc != DB_OK) {
        app_fail_internal(err);
        goto out;
    }
    ret = 0;
out:
    free(info_s);
    json_decref(info);
    json_decref(old_u);
    return ret;
}

/* A retired unit's people stop working in the system at once: their sessions end and the API
 * tokens they created, or that act for the unit, are revoked (each revocation audited). The
 * caller's transaction makes this all-or-nothing with the retirement itself. */
static int end_unit_access(db_conn *c, const struct app_actor *who, int64_t id, int64_t now,
                           struct app_err *err)
{
    db_param p[] = {DB_P_INT(id)};
    if (db_exec(c, "DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE unit_id = ?)",
                p, 1, NULL) != DB_OK)
        return app_fail_internal(err);
    int64_t ended = db_changes(c);
    if (ended > 0) {
        json_t *nv = json_pack("{s:I}", "sessions_ended", (json_int_t)ended);
        /* no entry without its values: out of memory fails the change */
        int rc = nv ? audit_change(c, who, "unit", "unit.end_sessions", id, NULL, nv, now)
                    : DB_ERROR;
        json_decref(nv);
        if (rc != DB_OK)
            return app_fail_internal(err);
    }
    db_rows *r = NULL;
    db_param q[] = {DB_P_INT(id), DB_P_INT(id)};
    if (db_exec(c,
                "SELECT id FROM api_tokens WHERE revoked_at IS NULL AND (unit_id = ? OR "
                "created_by IN (SELECT id FROM users WHERE unit_id = ?)) ORDER BY id",
                q, 2, &r) != DB_OK)
        return app_fail_internal(err);
    int ret = 0;
    for (int i = 0; i < db_rows_count(r) && ret == 0; i++)
        ret = token_revoke(c, who, db_int(r, i, 0), now, err);
    db_rows_free(r);
    return ret;
}

int unit_retire(db_conn *c, const struct app_actor *who, int64_t id, const char *reason,
                int64_t now, struct app_err *err)
{
    char why[TEXT_BUF(UNIT_REASON_MAX)] = "";
    if (!reason)
        return app_fail(err, 400, "missing_field", "reason",
                        "Cần ghi lý do cho đơn vị ngừng hoạt động (reason).");
    if (text_clean_line(reason, &reason_field, why, sizeof why, err))
        return -1;
    json_t *old_u = unit_get(c, id);
    if (!old_u)
        return app_fail(err, 404, "not_found", NULL, "Không tìm thấy đơn vị.");
    if (!json_is_null(json_object_get(old_u, "retired_at"))) {
        json_decref(old_u);
        return app_fail(err, 409, "already_retired", NULL, "Đơn vị này đã ngừng hoạt động.");
    }
    int64_t children = 0;
    db_param p1[] = {DB_P_INT(id)};
    if (db_query_int(c, "SELECT COUNT(*) FROM units WHERE parent_id = ? AND retired_at IS NULL",
                     p1, 1, &children) != DB_OK) {
        json_decref(old_u);
        return app_fail_internal(err);
    }
    if (children > 0) {
        json_decref(old_u);
        return app_fail(err, 409, "unit_has_children", NULL,
                        "Đơn vị còn %lld đơn vị cấp dưới đang hoạt động; hãy chuyển hoặc cho "
                        "ngừng hoạt động các đơn vị đó trước.",
                        (long long)children);
    }
    if (json_is_null(json_object_get(old_u, "parent_id"))) {
        json_decref(old_u);
        return app_fail(err, 422, "invalid_value", NULL,
                        "Không thể cho đơn vị gốc (cấp tỉnh) ngừng hoạt động.");
    }
    /* Retiring one's own unit would end one's own session in the middle of the request. */
    int64_t own_unit = 0;
    if (who->user_id &&
        db_query_int(c, "SELECT unit_id FROM users WHERE id = ?",
                     (db_param[]){DB_P_INT(who->user_id)}, 1, &own_unit) == DB_OK &&
        own_unit == id) {
        json_decref(old_u);
        return app_fail(err, 422, "own_unit", NULL,
                        "Không thể cho ngừng hoạt động đơn vị của chính tài khoản đang thao tác.");
    }
    db_param p[] = {DB_P_INT(now), *why ? DB_P_STR(why) : DB_P_NULL, DB_P_INT(id)};
    int rc = db_exec(c, "UPDATE units SET retired_at = ?, retired_reason = ? WHERE id = ?", p, 3,
                     NULL);
    json_t *new_u = rc == DB_OK ? unit_get(c, id) : NULL;
    rc = new_u ? audit_change(c, who, "unit", "unit.retire", id, old_u, new_u, now) : DB_ERROR;
    json_decref(old_u);
    json_decref(new_u);
    if (rc != DB_OK)
        return app_fail_internal(err);
    return end_unit_access(c, who, id, now, err);
}
