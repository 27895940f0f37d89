/* cmd_audit.c — placeholder until the subcommand lands. */
#include <stdio.h>

#include "cli/cli.h"

int cmd_audit(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "dti audit: chưa được hỗ trợ\n");
    return 1;
}
