/* blobstore_fs.c — the filesystem blob store (blobstore.h): <data dir>/blobs/ab/cdef… (the
 * SHA-256 in hex, split after two digits so no directory grows past 256 × files/256), uploads
 * in <data dir>/blobs/tmp/ (same filesystem, so the final rename is atomic).
 *
 * Durability, in this order: write + fdatasync the temporary file, fsync the hash's directory
 * after creating it (and blobs/), rename the file to its hash name, fsync that directory.
 * After a crash a blob is either absent or complete; only tmp/ can hold a partial file, and it
 * is emptied at start (clean_temps).
 *
 * Speed (bench/upload.sh). The thread receiving the upload only writes. Once a file passes
 * BG_START bytes, two helper threads of its own overlap the rest with the reception:
 *   - a hasher reads back what was written (pread from the page cache) and hashes it, so the
 *     SHA-256 (~13 ms per 20 MB here) no longer delays reading the socket;
 *   - a syncer calls fdatasync every BG_SYNC_STEP bytes: a flush costs in proportion to what
 *     was written since the last one, so the final fdatasync, the one durability rests on,
 *     only has the tail left (~5 ms instead of ~15 ms per 20 MB). When the body is complete
 *     (tmp_end) the syncer makes that final fdatasync at once, while the receiving thread
 *     sniffs the type and checks a PDF's signatures; put then waits for it (and does it itself
 *     when the syncer could not).
 * Small files are hashed at put, inline. After put the blob's pages are dropped from the page
 * cache (POSIX_FADV_DONTNEED, clean after the fsync): evidence is rarely read back, and freed
 * pages are reused by the next upload, while fresh pages cost a first-touch fault each (about
 * 45 ms per 20 MB on this virtual machine). Dropping 20 MB takes milliseconds, so for a large
 * file a detached thread does it on a duplicate descriptor, after the reply is on its way. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/blobstore.h"
#include "core/errno_vi.h"

#define BG_START (1u << 20)     /* helper threads for files past 1 MiB */
#define BG_SYNC_STEP (4u << 20) /* the syncer flushes every 4 MiB written */
#define HASH_BLOCK (128u * 1024)
/* An idle hasher is woken once this much is waiting, not at every write: each wake-up is a
 * futex call and a context switch (1,300 of them per 20 MB upload before, when every 64 KiB
 * write woke both helpers). */
#define HASH_WAKE (512u * 1024)

struct fs_store {
    struct blobstore base;
    char root[PATH_MAX - 128]; /* <data dir>/blobs (room left for /ab/cdef…) */
    char tmp[PATH_MAX - 128];  /* <data dir>/blobs/tmp */
};

