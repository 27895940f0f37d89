/* cli_file.h — reading a whole (bounded) file for the CLI subcommands. */
#ifndef DTI_CLI_CLI_FILE_H
#define DTI_CLI_CLI_FILE_H

#include <stddef.h>

#define CLI_FILE_MAX (16u << 20)

/* A short Vietnamese phrase for an errno from opening or reading a file ("không tồn tại");
 * a generic sentence for the uncommon ones. Static storage. */
const char *cli_errno_vi(int e);

/* Returns a NUL-terminated malloc'd copy, or NULL with a Vietnamese message in err. */
char *cli_read_file(const char *path, size_t *len, char *err, size_t errlen);

#endif
