/* describe.h — a criterion's rule written out in plain Vietnamese, for admins and units
 * ("Tỷ lệ accounts_issued / staff_total × 10 điểm; mẫu số bằng 0: không áp dụng"). */
#ifndef DTI_CORE_DESCRIBE_H
#define DTI_CORE_DESCRIBE_H

#include <stddef.h>

#include "core/framework.h"

/* Writes into buf (NUL-terminated, truncated if needed); returns buf. */
char *fw_rule_describe(const struct fw_criterion *c, char *buf, size_t n);

#endif
