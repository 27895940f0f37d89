/* json_rows.c — see json_rows.h. */
#include "app/json_rows.h"

#include "core/json_oom.h"

json_t *json_append_or_free(json_t *a, json_t *v)
{
    if (json_array_append_new(a, v)) { /* frees v */
        json_decref(a);
        return NULL;
    }
    return a;
}

json_t *json_rows_array(const db_rows *r, json_t *(*row)(const db_rows *r, int i))
{
    json_t *a = json_array();
    for (int i = 0; a && i < db_rows_count(r); i++)
        a = json_append_or_free(a, row(r, i));
    return a;
}

json_t *json_cell(const db_rows *r, int i, int col)
{
    if (db_is_null(r, i, col))
        return json_null();
    bool oom;
    json_t *v = json_oom_loadb(db_text(r, i, col), db_len(r, i, col), JSON_DECODE_ANY, NULL, &oom);
    if (v || oom)
        return v;
    return json_string(db_text(r, i, col));
}
