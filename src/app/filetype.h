/* filetype.h — the type of an evidence file, read from its content (libmagic), never from the
 * name or the Content-Type the client sent, and checked against the allow list. */
#ifndef DTI_APP_FILETYPE_H
#define DTI_APP_FILETYPE_H

#include <stdbool.h>
#include <stddef.h>

/* The allowed type of the file open on fd (read from its start; the offset is not used), as a
 * static MIME string, e.g. "application/pdf"; NULL when the content is not one of PDF, DOCX,
 * XLSX, ODT, ODS, PNG, JPEG, ZIP. `detected` (cap bytes) receives what libmagic saw, for the
 * error message ("text/html"). */
const char *filetype_allowed(int fd, char *detected, size_t cap);
/* The allow list for messages: "PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG, ZIP". */
const char *filetype_allowed_names(void);

#endif
