/* fuzz_parts.h — the "PARTS" input format of the .xlsx fuzz targets (fuzz_xlsx_read.c,
 * fuzz_excel_import.c): "PARTS\n@name\ncontent\n@name2\n..." is zipped here (stored, correct
 * CRCs) so that mutations reach the XML parts and not only the zip layer (a mutated part of a
 * real archive fails its CRC). Header-only: each target is one binary. */
#ifndef DTI_FUZZ_PARTS_H
#define DTI_FUZZ_PARTS_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

/* "PARTS\n@name\ncontent\n@name2\n..." → a stored zip in memory; NULL when libzip refuses. */
static uint8_t *zip_parts(const uint8_t *data, size_t size, size_t *out_len)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    if (!src)
        return NULL;
    zip_source_keep(src);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    if (!za) {
        zip_source_free(src);
        zip_source_free(src);
        return NULL;
    }
    const char *p = (const char *)data + 6, *end = (const char *)data + size;
    while (p < end && *p == '@') {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            break;
        char name[256];
        size_t nlen = (size_t)(nl - p - 1);
        if (nlen >= sizeof name)
            break;
        memcpy(name, p + 1, nlen);
        name[nlen] = 0;
        const char *body = nl + 1, *next = body;
        while (next < end && !(next[0] == '@' && next[-1] == '\n'))
            next++;
        size_t blen = (size_t)(next - body);
        zip_source_t *ps = zip_source_buffer(za, body, blen, 0);
        if (ps) {
            zip_int64_t idx = zip_file_add(za, name, ps, ZIP_FL_ENC_RAW);
            if (idx < 0)
                zip_source_free(ps);
            else
                zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
        }
        p = next;
    }
    uint8_t *buf = NULL;
    if (zip_close(za) != 0) {
        zip_discard(za);
    } else if (zip_source_open(src) == 0) {
        zip_source_seek(src, 0, SEEK_END);
        zip_int64_t n = zip_source_tell(src);
        zip_source_seek(src, 0, SEEK_SET);
        if (n > 0 && (buf = malloc((size_t)n)) && zip_source_read(src, buf, (zip_uint64_t)n) == n) {
            *out_len = (size_t)n;
        } else {
            free(buf);
            buf = NULL;
        }
        zip_source_close(src);
    }
    zip_source_free(src);
    return buf;
}

#endif
