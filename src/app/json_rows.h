/* json_rows.h — building JSON lists from result sets without ever dropping an entry.
 *
 * json_array_append_new() fails (and frees the value) when either side is NULL or memory runs
 * out; ignoring that gives a silently shorter list. These helpers return NULL instead, so the
 * handler answers 500 rather than an incomplete list. */
#ifndef DTI_APP_JSON_ROWS_H
#define DTI_APP_JSON_ROWS_H

#include <jansson.h>

#include "store/db.h"

/* [row(r, 0), row(r, 1), …]; NULL (everything freed) when any row or the array itself could not
 * be built. */
json_t *json_rows_array(const db_rows *r, json_t *(*row)(const db_rows *r, int i));

/* Appends v to a, taking v. On failure frees both and returns NULL; else returns a. Lets a loop
 * write `a = json_append_or_free(a, v); if (!a) …`. */
json_t *json_append_or_free(json_t *a, json_t *v);

/* The JSON text of a cell as a value, JSON null for SQL NULL. A text that is not JSON comes
 * back as a JSON string; NULL only when memory ran out (never a silently different value). */
json_t *json_cell(const db_rows *r, int i, int col);

#endif
