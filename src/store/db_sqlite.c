/* db_sqlite.c — the SQLite engine behind db.h: WAL, every acknowledged write fsynced (group
 * commit: synchronous=NORMAL, then one fsync of the WAL shared by the commits that finished
 * meanwhile, before db_commit returns; a committed write survives power loss, see
 * docs/storage.md), foreign keys on, a busy timeout, and a cache of prepared statements per
 * connection keyed by SQL text. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/db_error_vi.h"
#include "store/db_internal.h"

struct wal_sync;

struct sqlite_conn {
    sqlite3 *db;               /* the handle in use: own, or the file's writer handle (below) */
    struct stmt_cache *cache;  /* db's prepared statements */
    sqlite3 *own;
    struct stmt_cache own_cache;
    bool tx_lost; /* SQLite rolled the caller's transaction back on its own (see sq_exec) */
    struct wal_sync *sync; /* the writer queue (and group commit) of this database file */
    bool group;            /* synchronous=NORMAL + wal_durable; else synchronous=FULL */
    bool writer;           /* holds sync->writer (between BEGIN IMMEDIATE and the end) */
};

/* Group commit (part: tasks, for bench/report_save.sh). With synchronous=FULL every COMMIT
 * fsyncs the WAL while holding the write lock, so commits pay one fsync each, one after the
 * other (≈ 1–5 ms here). Instead the connections run synchronous=NORMAL (COMMIT writes the WAL
 * without fsync; SQLite still fsyncs around checkpoints) and, before a commit is reported
 * done, the WAL is fsynced outside the lock: a commit whose number is not yet covered either
 * starts the fsync (covering every commit finished before it starts) or waits for the running
 * one and re-checks. fsync acts on the file (inode), so any connection's WAL handle serves. */
struct wal_sync {
    char path[512];
    /* Writers of this file take it before BEGIN IMMEDIATE and give it back when their
     * transaction ends: they queue here instead of in SQLite's busy handler, which sleeps
     * (1, 2, 5, 10… ms) between retries and leaves the lock idle meanwhile. */
    pthread_mutex_t writer;
    /* One SQLite handle for every write transaction (BEGIN IMMEDIATE … end) of the process,
     * used by whoever holds `writer`. Under WAL a connection drops its whole page cache when
     * another connection committed since its last transaction; with a handle per pool
     * connection every save re-read ~90 pages by pread (syscalls are dear on this virtual
     * machine) while holding the write lock. The writer handle sees only its own commits (and
     * rare ones of other processes), so its cache stays warm and the lock is held for less
     * (docs/perf.md, "Report saves"). Opened at the first write, closed with the last
     * connection of the file (users), so a file replaced between pools is never written
     * through a stale handle. */
    sqlite3 *wdb;
    struct stmt_cache wcache;
    int users;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    uint64_t committed, synced;
    bool busy;
};
#define WAL_SYNC_MAX 16
static struct wal_sync wal_syncs[WAL_SYNC_MAX];
static int wal_syncs_n;
static pthread_mutex_t wal_syncs_mu = PTHREAD_MUTEX_INITIALIZER;

static struct wal_sync *wal_sync_of(const char *path)
{
    struct wal_sync *w = NULL;
    if (!path || !path[0] || strlen(path) >= sizeof w->path)
        return NULL;
    pthread_mutex_lock(&wal_syncs_mu);
    for (int i = 0; i < wal_syncs_n && !w; i++)
        if (!strcmp(wal_syncs[i].path, path))
            w = &wal_syncs[i];
    if (!w && wal_syncs_n < WAL_SYNC_MAX) {
        w = &wal_syncs[wal_syncs_n++];
        snprintf(w->path, sizeof w->path, "%s", path);
        pthread_mutex_init(&w->mu, NULL);
        pthread_mutex_init(&w->writer, NULL);
        pthread_cond_init(&w->cv, NULL);
    }
    if (w)
        w->users++;
    pthread_mutex_unlock(&wal_syncs_mu);
    return w;
}

static void finalize_stmt(void *h) { sqlite3_finalize(h); }

/* A connection of the file is gone; the last one closes the writer handle. */
static void wal_sync_put(struct wal_sync *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&wal_syncs_mu);
    if (--w->users == 0 && w->wdb) {
        stmt_cache_clear(&w->wcache, finalize_stmt);
        sqlite3_close_v2(w->wdb);
        w->wdb = NULL;
    }
    pthread_mutex_unlock(&wal_syncs_mu);
}

/* The WAL file of the connection's own handle (never the shared writer handle, which another
 * thread may be using): fsync acts on the file, so any handle of it serves. NULL: none. */
