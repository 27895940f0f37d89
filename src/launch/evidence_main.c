/* evidence_main.c — build/dti-evidence: `dti evidence …` alone (src/cli/cmd_evidence.c), linked
 * with jansson, qpdf and OpenSSL only, so checking a PDF from the command line does not load
 * the server's libraries. build/dti (src/launch/dti_launch.c) runs it. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "core/json_oom.h"

int main(int argc, char **argv)
{
    umask(077); /* as src/cli/main.c */
    json_oom_install();
    if (argc < 2 || strcmp(argv[1], "evidence") != 0) {
        fprintf(stderr, "dti-evidence: chỉ chạy lệnh `dti evidence …`\n");
        return 2;
    }
    return cmd_evidence(argc - 1, argv + 1);
}
