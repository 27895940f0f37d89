/* db_pg.c — the PostgreSQL engine behind db.h (libpq). Each distinct SQL text is rewritten
 * (`?` -> `$n`, sql_params.c) and prepared once per connection under a counter-derived name;
 * values travel as text (integers formatted here) and DB_BYTES in binary. A connection broken
 * by a server restart is reset on acquire, and a statement that failed because the connection
 * dropped outside a transaction is retried once on a fresh connection. */
#include <inttypes.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db_error_vi.h"
#include "store/db_internal.h"
#include "store/sql_params.h"

#define BYTEAOID 17

struct pg_conn {
    PGconn *conn;
    struct stmt_cache cache;
    unsigned next_id;
};

struct pg_stmt {
    char name[24];
    int nparams;
};

/* Notices ("relation already exists, skipping", ...) are not errors: keep them off stderr. */
static void quiet_notices(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

static void trim_newline(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = 0;
}

static void pg_disconnect(void *impl)
{
    struct pg_conn *pc = impl;
    stmt_cache_clear(&pc->cache, free);
    PQfinish(pc->conn);
    free(pc);
}

static void *pg_connect(const char *url, bool create, char *err, size_t errlen)
{
    (void)create; /* connecting never creates a PostgreSQL database */
    struct pg_conn *pc = calloc(1, sizeof *pc);
    if (!pc) {
        snprintf(err, errlen, "Hết bộ nhớ");
        return NULL;
    }
    pc->conn = PQconnectdb(url);
    if (!pc->conn || PQstatus(pc->conn) != CONNECTION_OK) {
        /* The URL is not repeated: it may carry a password. */
        char why[320];
        db_pg_connect_reason_vi(pc->conn ? PQerrorMessage(pc->conn) : "out of memory", why,
                                sizeof why);
        snprintf(err, errlen, "Không kết nối được PostgreSQL: %s.", why);
        PQfinish(pc->conn);
        free(pc);
        return NULL;
    }
    PQsetNoticeProcessor(pc->conn, quiet_notices, NULL);
    if (PQsetClientEncoding(pc->conn, "UTF8") != 0) {
        snprintf(err, errlen, "PostgreSQL không nhận mã hoá UTF8");
        pg_disconnect(pc);
        return NULL;
    }
    return pc;
}

/* After PQreset the server forgot every prepared statement. */
static bool pg_reconnect(db_conn *c)
{
    struct pg_conn *pc = c->impl;
    stmt_cache_clear(&pc->cache, free);
    PQreset(pc->conn);
    if (PQstatus(pc->conn) != CONNECTION_OK) {
        db_set_err(c, "reconnect failed: %s", PQerrorMessage(pc->conn));
        trim_newline(c->errmsg);
        return false;
    }
    PQsetClientEncoding(pc->conn, "UTF8");
    return true;
}

static bool pg_check(db_conn *c)
{
    struct pg_conn *pc = c->impl;
    return PQstatus(pc->conn) == CONNECTION_OK || pg_reconnect(c);
}

static bool pg_in_tx(db_conn *c)
{
    struct pg_conn *pc = c->impl;
    PGTransactionStatusType ts = PQtransactionStatus(pc->conn);
    return ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR || ts == PQTRANS_ACTIVE;
}

static void pg_reset(db_conn *c)
{
    struct pg_conn *pc = c->impl;
    if (pg_in_tx(c))
        PQclear(PQexec(pc->conn, "ROLLBACK"));
}

static int map_error(db_conn *c, const PGresult *res)
{
    struct pg_conn *pc = c->impl;
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    db_set_err(c, "%s%s%s", state ? state : "", state ? ": " : "",
               res ? PQresultErrorMessage(res) : PQerrorMessage(pc->conn));
    trim_newline(c->errmsg);
    if (!state)
        return DB_ERROR;
    if (!strncmp(state, "23", 2))
        return DB_CONSTRAINT;
    if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03"))
        return DB_BUSY;
    return DB_ERROR;
}

static const struct pg_stmt *prepare_cached(db_conn *c, const char *sql, int *rc)
{
    struct pg_conn *pc = c->impl;
    struct pg_stmt *st = stmt_cache_get(&pc->cache, sql);
    if (st)
        return st;
    int count = 0;
    char *text = sql_params_rewrite(sql, &count);
    if (!text || !(st = malloc(sizeof *st))) {
        free(text);
        db_set_err(c, "out of memory");
        *rc = DB_ERROR;
        return NULL;
    }
    snprintf(st->name, sizeof st->name, "dti_%u", ++pc->next_id);
    st->nparams = count;
    PGresult *res = PQprepare(pc->conn, st->name, text, count, NULL);
    free(text);
    if (!res || PQresultStatus(res) != PGRES_COMMAND_OK) {
        *rc = map_error(c, res);
        PQclear(res);
        free(st);
        return NULL;
    }
    PQclear(res);
    if (!stmt_cache_put(&pc->cache, sql, st)) {
        /* The server keeps the statement; it is simply prepared again under a new name. */
        free(st);
        db_set_err(c, "out of memory");
        *rc = DB_ERROR;
        return NULL;
    }
    return st;
}

static int fill_rows(db_conn *c, PGresult *res, db_rows **rows)
{
    int nrows = PQntuples(res), ncols = PQnfields(res);
    db_rows *r = db_rows_new(ncols);
    if (!r)
        goto oom;
    for (int row = 0; row < nrows; row++) {
        if (db_rows_add_row(r) < 0)
            goto oom;
        for (int col = 0; col < ncols; col++) {
            if (PQgetisnull(res, row, col))
                continue;
            const char *v = PQgetvalue(res, row, col);
            bool ok;
            if (PQftype(res, col) == BYTEAOID) {
                size_t n = 0;
                unsigned char *bytes = PQunescapeBytea((const unsigned char *)v, &n);
                ok = bytes && db_rows_set(r, row, col, (const char *)bytes, n);
                PQfreemem(bytes);
            } else {
                ok = db_rows_set(r, row, col, v, (size_t)PQgetlength(res, row, col));
            }
            if (!ok)
                goto oom;
        }
    }
    *rows = r;
    return DB_OK;
oom:
    db_rows_free(r);
    db_set_err(c, "out of memory");
    return DB_ERROR;
}

#define SMALL_PARAMS 32

static int exec_once(db_conn *c, const char *sql, const db_param *params, int nparams, db_rows **rows)
{
    struct pg_conn *pc = c->impl;
    int rc = DB_OK;
    const struct pg_stmt *st = prepare_cached(c, sql, &rc);
    if (!st)
        return rc;
    if (st->nparams != nparams) {
        db_set_err(c, "statement wants %d parameters, got %d", st->nparams, nparams);
        return DB_ERROR;
    }
    const char *small_values[SMALL_PARAMS];
    int small_lengths[SMALL_PARAMS], small_formats[SMALL_PARAMS];
    char small_ints[SMALL_PARAMS][24];
    const char **values = small_values;
    int *lengths = small_lengths, *formats = small_formats;
    char (*ints)[24] = small_ints;
    if (nparams > SMALL_PARAMS) {
        values = malloc((size_t)nparams * sizeof *values);
        lengths = malloc((size_t)nparams * sizeof *lengths);
        formats = malloc((size_t)nparams * sizeof *formats);
        ints = malloc((size_t)nparams * sizeof *ints);
        if (!values || !lengths || !formats || !ints) {
            db_set_err(c, "out of memory");
            rc = DB_ERROR;
            goto out;
        }
    }
    for (int i = 0; i < nparams; i++) {
        const db_param *p = &params[i];
        lengths[i] = 0;
        formats[i] = 0;
        switch (p->type) {
        case DB_INT:
            snprintf(ints[i], sizeof ints[i], "%" PRId64, p->i);
            values[i] = ints[i];
            break;
        case DB_TEXT:
            values[i] = p->s;
            break;
        case DB_BYTES:
            if (p->len > INT32_MAX) {
                db_set_err(c, "parameter %d too large", i + 1);
                rc = DB_ERROR;
                goto out;
            }
            values[i] = p->len ? p->s : "";
            lengths[i] = (int)p->len;
            formats[i] = 1;
            break;
        default:
            values[i] = NULL;
            break;
        }
    }
    PGresult *res = PQexecPrepared(pc->conn, st->name, nparams, values, lengths, formats, 0);
    ExecStatusType status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        rc = map_error(c, res);
    } else if (!strcmp(sql, "COMMIT") && !strcmp(PQcmdStatus(res), "ROLLBACK")) {
        /* COMMIT of a transaction that already failed rolls back without an error. */
        db_set_err(c, "transaction had failed and was rolled back");
        rc = DB_ERROR;
    } else {
        c->changes = strncmp(PQcmdStatus(res), "SELECT", 6) ? strtoll(PQcmdTuples(res), NULL, 10) : 0;
        if (rows)
            rc = fill_rows(c, res, rows);
    }
    PQclear(res);
out:
    if (values != small_values) {
        free(values);
        free(lengths);
        free(formats);
        free(ints);
    }
    return rc;
}

