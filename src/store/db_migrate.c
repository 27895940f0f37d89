/* db_migrate.c — numbered schema migrations on both engines. Each migration runs in its own
 * transaction together with its schema_migrations row, so a crash leaves either both or
 * neither. On PostgreSQL a transaction-scoped advisory lock serializes app nodes starting at
 * once; on SQLite BEGIN IMMEDIATE does the same. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/db_internal.h"

/* Arbitrary constant naming "DTI schema migrations" in pg_advisory_xact_lock. */
#define MIGRATION_LOCK_KEY 0x445449L

static const struct {
    const char *token, *sqlite, *pg;
} tokens[] = {
    {"@ID@", "INTEGER PRIMARY KEY", "BIGSERIAL PRIMARY KEY"},
    {"@BLOB@", "BLOB", "BYTEA"},
    {"@NOW@", "CAST(strftime('%s','now') AS INTEGER)", "CAST(EXTRACT(EPOCH FROM now()) AS BIGINT)"},
};

char *db_migration_sql(enum db_engine engine, const char *sql)
{
    /* A text split by DB_MIGRATION_PG: each engine takes its own half. */
    const char *split = strstr(sql, DB_MIGRATION_PG), *end = sql + strlen(sql);
    if (split && engine == DB_SQLITE)
        end = split;
    else if (split)
        sql = split + strlen(DB_MIGRATION_PG);
    size_t cap = (size_t)(end - sql) + 1, len = 0;
    /* Worst case: every byte starts a token that grows to its longest replacement. */
    size_t grow = 0;
    for (size_t t = 0; t < sizeof tokens / sizeof tokens[0]; t++) {
        size_t r = strlen(engine == DB_SQLITE ? tokens[t].sqlite : tokens[t].pg);
        if (r > grow)
            grow = r;
    }
    cap += (cap / 4 + 1) * grow; /* tokens are at least 4 bytes long */
    char *out = malloc(cap);
    if (!out)
        return NULL;
    for (const char *p = sql; p < end;) {
        bool replaced = false;
        if (*p == '@') {
            for (size_t t = 0; t < sizeof tokens / sizeof tokens[0]; t++) {
                size_t tl = strlen(tokens[t].token);
                if (!strncmp(p, tokens[t].token, tl)) {
                    const char *r = engine == DB_SQLITE ? tokens[t].sqlite : tokens[t].pg;
                    size_t rl = strlen(r);
                    memcpy(out + len, r, rl);
                    len += rl;
                    p += tl;
                    replaced = true;
                    break;
                }
            }
        }
        if (!replaced)
            out[len++] = *p++;
    }
    out[len] = 0;
    return out;
}

static int lock_migrations(db_conn *c)
{
    if (c->engine != DB_POSTGRES)
        return DB_OK;
    db_param key = DB_P_INT(MIGRATION_LOCK_KEY);
    return db_exec(c, "SELECT pg_advisory_xact_lock(CAST(? AS BIGINT))", &key, 1, NULL);
}

static int ensure_table(db_conn *c)
{
    int rc = db_begin(c);
    if (rc == DB_OK)
        rc = lock_migrations(c);
    if (rc == DB_OK)
        rc = db_exec_script(c, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                               " version INTEGER PRIMARY KEY,"
                               " name TEXT NOT NULL,"
                               " applied_at BIGINT NOT NULL)");
    if (rc == DB_OK)
        rc = db_commit(c);
    if (rc != DB_OK)
        db_rollback(c);
    return rc;
}

static int apply_one(db_conn *c, const struct db_migration *m)
{
    int rc = db_begin(c);
    if (rc == DB_OK)
        rc = lock_migrations(c);
    if (rc != DB_OK)
        goto fail;
    db_param v = DB_P_INT(m->version);
    int64_t found = 0;
    rc = db_query_int(c, "SELECT COUNT(*) FROM schema_migrations WHERE version = ?", &v, 1, &found);
    if (rc != DB_OK)
        goto fail;
    if (found) /* another node applied it while we waited for the lock */
        return db_commit(c);
    char *sql = db_migration_sql(c->engine, m->sql);
    if (!sql) {
        db_set_err(c, "out of memory");
        rc = DB_ERROR;
        goto fail;
    }
    rc = db_exec_script(c, sql);
    free(sql);
    if (rc != DB_OK)
        goto fail;
    db_param row[] = {DB_P_INT(m->version), DB_P_TEXT(m->name), DB_P_INT(time(NULL))};
    rc = db_exec(c, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                 row, 3, NULL);
    if (rc == DB_OK)
        rc = db_commit(c);
    if (rc == DB_OK)
        return DB_OK;
fail:;
    /* Keep the engine's message: rollback may overwrite it. */
    char msg[sizeof c->errmsg];
    snprintf(msg, sizeof msg, "%s", c->errmsg);
    db_rollback(c);
    snprintf(c->errmsg, sizeof c->errmsg, "%s", msg);
    return rc;
}

int db_migrate(db *d, const struct db_migration *list, int n, char *err, size_t errlen)
{
    db_conn *c = db_acquire(d);
    if (!c) {
        snprintf(err, errlen, "Không lấy được kết nối cơ sở dữ liệu");
        return DB_ERROR;
    }
    int rc = ensure_table(c);
    if (rc != DB_OK) {
        snprintf(err, errlen, "Không tạo được bảng schema_migrations: %s", db_errmsg(c));
        db_release(c);
        return DB_ERROR;
    }
    for (int i = 0; i < n; i++) {
        if (i > 0 && list[i].version <= list[i - 1].version) {
            snprintf(err, errlen, "Danh sách nâng cấp lược đồ không tăng dần tại phiên bản %d",
                     list[i].version);
            db_release(c);
            return DB_ERROR;
        }
        if (apply_one(c, &list[i]) != DB_OK) {
            snprintf(err, errlen, "Nâng cấp lược đồ %d (%s) thất bại: %s", list[i].version,
                     list[i].name, db_errmsg(c));
            db_release(c);
            return DB_ERROR;
        }
    }
    db_release(c);
    return DB_OK;
}

int db_schema_version(db *d)
{
    db_conn *c = db_acquire(d);
    if (!c)
        return 0;
    int64_t v = 0;
    /* A database without the table has version 0; the probe must not leave an error behind. */
    int rc;
    if (c->engine == DB_SQLITE)
        rc = db_query_int(c, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
                          NULL, 0, &v);
    else
        rc = db_query_int(c, "SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE tablename = 'schema_migrations' "
                             "AND schemaname = ANY (current_schemas(false))",
                          NULL, 0, &v);
    if (rc == DB_OK && v > 0)
        rc = db_query_int(c, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", NULL, 0, &v);
    else
        v = 0;
    db_release(c);
    return rc == DB_OK ? (int)v : 0;
}
