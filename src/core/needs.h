/* needs.h — for the unit page (docs/results-api.md "Unit page and progress report"): what a
 * criterion's inputs would need to be for full points, and the measured value a progress report
 * shows. Both go through the rule table (core/rule.h: each rule_<name>.c has its own `needs`
 * and, where a plain list of inputs would not say it, its own `measure`). Pure, no I/O. */
#ifndef DTI_CORE_NEEDS_H
#define DTI_CORE_NEEDS_H

#include <stddef.h>

#include "core/framework.h"
#include "core/value.h"

/* Under the reading `reading` (NULL or "main": the set's own rule). vals: the unit's current
 * values (c->n_inputs) or NULL. Writes a NUL-terminated sentence into buf (truncated, never cut
 * inside a UTF-8 sequence); "" when nothing can raise the points. Returns buf. */
char *fw_rule_needs(const struct fw_criterion *c, const char *reading, const struct value *vals,
                    char *buf, size_t n);

/* "921/968 (95,14 %)" for a ratio, "104/24 tin bài" for a target, else every given input as
 * "label: value" joined by "; ". "" when no input is given. Returns buf. */
char *fw_measured(const struct fw_criterion *c, const char *reading, const struct value *vals,
                  char *buf, size_t n);

#endif
