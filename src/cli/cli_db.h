/* cli_db.h — opening the database of a subcommand that works on an initialised one. */
#ifndef DTI_CLI_CLI_DB_H
#define DTI_CLI_CLI_DB_H

#include <stddef.h>

#include "store/db.h"

/* Opens url (pool of pool_size) without ever creating a database file (only `dti init` does),
 * and refuses a database `dti init` has not set up. NULL after a one-line Vietnamese message
 * "dti CMD: …" on stderr that suggests dti init. */
db *cli_open_existing(const char *cmd, const char *url, int pool_size);
/* cli_open_existing with one connection, acquired into *c. */
db *cli_open_initialised(const char *cmd, const char *url, db_conn **c);

/* Where evidence files live (docs/evidence.md): data_dir when given; else next to the SQLite
 * database; else (PostgreSQL) var/data under the working directory (var/ created). */
void cli_data_dir(const char *url, const char *data_dir, char *out, size_t cap);

#endif
