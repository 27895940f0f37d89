/* db.c — URL parsing, the connection pool and dispatch to the SQLite / PostgreSQL engines,
 * plus the engine-neutral result sets. Migrations live in db_migrate.c. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/db_internal.h"

struct db {
    enum db_engine engine;
    const struct db_engine_ops *ops;
    char *target; /* SQLite path or the libpq URL */
    bool create;  /* SQLite: may create the database file */
    int size;
    db_conn *conns;
    pthread_mutex_t mu;
    pthread_cond_t cv;
};

/* Longest wait in db_acquire(): a request should fail rather than hang forever. */
#define ACQUIRE_TIMEOUT_S 10

/* ---- errors ---------------------------------------------------------------------------- */

void db_set_err(db_conn *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->errmsg, sizeof c->errmsg, fmt, ap);
    va_end(ap);
}

const char *db_errmsg(db_conn *c) { return c ? c->errmsg : "no connection"; }

/* ---- pool ------------------------------------------------------------------------------ */

static db *open_pool(const char *url, int pool_size, bool create, char *err, size_t errlen)
{
    if (!url || !*url) {
        snprintf(err, errlen, "Thiếu địa chỉ cơ sở dữ liệu (--db)");
        return NULL;
    }
    if (pool_size < 1)
        pool_size = 1;
    enum db_engine engine;
    const char *target;
    if (!strncmp(url, "sqlite:", 7)) {
        engine = DB_SQLITE;
        target = url + 7;
        if (!*target) {
            snprintf(err, errlen, "Địa chỉ SQLite thiếu đường dẫn tệp: %s", url);
            return NULL;
        }
    } else if (!strncmp(url, "postgresql://", 13) || !strncmp(url, "postgres://", 11)) {
        engine = DB_POSTGRES;
        target = url; /* libpq parses the URI itself, including ?host=/socket/dir */
    } else {
        snprintf(err, errlen,
                 "Địa chỉ cơ sở dữ liệu không hợp lệ (cần sqlite:ĐƯỜNG_DẪN hoặc "
                 "postgresql://NGƯỜI_DÙNG@MÁY:CỔNG/TÊN)");
        return NULL;
    }
    db *d = calloc(1, sizeof *d);
    if (!d || !(d->target = strdup(target)) || !(d->conns = calloc((size_t)pool_size, sizeof *d->conns))) {
        snprintf(err, errlen, "Hết bộ nhớ");
        if (d)
            free(d->target);
        free(d);
        return NULL;
    }
    d->engine = engine;
    d->ops = engine == DB_SQLITE ? &db_sqlite_ops : &db_pg_ops;
    d->size = pool_size;
    d->create = create;
    pthread_mutex_init(&d->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&d->cv, &ca);
    pthread_condattr_destroy(&ca);
    for (int i = 0; i < pool_size; i++) {
        d->conns[i].pool = d;
        d->conns[i].engine = engine;
    }
    /* The first connection is opened now so a wrong URL fails here, clearly; the others are
     * opened on first use. */
    d->conns[0].impl = d->ops->connect(d->target, create, err, errlen);
    if (!d->conns[0].impl) {
        db_close(d);
        return NULL;
    }
    return d;
}

db *db_open(const char *url, int pool_size, char *err, size_t errlen)
{
    return open_pool(url, pool_size, true, err, errlen);
}

db *db_open_existing(const char *url, int pool_size, char *err, size_t errlen)
{
    return open_pool(url, pool_size, false, err, errlen);
}

void db_close(db *d)
{
    if (!d)
        return;
    for (int i = 0; i < d->size; i++)
        if (d->conns[i].impl)
            d->ops->disconnect(d->conns[i].impl);
    pthread_cond_destroy(&d->cv);
    pthread_mutex_destroy(&d->mu);
    free(d->conns);
    free(d->target);
    free(d);
}

enum db_engine db_engine_of(const db *d) { return d->engine; }
enum db_engine db_conn_engine(const db_conn *c) { return c->engine; }

db_conn *db_acquire(db *d)
{
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += ACQUIRE_TIMEOUT_S;

    pthread_mutex_lock(&d->mu);
    db_conn *c = NULL;
    for (;;) {
        /* Prefer an already-open connection; open a new one only when none is free. */
        for (int i = 0; i < d->size && !c; i++)
            if (!d->conns[i].in_use && d->conns[i].impl)
                c = &d->conns[i];
        for (int i = 0; i < d->size && !c; i++)
            if (!d->conns[i].in_use)
                c = &d->conns[i];
        if (c)
            break;
        if (pthread_cond_timedwait(&d->cv, &d->mu, &deadline) == ETIMEDOUT) {
            pthread_mutex_unlock(&d->mu);
            return NULL;
        }
    }
    c->in_use = true;
    pthread_mutex_unlock(&d->mu);

    /* Connecting and health checks happen outside the lock: they may take time. */
    if (!c->impl) {
        char err[256];
        c->impl = d->ops->connect(d->target, d->create, err, sizeof err);
        if (!c->impl) {
            db_set_err(c, "%s", err);
            db_release(c);
            return NULL;
        }
    } else if (!d->ops->check(c)) {
        db_release(c);
        return NULL;
    }
    c->changes = 0;
    c->errmsg[0] = 0;
    return c;
}

void db_release(db_conn *c)
{
    if (!c)
        return;
    db *d = c->pool;
    if (c->impl)
        d->ops->reset(c);
    pthread_mutex_lock(&d->mu);
    c->in_use = false;
    pthread_cond_signal(&d->cv);
    pthread_mutex_unlock(&d->mu);
}