struct blob_tmp {
    struct fs_store *s;
    int fd;
    char path[PATH_MAX];
    EVP_MD_CTX *md;
    uint64_t size; /* written so far (the receiving thread's count) */
    /* helper threads (bg_start); the fields below are shared, under mu */
    bool bg;
    pthread_t hasher, syncer;
    pthread_mutex_t mu;
    pthread_cond_t more; /* a helper has work (see fs_tmp_write), or done */
    bool hasher_idle, syncer_idle; /* waiting on more */
    uint64_t shared_size, hashed, synced;
    bool done, failed;
    bool ending;    /* tmp_end: nothing more will be written; the syncer's last flush */
    bool final_ok;  /* that flush succeeded, covering final_synced bytes */
    uint64_t final_synced;
};
bool blob_sha256_valid(const char *s)
{
    if (!s)
        return false;
    for (int i = 0; i < 64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return s[64] == '\0';
}

static int fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

static bool make_dir(const char *path)
{
    return mkdir(path, 0750) == 0 || errno == EEXIST;
}

static struct blob_tmp *fs_tmp_new(struct blobstore *bs)
{
    struct fs_store *s = (struct fs_store *)bs;
    struct blob_tmp *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->s = s;
    int n = snprintf(t->path, sizeof t->path, "%s/upload-XXXXXX", s->tmp);
    t->md = EVP_MD_CTX_new();
    if (n < 0 || (size_t)n >= sizeof t->path || !t->md ||
        EVP_DigestInit_ex(t->md, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(t->md);
        free(t);
        return NULL;
    }
    t->fd = mkostemp(t->path, O_CLOEXEC);
    if (t->fd < 0) {
        EVP_MD_CTX_free(t->md);
        free(t);
        return NULL;
    }
    return t;
}

/* Hashes [from, to) of the file, read back from the page cache; false on a read error. */
static bool hash_range(struct blob_tmp *t, unsigned char *buf, uint64_t from, uint64_t to)
{
    while (from < to) {
        size_t want = to - from < HASH_BLOCK ? (size_t)(to - from) : HASH_BLOCK;
        ssize_t n = pread(t->fd, buf, want, (off_t)from);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || EVP_DigestUpdate(t->md, buf, (size_t)n) != 1)
            return false;
        from += (uint64_t)n;
    }
    return true;
}

static void *hasher_main(void *arg)
{
    struct blob_tmp *t = arg;
    unsigned char *buf = malloc(HASH_BLOCK);
    pthread_mutex_lock(&t->mu);
    for (;;) {
        /* until HASH_WAKE bytes wait; after tmp_end, until anything does */
        while (!t->done && !t->failed &&
               (t->ending ? t->hashed == t->shared_size
                          : t->shared_size - t->hashed < HASH_WAKE)) {
            t->hasher_idle = true;
            pthread_cond_wait(&t->more, &t->mu);
        }
        t->hasher_idle = false;
        if (t->failed || (t->done && t->hashed == t->shared_size))
            break;
        uint64_t from = t->hashed, to = t->shared_size;
        pthread_mutex_unlock(&t->mu);
        bool ok = buf && hash_range(t, buf, from, to);
        pthread_mutex_lock(&t->mu);
        if (!ok)
            t->failed = true;
        else
            t->hashed = to;
    }
    pthread_mutex_unlock(&t->mu);
    free(buf);
    return NULL;
}

/* Early flushes while the body arrives; after tmp_end, the final one (fs_put relies on it only
 * when it succeeded and covers the whole file, written before tmp_end). */
static void *syncer_main(void *arg)
{
    struct blob_tmp *t = arg;
    pthread_mutex_lock(&t->mu);
    for (;;) {
        while (!t->done && !t->failed && !t->ending &&
               t->shared_size - t->synced < BG_SYNC_STEP) {
            t->syncer_idle = true;
            pthread_cond_wait(&t->more, &t->mu);
        }
        t->syncer_idle = false;
        if (t->done || t->failed)
            break;
        uint64_t upto = t->shared_size;
        bool last = t->ending;
        pthread_mutex_unlock(&t->mu);
        int rc = fdatasync(t->fd);
        pthread_mutex_lock(&t->mu);
        t->synced = upto;
        if (last) {
            t->final_ok = rc == 0;
            t->final_synced = upto;
            break;
        }
    }
    pthread_mutex_unlock(&t->mu);
    return NULL;
}

static void bg_start(struct blob_tmp *t)
{
    if (pthread_mutex_init(&t->mu, NULL) != 0)
        return;
    if (pthread_cond_init(&t->more, NULL) != 0) {
        pthread_mutex_destroy(&t->mu);
        return;
    }
    if (pthread_create(&t->hasher, NULL, hasher_main, t) != 0) {
        pthread_cond_destroy(&t->more);
        pthread_mutex_destroy(&t->mu);
        return;
    }
    if (pthread_create(&t->syncer, NULL, syncer_main, t) != 0) {
        pthread_mutex_lock(&t->mu);
        t->failed = true; /* the hasher stops; hash again inline at put */
        pthread_cond_broadcast(&t->more);
        pthread_mutex_unlock(&t->mu);
        pthread_join(t->hasher, NULL);
        pthread_cond_destroy(&t->more);
        pthread_mutex_destroy(&t->mu);
        EVP_DigestInit_ex(t->md, EVP_sha256(), NULL);
        t->failed = false;
        return;
    }
    t->bg = true;
}

/* Waits for both helpers to end (the hasher after hashing everything written unless `cancel`).
 * True when the hash covers the whole file. */
static bool bg_finish(struct blob_tmp *t, bool cancel)
{
    if (!t->bg)
        return false;
    pthread_mutex_lock(&t->mu);
    t->done = true;
    if (cancel)
        t->failed = true;
    pthread_cond_broadcast(&t->more);
    pthread_mutex_unlock(&t->mu);
    pthread_join(t->hasher, NULL);
    pthread_join(t->syncer, NULL);
    t->bg = false;
    bool ok = !t->failed && t->hashed == t->size;
    pthread_cond_destroy(&t->more);
    pthread_mutex_destroy(&t->mu);
    return ok;
}

static bool fs_tmp_write(struct blob_tmp *t, const void *data, size_t n)
{
    const char *p = data;
    uint64_t before = t->size;
    while (n) {
        ssize_t w = write(t->fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
        t->size += (uint64_t)w;
    }
    if (before < BG_START && t->size >= BG_START && !t->done)
        bg_start(t); /* once: on failure the file is hashed at put */
    if (t->bg) {
        pthread_mutex_lock(&t->mu);
        t->shared_size = t->size;
        /* wake a helper only when its wait condition has become false */
        if ((t->hasher_idle && t->size - t->hashed >= HASH_WAKE) ||
            (t->syncer_idle && t->size - t->synced >= BG_SYNC_STEP))
            pthread_cond_broadcast(&t->more);
        pthread_mutex_unlock(&t->mu);
    }
    return true;
}

static void fs_tmp_end(struct blob_tmp *t)
{
    if (!t || !t->bg)
        return;
    pthread_mutex_lock(&t->mu);
    t->ending = true;
    pthread_cond_broadcast(&t->more);
    pthread_mutex_unlock(&t->mu);
}

static int fs_tmp_fd(struct blob_tmp *t)
{
    return t->fd;
}

static uint64_t fs_tmp_size(const struct blob_tmp *t)
{
    return t->size;
}

static void blob_path(const struct fs_store *s, const char *sha, char *dir, size_t dcap,
                      char *file, size_t fcap)
{
    snprintf(dir, dcap, "%s/%.2s", s->root, sha);
    snprintf(file, fcap, "%s/%.2s/%s", s->root, sha, sha + 2);
}

static void *drop_cache_main(void *arg)
{
    int fd = (int)(intptr_t)arg;
    (void)posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    close(fd);
    return NULL;
}

/* Drops the (clean) pages of a stored blob from the page cache; see the top. */
static void drop_cache(int fd, uint64_t size)
{
    int d = size >= BG_START ? dup(fd) : -1;
    if (d >= 0) {
        pthread_t th;
        pthread_attr_t a;
        bool started = false;
        if (pthread_attr_init(&a) == 0) {
            started = pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED) == 0 &&
                      pthread_create(&th, &a, drop_cache_main, (void *)(intptr_t)d) == 0;
            pthread_attr_destroy(&a);
        }
        if (started)
            return;
        close(d);
    }
    (void)posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
}

static int fs_put(struct blobstore *bs, struct blob_tmp *t, char sha256[BLOB_SHA256_HEX],
                  bool *existed)
{
    struct fs_store *s = (struct fs_store *)bs;
    bool hashed = bg_finish(t, false);
    /* the syncer's final fdatasync (after tmp_end) covers the whole file */
    bool flushed = t->final_ok && t->final_synced == t->size;
    t->done = true; /* no helper threads from here on */
    if (!hashed) {
        /* a small file (or a helper failed): hash it all now */
        unsigned char buf[16384];
        uint64_t from = 0;
        EVP_DigestInit_ex(t->md, EVP_sha256(), NULL);
        while (from < t->size) {
            size_t want = t->size - from < sizeof buf ? (size_t)(t->size - from) : sizeof buf;
            ssize_t n = pread(t->fd, buf, want, (off_t)from);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0 || EVP_DigestUpdate(t->md, buf, (size_t)n) != 1)
                return -1;
            from += (uint64_t)n;
        }
    }
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;
    if (EVP_DigestFinal_ex(t->md, md, &mdlen) != 1 || mdlen != 32)
        return -1;
    for (unsigned i = 0; i < 32; i++)
        snprintf(sha256 + 2 * i, 3, "%02x", md[i]);
    char dir[PATH_MAX], file[PATH_MAX];
    blob_path(s, sha256, dir, sizeof dir, file, sizeof file);
    *existed = false;
    struct stat st;
    if (stat(file, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size == t->size) {
        *existed = true; /* the same bytes are stored already: written once */
        /* fresh again: the garbage collector's grace period covers it until its row commits */
        return utimensat(AT_FDCWD, file, NULL, 0) == 0 ? 0 : -1;
    }
    /* fdatasync: the data and the size (what reading it back needs), not the timestamps */
    if (!flushed && fdatasync(t->fd) != 0)
        return -1;
    bool created = mkdir(dir, 0750) == 0;
    if (!created && errno != EEXIST)
        return -1;
    if (created && fsync_dir(s->root) != 0)
        return -1;
    if (rename(t->path, file) != 0)
        return -1;
    t->path[0] = '\0'; /* it is the blob now: tmp_remove must not unlink it */
    drop_cache(t->fd, t->size); /* clean now */
    return fsync_dir(dir) == 0 ? 0 : -1;
}

static void fs_tmp_remove(struct blob_tmp *t)
{
    if (!t)
        return;
    bg_finish(t, true);
    if (t->fd >= 0)
        close(t->fd);
    if (t->path[0])
        unlink(t->path);
    EVP_MD_CTX_free(t->md);
    free(t);
}

static int fs_open(struct blobstore *bs, const char *sha256, uint64_t *size)
{
    struct fs_store *s = (struct fs_store *)bs;
    if (!blob_sha256_valid(sha256))
        return -1;
    char dir[PATH_MAX], file[PATH_MAX];
    blob_path(s, sha256, dir, sizeof dir, file, sizeof file);
    int fd = open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat st;
    if (fd < 0)
        return -1;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return -1;
    }
    *size = (uint64_t)st.st_size;
    return fd;
}

