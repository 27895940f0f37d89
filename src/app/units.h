/* units.h — the unit tree: create, update, retire (never delete), read.
 *
 * Every changing function runs inside the caller's open transaction and appends an audit
 * entry with the old and new value; on refusal it returns -1 with `err` filled and the caller
 * rolls back. Strings are validated here (one place for the API and the CLI). */
#ifndef DTI_APP_UNITS_H
#define DTI_APP_UNITS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/app_err.h"
#include "store/db.h"

#define UNIT_NAME_MAX 200
#define UNIT_CODE_MAX 32
#define UNIT_OFFICIAL_CODE_MAX 32
#define UNIT_REASON_MAX 1000

struct unit_input {
    const char *code; /* NULL: absent */
    const char *name;
    const char *kind;
    bool has_parent;
    int64_t parent_id; /* 0: no parent */
    bool has_official_code;
    const char *official_code; /* NULL or "": none */
    json_t *info;              /* borrowed; NULL: absent. On update keys merge, null removes. */
};

/* Unit as the API shows it, or NULL when there is no such unit. */
json_t *unit_get(db_conn *c, int64_t id);
/* Id of the unit with this code, 0 if none. */
int64_t unit_id_by_code(db_conn *c, const char *code);
/* Every unit (flat, ordered by id); retired ones only when asked. NULL on database error. */
json_t *units_list(db_conn *c, bool include_retired);
/* True when the unit exists and is not retired. */
bool unit_is_active(db_conn *c, int64_t id);

/* Checks the `info` block: unknown key -> 400 unknown_field, wrong type / too long -> 400,
 * negative count or bad website -> 422. Field names are "info.<key>". */
int unit_info_check(json_t *info, struct app_err *err);

int unit_create(db_conn *c, const struct app_actor *who, const struct unit_input *in,
                int64_t now, int64_t *id_out, struct app_err *err);
int unit_update(db_conn *c, const struct app_actor *who, int64_t id,
                const struct unit_input *in, int64_t now, struct app_err *err);
/* Also ends every session of the unit's users and revokes the API tokens they created or
 * that act for the unit (audited: unit.end_sessions, api_token.revoke). Login, session and
 * token lookups refuse a retired unit's users (403 unit_retired). */
int unit_retire(db_conn *c, const struct app_actor *who, int64_t id, const char *reason,
                int64_t now, struct app_err *err);

#endif
