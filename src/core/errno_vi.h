/* errno_vi.h — a short Vietnamese phrase for an errno (strerror() is English whatever the
 * locale), for every message about a file or directory the user named. */
#ifndef DTI_CORE_ERRNO_VI_H
#define DTI_CORE_ERRNO_VI_H

/* "không tồn tại", "đây là một thư mục, không phải tệp" …; a generic phrase for the uncommon
 * ones. Static storage. */
const char *errno_vi(int e);

#endif
