/* blob_gc.c — orphan blobs (blob_gc.h). */
#include "app/blob_gc.h"

#include <string.h>

struct gc_run {
    db_conn *c;
    struct blobstore *bs;
    int64_t cutoff;
    bool dry_run, error;
    struct blob_gc *out;
};

static bool visit(void *ctx, const char *sha, uint64_t size, int64_t mtime)
{
    struct gc_run *g = ctx;
    g->out->scanned++;
    int64_t one;
    int rc = db_query_int(g->c, "SELECT 1 FROM blobs WHERE sha256 = ?",
                          (db_param[]){DB_P_TEXT(sha)}, 1, &one);
    if (rc == DB_OK)
        return true;
    if (rc != DB_NOTFOUND) {
        g->error = true;
        return false;
    }
    g->out->orphans++;
    if (mtime > g->cutoff) {
        g->out->kept_young++;
        return true;
    }
    if (g->dry_run) {
        g->out->bytes += size;
    } else if (g->bs->ops->remove(g->bs, sha) == 0) {
        g->out->removed++;
        g->out->bytes += size;
    } else {
        g->out->failed++;
    }
    return true;
}

int blobs_gc(db_conn *c, struct blobstore *bs, int64_t now, int64_t grace_seconds, bool dry_run,
             struct blob_gc *out)
{
    memset(out, 0, sizeof *out);
    struct gc_run g = {c, bs, now - grace_seconds, dry_run, false, out};
    if (bs->ops->list(bs, visit, &g) != 0 || g.error)
        return -1;
    return 0;
}
