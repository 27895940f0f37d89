/* inputs.h — turning a unit's JSON answers into typed values for the scorer.
 *
 * This is where text becomes a number ("8,5", "95%"), a choice is matched against its options
 * and a date is checked; range checks (negative counts, ratio > 1 …) belong to the scorer so they
 * also apply to values that never were JSON. */
#ifndef DTI_CORE_INPUTS_H
#define DTI_CORE_INPUTS_H

#include <jansson.h>
#include <stddef.h>

#include "core/framework.h"
#include "core/value.h"

/* One input. JSON null gives VAL_ABSENT. Returns 0, or -1 with a Vietnamese message. */
int value_from_json(const struct fw_input *in, const json_t *j, struct value *out, char *err,
                    size_t errlen);

/* The inputs of one criterion from {"name": value, …}; unknown names and bad values are added
 * to errs under `path`. vals has c->n_inputs entries. Returns the number of errors added. */
size_t criterion_values_from_json(const struct fw_criterion *c, const json_t *obj,
                                  struct value *vals, const char *path, struct fw_errors *errs);

/* A whole inputs file ({"unit_kind", "criteria": {key: {"inputs"} | {"not_applicable"}}}).
 * Arrays are owned by the struct; strings are borrowed from doc, which must outlive it. */
struct unit_inputs_buf {
    int unit_kind;
    struct value *values;
    uint8_t *state;
    const char **na_reason;
};
/* Returns 0, or the number of errors (paths like "criteria.iii-1-1.inputs.staff_total"). */
size_t unit_inputs_from_json(const struct framework *fw, const json_t *doc,
                             struct unit_inputs_buf *out, struct fw_errors *errs);
void unit_inputs_buf_free(struct unit_inputs_buf *b);

#endif
