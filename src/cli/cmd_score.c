/* cmd_score.c — placeholder until the subcommand lands. */
#include <stdio.h>

#include "cli/cli.h"

int cmd_score(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "dti score: chưa được hỗ trợ\n");
    return 1;
}
