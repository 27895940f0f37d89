/* db_error_vi.h — why a database could not be opened, in Vietnamese: the engines' own texts
 * (libpq's "Connection refused … Is the server running …", SQLite's "file is not a database")
 * are English and reached `dti` users and the server's start-up line as they were. */
#ifndef DTI_STORE_DB_ERROR_VI_H
#define DTI_STORE_DB_ERROR_VI_H

#include <stddef.h>

/* The reason libpq gave for a failed connection (PQerrorMessage), as a Vietnamese clause;
 * a message it does not recognise is quoted (first line, bounded) after a Vietnamese lead. */
void db_pg_connect_reason_vi(const char *libpq_message, char *out, size_t cap);
/* The reason for an SQLite result code (primary or extended) as a Vietnamese clause. */
const char *db_sqlite_reason_vi(int rc);

#endif
