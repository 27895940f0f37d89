/* app_err.c — filling struct app_err. */
#include "app/app_err.h"
#include "core/framework.h"

#include <stdarg.h>
#include <stdio.h>

int app_fail(struct app_err *e, int status, const char *code, const char *field,
             const char *fmt, ...)
{
    if (!e)
        return -1;
    e->status = status;
    e->code = code;
    e->retry_after = 0;
    snprintf(e->field, sizeof e->field, "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    return -1;
}

int app_fail_internal(struct app_err *e)
{
    return app_fail(e, 500, "internal_error", NULL,
                    "Lỗi hệ thống khi truy cập dữ liệu; vui lòng thử lại sau.");
}

int app_check_level(const char *level, const char *field, struct app_err *e)
{
    if (fw_unit_kind_parse(level) >= 0)
        return 0;
    return app_fail(e, 400, "invalid_value", field,
                    "Cấp (%s) phải là một trong: " FW_UNIT_KINDS_LIST ".", field);
}
