/* value.h — one input value of a criterion, already parsed and typed (no JSON, no text). */
#ifndef DTI_CORE_VALUE_H
#define DTI_CORE_VALUE_H

#include <stdint.h>

#include "core/rational.h"

enum value_kind {
    VAL_ABSENT = 0, /* not given (JSON null or missing) */
    VAL_BOOL,       /* num = 0 or 1 */
    VAL_NUM,        /* count, number, ratio, points */
    VAL_TEXT,       /* choice: text points at the option's value (owned by the framework) */
    VAL_DATE,       /* date = yyyymmdd */
};

struct value {
    uint8_t kind;
    int32_t date;
    const char *text;
    rat num;
};

#endif
