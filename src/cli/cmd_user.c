/* cmd_user.c — placeholder until the subcommand lands. */
#include <stdio.h>

#include "cli/cli.h"

int cmd_user(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "dti user: chưa được hỗ trợ\n");
    return 1;
}
