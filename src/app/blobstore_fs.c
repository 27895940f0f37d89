/* blobstore_fs.c — the filesystem blob store (blobstore.h): <data dir>/blobs/ab/cdef… (the
 * SHA-256 in hex, split after two digits so no directory grows past 256 × files/256), uploads
 * in <data dir>/blobs/tmp/ (same filesystem, so the final rename is atomic).
 *
 * Durability, in this order: write + fsync the temporary file, fsync the hash's directory
 * after creating it (and blobs/), rename the file to its hash name, fsync that directory.
 * After a crash a blob is either absent or complete; only tmp/ can hold a partial file, and it
 * is emptied at start (clean_temps). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/blobstore.h"

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
    uint64_t size;
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

static bool fs_tmp_write(struct blob_tmp *t, const void *data, size_t n)
{
    const char *p = data;
    if (EVP_DigestUpdate(t->md, data, n) != 1)
        return false;
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
    return true;
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

static int fs_put(struct blobstore *bs, struct blob_tmp *t, char sha256[BLOB_SHA256_HEX],
                  bool *existed)
{
    struct fs_store *s = (struct fs_store *)bs;
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
        return 0;
    }
    if (fsync(t->fd) != 0)
        return -1;
    bool created = mkdir(dir, 0750) == 0;
    if (!created && errno != EEXIST)
        return -1;
    if (created && fsync_dir(s->root) != 0)
        return -1;
    if (rename(t->path, file) != 0)
        return -1;
    t->path[0] = '\0'; /* it is the blob now: tmp_remove must not unlink it */
    return fsync_dir(dir) == 0 ? 0 : -1;
}

static void fs_tmp_remove(struct blob_tmp *t)
{
    if (!t)
        return;
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

static void fs_close(struct blobstore *bs)
{
    free(bs);
}

static const struct blobstore_ops fs_ops = {
    .name = "fs",
    .tmp_new = fs_tmp_new,
    .tmp_write = fs_tmp_write,
    .tmp_fd = fs_tmp_fd,
    .tmp_size = fs_tmp_size,
    .put = fs_put,
    .tmp_remove = fs_tmp_remove,
    .open = fs_open,
    .exists = fs_exists,
    .clean_temps = fs_clean_temps,
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
                 strerror(errno));
        free(s);
        return NULL;
    }
    return &s->base;
}
