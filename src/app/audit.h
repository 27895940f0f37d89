/* audit.h — the append-only, hash-chained audit trail (table audit_log, head in audit_head).
 *
 * Every change of a value, a score or a state calls audit_append() inside the same transaction
 * as the change, so the entry exists iff the change committed. Each entry stores the hash of the
 * previous one; audit_verify() recomputes the chain and finds an edited, inserted or deleted row.
 */
#ifndef DTI_APP_AUDIT_H
#define DTI_APP_AUDIT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app_err.h"
#include "store/db.h"

struct audit_event {
    int64_t actor_user_id;   /* 0 when the actor is the system or a CLI operator */
    const char *actor_name;  /* username, "cli", "system" */
    const char *client_addr; /* may be NULL */
    const char *action;      /* "unit.create", "user.disable", "session.login" ... */
    const char *entity;      /* "unit", "user", "api_token", "framework" ... */
    const char *entity_id;   /* text, may be NULL */
    json_t *old_value;       /* borrowed, may be NULL */
    json_t *new_value;       /* borrowed, may be NULL; never put a password or token here */
};

/* Appends one entry; must run inside the caller's open transaction. Returns DB_OK or an error. */
int audit_append(db_conn *c, const struct audit_event *e, int64_t now);
/* audit_append for the usual case: who changed the row `entity` with numeric id entity_id. */
int audit_change(db_conn *c, const struct app_actor *who, const char *entity, const char *action,
                 int64_t entity_id, json_t *old_v, json_t *new_v, int64_t now);

/* A page of the trail, newest first: {"entries": [...], "next_before_id": id | null}, filtered
 * by entity and entity_id when not NULL, ids below before_id when it is not 0. NULL on a
 * database error or when memory ran out (never a page with entries left out). */
json_t *audit_list(db_conn *c, const char *entity, const char *entity_id, int64_t before_id,
                   int64_t limit);

/* Recomputes the chain, reading the head and every row in one snapshot (a read-only
 * transaction it opens when the caller has none). Returns DB_OK when intact (*checked = number
 * of entries); DB_ERROR with *first_bad_id and a reason when an entry was altered, inserted or
 * deleted; DB_ERROR with an empty reason and *first_bad_id 0 when the database failed. */
int audit_verify(db_conn *c, int64_t *checked, int64_t *first_bad_id, char *reason,
                 size_t reason_len);

#endif
