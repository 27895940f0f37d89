/* db_fixture.h — a fresh database per test for the storage tests (test_db, test_audit): a
 * temporary SQLite file, or the throwaway PostgreSQL named by DTI_TEST_PG_URL with its public
 * schema dropped and recreated (never point it at real data). Header-only: each test binary
 * is one file. */
#ifndef DTI_TEST_DB_FIXTURE_H
#define DTI_TEST_DB_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/db.h"

struct fx {
    char dir[64];
    char url[1024];
    db *d;
    db_conn *c;
};

static inline void fx_rm_sqlite_files(const char *dir)
{
    static const char *const names[] = {"t.db", "t.db-wal", "t.db-shm", "t.db-journal"};
    char p[128];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        unlink(p);
    }
    rmdir(dir);
}

/* pg_url NULL: SQLite under /tmp/dti-test-TAG.XXXXXX. The database gets `migs` applied and a
 * pool of 4; one connection is acquired. NULL on failure (reason on stderr). */
static inline struct fx *fx_open(const char *pg_url, const char *tag,
                                 const struct db_migration *migs, int n_migs)
{
    struct fx *f = calloc(1, sizeof *f);
    char err[512] = "";
    if (pg_url) {
        snprintf(f->url, sizeof f->url, "%s", pg_url);
        db *d = db_open(f->url, 1, err, sizeof err);
        if (!d) {
            fprintf(stderr, "%s\n", err);
            return NULL;
        }
        db_conn *c = db_acquire(d);
        int rc = db_exec_script(c, "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;");
        db_release(c);
        db_close(d);
        if (rc != DB_OK)
            return NULL;
    } else {
        snprintf(f->dir, sizeof f->dir, "/tmp/dti-test-%s.XXXXXX", tag);
        if (!mkdtemp(f->dir))
            return NULL;
        snprintf(f->url, sizeof f->url, "sqlite:%s/t.db", f->dir);
    }
    f->d = db_open(f->url, 4, err, sizeof err);
    if (!f->d || db_migrate(f->d, migs, n_migs, err, sizeof err) != DB_OK) {
        fprintf(stderr, "%s\n", err);
        return NULL;
    }
    f->c = db_acquire(f->d);
    return f->c ? f : NULL;
}

static inline void fx_close(struct fx *f)
{
    if (f->c)
        db_release(f->c);
    db_close(f->d);
    if (f->dir[0])
        fx_rm_sqlite_files(f->dir);
    free(f);
}

#endif
