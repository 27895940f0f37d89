/* test_blobstore.c — the filesystem blob store (src/app/blobstore_fs.c) and the content type
 * check (src/app/filetype.c): stored under the SHA-256, written once, atomic, temporary files
 * cleaned; PDF/PNG accepted by content, HTML named anything refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "app/blobstore.h"
#include "app/filetype.h"

static char dir[64];

static int count_files(const char *d)
{
    DIR *h = opendir(d);
    int n = 0;
    struct dirent *e;
    while (h && (e = readdir(h)))
        n += e->d_name[0] != '.';
    if (h)
        closedir(h);
    return n;
}

static struct blob_tmp *write_tmp(struct blobstore *s, const char *data)
{
    struct blob_tmp *t = s->ops->tmp_new(s);
    assert_non_null(t);
    /* in two pieces: the hash is computed across writes */
    size_t n = strlen(data), h = n / 2;
    assert_true(s->ops->tmp_write(t, data, h));
    assert_true(s->ops->tmp_write(t, data + h, n - h));
    assert_int_equal(s->ops->tmp_size(t), n);
    return t;
}

static void stores_once_by_sha256(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/dti-blobtest.XXXXXX");
    assert_non_null(mkdtemp(dir));
    char err[256];
    struct blobstore *s = blobstore_fs_open(dir, err, sizeof err);
    assert_non_null(s);
    char tmpdir[128];
    snprintf(tmpdir, sizeof tmpdir, "%s/blobs/tmp", dir);

    struct blob_tmp *t = write_tmp(s, "abc");
    assert_int_equal(count_files(tmpdir), 1);
    char sha[BLOB_SHA256_HEX];
    bool existed = true;
    assert_int_equal(s->ops->put(s, t, sha, &existed), 0);
    s->ops->tmp_remove(t);
    assert_false(existed);
    assert_string_equal(sha, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_int_equal(count_files(tmpdir), 0);
    char path[256];
    snprintf(path, sizeof path, "%s/blobs/ba/%s", dir, sha + 2);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_size, 3);
    assert_true(s->ops->exists(s, sha));

    /* the same bytes again: nothing written twice, the temporary file removed, and the blob's
     * time refreshed (the garbage collector's grace period covers it until its row commits) */
    struct timespec long_ago[2] = {{.tv_sec = 1000000000}, {.tv_sec = 1000000000}};
    assert_int_equal(utimensat(AT_FDCWD, path, long_ago, 0), 0);
    t = write_tmp(s, "abc");
    assert_int_equal(s->ops->put(s, t, sha, &existed), 0);
    s->ops->tmp_remove(t);
    assert_true(existed);
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_mtime > 1000000000);
    snprintf(path, sizeof path, "%s/blobs/ba", dir);
    assert_int_equal(count_files(path), 1);
    assert_int_equal(count_files(tmpdir), 0);

    uint64_t size = 0;
    int fd = s->ops->open(s, sha, &size);
    assert_true(fd >= 0);
    assert_int_equal(size, 3);
    char buf[8] = {0};
    assert_int_equal(read(fd, buf, sizeof buf), 3);
    assert_string_equal(buf, "abc");
    close(fd);
    /* only a hash names a blob: never a path */
    assert_int_equal(s->ops->open(s, "../../../etc/passwd", &size), -1);
    assert_int_equal(s->ops->open(s, "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", &size), -1);
    assert_false(s->ops->exists(s, "0000000000000000000000000000000000000000000000000000000000000000"));

    /* an upload abandoned (or cut by a crash) leaves only a temporary file, cleaned at start */
    t = write_tmp(s, "partial");
    s->ops->tmp_remove(t);
    assert_int_equal(count_files(tmpdir), 0);
    t = s->ops->tmp_new(s);
    assert_non_null(t);
    struct blob_tmp *t2 = s->ops->tmp_new(s);
    assert_int_equal(count_files(tmpdir), 2);
    assert_int_equal(s->ops->clean_temps(s), 2);
    assert_int_equal(count_files(tmpdir), 0);
    s->ops->tmp_remove(t);
    s->ops->tmp_remove(t2);
    s->ops->close(s);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

