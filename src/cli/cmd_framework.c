/* cmd_framework.c — placeholder until the subcommand lands. */
#include <stdio.h>

#include "cli/cli.h"

int cmd_framework(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "dti framework: chưa được hỗ trợ\n");
    return 1;
}
