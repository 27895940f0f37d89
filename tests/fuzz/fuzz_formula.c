/* fuzz_formula.c — the formula compiler and evaluator on arbitrary text: no crash, no leak, no
 * undefined behaviour, bounded stack. Inputs a, b (numbers) and s (a choice) are defined. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/formula.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 8192)
        return 0;
    char *src = malloc(size + 1);
    memcpy(src, data, size);
    src[size] = 0;
    static const struct formula_input ins[] = {{"a", false, false}, {"b", false, false}, {"s", true, false}};
    char err[256];
    formula *f = formula_compile(src, ins, 3, err, sizeof err);
    if (f) {
        struct value v[3] = {{.kind = VAL_NUM, .num = {7, 2}}, {.kind = VAL_NUM, .num = {0, 1}},
                             {.kind = VAL_TEXT, .text = "head"}};
        rat r;
        formula_eval(f, v, &r, err, sizeof err);
        v[1].num = (rat){-3, 1};
        v[0].kind = VAL_ABSENT;
        formula_eval(f, v, &r, err, sizeof err);
        formula_free(f);
    }
    free(src);
    return 0;
}