static bool fs_exists(struct blobstore *bs, const char *sha256)
{
    uint64_t size;
    int fd = fs_open(bs, sha256, &size);
    if (fd < 0)
        return false;
    close(fd);
    return true;
}

static int fs_clean_temps(struct blobstore *bs)
{
    struct fs_store *s = (struct fs_store *)bs;
    DIR *d = opendir(s->tmp);
    if (!d)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, "upload-", 7) != 0)
            continue;
        if (unlinkat(dirfd(d), e->d_name, 0) == 0)
            n++;
    }
    closedir(d);
    return n;
}

static bool is_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return s[n] == '\0';
}

static int fs_list(struct blobstore *bs,
                   bool (*fn)(void *ctx, const char *sha256, uint64_t size, int64_t mtime),
                   void *ctx)
{
    struct fs_store *s = (struct fs_store *)bs;
    DIR *root = opendir(s->root);
    if (!root)
        return -1;
    struct dirent *d;
    bool go = true;
    while (go && (d = readdir(root))) {
        if (strlen(d->d_name) != 2 || !is_hex(d->d_name, 2)) /* tmp/, ., .. */
            continue;
        int dfd = openat(dirfd(root), d->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        DIR *sub = dfd >= 0 ? fdopendir(dfd) : NULL;
        if (!sub) {
            if (dfd >= 0)
                close(dfd);
            continue;
        }
        struct dirent *e;
        while (go && (e = readdir(sub))) {
            struct stat st;
            if (strlen(e->d_name) != 62 || !is_hex(e->d_name, 62) ||
                fstatat(dirfd(sub), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
                !S_ISREG(st.st_mode))
                continue;
            /* 2 + 62 hex digits, both lengths checked above: a fixed-size copy, no format */
            char sha[BLOB_SHA256_HEX];
            memcpy(sha, d->d_name, 2);
            memcpy(sha + 2, e->d_name, 62);
            sha[64] = '\0';
            go = fn(ctx, sha, (uint64_t)st.st_size, (int64_t)st.st_mtime);
        }
        closedir(sub);
    }
    closedir(root);
    return 0;
}

static int fs_remove(struct blobstore *bs, const char *sha256)
{
    struct fs_store *s = (struct fs_store *)bs;
    if (!blob_sha256_valid(sha256))
        return -1;
    char dir[PATH_MAX], file[PATH_MAX];
    blob_path(s, sha256, dir, sizeof dir, file, sizeof file);
    if (unlink(file) != 0)
        return -1;
    return fsync_dir(dir);
}

static void fs_close(struct blobstore *bs)
{
    free(bs);
}

static const struct blobstore_ops fs_ops = {
    .name = "fs",
    .tmp_new = fs_tmp_new,
    .tmp_write = fs_tmp_write,
    .tmp_end = fs_tmp_end,
    .tmp_fd = fs_tmp_fd,
    .tmp_size = fs_tmp_size,
    .put = fs_put,
    .tmp_remove = fs_tmp_remove,
    .open = fs_open,
    .exists = fs_exists,
    .clean_temps = fs_clean_temps,
    .list = fs_list,
    .remove = fs_remove,
    .close = fs_close,
};

struct blobstore *blobstore_fs_open(const char *data_dir, char *err, size_t errlen)
{
    struct fs_store *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "hết bộ nhớ");
        return NULL;
    }
    s->base.ops = &fs_ops;
    int a = snprintf(s->root, sizeof s->root, "%s/blobs", data_dir);
    int b = snprintf(s->tmp, sizeof s->tmp, "%s/blobs/tmp", data_dir);
    if (a < 0 || b < 0 || (size_t)b >= sizeof s->tmp - 16) {
        snprintf(err, errlen, "đường dẫn thư mục dữ liệu quá dài: %s", data_dir);
        free(s);
        return NULL;
    }
    if (!make_dir(data_dir) || !make_dir(s->root) || !make_dir(s->tmp) ||
        access(s->tmp, W_OK) != 0) {
        snprintf(err, errlen, "không tạo hoặc ghi được thư mục dữ liệu %s: %s", s->root,
                 errno_vi(errno));
        free(s);
        return NULL;
    }
    return &s->base;
}
