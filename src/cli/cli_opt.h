/* cli_opt.h — reading "--name value" / "--name=value" / "--flag" options of a subcommand. */
#ifndef DTI_CLI_CLI_OPT_H
#define DTI_CLI_CLI_OPT_H

#include <stdbool.h>
#include <stdio.h>

struct cli_opt {
    const char *name; /* "--db" */
    bool takes_value;
    const char **value; /* for options with a value */
    bool *flag;         /* for flags */
};

/* Parses argv[first..argc). Returns 0, or 2 after printing a Vietnamese usage error naming
 * the command (unknown option, missing value, stray argument). */
int cli_parse(const char *cmd, int argc, char **argv, int first, const struct cli_opt *opts,
              int nopts);

/* The one subcommand `sub` of `dti CMD` (argv[1]): -1 when it is there (go on), else the exit
 * code after the usage: 0 for --help / -h (on stdout), 2 for nothing or another word (stderr,
 * naming it). */
int cli_subcommand(const char *cmd, int argc, char **argv, const char *sub,
                   void (*usage)(FILE *f));

#endif
