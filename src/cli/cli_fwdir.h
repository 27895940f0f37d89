/* cli_fwdir.h — where `dti init` and `dti serve` find the shipped index sets (frameworks/). */
#ifndef DTI_CLI_CLI_FWDIR_H
#define DTI_CLI_CLI_FWDIR_H

#include <stddef.h>

/* Looks, in this order, at: `option` (--frameworks DIR, NULL when not given), the environment
 * variable DTI_FRAMEWORKS_DIR, ./frameworks, then <directory of the running binary>/../frameworks
 * (the repository's frameworks/ for build/dti).
 * Returns 1 with the directory in dir; 0 when none of the implicit places exists, with the
 * places looked at in `tried` (for the warning); -1 when an explicit choice (the option or the
 * variable) is not a directory: a typo must not silently load other sets; message in `tried`. */
int cli_find_frameworks(const char *option, char *dir, size_t dirlen, char *tried, size_t triedlen);

#endif
