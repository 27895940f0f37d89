/* cli_finddir.h — where `dti init` and `dti serve` find what ships beside the binary (the index
 * sets in frameworks/, the built UI in build/web) whatever the working directory. */
#ifndef DTI_CLI_CLI_FINDDIR_H
#define DTI_CLI_CLI_FINDDIR_H

#include <stddef.h>

/* One search: the option's name, the environment variable, the path relative to the working
 * directory, and the path relative to the directory of the running binary. */
struct cli_dir_search {
    const char *option;  /* "--frameworks" */
    const char *env;     /* "DTI_FRAMEWORKS_DIR" */
    const char *cwd_rel; /* "frameworks" */
    const char *exe_rel; /* "../frameworks" */
};

/* Looks, in this order, at: `option` (its value, NULL when not given), the environment variable,
 * ./<cwd_rel>, then <directory of the running binary>/<exe_rel> (shown resolved).
 * Returns 1 with the directory in dir; 0 when none of the implicit places exists, with the
 * places looked at in `tried` (for the warning); -1 when an explicit choice (the option or the
 * variable) is not a directory: a typo must not silently use something else; message in
 * `tried`. */
int cli_find_dir(const struct cli_dir_search *s, const char *option, char *dir, size_t dirlen,
                 char *tried, size_t triedlen);

/* The shipped index sets: --frameworks, DTI_FRAMEWORKS_DIR, ./frameworks, <bin>/../frameworks
 * (the repository's frameworks/ for build/dti). */
int cli_find_frameworks(const char *option, char *dir, size_t dirlen, char *tried, size_t triedlen);

/* The built web UI: --web, DTI_WEB_DIR, ./build/web, <bin>/web (build/web for build/dti). */
int cli_find_web(const char *option, char *dir, size_t dirlen, char *tried, size_t triedlen);

#endif
