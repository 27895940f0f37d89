/* db_error_vi.c — Vietnamese reasons for failing to open a database (db_error_vi.h). libpq
 * has no error codes for connection failures, only its message: the table matches the fixed
 * phrases libpq 15 uses (fe-connect.c), first match wins. */
#include "store/db_error_vi.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *phrase, *vi;
} pg_reasons[] = {
    {"Connection refused", "máy chủ PostgreSQL không nhận kết nối (chưa chạy, sai tên máy hoặc sai cổng, "
                           "hoặc bị tường lửa chặn)"},
    {"No such file or directory", "không thấy máy chủ PostgreSQL chạy trên máy này (socket cục bộ không có)"},
    {"password authentication failed", "sai tên người dùng hoặc mật khẩu PostgreSQL"},
    {"no password supplied", "máy chủ PostgreSQL yêu cầu mật khẩu (đặt trong ~/.pgpass hoặc biến PGPASSWORD)"},
    {"authentication failed", "PostgreSQL không xác thực được người dùng này"},
    {"no pg_hba.conf entry", "máy chủ PostgreSQL không cho phép kết nối từ máy này với người dùng và cơ sở "
                             "dữ liệu này (pg_hba.conf)"},
    {"role \"", "người dùng PostgreSQL này không tồn tại"},
    {"database \"", "cơ sở dữ liệu PostgreSQL này không tồn tại (tạo bằng createdb)"},
    {"could not translate host name", "không tìm thấy tên máy chủ PostgreSQL"},
    {"for connection option \"port\"", "cổng trong địa chỉ PostgreSQL không hợp lệ"},
    {"invalid port", "cổng trong địa chỉ PostgreSQL không hợp lệ"},
    {"timeout expired", "hết thời gian chờ kết nối tới PostgreSQL"},
    {"Network is unreachable", "không tới được máy chủ PostgreSQL (mạng không thông)"},
    {"No route to host", "không tới được máy chủ PostgreSQL (mạng không thông)"},
    {"too many connections", "máy chủ PostgreSQL đã hết số kết nối cho phép"},
    {"the database system is starting up", "máy chủ PostgreSQL đang khởi động, hãy thử lại sau"},
    {"the database system is shutting down", "máy chủ PostgreSQL đang tắt"},
    {"invalid URI", "địa chỉ PostgreSQL không hợp lệ"},
    {"in URI", "địa chỉ PostgreSQL không hợp lệ"},
    {"invalid connection option", "địa chỉ PostgreSQL có tham số không hợp lệ"},
    {"invalid percent-encoded token", "địa chỉ PostgreSQL có mã % không hợp lệ"},
    {"out of memory", "hết bộ nhớ"},
};

void db_pg_connect_reason_vi(const char *msg, char *out, size_t cap)
{
    if (!msg)
        msg = "";
    for (size_t i = 0; i < sizeof pg_reasons / sizeof *pg_reasons; i++)
        if (strstr(msg, pg_reasons[i].phrase)) {
            snprintf(out, cap, "%s", pg_reasons[i].vi);
            return;
        }
    /* Unknown: libpq's own first line, quoted and bounded, so an operator can still search it;
     * never when it repeats the address (libpq quotes the URI, which may hold a password). */
    if (strstr(msg, "://") || strstr(msg, "password=")) {
        snprintf(out, cap, "địa chỉ PostgreSQL không hợp lệ");
        return;
    }
    const char *p = strstr(msg, "failed: ");
    p = p ? p + 8 : msg;
    int n = (int)strcspn(p, "\n");
    if (n > 160)
        n = 160;
    snprintf(out, cap, "PostgreSQL từ chối kết nối (thông báo gốc: “%.*s”)", n, p);
}

const char *db_sqlite_reason_vi(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_NOTADB: return "tệp này không phải cơ sở dữ liệu SQLite (hoặc đã hỏng)";
    case SQLITE_CORRUPT: return "tệp cơ sở dữ liệu bị hỏng";
    case SQLITE_CANTOPEN: return "không mở được tệp (không tồn tại, là thư mục, hoặc không có quyền)";
    case SQLITE_PERM:
    case SQLITE_AUTH: return "không có quyền truy cập tệp";
    case SQLITE_READONLY: return "tệp chỉ cho phép đọc, không ghi được";
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return "cơ sở dữ liệu đang bị một tiến trình khác khoá";
    case SQLITE_FULL: return "ổ đĩa đã đầy";
    case SQLITE_IOERR: return "lỗi đọc hoặc ghi ổ đĩa";
    case SQLITE_NOMEM: return "hết bộ nhớ";
    case SQLITE_PROTOCOL: return "lỗi khoá tệp (thư mục mạng không hỗ trợ?)";
    default: return "lỗi SQLite không xác định";
    }
}
