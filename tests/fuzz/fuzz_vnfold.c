/* fuzz_vnfold.c — the Vietnamese comparison key (core/vnfold.h) on arbitrary bytes: no crash,
 * no leak, no undefined behaviour; a key is valid UTF-8 without NUL, upper-case ASCII, đ or
 * leading/trailing/double spaces, and folding is idempotent (a key folds to itself). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "core/vnfold.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t n;
    char *k = vnfold((const char *)data, size, &n);
    if (!k)
        return 0;
    if (strlen(k) != n || utf8_count(k, n) < 0)
        abort();
    if (n && (k[0] == ' ' || k[n - 1] == ' ' || strstr(k, "  ")))
        abort();
    for (size_t i = 0; i < n; i++)
        if (k[i] >= 'A' && k[i] <= 'Z')
            abort();
    if (strstr(k, "\xc4\x91") || strstr(k, "\xc4\x90")) /* đ Đ */
        abort();
    if (n <= VNFOLD_MAX_INPUT) {
        size_t m;
        char *again = vnfold(k, n, &m);
        if (!again || m != n || memcmp(again, k, n))
            abort();
        free(again);
        if (!vnfold_contains(k, "") || !vnfold_contains(k, k))
            abort();
    }
    free(k);
    return 0;
}
