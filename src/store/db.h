/* db.h — the one storage interface, with a SQLite and a PostgreSQL implementation.
 *
 * Callers write portable SQL with `?` placeholders; the PostgreSQL side rewrites them to
 * $1..$n (outside quoted literals) and prepares each distinct statement once per connection;
 * the SQLite side keeps a per-connection cache of prepared statements. There is no way to
 * run SQL with values spliced into the text: every value is a bound parameter.
 *
 * Portable SQL rules used across the code base:
 *   - ids are 64-bit integers; inserts use `RETURNING id` (SQLite >= 3.35 and PostgreSQL);
 *   - booleans are INTEGER 0/1; times are BIGINT unix seconds (UTC); points are BIGINT
 *     hundredths (8,5 points = 850); JSON documents are TEXT;
 *   - migrations may use the tokens @ID@ (integer primary key), @BLOB@ (bytes type), @NOW@
 *     (current unix seconds expression), replaced per engine by db_migrate().
 *
 * Threading: a `db` is a pool and is thread-safe; a `db_conn` belongs to one thread between
 * db_acquire() and db_release().
 */
#ifndef DTI_STORE_DB_H
#define DTI_STORE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct db db;
typedef struct db_conn db_conn;
typedef struct db_rows db_rows;

enum db_engine { DB_SQLITE = 1, DB_POSTGRES = 2 };

/* Result codes. Every function returning int returns one of these. */
enum {
    DB_OK = 0,
    DB_ERROR = -1,      /* anything else; db_errmsg() says what (for logs, never for users) */
    DB_CONSTRAINT = -2, /* unique / foreign key / check violation */
    DB_BUSY = -3,       /* lock timeout or serialization failure: the caller may retry */
    DB_NOTFOUND = -4,   /* helper functions: no row */
};

typedef enum { DB_NULL = 0, DB_INT, DB_TEXT, DB_BYTES } db_type;

typedef struct {
    db_type type;
    int64_t i;
    const char *s; /* DB_TEXT: NUL-terminated UTF-8; DB_BYTES: len bytes */
    size_t len;
} db_param;

#define DB_P_NULL ((db_param){.type = DB_NULL})
#define DB_P_INT(x) ((db_param){.type = DB_INT, .i = (int64_t)(x)})
/* A NULL string binds SQL NULL. */
#define DB_P_TEXT(x) ((db_param){.type = (x) ? DB_TEXT : DB_NULL, .s = (x)})
/* A string that is never NULL, e.g. a char array (DB_P_TEXT on an array trips -Waddress). */
#define DB_P_STR(x) ((db_param){.type = DB_TEXT, .s = (x)})
#define DB_P_BYTES(p, n) ((db_param){.type = DB_BYTES, .s = (const char *)(p), .len = (n)})

/* Opens a pool for `url` ("sqlite:PATH" or "postgresql://USER@HOST:PORT/DB", libpq URIs with
 * query parameters such as ?host=/socket/dir accepted). pool_size >= 1.
 * SQLite connections use WAL, synchronous=FULL, foreign_keys=ON, busy_timeout.
 * On failure returns NULL and writes a message to err. */
db *db_open(const char *url, int pool_size, char *err, size_t errlen);
/* Like db_open, but a missing SQLite database file is an error ("… không tồn tại; hãy tạo bằng
 * dti init …") instead of being created: every command but `dti init` opens this way, so a
 * mistyped --db never leaves an empty database behind. (Connecting never creates a PostgreSQL
 * database anyway.) */
db *db_open_existing(const char *url, int pool_size, char *err, size_t errlen);
void db_close(db *d);
enum db_engine db_engine_of(const db *d);

/* Blocks until a connection is free (bounded wait; NULL after ~10 s or if the database is gone). */
db_conn *db_acquire(db *d);
void db_release(db_conn *c);

/* Transactions. db_begin() takes the write lock up front on SQLite (BEGIN IMMEDIATE) so two
 * writers never deadlock on lock upgrade. */
int db_begin(db_conn *c);
/* A read-only transaction whose statements all see one snapshot: REPEATABLE READ READ ONLY on
 * PostgreSQL, a deferred transaction on SQLite (WAL fixes the snapshot at the first read). For
 * checks that read several tables and must not see a write land between two reads. End it with
 * db_rollback(). */
int db_begin_read(db_conn *c);
int db_commit(db_conn *c);
int db_rollback(db_conn *c);
/* True while a transaction is open on c (audit_append insists on one). */
bool db_in_tx(db_conn *c);

/* Runs one statement. rows may be NULL when no result is wanted. On success *rows (if given)
 * holds the full result set, to free with db_rows_free(). */
int db_exec(db_conn *c, const char *sql, const db_param *params, int nparams, db_rows **rows);
/* Rows changed by the last db_exec on this connection. */
int64_t db_changes(db_conn *c);
/* Runs a parameterless multi-statement script (migrations only). */
int db_exec_script(db_conn *c, const char *sql);
/* Engine message of the last error on this connection (logs only). */
const char *db_errmsg(db_conn *c);
enum db_engine db_conn_engine(const db_conn *c);

int db_rows_count(const db_rows *r);
int db_rows_cols(const db_rows *r);
bool db_is_null(const db_rows *r, int row, int col);
/* Text of a cell ("" for NULL); valid until db_rows_free(). */
const char *db_text(const db_rows *r, int row, int col);
/* Length in bytes of a cell (0 for NULL): the size of a DB_BYTES value read back. */
size_t db_len(const db_rows *r, int row, int col);
int64_t db_int(const db_rows *r, int row, int col);
void db_rows_free(db_rows *r);

/* Single-value helpers: run sql, return DB_NOTFOUND when there is no row. */
int db_query_int(db_conn *c, const char *sql, const db_param *params, int nparams, int64_t *out);

/* Health: a trivial query on a pooled connection. */
bool db_ping(db *d);

/* Numbered migrations, applied in order, each in its own transaction, recorded in
 * schema_migrations(version, name, applied_at). On PostgreSQL an advisory lock serializes
 * concurrent starters. Returns DB_OK, or DB_ERROR with a message in err. */
struct db_migration {
    int version;
    const char *name;
    const char *sql; /* may contain @ID@, @BLOB@, @NOW@; where the dialects differ (triggers),
                      * "SQLITE TEXT" DB_MIGRATION_PG "POSTGRESQL TEXT" */
};
/* Splits a migration's text in two: before it for SQLite, after it for PostgreSQL. */
#define DB_MIGRATION_PG "@@POSTGRESQL@@"
int db_migrate(db *d, const struct db_migration *list, int n, char *err, size_t errlen);
/* The migration text with @ID@, @BLOB@, @NOW@ replaced for engine (malloc'd; NULL if out of
 * memory). */
char *db_migration_sql(enum db_engine engine, const char *sql);
/* Highest applied version, 0 if none. */
int db_schema_version(db *d);

/* SQLite: PRAGMA integrity_check == ok; PostgreSQL: always true (the server guarantees it). */
bool db_integrity_ok(db *d);

#endif
