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
#include "fuzz_parts.h"
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
