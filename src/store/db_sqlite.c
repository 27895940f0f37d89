/* db_sqlite.c — the SQLite engine behind db.h: WAL, synchronous=FULL (a committed write
 * survives power loss, see docs/storage.md), foreign keys on, a busy timeout, and a cache of
 * prepared statements per connection keyed by SQL text. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/db_internal.h"

struct sqlite_conn {
    sqlite3 *db;
    struct stmt_cache cache;
    bool tx_lost; /* SQLite rolled the caller's transaction back on its own (see sq_exec) */
};

#define SQLITE_BUSY_TIMEOUT_MS 5000

static int map_rc(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
        return DB_CONSTRAINT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return DB_BUSY;
    default:
        return DB_ERROR;
    }
}

static void finalize_stmt(void *h) { sqlite3_finalize(h); }

/* Open connections of this process (any SQLite database). */
static atomic_int open_conns;

static void sq_disconnect(void *impl)
{
    struct sqlite_conn *sc = impl;
    if (sc->db)
        atomic_fetch_sub(&open_conns, 1);
    stmt_cache_clear(&sc->cache, finalize_stmt);
    sqlite3_close_v2(sc->db);
    free(sc);
}

/* Refuses a path whose directory is missing: creating directories silently would hide a typo
 * in --db and put the data somewhere nobody backs up. */
static bool dir_exists(const char *path, char *err, size_t errlen)
{
    char *copy = strdup(path);
    if (!copy) {
        snprintf(err, errlen, "Hết bộ nhớ");
        return false;
    }
    const char *dir = dirname(copy);
    struct stat st;
    bool ok = stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
    if (!ok)
        snprintf(err, errlen, "Không mở được cơ sở dữ liệu SQLite %s: thư mục %s không tồn tại",
                 path, dir);
    free(copy);
    return ok;
}

/* A database created by an older dti (0644) or copied in by hand keeps password hashes readable
 * by every local user: narrow it and its WAL files to the owner. fchmod on an open descriptor,
 * never following a symlink, so this cannot be pointed at another file. */
static void make_private(const char *path)
{
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        char name[4096];
        int n = snprintf(name, sizeof name, "%s%s", path, suffixes[i]);
        if (n < 0 || (size_t)n >= sizeof name)
            continue;
        int fd = open(name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
            continue;
        struct stat st;
        if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 077))
            (void)fchmod(fd, st.st_mode & 0700);
        close(fd);
    }
}

static void *sq_connect(const char *path, bool create, char *err, size_t errlen)
{
    if (!dir_exists(path, err, errlen))
        return NULL;
    struct stat fst;
    if (!create && stat(path, &fst) != 0 && errno == ENOENT) {
        snprintf(err, errlen,
                 "Cơ sở dữ liệu SQLite %s không tồn tại; hãy tạo bằng \"dti init --db sqlite:%s\"",
                 path, path);
        return NULL;
    }
    struct sqlite_conn *sc = calloc(1, sizeof *sc);
    if (!sc) {
        snprintf(err, errlen, "Hết bộ nhớ");
        return NULL;
    }
    /* NOMUTEX: a connection is used by one thread at a time (the pool guarantees it). */
    /* Without SQLITE_OPEN_CREATE a file removed since the stat() above is not recreated. */
    int rc = sqlite3_open_v2(path, &sc->db,
                             SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) |
                                 SQLITE_OPEN_NOMUTEX,
                             NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "Không mở được cơ sở dữ liệu SQLite %s: %s", path,
                 sc->db ? sqlite3_errmsg(sc->db) : sqlite3_errstr(rc));
        sqlite3_close_v2(sc->db);
        free(sc);
        return NULL;
    }
    /* Only while no other connection is open in this process: closing any descriptor of the
     * database, -wal or -shm drops every POSIX lock the process holds on that file, so a
     * connection opened lazily by the pool under load used to drop the other connections'
     * locks; another process (the sqlite3 shell, dti audit verify) closing last then
     * checkpointed and deleted the WAL the server was still writing to, and acknowledged
     * writes vanished (seen by the evidence API tests after audit_verify_concurrent). */
    if (atomic_fetch_add(&open_conns, 1) == 0)
        make_private(path);
    sqlite3_extended_result_codes(sc->db, 1);
    sqlite3_busy_timeout(sc->db, SQLITE_BUSY_TIMEOUT_MS);
    static const char *const pragmas[] = {
        "PRAGMA journal_mode=WAL",
        "PRAGMA synchronous=FULL",
        "PRAGMA foreign_keys=ON",
    };
    for (size_t i = 0; i < sizeof pragmas / sizeof pragmas[0]; i++) {
        sqlite3_stmt *st = NULL;
        rc = sqlite3_prepare_v2(sc->db, pragmas[i], -1, &st, NULL);
        if (rc == SQLITE_OK) {
            rc = sqlite3_step(st);
            /* journal_mode answers with the mode it ended up in. */
            if (i == 0 && rc == SQLITE_ROW &&
                sqlite3_stricmp((const char *)sqlite3_column_text(st, 0), "wal") != 0)
                rc = SQLITE_CANTOPEN;
            if (rc == SQLITE_ROW || rc == SQLITE_DONE)
                rc = SQLITE_OK;
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_OK) {
            snprintf(err, errlen, "Không mở được cơ sở dữ liệu SQLite %s (%s): %s", path,
                     pragmas[i], sqlite3_errmsg(sc->db));
            sq_disconnect(sc);
            return NULL;
        }
    }
    return sc;
}

