/* cmd_serve.c — placeholder until the subcommand lands. */
#include <stdio.h>

#include "cli/cli.h"

int cmd_serve(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "dti serve: chưa được hỗ trợ\n");
    return 1;
}
