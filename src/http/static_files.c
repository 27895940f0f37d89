/* static_files.c — web UI files held in memory with prebuilt MHD responses.
 *
 * The UI build (web/build.mjs) writes content-hashed names under /assets/, so those are cached for a year
 * (immutable); index.html and other top-level files are revalidated (no-cache + ETag).
 */
#include "http/static_files.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http/server_internal.h"

#define MAX_FILES 4096
#define MAX_TOTAL (128u << 20) /* refuse to hold more than 128 MiB of UI in memory */

struct static_file {
    char *path; /* "/assets/index-abc.js" */
    char *data;
    size_t len;
    struct MHD_Response *resp, *resp304;
    char etag[24];
};

struct static_files {
    struct static_file *files;
    size_t n, cap, total;
    const struct static_file *index;
};

static const char builtin_index[] =
    "<!doctype html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    "<title>DTI — chưa có giao diện</title></head><body>"
    "<h1>Giao diện web chưa được xây dựng</h1>"
    "<p>Máy chủ DTI đang chạy và API vẫn hoạt động tại <code>/api/v1/</code>, "
    "nhưng thư mục giao diện web không tồn tại.</p>"
    "<p>Hãy chạy <code>make web</code> rồi khởi động lại máy chủ, hoặc chỉ định thư mục "
    "bằng tuỳ chọn <code>--web THƯ_MỤC</code>.</p></body></html>\n";

const char *static_content_type(const char *name)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".map", "application/json"},
        {".webmanifest", "application/manifest+json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".jpeg", "image/jpeg"},
        {".gif", "image/gif"},
        {".webp", "image/webp"},
        {".avif", "image/avif"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".woff", "font/woff"},
        {".ttf", "font/ttf"},
        {".otf", "font/otf"},
        {".txt", "text/plain; charset=utf-8"},
        {".xml", "application/xml"},
        {".pdf", "application/pdf"},
        {".wasm", "application/wasm"},
        {".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    };
    const char *dot = strrchr(name, '.');
    const char *slash = strrchr(name, '/');
    if (dot && (!slash || dot > slash))
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
            if (strcasecmp(dot, types[i].ext) == 0)
                return types[i].type;
    return "application/octet-stream";
}

static bool is_asset(const char *path)
{
    return strncmp(path, "/assets/", 8) == 0;
}

/* FNV-1a: an ETag only has to change when the bytes change. */
static uint64_t fnv1a(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211ull;
    }
    return h;
}

static bool add_file(struct static_files *s, const char *path, char *data, size_t len, char *err,
                     size_t errlen)
{
    if (s->n == MAX_FILES || s->total + len > MAX_TOTAL) {
        snprintf(err, errlen, "thư mục giao diện quá lớn (tối đa %d tệp, %u MiB)", MAX_FILES,
                 MAX_TOTAL >> 20);
        return false;
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 32;
        struct static_file *f = realloc(s->files, cap * sizeof *f);
        if (!f)
            return false;
        s->files = f;
        s->cap = cap;
    }
    struct static_file *f = &s->files[s->n];
    memset(f, 0, sizeof *f);
    f->path = strdup(path);
    f->data = data;
    f->len = len;
    if (!f->path)
        return false;
    snprintf(f->etag, sizeof f->etag, "\"%016llx\"", (unsigned long long)fnv1a(data, len));
    s->n++;
    s->total += len;
    return true;
}

static bool read_all(int dirfd, const char *name, char **out, size_t *len)
{
    int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > MAX_TOTAL) {
        close(fd);
        return false;
    }
    size_t n = (size_t)st.st_size;
    char *buf = malloc(n ? n : 1);
    size_t got = 0;
    while (buf && got < n) {
        ssize_t k = read(fd, buf + got, n - got);
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    close(fd);
    if (!buf || got != n) {
        free(buf);
        return false;
    }
    *out = buf;
    *len = n;
    return true;
}

