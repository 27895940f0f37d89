/* cli_fwdir.c — finding the shipped index sets whatever the working directory: explicit
 * choices first (option, environment), then ./frameworks, then next to the binary. */
#include "cli/cli_fwdir.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

int cli_find_frameworks(const char *option, char *dir, size_t dirlen, char *tried, size_t triedlen)
{
    tried[0] = 0;
    const char *env = getenv("DTI_FRAMEWORKS_DIR");
    const char *explicit = option ? option : env && env[0] ? env : NULL;
    if (explicit) {
        if (!is_dir(explicit)) {
            snprintf(tried, triedlen, "%s %s không phải là thư mục",
                     option ? "--frameworks" : "biến môi trường DTI_FRAMEWORKS_DIR:", explicit);
            return -1;
        }
        snprintf(dir, dirlen, "%s", explicit);
        return 1;
    }
    char cwd[PATH_MAX] = ".";
    if (!getcwd(cwd, sizeof cwd))
        snprintf(cwd, sizeof cwd, ".");
    char here[PATH_MAX + 16];
    snprintf(here, sizeof here, "%s/frameworks", cwd);
    if (is_dir("frameworks")) {
        snprintf(dir, dirlen, "frameworks");
        return 1;
    }
    snprintf(tried, triedlen, "%s", here);
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash)
            *slash = 0;
        /* resolved: "/srv/dti/frameworks" reads better than "/srv/dti/build/../frameworks" */
        char up[PATH_MAX + 4], real[PATH_MAX], beside[PATH_MAX + 16];
        snprintf(up, sizeof up, "%s/..", exe);
        snprintf(beside, sizeof beside, "%s/frameworks", realpath(up, real) ? real : up);
        if (is_dir(beside)) {
            snprintf(dir, dirlen, "%s", beside);
            return 1;
        }
        size_t k = strlen(tried);
        snprintf(tried + k, triedlen - k, ", %s", beside);
    }
    return 0;
}
