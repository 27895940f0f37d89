/* fuzz_typed_number.c — numbers as typed in a spreadsheet's text cell (core/typed_number.h) on
 * arbitrary bytes: no crash, leak or undefined behaviour; a value read is exact and printing it
 * back with a decimal comma reads the same value again (so nothing is half-understood). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/typed_number.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    bool pct = data[0] & 1;
    rat v;
    enum typed_number_rc rc = typed_number_parse((const char *)data + 1, size - 1, pct, &v);
    if (rc != TN_OK)
        return 0;
    if (v.d <= 0)
        abort();
    char buf[80];
    rat_format(v, buf, sizeof buf);
    if (buf[0] == '\xe2') /* "≈": more than 6 decimals, not printed exactly */
        return 0;
    rat again;
    /* "1,234" printed back would be ambiguous: a value with 3 decimals and a small integer part */
    enum typed_number_rc rc2 = typed_number_parse(buf, strlen(buf), false, &again);
    if (rc2 == TN_AMBIGUOUS)
        return 0;
    if (rc2 != TN_OK || rat_cmp(v, again) != 0)
        abort();
    return 0;
}
