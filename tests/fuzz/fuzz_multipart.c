/* fuzz_multipart.c — the multipart/form-data reader (src/core/multipart.c).
 *
 * Input: 2 bytes seeding the chunk sizes, then the body (boundary "XyZ"); its first line is also
 * tried as a Content-Type for multipart_boundary. Each input is read twice — whole, and split
 * into pseudo-random chunks of 1…64 bytes — and both readings must agree exactly (result, file
 * bytes, file name, replaces). An accepted file name must be valid UTF-8 of at most
 * MP_FILENAME_MAX bytes without NUL, '/', '\' or "."/".."; it is then put through the
 * application's text_clean_line as the upload handler does. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/text.h"
#include "core/multipart.h"
#include "core/utf8.h"

struct sink {
    uint64_t hash, len;
};

static bool collect(void *ctx, const char *data, size_t n)
{
    struct sink *s = ctx;
    for (size_t i = 0; i < n; i++)
        s->hash = (s->hash ^ (uint8_t)data[i]) * 1099511628211ull;
    s->len += n;
    return true;
}

static struct multipart a, b;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    uint32_t seed = (uint32_t)data[0] << 8 | data[1];
    const char *body = (const char *)data + 2;
    size_t len = size - 2;

    char ct[256], bnd[MP_BOUNDARY_MAX + 1];
    const char *nl = memchr(body, '\n', len);
    size_t cl = nl ? (size_t)(nl - body) : len;
    if (cl < sizeof ct) {
        memcpy(ct, body, cl);
        ct[cl] = '\0';
        if (multipart_boundary(ct, bnd, sizeof bnd)) {
            size_t bl = strlen(bnd);
            if (bl == 0 || bl > MP_BOUNDARY_MAX)
                abort();
        }
    }

    struct sink sa = {1469598103934665603ull, 0}, sb = sa;
    multipart_init(&a, "XyZ", 4096, collect, &sa);
    multipart_feed(&a, body, len);
    enum mp_error ea = multipart_finish(&a);

    multipart_init(&b, "XyZ", 4096, collect, &sb);
    for (size_t off = 0; off < len;) {
        seed = seed * 1103515245u + 12345u;
        size_t n = 1 + (seed >> 16) % 64;
        if (n > len - off)
            n = len - off;
        multipart_feed(&b, body + off, n);
        off += n;
    }
    enum mp_error eb = multipart_finish(&b);

    if (ea != eb || sa.len != sb.len || sa.hash != sb.hash)
        abort();
    if (ea != MP_OK)
        return 0;
    if (strcmp(a.filename, b.filename) || a.has_replaces != b.has_replaces ||
        strcmp(a.replaces, b.replaces) || a.file_size != sa.len || sa.len > 4096)
        abort();
    size_t fl = strlen(a.filename);
    if (fl == 0 || fl > MP_FILENAME_MAX || utf8_count(a.filename, fl) < 0 ||
        strchr(a.filename, '/') || strchr(a.filename, '\\') || !strcmp(a.filename, ".") ||
        !strcmp(a.filename, ".."))
        abort();
    static const struct text_field f = {"file", "Tên tệp", 255, true};
    char out[TEXT_BUF(255)];
    struct app_err e;
    text_clean_line(a.filename, &f, out, sizeof out, &e);
    return 0;
}
