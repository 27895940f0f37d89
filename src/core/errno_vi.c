/* errno_vi.c — Vietnamese phrases for errno values (errno_vi.h). */
#include "core/errno_vi.h"

#include <errno.h>

const char *errno_vi(int e)
{
    switch (e) {
    case ENOENT: return "không tồn tại";
    case EACCES:
    case EPERM: return "không có quyền truy cập";
    case EISDIR: return "đây là một thư mục, không phải tệp";
    case ENOTDIR: return "một phần của đường dẫn không phải là thư mục";
    case EEXIST: return "đã có một tệp cùng tên";
    case EFBIG:
    case EOVERFLOW: return "tệp quá lớn";
    case ELOOP: return "đường dẫn có quá nhiều liên kết tượng trưng (có thể là một vòng lặp)";
    case EMFILE:
    case ENFILE: return "đang mở quá nhiều tệp cùng lúc";
    case ENAMETOOLONG: return "đường dẫn quá dài";
    case ENOMEM: return "hết bộ nhớ";
    case ENOSPC: return "ổ đĩa đã đầy";
    case EDQUOT: return "đã hết hạn mức dung lượng";
    case EROFS: return "ổ đĩa chỉ cho phép đọc";
    case EIO: return "lỗi đọc hoặc ghi ổ đĩa";
    default: return "lỗi hệ thống khi truy cập tệp";
    }
}