static int fd_of(const char *data, size_t n)
{
    char path[] = "/tmp/dti-ftype.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    unlink(path);
    assert_int_equal(write(fd, data, n), (ssize_t)n);
    return fd; /* the offset is at the end, as after an upload */
}

/* A file past the size where the store hashes and flushes on helper threads (blobstore_fs.c:
 * 1 MiB) gets the same SHA-256 as one computed in one go, whatever the write sizes; an upload
 * of that size abandoned midway stops its helpers and leaves nothing. */
static void large_file_hashed_alongside(void **state)
{
    (void)state;
    char d[64];
    snprintf(d, sizeof d, "/tmp/dti-blobtest.XXXXXX");
    assert_non_null(mkdtemp(d));
    char err[256];
    struct blobstore *s = blobstore_fs_open(d, err, sizeof err);
    assert_non_null(s);
    size_t total = (9u << 20) + 12345;
    unsigned char *data = malloc(total);
    assert_non_null(data);
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < total; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        data[i] = (unsigned char)x;
    }
    unsigned char md[32];
    unsigned mdlen = 0;
    assert_int_equal(EVP_Digest(data, total, md, &mdlen, EVP_sha256(), NULL), 1);
    char want[BLOB_SHA256_HEX];
    for (int i = 0; i < 32; i++)
        snprintf(want + 2 * i, 3, "%02x", md[i]);

    struct blob_tmp *t = s->ops->tmp_new(s);
    assert_non_null(t);
    for (size_t off = 0, step = 1; off < total; step = step * 7 % 300007 + 1) {
        size_t n = total - off < step ? total - off : step;
        assert_true(s->ops->tmp_write(t, data + off, n));
        off += n;
    }
    assert_int_equal(s->ops->tmp_size(t), total);
    char sha[BLOB_SHA256_HEX];
    bool existed = true;
    assert_int_equal(s->ops->put(s, t, sha, &existed), 0);
    s->ops->tmp_remove(t);
    assert_false(existed);
    assert_string_equal(sha, want);
    uint64_t size = 0;
    int fd = s->ops->open(s, sha, &size);
    assert_true(fd >= 0);
    assert_int_equal(size, total);
    close(fd);

    /* abandoned past the threshold: helpers stopped, temporary file removed */
    t = s->ops->tmp_new(s);
    assert_true(s->ops->tmp_write(t, data, 3u << 20));
    s->ops->tmp_remove(t);
    char tmpdir[128];
    snprintf(tmpdir, sizeof tmpdir, "%s/blobs/tmp", d);
    assert_int_equal(count_files(tmpdir), 0);
    free(data);
    s->ops->close(s);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", d);
    assert_int_equal(system(cmd), 0);
}

static void type_by_content(void **state)
{
    (void)state;
    char seen[96];
    static const char pdf[] = "%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n";
    int fd = fd_of(pdf, sizeof pdf - 1);
    const char *m = filetype_allowed(fd, seen, sizeof seen);
    assert_non_null(m);
    assert_string_equal(m, "application/pdf");
    close(fd);
    static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\1\0\0\0\1\x08\x06\0\0\0\x1f\x15\xc4\x89";
    fd = fd_of(png, sizeof png - 1);
    assert_string_equal(filetype_allowed(fd, seen, sizeof seen), "image/png");
    close(fd);
    static const char html[] = "<!DOCTYPE html>\n<html><body><script>alert(1)</script></body></html>\n";
    fd = fd_of(html, sizeof html - 1);
    assert_null(filetype_allowed(fd, seen, sizeof seen));
    assert_string_equal(seen, "text/html");
    close(fd);
    static const char exe[] = "MZ\x90\0\3\0\0\0\4\0\0\0\xff\xff\0\0";
    fd = fd_of(exe, sizeof exe - 1);
    assert_null(filetype_allowed(fd, seen, sizeof seen));
    close(fd);
    fd = fd_of("", 0);
    assert_null(filetype_allowed(fd, seen, sizeof seen));
    close(fd);
    assert_non_null(strstr(filetype_allowed_names(), "DOCX"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stores_once_by_sha256),
        cmocka_unit_test(large_file_hashed_alongside),
        cmocka_unit_test(type_by_content),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