static int pg_exec(db_conn *c, const char *sql, const db_param *params, int nparams, db_rows **rows)
{
    struct pg_conn *pc = c->impl;
    c->changes = 0;
    bool was_idle = PQtransactionStatus(pc->conn) == PQTRANS_IDLE;
    int rc = exec_once(c, sql, params, nparams, rows);
    /* Outside a transaction nothing is lost by retrying on a fresh connection. */
    if (rc != DB_OK && was_idle && PQstatus(pc->conn) == CONNECTION_BAD && pg_reconnect(c))
        rc = exec_once(c, sql, params, nparams, rows);
    return rc;
}

static int pg_exec_script(db_conn *c, const char *sql)
{
    struct pg_conn *pc = c->impl;
    PGresult *res = PQexec(pc->conn, sql);
    ExecStatusType status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    int rc = DB_OK;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY)
        rc = map_error(c, res);
    PQclear(res);
    return rc;
}

const struct db_engine_ops db_pg_ops = {
    .connect = pg_connect,
    .disconnect = pg_disconnect,
    .check = pg_check,
    .reset = pg_reset,
    .exec = pg_exec,
    .exec_script = pg_exec_script,
    .in_tx = pg_in_tx,
    .begin_sql = "BEGIN",
    /* Plain BEGIN is READ COMMITTED: each statement would see its own snapshot. */
    .begin_read_sql = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
};
