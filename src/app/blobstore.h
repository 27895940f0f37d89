/* blobstore.h — where evidence files live: content stored once under its SHA-256, behind a
 * function table like the database engines' (src/store/db_internal.h), so a store shared by
 * several app nodes (object storage…) can be added next to the one implementation we have,
 * src/app/blobstore_fs.c (files under <data dir>/blobs/ab/cdef…).
 *
 * An upload is written to a temporary file of the store as it arrives (tmp_new, tmp_write: the
 * SHA-256 is computed on the fly), then put: made durable and moved to its place by its hash
 * (or dropped when that content is already stored). Nothing half-written is ever visible under
 * a hash: a temporary file becomes a blob only by an atomic rename after fsync. Temporary files
 * left by a crash are removed by clean_temps at start; a blob whose row was never committed
 * (a crash between put and the commit) by blobs_gc (src/app/blob_gc.h), after a grace period:
 * put refreshes a reused blob's time so that the grace period covers it again. */
#ifndef DTI_APP_BLOBSTORE_H
#define DTI_APP_BLOBSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BLOB_SHA256_HEX 65 /* 64 hex digits + NUL */

struct blobstore;
struct blob_tmp;

struct blobstore_ops {
    const char *name;
    /* A new, empty temporary file; NULL on failure. */
    struct blob_tmp *(*tmp_new)(struct blobstore *s);
    /* Appends (and hashes); false on a write error (disk full…). */
    bool (*tmp_write)(struct blob_tmp *t, const void *data, size_t n);
    /* Nothing more will be written: the store may start making the content durable in the
     * background (put still waits for it and remains the point durability rests on).
     * Optional: NULL, or never called, and put does it all. */
    void (*tmp_end)(struct blob_tmp *t);
    /* A descriptor to read what was written (content sniffing); owned by t, do not close. */
    int (*tmp_fd)(struct blob_tmp *t);
    uint64_t (*tmp_size)(const struct blob_tmp *t);
    /* Makes the content durable under its SHA-256 (hex into sha256); *existed when it was
     * already stored (then nothing is written twice). 0 on success, -1 on an I/O error. */
    int (*put)(struct blobstore *s, struct blob_tmp *t, char sha256[BLOB_SHA256_HEX],
               bool *existed);
    /* Removes what is left of the temporary file and frees t (after put too; NULL is fine). */
    void (*tmp_remove)(struct blob_tmp *t);
    /* A descriptor open for reading the blob and its size; -1 when missing or unreadable. */
    int (*open)(struct blobstore *s, const char *sha256, uint64_t *size);
    bool (*exists)(struct blobstore *s, const char *sha256);
    /* Removes temporary files left behind (a crash mid-upload); how many, -1 on error. */
    int (*clean_temps)(struct blobstore *s);
    /* Calls fn for every stored blob (its hash, size, last write or reuse time in seconds);
     * fn returning false stops. 0, or -1 when the store cannot be read. */
    int (*list)(struct blobstore *s,
                bool (*fn)(void *ctx, const char *sha256, uint64_t size, int64_t mtime),
                void *ctx);
    /* Removes the blob (durably: its directory is synced); 0 or -1. */
    int (*remove)(struct blobstore *s, const char *sha256);
    void (*close)(struct blobstore *s);
};

struct blobstore {
    const struct blobstore_ops *ops;
};

/* The filesystem store rooted at <data_dir>/blobs (created if missing, with tmp/). NULL with a
 * Vietnamese message in err when it cannot be used. */
struct blobstore *blobstore_fs_open(const char *data_dir, char *err, size_t errlen);

/* True when s is 64 lowercase hex digits (a stored hash; never a path). */
bool blob_sha256_valid(const char *s);

#endif
