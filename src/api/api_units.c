/* api_units.c — GET/POST /units, GET/PATCH /units/{id}, POST /units/{id}/retire.
 * Texts are normalised by the application layer (text_clean_line: NFC, trimmed, no invisible
 * or control characters) and otherwise stored and returned verbatim: escaping for HTML is the
 * UI's job. */
#include <string.h>

#include "api/api.h"
#include "app/units.h"

static const char *const unit_fields[] = {"code", "name", "kind", "parent_id",
                                          "official_code", "info", NULL};

/* Reads a UnitInput (all fields optional here; unit_create checks what it requires). */
static bool read_unit_input(http_req *r, json_t *b, struct unit_input *in)
{
    memset(in, 0, sizeof *in);
    int rc;
    /* Texts are normalised and their lengths checked by the application layer (units.c). */
    if (in_string(r, b, "code", UNIT_CODE_MAX, &in->code) == IN_ERROR ||
        in_string(r, b, "name", IN_TEXT_ANY_LENGTH, &in->name) == IN_ERROR ||
        in_string(r, b, "kind", 32, &in->kind) == IN_ERROR)
        return false;
    rc = in_string(r, b, "official_code", IN_TEXT_ANY_LENGTH, &in->official_code);
    if (rc == IN_ERROR)
        return false;
    in->has_official_code = rc != IN_ABSENT;
    rc = in_id(r, b, "parent_id", &in->parent_id);
    if (rc == IN_ERROR)
        return false;
    in->has_parent = rc != IN_ABSENT;
    json_t *info = json_object_get(b, "info");
    if (info && !json_is_null(info)) {
        struct app_err err;
        if (unit_info_check(info, &err)) {
            api_fail(r, &err);
            return false;
        }
        in->info = info;
    }
    return true;
}

int api_units_list(http_req *r)
{
    bool all;
    if (!in_query_bool(r, "include_retired", &all))
        return 0;
    all = all && http_caller(r)->role == ROLE_ADMIN; /* others never see retired units */
    db_conn *c = http_db(r);
    json_t *units = c ? units_list(c, all) : NULL;
    if (!units)
        return api_internal(r);
    return http_reply_json(r, 200, json_pack("{s:o}", "units", units));
}

int api_unit_get(http_req *r)
{
    int64_t id;
    if (!in_path_id(r, &id))
        return 0;
    db_conn *c = http_db(r);
    if (!c)
        return api_internal(r);
    json_t *u = unit_get(c, id);
    if (!u)
        return http_reply_error(r, 404, "not_found", "Không tìm thấy đơn vị.", NULL);
    return http_reply_json(r, 200, u);
}

int api_unit_create(http_req *r)
{
    json_t *b = in_body_req(r, unit_fields);
    struct unit_input in;
    if (!b || !read_unit_input(r, b, &in))
        return 0;
    if (in.has_parent && !in.parent_id)
        in.has_parent = false; /* "parent_id": null on create = a root unit */
    db_conn *c = api_begin(r);
    if (!c)
        return 0;
    struct app_actor who = api_actor(r);
    struct app_err err;
    int64_t id = 0;
    int rc = unit_create(c, &who, &in, api_now(), &id, &err);
    return api_end_get(r, c, rc, &err, 201, unit_get, id);
}

int api_unit_update(http_req *r)
{
    int64_t id;
    if (!in_path_id(r, &id))
        return 0;
    json_t *b = in_body_req(r, unit_fields);
    struct unit_input in;
    static const char *const required[] = {"code", "name", "kind", NULL};
    if (!b || !read_unit_input(r, b, &in) || !in_refuse_null(r, b, required))
        return 0;
    db_conn *c = api_begin(r);
    if (!c)
        return 0;
    struct app_actor who = api_actor(r);
    struct app_err err;
    int rc = unit_update(c, &who, id, &in, api_now(), &err);
    return api_end_get(r, c, rc, &err, 200, unit_get, id);
}

int api_unit_retire(http_req *r)
{
    int64_t id;
    if (!in_path_id(r, &id))
        return 0;
    static const char *const allowed[] = {"reason", NULL};
    json_t *b = in_body(r, allowed);
    const char *reason = NULL;
    if (!b || in_string(r, b, "reason", IN_TEXT_ANY_LENGTH, &reason) == IN_ERROR)
        return 0;
    db_conn *c = api_begin(r);
    if (!c)
        return 0;
    struct app_actor who = api_actor(r);
    struct app_err err;
    int rc = unit_retire(c, &who, id, reason, api_now(), &err);
    return api_end_get(r, c, rc, &err, 200, unit_get, id);
}
