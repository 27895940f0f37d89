/* cli.h — subcommands of the `dti` binary. Each gets argv starting at its own name and returns
 * the process exit code: 0 success, 1 user error (one-line message on stderr), 2 usage error. */
#ifndef DTI_CLI_CLI_H
#define DTI_CLI_CLI_H

#define DTI_DEFAULT_DB "sqlite:var/dti.db"

int cmd_init(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_framework(int argc, char **argv);
int cmd_score(int argc, char **argv);
int cmd_demo(int argc, char **argv);
/* part: accounts */
int cmd_round(int argc, char **argv);
int cmd_openapi(int argc, char **argv);
/* part: rank (issue 9) */
int cmd_rankings(int argc, char **argv);

#endif
