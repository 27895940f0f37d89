/* db_internal.h — what db.c (the pool, the result sets) shares with the two engine files.
 * Nothing outside src/store/ includes this. */
#ifndef DTI_STORE_DB_INTERNAL_H
#define DTI_STORE_DB_INTERNAL_H

#include <pthread.h>

#include "store/db.h"

/* One cell of a result set: bytes plus a NUL so text cells are C strings. */
struct db_cell {
    char *s;
    size_t len;
    bool null;
};

struct db_rows {
    int nrows, ncols, cap;
    struct db_cell *cells; /* nrows * ncols, row-major */
};

struct db_conn {
    db *pool;
    enum db_engine engine;
    void *impl;      /* struct sqlite_conn * or struct pg_conn * */
    bool in_use;
    int64_t changes; /* rows changed by the last db_exec */
    char errmsg[512];
};

/* The engine operations db.c dispatches to. */
struct db_engine_ops {
    /* Opens one connection; on failure returns NULL with a message in err. create: SQLite may
     * create a missing database file (only `dti init` asks for that). */
    void *(*connect)(const char *target, bool create, char *err, size_t errlen);
    void (*disconnect)(void *impl);
    /* Called on acquire: repairs a broken connection; false if it cannot. */
    bool (*check)(db_conn *c);
    /* Called on release: rolls back a transaction the caller left open. */
    void (*reset)(db_conn *c);
    int (*exec)(db_conn *c, const char *sql, const db_param *params, int nparams, db_rows **rows);
    int (*exec_script)(db_conn *c, const char *sql);
    /* True while a transaction is open on the connection. */
    bool (*in_tx)(db_conn *c);
    const char *begin_sql;
    /* A read-only transaction that reads one snapshot throughout (db_begin_read). */
    const char *begin_read_sql;
};

extern const struct db_engine_ops db_sqlite_ops;
extern const struct db_engine_ops db_pg_ops;

/* Result-set building, for the engines. */
db_rows *db_rows_new(int ncols);
/* Appends a row of ncols cells, all NULL; returns its index or -1 on allocation failure. */
int db_rows_add_row(db_rows *r);
/* Copies len bytes into cell (row, col); returns false on allocation failure. */
bool db_rows_set(db_rows *r, int row, int col, const char *s, size_t len);

/* Records an error message on the connection (formatted, truncated). */
void db_set_err(db_conn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A small map from SQL text to a per-engine prepared handle, for statement caches. */
struct stmt_cache_entry {
    char *sql;
    void *handle; /* sqlite3_stmt *, or a malloc'd PostgreSQL statement name */
    struct stmt_cache_entry *next;
};
struct stmt_cache {
    struct stmt_cache_entry *buckets[128];
    int count;
};
void *stmt_cache_get(struct stmt_cache *sc, const char *sql);
bool stmt_cache_put(struct stmt_cache *sc, const char *sql, void *handle);
/* Empties the cache, calling drop(handle) on each entry. */
void stmt_cache_clear(struct stmt_cache *sc, void (*drop)(void *handle));

#endif