static sqlite3_file *own_wal(struct sqlite_conn *sc)
{
    sqlite3_file *f = NULL;
    if (sqlite3_file_control(sc->own, "main", SQLITE_FCNTL_JOURNAL_POINTER, &f) != SQLITE_OK)
        return NULL;
    if (!f || !f->pMethods) {
        /* not opened yet: a read transaction opens it */
        sqlite3_exec(sc->own, "SELECT 1 FROM sqlite_schema LIMIT 1", NULL, NULL, NULL);
        if (sqlite3_file_control(sc->own, "main", SQLITE_FCNTL_JOURNAL_POINTER, &f) != SQLITE_OK)
            return NULL;
    }
    return f && f->pMethods ? f : NULL;
}

/* Makes every write committed on this connection so far durable. */
static int wal_durable(struct sqlite_conn *sc)
{
    sqlite3_file *f = own_wal(sc);
    if (!f)
        return SQLITE_IOERR_FSYNC;
    struct wal_sync *w = sc->sync;
    if (!w)
        return f->pMethods->xSync(f, SQLITE_SYNC_NORMAL);
    pthread_mutex_lock(&w->mu);
    uint64_t mine = ++w->committed;
    int rc = SQLITE_OK;
    while (rc == SQLITE_OK && w->synced < mine) {
        if (w->busy) {
            pthread_cond_wait(&w->cv, &w->mu);
            continue;
        }
        w->busy = true;
        uint64_t upto = w->committed; /* every one of these finished its COMMIT before now */
        pthread_mutex_unlock(&w->mu);
        rc = f->pMethods->xSync(f, SQLITE_SYNC_NORMAL);
        pthread_mutex_lock(&w->mu);
        w->busy = false;
        if (rc == SQLITE_OK && upto > w->synced)
            w->synced = upto;
        pthread_cond_broadcast(&w->cv);
    }
    pthread_mutex_unlock(&w->mu);
    return rc;
}

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

static void sq_disconnect(void *impl)
{
    struct sqlite_conn *sc = impl;
    if (sc->writer) { /* a transaction left open on the writer handle */
        sqlite3_exec(sc->db, "ROLLBACK", NULL, NULL, NULL);
        sc->writer = false;
        pthread_mutex_unlock(&sc->sync->writer);
    }
    stmt_cache_clear(&sc->own_cache, finalize_stmt);
    sqlite3_close_v2(sc->own);
    wal_sync_put(sc->sync);
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
        /* O_PATH, not O_RDONLY: closing any other descriptor of a file drops every POSIX lock
         * this process holds on it, SQLite's included. A connection opened while others were
         * in use then left the WAL index unlocked, and another process (sqlite3, dti user)
         * closing the database deleted the -wal/-shm under the server's feet: the two saw
         * different databases from then on. An O_PATH descriptor does not touch locks. */
        int fd = open(name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
            continue;
        struct stat st;
        char proc[64];
        snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
        if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 077))
            (void)chmod(proc, st.st_mode & 0700);
        close(fd);
    }
}

static bool group_commit_on(void)
{
    /* DTI_SQLITE_GROUP_COMMIT=0: the plain policy (FULL, one fsync per commit inside the
     * lock), for the benchmark's side-by-side figure */
    const char *gc = getenv("DTI_SQLITE_GROUP_COMMIT");
    return !(gc && !strcmp(gc, "0"));
}

/* Opens one SQLite handle with the engine's settings (WAL, synchronous, foreign keys). */
static sqlite3 *open_handle(const char *path, bool create, bool group, char *err, size_t errlen)
{
    sqlite3 *h = NULL;
    /* NOMUTEX: a handle is used by one thread at a time (the pool, or the writer lock). */
    /* Without SQLITE_OPEN_CREATE a file removed since the stat() above is not recreated. */
    int rc = sqlite3_open_v2(path, &h,
                             SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) |
                                 SQLITE_OPEN_NOMUTEX,
                             NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "Không mở được cơ sở dữ liệu SQLite %s: %s.", path,
                 db_sqlite_reason_vi(h ? sqlite3_extended_errcode(h) : rc));
        sqlite3_close_v2(h);
        return NULL;
    }
    make_private(path);
    sqlite3_extended_result_codes(h, 1);
    sqlite3_busy_timeout(h, SQLITE_BUSY_TIMEOUT_MS);
    static const char *const pragmas[] = {
        "PRAGMA journal_mode=WAL",
        "PRAGMA synchronous=NORMAL", /* + wal_durable at each commit */
        "PRAGMA synchronous=FULL",   /* replaces the line above without group commit */
        "PRAGMA foreign_keys=ON",
    };
    for (size_t i = 0; i < sizeof pragmas / sizeof pragmas[0]; i++) {
        if (i == (group ? 2u : 1u))
            continue;
        sqlite3_stmt *st = NULL;
        rc = sqlite3_prepare_v2(h, pragmas[i], -1, &st, NULL);
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
            snprintf(err, errlen, "Không mở được cơ sở dữ liệu SQLite %s: %s.", path,
                     db_sqlite_reason_vi(rc == SQLITE_CANTOPEN && i == 0
                                             ? SQLITE_CANTOPEN
                                             : sqlite3_extended_errcode(h)));
            sqlite3_close_v2(h);
            return NULL;
        }
    }
    return h;
}

