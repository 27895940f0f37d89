/* rules.c — the table of rule types: one row per type, indexed by enum fw_rule_type. Each row
 * is defined in its own file (rule_<name>.c). */
#include <string.h>

#include "core/rule.h"

extern const struct rule_ops rule_yes_no, rule_by_signer, rule_checklist, rule_per_item,
    rule_count_steps, rule_ratio_to_target, rule_ratio, rule_inverse_ratio, rule_penalty,
    rule_deadline, rule_not_applicable, rule_manual, rule_formula;

static const struct rule_ops *const table[R_TYPE_COUNT] = {
    [R_YES_NO] = &rule_yes_no,
    [R_BY_SIGNER] = &rule_by_signer,
    [R_CHECKLIST] = &rule_checklist,
    [R_PER_ITEM] = &rule_per_item,
    [R_COUNT_STEPS] = &rule_count_steps,
    [R_RATIO_TO_TARGET] = &rule_ratio_to_target,
    [R_RATIO] = &rule_ratio,
    [R_INVERSE_RATIO] = &rule_inverse_ratio,
    [R_PENALTY] = &rule_penalty,
    [R_DEADLINE] = &rule_deadline,
    [R_NOT_APPLICABLE] = &rule_not_applicable,
    [R_MANUAL] = &rule_manual,
    [R_FORMULA] = &rule_formula,
};

const struct rule_ops *rule_ops_of(enum fw_rule_type t)
{
    return table[(unsigned)t < R_TYPE_COUNT ? t : R_NOT_APPLICABLE];
}

const struct rule_ops *rule_ops_find(const char *name, enum fw_rule_type *t)
{
    for (int i = 0; i < R_TYPE_COUNT; i++)
        if (!strcmp(table[i]->name, name)) {
            *t = (enum fw_rule_type)i;
            return table[i];
        }
    return NULL;
}

const char *fw_rule_type_name(enum fw_rule_type t) { return rule_ops_of(t)->name; }
