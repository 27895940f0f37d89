/* fuzz_xlsx_read.c — the .xlsx reader (core/xlsx_read.h) on arbitrary bytes: no crash, no leak,
 * no undefined behaviour, bounded work; every cell and every error within the contract.
 *
 * Two ways in, so mutations reach the XML and not only the zip layer (a mutated part of a real
 * archive fails its CRC): an input starting "PARTS\n" is a list of "@name\n" + content sections,
 * zipped here (stored, correct CRCs) before reading; anything else is read as the archive. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "core/utf8.h"
#include "core/xlsx_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct xlsx_limits g_lim;

static int check_cell(const struct xlsx_cell *c, void *ud)
{
    (void)ud;
    if (c->row < 1 || c->row > g_lim.max_rows || c->col < 1 || c->col > g_lim.max_cols || !c->sheet)
        abort();
    if (c->type == XLSX_TEXT || c->type == XLSX_ERROR) {
        if (!c->text || strlen(c->text) != c->text_len)
            abort();
        long n = utf8_count(c->text, c->text_len);
        if (n < 0 || (uint64_t)n > g_lim.max_cell_chars)
            abort();
    }
    if (c->type == XLSX_BOOL && c->number != 0 && c->number != 1)
        abort();
    return 0;
}

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 20)
        return 0;
    xlsx_limits_default(&g_lim);
    g_lim.max_inflated_total = 4u << 20; /* keep each run short */
    g_lim.max_part_inflated = 2u << 20;
    g_lim.max_cells = 100000;
    uint8_t *zipped = NULL;
    size_t len = size;
    const uint8_t *in = data;
    if (size >= 6 && memcmp(data, "PARTS\n", 6) == 0) {
        zipped = zip_parts(data, size, &len);
        if (!zipped)
            return 0;
        in = zipped;
    }
    struct xlsx_error err;
    enum xlsx_err_code rc = xlsx_read(in, len, &g_lim, check_cell, NULL, &err);
    if (rc != err.code || (rc != XLSX_OK && (err.message[0] == 0 ||
                                             utf8_count(err.message, strlen(err.message)) < 0 ||
                                             utf8_count(err.sheet, strlen(err.sheet)) < 0)))
        abort();
    free(zipped);
    return 0;
}
