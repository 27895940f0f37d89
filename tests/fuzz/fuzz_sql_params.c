/* fuzz_sql_params.c — the `?` rewriter on arbitrary text: never crashes, never reads or
 * writes out of bounds, and only ever turns `?` into `$n` (numbered 1..n in order). */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sql_params.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = malloc(size + 1);
    if (!in)
        return 0;
    memcpy(in, data, size);
    in[size] = 0; /* the input stops at the first NUL, as a C string would */
    int n = -1;
    char *out = sql_params_rewrite(in, &n);
    assert(out);
    size_t marks = 0;
    for (const char *p = in; *p; p++)
        marks += *p == '?';
    assert(n >= 0 && (size_t)n <= marks);
    /* Walk both texts together: equal except where a `?` became the next `$k`. */
    const char *a = in, *b = out;
    int k = 0;
    while (*a) {
        if (*a == '?' && *b == '$') {
            char want[16];
            int len = snprintf(want, sizeof want, "$%d", ++k);
            assert(!strncmp(b, want, (size_t)len));
            a++;
            b += len;
            continue;
        }
        assert(*a == *b);
        a++;
        b++;
    }
    assert(*b == 0 && k == n);
    free(out);
    free(in);
    return 0;
}
