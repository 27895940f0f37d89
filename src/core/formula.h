/* formula.h — the small formula language of docs/framework-format.md.
 *
 * Compiled once into a flat postfix program (with jumps for `if`, `and`, `or`), evaluated by a
 * loop over a fixed-size value stack: no recursion at evaluation time, and the parser's own
 * recursion is bounded by a nesting limit of 64, so hostile input cannot exhaust the C stack.
 * The language can only read the criterion's inputs and compute; it has no other effects.
 */
#ifndef DTI_CORE_FORMULA_H
#define DTI_CORE_FORMULA_H

#include <stdbool.h>
#include <stddef.h>

#include "core/rational.h"
#include "core/value.h"

#define FORMULA_MAX_LEN 4000
#define FORMULA_MAX_DEPTH 64

typedef struct formula formula;

/* An input the expression may name. is_text: a choice input, compared with "quoted" strings. */
struct formula_input {
    const char *name;
    bool is_text;
    bool is_date; /* dates cannot be used in expressions */
};

/* Returns NULL with a Vietnamese message naming the position ("vị trí 7: …") on error. */
formula *formula_compile(const char *src, const struct formula_input *inputs, size_t n_inputs,
                         char *err, size_t errlen);
void formula_free(formula *f);

/* Evaluates with vals[i] the value of inputs[i]. Returns RAT_OK, or an error code with a
 * Vietnamese message (division by zero names the position; an absent input names the input). */
int formula_eval(const formula *f, const struct value *vals, rat *out, char *err, size_t errlen);

/* Whether input i appears in the expression (for explanations). */
bool formula_uses_input(const formula *f, size_t i);

#endif
