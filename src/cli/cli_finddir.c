/* cli_finddir.c — finding a shipped directory whatever the working directory: explicit
 * choices first (option, environment), then relative to the working directory, then relative
 * to the binary. */
#include "cli/cli_finddir.h"

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

int cli_find_dir(const struct cli_dir_search *s, const char *option, char *dir, size_t dirlen,
                 char *tried, size_t triedlen)
{
    tried[0] = 0;
    const char *env = getenv(s->env);
    const char *explicit = option ? option : env && env[0] ? env : NULL;
    if (explicit) {
        if (!is_dir(explicit)) {
            if (option)
                snprintf(tried, triedlen, "%s %s không phải là thư mục", s->option, explicit);
            else
                snprintf(tried, triedlen, "biến môi trường %s: %s không phải là thư mục", s->env,
                         explicit);
            return -1;
        }
        snprintf(dir, dirlen, "%s", explicit);
        return 1;
    }
    if (is_dir(s->cwd_rel)) {
        snprintf(dir, dirlen, "%s", s->cwd_rel);
        return 1;
    }
    char cwd[PATH_MAX] = ".";
    if (!getcwd(cwd, sizeof cwd))
        snprintf(cwd, sizeof cwd, ".");
    snprintf(tried, triedlen, "%s/%s", cwd, s->cwd_rel);
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash)
            *slash = 0;
        /* The parent resolved: "/srv/dti/frameworks" reads better than
         * "/srv/dti/build/../frameworks", and it exists even when the leaf does not. */
        char joined[2 * PATH_MAX], real[PATH_MAX], beside[3 * PATH_MAX];
        snprintf(joined, sizeof joined, "%s/%s", exe, s->exe_rel);
        char *leaf = strrchr(joined, '/');
        *leaf++ = 0;
        snprintf(beside, sizeof beside, "%s/%s", realpath(joined, real) ? real : joined, leaf);
        if (is_dir(beside)) {
            snprintf(dir, dirlen, "%s", beside);
            return 1;
        }
        size_t k = strlen(tried);
        snprintf(tried + k, triedlen - k, ", %s", beside);
    }
    return 0;
}

int cli_find_frameworks(const char *option, char *dir, size_t dirlen, char *tried, size_t triedlen)
{
    static const struct cli_dir_search s = {"--frameworks", "DTI_FRAMEWORKS_DIR", "frameworks",
                                            "../frameworks"};
    return cli_find_dir(&s, option, dir, dirlen, tried, triedlen);
}

int cli_find_web(const char *option, char *dir, size_t dirlen, char *tried, size_t triedlen)
{
    static const struct cli_dir_search s = {"--web", "DTI_WEB_DIR", "build/web", "web"};
    return cli_find_dir(&s, option, dir, dirlen, tried, triedlen);
}