static bool walk(struct static_files *s, int dirfd, const char *prefix, int depth, char *err,
                 size_t errlen)
{
    if (depth > 16)
        return true;
    DIR *d = fdopendir(dirfd);
    if (!d) {
        close(dirfd);
        return false;
    }
    bool ok = true;
    struct dirent *e;
    while (ok && (e = readdir(d))) {
        if (e->d_name[0] == '.') /* ".", "..", and hidden files are never served */
            continue;
        struct stat st;
        if (fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
            continue;
        char path[1024];
        if ((size_t)snprintf(path, sizeof path, "%s/%s", prefix, e->d_name) >= sizeof path)
            continue;
        if (S_ISDIR(st.st_mode)) {
            int sub = openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub >= 0)
                ok = walk(s, sub, path, depth + 1, err, errlen);
        } else if (S_ISREG(st.st_mode)) {
            char *data;
            size_t len;
            if (!read_all(dirfd, e->d_name, &data, &len)) {
                snprintf(err, errlen, "không đọc được tệp giao diện %s", path);
                ok = false;
            } else if (!add_file(s, path, data, len, err, errlen)) {
                free(data);
                ok = false;
            }
        } /* symlinks, sockets, devices: skipped */
    }
    closedir(d);
    return ok;
}

static int cmp_file(const void *a, const void *b)
{
    return strcmp(((const struct static_file *)a)->path, ((const struct static_file *)b)->path);
}

static struct MHD_Response *build(const struct static_file *f, bool not_modified)
{
    struct MHD_Response *r = not_modified
        ? MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT)
        : MHD_create_response_from_buffer(f->len, f->data, MHD_RESPMEM_PERSISTENT);
    if (!r)
        return NULL;
    /* Built once at start-up: a header that cannot be added fails the start, never a reply
     * without its security headers. */
    bool ok = http_add_security_headers(r, false) &&
              (not_modified || MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
                                                       static_content_type(f->path)) == MHD_YES) &&
              MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, f->etag) == MHD_YES &&
              MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
                                      is_asset(f->path) ? "public, max-age=31536000, immutable"
                                                        : "no-cache") == MHD_YES;
    if (!ok) {
        MHD_destroy_response(r);
        return NULL;
    }
    return r;
}

struct static_files *static_files_load(const char *dir, char *err, size_t errlen)
{
    struct static_files *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "hết bộ nhớ");
        return NULL;
    }
    int fd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    if (fd >= 0 && !walk(s, fd, "", 0, err, errlen)) {
        static_files_free(s);
        return NULL;
    }
    if (s->n)
        qsort(s->files, s->n, sizeof *s->files, cmp_file);
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->files[i].path, "/index.html") == 0)
            s->index = &s->files[i];
    if (!s->index) {
        char *copy = malloc(sizeof builtin_index - 1);
        if (copy)
            memcpy(copy, builtin_index, sizeof builtin_index - 1);
        if (!copy || !add_file(s, "/index.html", copy, sizeof builtin_index - 1, err, errlen)) {
            free(copy);
            static_files_free(s);
            return NULL;
        }
        qsort(s->files, s->n, sizeof *s->files, cmp_file);
        for (size_t i = 0; i < s->n; i++)
            if (strcmp(s->files[i].path, "/index.html") == 0)
                s->index = &s->files[i];
    }
    for (size_t i = 0; i < s->n; i++) {
        s->files[i].resp = build(&s->files[i], false);
        s->files[i].resp304 = build(&s->files[i], true);
        if (!s->files[i].resp || !s->files[i].resp304) {
            snprintf(err, errlen, "hết bộ nhớ");
            static_files_free(s);
            return NULL;
        }
    }
    return s;
}

void static_files_free(struct static_files *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        if (s->files[i].resp)
            MHD_destroy_response(s->files[i].resp);
        if (s->files[i].resp304)
            MHD_destroy_response(s->files[i].resp304);
        free(s->files[i].path);
        free(s->files[i].data);
    }
    free(s->files);
    free(s);
}

size_t static_files_count(const struct static_files *s)
{
    return s->n;
}

struct MHD_Response *static_files_lookup(const struct static_files *s, const char *path,
                                         const char *if_none_match, int *status, size_t *bytes)
{
    struct static_file key = {.path = (char *)path};
    const struct static_file *f = bsearch(&key, s->files, s->n, sizeof *s->files, cmp_file);
    if (!f) {
        if (is_asset(path))
            return NULL;
        f = s->index;
    }
    if (if_none_match && strstr(if_none_match, f->etag)) {
        *status = 304;
        *bytes = 0;
        return f->resp304;
    }
    *status = 200;
    *bytes = f->len;
    return f->resp;
}