static void *sq_connect(const char *path, bool create, char *err, size_t errlen)
{
    if (!dir_exists(path, err, errlen))
        return NULL;
    struct stat fst;
    if (stat(path, &fst) == 0 && S_ISDIR(fst.st_mode)) {
        snprintf(err, errlen, "Không mở được cơ sở dữ liệu SQLite %s: đây là một thư mục, không "
                              "phải tệp.",
                 path);
        return NULL;
    }
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
    sc->group = group_commit_on();
    if (!(sc->own = open_handle(path, create, sc->group, err, errlen))) {
        free(sc);
        return NULL;
    }
    sc->db = sc->own;
    sc->cache = &sc->own_cache;
    /* writers queue on the file's lock in both policies (without it, SQLite's busy handler
     * sleeps 1…100 ms between retries and some writers starve: bench/report_save.sh's FULL
     * p99 was 776 ms) */
    sc->sync = wal_sync_of(sqlite3_db_filename(sc->own, "main"));
    return sc;
}

/* Moves the connection onto the file's writer handle (caller holds sync->writer). */
static void writer_take_handle(struct sqlite_conn *sc)
{
    struct wal_sync *w = sc->sync;
    if (!w->wdb) {
        char err[256];
        w->wdb = open_handle(w->path, false, sc->group, err, sizeof err);
        if (!w->wdb)
            return; /* stays on its own handle; the error shows again at its next use */
    }
    sc->db = w->wdb;
    sc->cache = &w->wcache;
}

/* Gives the writer lock back once the connection's transaction is over. */
static void writer_release(struct sqlite_conn *sc)
{
    if (sc->writer && sqlite3_get_autocommit(sc->db)) {
        sc->db = sc->own;
        sc->cache = &sc->own_cache;
        sc->writer = false;
        pthread_mutex_unlock(&sc->sync->writer);
    }
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
    writer_release(sc);
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
    sqlite3_stmt *st = stmt_cache_get(sc->cache, sql);
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
    if (!stmt_cache_put(sc->cache, sql, st)) {
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
            if (sqlite3_get_autocommit(sc->db)) {
                writer_release(sc);
                return DB_OK;
            }
        } else {
            c->changes = 0;
            db_set_err(c, "the transaction was rolled back by SQLite after an error");
            return DB_ERROR;
        }
    }
    bool in_tx = !sqlite3_get_autocommit(sc->db);
    if (!in_tx && sc->sync && !sc->writer && !strcmp(sql, "BEGIN IMMEDIATE")) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += SQLITE_BUSY_TIMEOUT_MS / 1000;
        if (pthread_mutex_timedlock(&sc->sync->writer, &until) != 0) {
            db_set_err(c, "another writer held the database for %d ms", SQLITE_BUSY_TIMEOUT_MS);
            return DB_BUSY;
        }
        sc->writer = true;
        writer_take_handle(sc);
    }
    int rc = exec_stmt(c, sql, params, nparams, rows);
    writer_release(sc);
    if (rc != DB_OK && in_tx && !rollback && strcmp(sql, "COMMIT") && sqlite3_get_autocommit(sc->db))
        sc->tx_lost = true;
    /* A commit, or a write outside a transaction, is reported done only once durable. */
    if (rc == DB_OK && sc->group &&
        ((in_tx && !strcmp(sql, "COMMIT")) || (!in_tx && c->changes > 0))) {
        int src = wal_durable(sc);
        if (src != SQLITE_OK) {
            db_set_err(c, "fsync of the WAL failed: %s", sqlite3_errstr(src));
            rc = DB_ERROR;
        }
    }
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
    /* scripts (migrations) may commit: durable before returning */
    if (sc->group && sqlite3_get_autocommit(sc->db) && (rc = wal_durable(sc)) != SQLITE_OK) {
        db_set_err(c, "fsync of the WAL failed: %s", sqlite3_errstr(rc));
        return DB_ERROR;
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
