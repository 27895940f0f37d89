/* blob_gc.h — removes blobs no row refers to (an upload whose file was stored but whose
 * evidence row never committed: a crash, or a failure, between put and the commit). A blob is
 * an orphan when table `blobs` has no row of its hash; only orphans older than the grace
 * period are removed, so an upload committing right now is never touched (put refreshes the
 * time of a blob it reuses). `dti blobs gc` (src/cli/cmd_blobs.c). */
#ifndef DTI_APP_BLOB_GC_H
#define DTI_APP_BLOB_GC_H

#include <stdbool.h>
#include <stdint.h>

#include "app/blobstore.h"
#include "store/db.h"

struct blob_gc {
    int64_t scanned, orphans, removed, kept_young; /* kept_young: orphans inside the grace */
    uint64_t bytes;                                /* of the orphans removed (or removable) */
    int64_t failed;                                /* removals that failed */
};

/* Scans the store; with dry_run nothing is removed (removed stays 0, bytes counts what would
 * be). 0, or -1 when the store or the database cannot be read. */
int blobs_gc(db_conn *c, struct blobstore *bs, int64_t now, int64_t grace_seconds, bool dry_run,
             struct blob_gc *out);

#endif
