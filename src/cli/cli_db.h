/* cli_db.h — opening the database of a subcommand that works on an initialised one. */
#ifndef DTI_CLI_CLI_DB_H
#define DTI_CLI_CLI_DB_H

#include "store/db.h"

/* Opens url with one connection, refuses a database `dti init` has not set up, and acquires
 * the connection into *c. NULL after a one-line Vietnamese message "dti CMD: …" on stderr. */
db *cli_open_initialised(const char *cmd, const char *url, db_conn **c);

#endif
