/* fuzz_xlsx_read.c — the .xlsx reader (core/xlsx_read.h) on arbitrary bytes: no crash, no leak,
 * no undefined behaviour, bounded work; every cell and every error within the contract.
 *
 * Every input is read twice, with the fast XML path (core/xml_fast.h) and with expat alone:
 * a workbook either reads whole must read whole and the same with the other.
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

/* FNV-1a over everything a cell delivers: the fast XML path and expat alone must agree. */
static void mix(uint64_t *h, const void *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        *h = (*h ^ ((const unsigned char *)p)[i]) * 1099511628211ull;
}

static int check_cell(const struct xlsx_cell *c, void *ud)
{
    uint64_t *h = ud;
    mix(h, c->sheet, strlen(c->sheet) + 1);
    mix(h, &c->row, sizeof c->row);
    mix(h, &c->col, sizeof c->col);
    mix(h, &c->type, sizeof c->type);
    mix(h, &c->number, sizeof c->number);
    if (c->text)
        mix(h, c->text, c->text_len);
    unsigned char flags = (unsigned char)(c->is_formula | c->is_date << 1 | c->sheet_hidden << 2);
    mix(h, &flags, 1);
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
    struct xlsx_error err, err2;
    uint64_t fast = 1469598103934665603ull, slow = fast;
    xlsx_read_fast_xml = false;
    enum xlsx_err_code rc2 = xlsx_read(in, len, &g_lim, check_cell, &slow, &err2);
    xlsx_read_fast_xml = true;
    enum xlsx_err_code rc = xlsx_read(in, len, &g_lim, check_cell, &fast, &err);
    /* a workbook read whole by one must be read whole, the same, by the other (when both
     * refuse, which error comes first may differ: the fast path inflates a part before parsing) */
    if ((rc == XLSX_OK || rc2 == XLSX_OK) && (rc != rc2 || fast != slow))
        abort();
    if (rc != err.code || (rc != XLSX_OK && (err.message[0] == 0 ||
                                             utf8_count(err.message, strlen(err.message)) < 0 ||
                                             utf8_count(err.sheet, strlen(err.sheet)) < 0)))
        abort();
    free(zipped);
    return 0;
}
