/* cmd_init.c — placeholder until the subcommand lands. */
#include <stdio.h>

#include "cli/cli.h"

int cmd_init(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "dti init: chưa được hỗ trợ\n");
    return 1;
}