static bool sq_check(db_conn *c)
{
    (void)c;
    return true;
}

static void sq_reset(db_conn *c)
{
    struct sqlite_conn *sc = c->impl;
    sc->tx_lost = false;
    /* A transaction left open by a caller must not leak into the next user of the connection. */
    if (!sqlite3_get_autocommit(sc->db))
        sqlite3_exec(sc->db, "ROLLBACK", NULL, NULL, NULL);
}

static int bind_params(sqlite3_stmt *st, const db_param *params, int nparams)
{
    for (int i = 0; i < nparams; i++) {
        const db_param *p = &params[i];
        int rc;
        /* SQLITE_STATIC is safe: bindings are cleared before db_exec returns. */
        switch (p->type) {
        case DB_INT:
            rc = sqlite3_bind_int64(st, i + 1, p->i);
            break;
        case DB_TEXT:
            rc = sqlite3_bind_text(st, i + 1, p->s, -1, SQLITE_STATIC);
            break;
        case DB_BYTES:
            /* A NULL pointer would bind SQL NULL: an empty value is a zero-length blob. */
            rc = p->len ? sqlite3_bind_blob64(st, i + 1, p->s, p->len, SQLITE_STATIC)
                        : sqlite3_bind_zeroblob(st, i + 1, 0);
            break;
        default:
            rc = sqlite3_bind_null(st, i + 1);
            break;
        }
        if (rc != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

static sqlite3_stmt *prepare_cached(db_conn *c, const char *sql)
{
    struct sqlite_conn *sc = c->impl;
    sqlite3_stmt *st = stmt_cache_get(&sc->cache, sql);
    if (st)
        return st;
    const char *tail = NULL;
    int rc = sqlite3_prepare_v3(sc->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, &tail);
    if (rc != SQLITE_OK) {
        db_set_err(c, "prepare: %s", sqlite3_errmsg(sc->db));
        return NULL;
    }
    if (!st) {
        db_set_err(c, "prepare: empty statement");
        return NULL;
    }
    while (tail && (*tail == ' ' || *tail == '\n' || *tail == '\t' || *tail == '\r' || *tail == ';'))
        tail++;
    if (tail && *tail) {
        sqlite3_finalize(st);
        db_set_err(c, "prepare: one statement per db_exec");
        return NULL;
    }
    if (!stmt_cache_put(&sc->cache, sql, st)) {
        sqlite3_finalize(st);
        db_set_err(c, "out of memory");
        return NULL;
    }
    return st;
}

static int exec_stmt(db_conn *c, const char *sql, const db_param *params, int nparams,
                     db_rows **rows)
{
    struct sqlite_conn *sc = c->impl;
    c->changes = 0;
    sqlite3_stmt *st = prepare_cached(c, sql);
    if (!st)
        return DB_ERROR;
    if (sqlite3_bind_parameter_count(st) != nparams) {
        db_set_err(c, "statement wants %d parameters, got %d", sqlite3_bind_parameter_count(st),
                   nparams);
        return DB_ERROR;
    }
    int ret = DB_OK;
    int rc = bind_params(st, params, nparams);
    if (rc != SQLITE_OK) {
        db_set_err(c, "bind: %s", sqlite3_errmsg(sc->db));
        ret = map_rc(rc);
        goto out;
    }
    int ncols = sqlite3_column_count(st);
    db_rows *r = NULL;
    if (rows && !(r = db_rows_new(ncols))) {
        db_set_err(c, "out of memory");
        ret = DB_ERROR;
        goto out;
    }
    /* Step to the end even when no rows are wanted: RETURNING and writes finish there. */
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!r)
            continue;
        int row = db_rows_add_row(r);
        if (row < 0)
            goto oom;
        for (int col = 0; col < ncols; col++) {
            int type = sqlite3_column_type(st, col);
            if (type == SQLITE_NULL)
                continue;
            const char *v = type == SQLITE_BLOB ? (const char *)sqlite3_column_blob(st, col)
                                                : (const char *)sqlite3_column_text(st, col);
            size_t len = (size_t)sqlite3_column_bytes(st, col);
            if (!db_rows_set(r, row, col, v ? v : "", v ? len : 0))
                goto oom;
        }
    }
    if (rc != SQLITE_DONE) {
        db_set_err(c, "%s", sqlite3_errmsg(sc->db));
        ret = map_rc(sqlite3_extended_errcode(sc->db));
        db_rows_free(r);
        goto out;
    }
    c->changes = sqlite3_stmt_readonly(st) ? 0 : sqlite3_changes64(sc->db);
    if (rows)
        *rows = r;
    goto out;
oom:
    db_set_err(c, "out of memory");
    db_rows_free(r);
    ret = DB_ERROR;
out:
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return ret;
}

/* When a statement fails for lack of memory (or a full disk, an I/O error) SQLite may roll the
 * whole transaction back by itself. The connection is then in autocommit mode, and the caller's
 * next statements would each commit on their own: a unit stored without its audit entry (found
 * by tests/unit/test_alloc_fail.c). So from then on every statement fails until the caller
 * rolls back, as PostgreSQL does with an aborted transaction. */
static int sq_exec(db_conn *c, const char *sql, const db_param *params, int nparams, db_rows **rows)
{
    struct sqlite_conn *sc = c->impl;
    bool rollback = !strcmp(sql, "ROLLBACK");
    if (sc->tx_lost) {
        if (rollback) {
            sc->tx_lost = false;
            if (sqlite3_get_autocommit(sc->db))
                return DB_OK;
        } else {
            c->changes = 0;
            db_set_err(c, "the transaction was rolled back by SQLite after an error");
            return DB_ERROR;
        }
    }
    bool in_tx = !sqlite3_get_autocommit(sc->db);
    int rc = exec_stmt(c, sql, params, nparams, rows);
    if (rc != DB_OK && in_tx && !rollback && strcmp(sql, "COMMIT") && sqlite3_get_autocommit(sc->db))
        sc->tx_lost = true;
    return rc;
}

static int sq_exec_script(db_conn *c, const char *sql)
{
    struct sqlite_conn *sc = c->impl;
    char *msg = NULL;
    int rc = sqlite3_exec(sc->db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        db_set_err(c, "%s", msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return map_rc(rc);
    }
    return DB_OK;
}

static bool sq_in_tx(db_conn *c)
{
    struct sqlite_conn *sc = c->impl;
    return sc->tx_lost || !sqlite3_get_autocommit(sc->db);
}

const struct db_engine_ops db_sqlite_ops = {
    .connect = sq_connect,
    .disconnect = sq_disconnect,
    .check = sq_check,
    .reset = sq_reset,
    .exec = sq_exec,
    .exec_script = sq_exec_script,
    .in_tx = sq_in_tx,
    /* IMMEDIATE takes the write lock now, so two writers never deadlock upgrading a read lock. */
    .begin_sql = "BEGIN IMMEDIATE",
    /* Deferred: no write lock; under WAL the first read fixes the snapshot until COMMIT. */
    .begin_read_sql = "BEGIN DEFERRED",
};
