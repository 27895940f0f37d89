/* cmd_migrate.c — placeholder until the subcommand lands. */
#include <stdio.h>

#include "cli/cli.h"

int cmd_migrate(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "dti migrate: chưa được hỗ trợ\n");
    return 1;
}
