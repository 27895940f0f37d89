/* frameworks_store.h — index sets in the database (table frameworks). */
#ifndef DTI_APP_FRAMEWORKS_STORE_H
#define DTI_APP_FRAMEWORKS_STORE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app_err.h"
#include "core/framework.h"
#include "store/db.h"

/* Loads every JSON index set in DIR that is valid and whose (id, version) is not stored yet.
 * Returns the number installed, or -1 with a message in err: an invalid shipped file is an
 * error, and so is a file whose (id, version) is stored with other content (other sha256). */
int frameworks_sync_dir(db_conn *c, const char *dir, char *err, size_t errlen);

/* Stores a validated index set (text = the file as given). DB_OK, DB_CONSTRAINT when
 * (id, version) exists, or DB_ERROR. */
int frameworks_insert(db_conn *c, const struct framework *fw, const char *text, size_t len,
                      int64_t now, int64_t created_by);

/* {"frameworks": [FrameworkSummary…]}, newest version of each id first within id order.
 * NULL on a database error. */
json_t *frameworks_list(db_conn *c);

/* The stored file of (id, version) — version 0 means the latest — parsed, with computed
 * "criteria_count", "totals" (per-node maxima, rule text), "sha256", "created_at" and
 * "versions" (every stored version of the id). Returns NULL with err filled (404, 500). */
json_t *frameworks_get(db_conn *c, const char *id, int64_t version, struct app_err *err);
/* The same detail serialized as a reply (malloc'd NUL-terminated JSON text, *len bytes), built
 * from the cached serialization of the set: no per-read serialization of a large set. */
char *frameworks_get_text(db_conn *c, const char *id, int64_t version, size_t *len,
                          struct app_err *err);

/* Upload: validates text, refuses duplicates, stores and audits, all inside the caller's open
 * transaction. Returns 0 and the summary in *summary; -1 with err (422 invalid_framework with
 * every error in *errors as [{"field","message"}], 409 framework_exists, 500). */
int frameworks_upload(db_conn *c, const struct app_actor *who, const char *text, size_t len,
                      int64_t now, json_t **summary, json_t **errors, struct app_err *err);

#endif