/* ---- statements ------------------------------------------------------------------------ */

int db_begin(db_conn *c) { return c->pool->ops->exec(c, c->pool->ops->begin_sql, NULL, 0, NULL); }
int db_begin_read(db_conn *c)
{
    return c->pool->ops->exec(c, c->pool->ops->begin_read_sql, NULL, 0, NULL);
}
int db_commit(db_conn *c) { return c->pool->ops->exec(c, "COMMIT", NULL, 0, NULL); }

bool db_in_tx(db_conn *c) { return c->pool->ops->in_tx(c); }

/* A failed statement may already have ended the transaction (SQLite does so on some errors):
 * rolling back then is a no-op, not an error. */
int db_rollback(db_conn *c)
{
    if (!c->pool->ops->in_tx(c))
        return DB_OK;
    return c->pool->ops->exec(c, "ROLLBACK", NULL, 0, NULL);
}

int db_exec(db_conn *c, const char *sql, const db_param *params, int nparams, db_rows **rows)
{
    if (rows)
        *rows = NULL;
    if (nparams < 0 || (nparams > 0 && !params)) {
        db_set_err(c, "bad parameter count %d", nparams);
        return DB_ERROR;
    }
    return c->pool->ops->exec(c, sql, params, nparams, rows);
}

int64_t db_changes(db_conn *c) { return c->changes; }

int db_exec_script(db_conn *c, const char *sql) { return c->pool->ops->exec_script(c, sql); }

int db_query_int(db_conn *c, const char *sql, const db_param *params, int nparams, int64_t *out)
{
    db_rows *r;
    int rc = db_exec(c, sql, params, nparams, &r);
    if (rc != DB_OK)
        return rc;
    if (db_rows_count(r) < 1 || db_rows_cols(r) < 1 || db_is_null(r, 0, 0))
        rc = DB_NOTFOUND;
    else if (out)
        *out = db_int(r, 0, 0);
    db_rows_free(r);
    return rc;
}

bool db_ping(db *d)
{
    db_conn *c = db_acquire(d);
    if (!c)
        return false;
    int64_t one = 0;
    int rc = db_query_int(c, "SELECT 1", NULL, 0, &one);
    db_release(c);
    return rc == DB_OK && one == 1;
}

bool db_integrity_ok(db *d)
{
    if (d->engine != DB_SQLITE)
        return true;
    db_conn *c = db_acquire(d);
    if (!c)
        return false;
    db_rows *r;
    bool ok = false;
    if (db_exec(c, "PRAGMA integrity_check", NULL, 0, &r) == DB_OK) {
        ok = db_rows_count(r) == 1 && !strcmp(db_text(r, 0, 0), "ok");
        db_rows_free(r);
    }
    db_release(c);
    return ok;
}

/* ---- result sets ----------------------------------------------------------------------- */

db_rows *db_rows_new(int ncols)
{
    db_rows *r = calloc(1, sizeof *r);
    if (r)
        r->ncols = ncols;
    return r;
}

int db_rows_add_row(db_rows *r)
{
    if (r->nrows == r->cap) {
        int ncap = r->cap ? r->cap * 2 : 8;
        size_t cells = (size_t)ncap * (size_t)(r->ncols ? r->ncols : 1);
        struct db_cell *n = realloc(r->cells, cells * sizeof *n);
        if (!n)
            return -1;
        r->cells = n;
        r->cap = ncap;
    }
    int row = r->nrows++;
    for (int i = 0; i < r->ncols; i++)
        r->cells[(size_t)row * (size_t)r->ncols + (size_t)i] = (struct db_cell){.s = NULL, .len = 0, .null = true};
    return row;
}

bool db_rows_set(db_rows *r, int row, int col, const char *s, size_t len)
{
    struct db_cell *cell = &r->cells[(size_t)row * (size_t)r->ncols + (size_t)col];
    char *copy = malloc(len + 1);
    if (!copy)
        return false;
    if (len)
        memcpy(copy, s, len);
    copy[len] = 0;
    free(cell->s);
    *cell = (struct db_cell){.s = copy, .len = len, .null = false};
    return true;
}

static const struct db_cell *cell_at(const db_rows *r, int row, int col)
{
    if (!r || row < 0 || row >= r->nrows || col < 0 || col >= r->ncols)
        return NULL;
    return &r->cells[(size_t)row * (size_t)r->ncols + (size_t)col];
}

int db_rows_count(const db_rows *r) { return r ? r->nrows : 0; }
int db_rows_cols(const db_rows *r) { return r ? r->ncols : 0; }

bool db_is_null(const db_rows *r, int row, int col)
{
    const struct db_cell *cell = cell_at(r, row, col);
    return !cell || cell->null;
}

const char *db_text(const db_rows *r, int row, int col)
{
    const struct db_cell *cell = cell_at(r, row, col);
    return cell && !cell->null ? cell->s : "";
}

size_t db_len(const db_rows *r, int row, int col)
{
    const struct db_cell *cell = cell_at(r, row, col);
    return cell && !cell->null ? cell->len : 0;
}

int64_t db_int(const db_rows *r, int row, int col)
{
    const char *s = db_text(r, row, col);
    /* PostgreSQL booleans arrive as t/f in text results. */
    if (!strcmp(s, "t"))
        return 1;
    if (!strcmp(s, "f"))
        return 0;
    return strtoll(s, NULL, 10);
}

void db_rows_free(db_rows *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < (size_t)r->nrows * (size_t)r->ncols; i++)
        free(r->cells[i].s);
    free(r->cells);
    free(r);
}
