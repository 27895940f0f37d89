/* round_fws.c — a round's compiled index sets (round_fws.h). */
#include "app/round_fws.h"

#include <stdio.h>

int round_fws_load(db_conn *c, int64_t round_id, struct round_fw *out, struct app_err *err)
{
    db_rows *r = NULL;
    if (db_exec(c, "SELECT rf.level, rf.framework_id, rf.framework_version, f.sha256 "
                   "FROM round_frameworks rf JOIN frameworks f ON f.id = rf.framework_id "
                   "AND f.version = rf.framework_version WHERE rf.round_id = ? ORDER BY rf.level",
                (db_param[]){DB_P_INT(round_id)}, 1, &r) != DB_OK)
        return app_fail_internal(err);
    int n = 0;
    for (int i = 0; i < db_rows_count(r) && n < ROUND_FWS_MAX; i++) {
        struct round_fw *f = &out[n];
        snprintf(f->level, sizeof f->level, "%s", db_text(r, i, 0));
        snprintf(f->id, sizeof f->id, "%s", db_text(r, i, 1));
        f->version = db_int(r, i, 2);
        f->entry = frameworks_cache_get(c, f->id, f->version, db_text(r, i, 3), &f->cf, err);
        if (!f->entry) {
            round_fws_release(out, n);
            db_rows_free(r);
            return -1;
        }
        n++;
    }
    db_rows_free(r);
    return n;
}

void round_fws_release(struct round_fw *f, int n)
{
    for (int i = 0; i < n; i++)
        frameworks_cache_release(f[i].entry);
}
