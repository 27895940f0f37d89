/* dti_launch.c — build/dti: a launcher linked with libc only. `dti evidence …` runs
 * dti-evidence (the PDF signature check, linked with OpenSSL, qpdf and jansson only); every
 * other command runs dti-full (the whole program: server, database, Excel, …). Both lie beside
 * this file. Why: the whole program maps 47 shared libraries (ICU, libpq with Kerberos and
 * LDAP, GnuTLS, …) and their loading and relocation was most of a `dti evidence verify`
 * process (docs/signatures.md, "CLI start-up"); through this launcher every other command
 * pays one more exec of a libc-only program (about 1–3 ms). The process id stays the same
 * (execv), so signals and PID files see the real program. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define PATH_CAP 4096

/* The directory of this program: /proc/self/exe (symlinks resolved), else argv[0]'s. */
static int program_dir(const char *argv0, char *dir, size_t cap)
{
    ssize_t n = readlink("/proc/self/exe", dir, cap - 1);
    if (n > 0) {
        dir[n] = 0;
    } else if (argv0 && strchr(argv0, '/') && strlen(argv0) < cap) {
        snprintf(dir, cap, "%s", argv0);
    } else {
        return -1;
    }
    char *slash = strrchr(dir, '/');
    if (!slash)
        return -1;
    *slash = 0;
    return 0;
}

int main(int argc, char **argv)
{
    const char *target = argc >= 2 && !strcmp(argv[1], "evidence") ? "dti-evidence" : "dti-full";
    char dir[PATH_CAP], path[PATH_CAP];
    if (program_dir(argv[0], dir, sizeof dir) != 0) {
        fprintf(stderr, "dti: không xác định được thư mục chứa chương trình\n");
        return 127;
    }
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, target) >= sizeof path) {
        fprintf(stderr, "dti: đường dẫn chương trình quá dài\n");
        return 127;
    }
    execv(path, argv);
    fprintf(stderr,
            "dti: không chạy được %s: %s (dti, dti-full và dti-evidence phải nằm cùng một thư mục)\n",
            path, strerror(errno));
    return 127;
}
