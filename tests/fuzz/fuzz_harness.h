/* fuzz_harness.h — what the fuzz targets that drive the whole server pipeline on a real SQLite
 * database share (fuzz_request.c, fuzz_transition.c): a temporary directory with a migrated
 * database, sessions inserted by token, a pristine copy of the database put back every 256
 * runs so that what earlier inputs changed does not drift the run.
 *
 * Header-only (static functions): each fuzz target is one binary built from its own .c file
 * (Makefile: build/fuzz/%). Use: harness_open(name, pool_size) in LLVMFuzzerInitialize, fill
 * the database through the returned connection, harness_ready(); harness_tick() at the start
 * of every run. The pool is harness.srv.o.pool. */
#ifndef DTI_FUZZ_HARNESS_H
#define DTI_FUZZ_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "app/password.h"
#include "app/schema.h"
#include "app/secret.h"
#include "http/server_internal.h"

static struct {
    const char *name;
    char dir[64], dbfile[128], pristine[128], url[160];
    int pool_size, runs;
    db *setup;
} harness;
static struct http_server srv;

static void die(const char *what)
{
    fprintf(stderr, "%s setup: %s\n", harness.name, what);
    exit(1);
}

static void harness_copy(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    if (!in || !out)
        die("copy");
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            die("copy write");
    fclose(in);
    fclose(out);
}

static void harness_open_pool(void)
{
    char err[256];
    srv.o.pool = db_open_existing(harness.url, harness.pool_size, err, sizeof err);
    if (!srv.o.pool)
        die(err);
}

/* A temporary directory (/tmp/dti-<name>.XXXXXX) with a migrated database; its connection. */
static db_conn *harness_open(const char *name, int pool_size)
{
    harness.name = name;
    harness.pool_size = pool_size;
    snprintf(harness.dir, sizeof harness.dir, "/tmp/dti-%s.XXXXXX", name);
    if (!mkdtemp(harness.dir) || !password_init())
        die("mkdtemp/password_init");
    snprintf(harness.dbfile, sizeof harness.dbfile, "%s/dti.db", harness.dir);
    snprintf(harness.pristine, sizeof harness.pristine, "%s/pristine.db", harness.dir);
    snprintf(harness.url, sizeof harness.url, "sqlite:%s", harness.dbfile);
    char err[256];
    harness.setup = db_open(harness.url, 1, err, sizeof err);
    if (!harness.setup ||
        db_migrate(harness.setup, dti_migrations, dti_migrations_count, err, sizeof err) != DB_OK)
        die(err);
    db_conn *c = db_acquire(harness.setup);
    if (!c)
        die("db_acquire");
    return c;
}

/* A session of user_id with this token and CSRF token, valid for years. */
static void harness_session(db_conn *c, int64_t user_id, const char *token, const char *csrf)
{
    char hash[SECRET_HEX_LEN];
    secret_sha256_hex(token, hash);
    int64_t now = (int64_t)time(NULL);
    db_param p[] = {DB_P_TEXT(hash), DB_P_INT(user_id), DB_P_TEXT(csrf), DB_P_INT(now),
                    DB_P_INT(now), DB_P_INT(now + 100000000)};
    if (db_exec(c,
                "INSERT INTO sessions (token_hash, user_id, csrf_token, client_addr, created_at, "
                "last_seen_at, expires_at) VALUES (?, ?, ?, '127.0.0.1', ?, ?, ?)",
                p, 6, NULL) != DB_OK)
        die("session");
}

/* The database is filled (and committed): keep a pristine copy, open the server's pool,
 * prebuild the server with this route table and the real session lookups. */
static void harness_ready(db_conn *c, const struct route *routes)
{
    db_release(c);
    db_close(harness.setup);
    harness_copy(harness.dbfile, harness.pristine);
    harness_open_pool();
    char err[256];
    srv.o.routes = routes;
    srv.o.session_lookup = auth_session_lookup;
    srv.o.token_lookup = auth_token_lookup;
    srv.web = static_files_load(NULL, err, sizeof err);
    if (!srv.web || !http_server_prebuild(&srv))
        die("static files / prebuild");
}

/* Every run: the run number (from 1); the pristine database is put back every 256 runs. */
static int harness_tick(void)
{
    if (++harness.runs % 256 == 0) {
        db_close(srv.o.pool);
        harness_copy(harness.pristine, harness.dbfile);
        harness_open_pool();
    }
    return harness.runs;
}

#endif
