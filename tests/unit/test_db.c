/* test_db.c — the storage interface (db.h) on SQLite, and on PostgreSQL too when
 * DTI_TEST_PG_URL names a throwaway database (its public schema is dropped and recreated for
 * every test: never point it at real data). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/schema.h"
#include "db_fixture.h"
#include "store/db.h"

static const char *g_pg_url; /* NULL: the SQLite run */

static const struct db_migration test_migrations[] = {
    {1, "parent",
     "CREATE TABLE parent ("
     "  id @ID@,"
     "  code TEXT NOT NULL UNIQUE,"
     "  n BIGINT CHECK (n >= 0),"
     "  created_at BIGINT NOT NULL DEFAULT (@NOW@));"},
    {2, "child",
     "CREATE TABLE child ("
     "  id @ID@,"
     "  parent_id BIGINT NOT NULL REFERENCES parent(id),"
     "  body @BLOB@,"
     "  note TEXT);"
     "CREATE INDEX child_parent ON child(parent_id);"},
};

/* A fresh, empty database for each test. */
static int setup(void **state)
{
    struct fx *f = fx_open(g_pg_url, "db", test_migrations, 2);
    *state = f;
    return f ? 0 : -1;
}

static int teardown(void **state)
{
    fx_close(*state);
    return 0;
}

static int64_t count_rows(db_conn *c, const char *table)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
    int64_t n = -1;
    assert_int_equal(db_query_int(c, sql, NULL, 0, &n), DB_OK);
    return n;
}

static int64_t insert_parent(db_conn *c, const char *code, int64_t n)
{
    db_param p[] = {DB_P_STR(code), DB_P_INT(n)};
    db_rows *r = NULL;
    int rc = db_exec(c, "INSERT INTO parent (code, n) VALUES (?, ?) RETURNING id", p, 2, &r);
    if (rc != DB_OK)
        return rc;
    assert_int_equal(db_rows_count(r), 1);
    int64_t id = db_int(r, 0, 0);
    db_rows_free(r);
    return id;
}

/* ---- migrations ---------------------------------------------------------------------- */

static void test_migrations_once_and_idempotent(void **state)
{
    struct fx *f = *state;
    assert_int_equal(db_schema_version(f->d), 2);
    assert_int_equal(count_rows(f->c, "schema_migrations"), 2);
    char err[256];
    /* Running again applies nothing and fails nothing. */
    assert_int_equal(db_migrate(f->d, test_migrations, 2, err, sizeof err), DB_OK);
    assert_int_equal(db_migrate(f->d, test_migrations, 2, err, sizeof err), DB_OK);
    assert_int_equal(count_rows(f->c, "schema_migrations"), 2);
    /* @NOW@ became a working default. */
    int64_t id = insert_parent(f->c, "now", 1), at = 0;
    db_param p = DB_P_INT(id);
    assert_int_equal(db_query_int(f->c, "SELECT created_at FROM parent WHERE id = ?", &p, 1, &at), DB_OK);
    int64_t now = time(NULL);
    assert_true(at > now - 120 && at <= now + 1);
}

static void test_failed_migration_rolls_back(void **state)
{
    struct fx *f = *state;
    const struct db_migration more[] = {
        test_migrations[0],
        test_migrations[1],
        {3, "broken", "CREATE TABLE half (id @ID@); INSERT INTO no_such_table VALUES (1);"},
    };
    char err[512] = "";
    assert_int_equal(db_migrate(f->d, more, 3, err, sizeof err), DB_ERROR);
    assert_non_null(strstr(err, "3"));
    assert_int_equal(db_schema_version(f->d), 2);
    /* The table created before the failure went away with the transaction. */
    int64_t n = -1;
    assert_int_not_equal(db_query_int(f->c, "SELECT COUNT(*) FROM half", NULL, 0, &n), DB_OK);
    db_rollback(f->c);
}

static void test_schema_v1_fresh(void **state)
{
    (void)state;
    /* Schema v1 on a database with nothing else in it. */
    char dir[64] = "/tmp/dti-test-v1.XXXXXX", url[1024], err[512] = "";
    if (g_pg_url) {
        snprintf(url, sizeof url, "%s", g_pg_url);
        db *d0 = db_open(url, 1, err, sizeof err);
        assert_non_null(d0);
        db_conn *c0 = db_acquire(d0);
        assert_int_equal(db_exec_script(c0, "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"), DB_OK);
        db_release(c0);
        db_close(d0);
    } else {
        assert_non_null(mkdtemp(dir));
        snprintf(url, sizeof url, "sqlite:%s/t.db", dir);
    }
    db *d = db_open(url, 2, err, sizeof err);
    assert_non_null(d);
    if (db_migrate(d, dti_migrations, dti_migrations_count, err, sizeof err) != DB_OK)
        fail_msg("%s", err);
    assert_int_equal(db_migrate(d, dti_migrations, dti_migrations_count, err, sizeof err), DB_OK);
    assert_int_equal(db_schema_version(d), dti_migrations[dti_migrations_count - 1].version);
    db_conn *c = db_acquire(d);
    int64_t seq = -1;
    assert_int_equal(db_query_int(c, "SELECT seq FROM audit_head WHERE id = 1", NULL, 0, &seq), DB_OK);
    assert_int_equal(seq, 0);
    /* A unit row with RETURNING id, as the API will write it. */
    db_param p[] = {DB_P_TEXT("SO-TC"), DB_P_TEXT("Sở Tài chính"), DB_P_TEXT("department"), DB_P_INT(1)};
    db_rows *r;
    assert_int_equal(db_exec(c, "INSERT INTO units (code, name, kind, created_at) VALUES (?, ?, ?, ?) RETURNING id",
                             p, 4, &r),
                     DB_OK);
    assert_true(db_int(r, 0, 0) >= 1);
    db_rows_free(r);
    /* The CHECK on kind holds on both engines. */
    db_param bad[] = {DB_P_TEXT("X"), DB_P_TEXT("x"), DB_P_TEXT("planet"), DB_P_INT(1)};
    assert_int_equal(db_exec(c, "INSERT INTO units (code, name, kind, created_at) VALUES (?, ?, ?, ?)", bad, 4, NULL),
                     DB_CONSTRAINT);
    db_release(c);
    assert_true(db_integrity_ok(d));
    db_close(d);
    if (!g_pg_url)
        fx_rm_sqlite_files(dir);
}

/* ---- values -------------------------------------------------------------------------- */

static void test_text_roundtrip(void **state)
{
    struct fx *f = *state;
    static const char *const values[] = {
        "O'Brien",
        "''",
        "\"quoted\" identifier",
        "a ? b ?? c",
        "'; DROP TABLE parent; --",
        "Robert'); DELETE FROM parent WHERE ('1'='1",
        "Sở Tài chính — Đắk Lắk, Thừa Thiên Huế ✓ 🇻🇳",
        "$1 $$ dollar $$ $tag$ x $tag$",
        "back\\slash \\' \\\\",
        "/* not a comment */ -- nor this",
        "%s %d %n",
        "",
        "line\nbreak\ttab\r",
    };
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        char code[32];
        snprintf(code, sizeof code, "c%zu", i);
        db_param p[] = {DB_P_STR(code), DB_P_TEXT(values[i])};
        db_rows *r;
        assert_int_equal(db_exec(f->c, "INSERT INTO child (parent_id, note) "
                                       "VALUES ((SELECT id FROM parent WHERE code = 'none'), ?)",
                                 &p[1], 1, NULL),
                         DB_CONSTRAINT); /* NULL parent_id: nothing stored */
        int64_t pid = insert_parent(f->c, code, 0);
        assert_true(pid > 0);
        db_param q[] = {DB_P_INT(pid), DB_P_TEXT(values[i])};
        assert_int_equal(db_exec(f->c, "INSERT INTO child (parent_id, note) VALUES (?, ?) RETURNING id", q, 2, &r),
                         DB_OK);
        db_param id = DB_P_INT(db_int(r, 0, 0));
        db_rows_free(r);
        assert_int_equal(db_exec(f->c, "SELECT note, '?' AS mark, 'it''s ?' FROM child WHERE id = ? -- a ? here\n",
                                 &id, 1, &r),
                         DB_OK);
        assert_int_equal(db_rows_count(r), 1);
        assert_string_equal(db_text(r, 0, 0), values[i]);
        assert_int_equal(db_len(r, 0, 0), strlen(values[i]));
        assert_string_equal(db_text(r, 0, 1), "?");
        assert_string_equal(db_text(r, 0, 2), "it's ?");
        db_rows_free(r);
        /* Found by equality too: the value reached the server unchanged. */
        int64_t n = 0;
        assert_int_equal(db_query_int(f->c, "SELECT COUNT(*) FROM child WHERE note = ?", &q[1], 1, &n), DB_OK);
        assert_int_equal(n, 1);
    }
    /* The injection attempts did nothing. */
    assert_int_equal(count_rows(f->c, "parent"), (int64_t)(sizeof values / sizeof values[0]));
}

static void test_int64_roundtrip(void **state)
{
    struct fx *f = *state;
    static const int64_t values[] = {0, 1, -1, 850, INT32_MAX, (int64_t)INT32_MAX + 1, INT32_MIN,
                                     (1LL << 53) + 1, INT64_MAX, INT64_MIN + 1, INT64_MIN};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        db_param p = DB_P_INT(values[i]);
        int64_t out = 0;
        assert_int_equal(db_query_int(f->c, "SELECT CAST(? AS BIGINT)", &p, 1, &out), DB_OK);
        assert_true(out == values[i]);
    }
    /* Through a BIGINT column. */
    db_param p[] = {DB_P_TEXT("big"), DB_P_INT(INT64_MAX)};
    assert_int_equal(db_exec(f->c, "INSERT INTO parent (code, n) VALUES (?, ?)", p, 2, NULL), DB_OK);
    int64_t out = 0;
    assert_int_equal(db_query_int(f->c, "SELECT n FROM parent WHERE code = ?", p, 1, &out), DB_OK);
    assert_true(out == INT64_MAX);
}

static void test_null_handling(void **state)
{
    struct fx *f = *state;
    int64_t pid = insert_parent(f->c, "p", 0);
    db_param p[] = {DB_P_INT(pid), DB_P_NULL, DB_P_TEXT(NULL)};
    db_rows *r;
    assert_int_equal(db_exec(f->c, "INSERT INTO child (parent_id, body, note) VALUES (?, ?, ?) RETURNING id, note, body",
                             p, 3, &r),
                     DB_OK);
    assert_false(db_is_null(r, 0, 0));
    assert_true(db_is_null(r, 0, 1));
    assert_true(db_is_null(r, 0, 2));
    assert_string_equal(db_text(r, 0, 1), "");
    /* Out of range cells read as NULL, never crash. */
    assert_true(db_is_null(r, 5, 0));
    assert_true(db_is_null(r, 0, 9));
    db_rows_free(r);
    int64_t n = 0;
    assert_int_equal(db_query_int(f->c, "SELECT COUNT(*) FROM child WHERE note IS NULL", NULL, 0, &n), DB_OK);
    assert_int_equal(n, 1);
    /* No row, and a NULL value, are both "not found". */
    db_param none = DB_P_INT(-5);
    assert_int_equal(db_query_int(f->c, "SELECT id FROM parent WHERE id = ?", &none, 1, &n), DB_NOTFOUND);
    assert_int_equal(db_query_int(f->c, "SELECT MAX(n) FROM parent WHERE id = ?", &none, 1, &n), DB_NOTFOUND);
}

static void test_bytes_roundtrip(void **state)
{
    struct fx *f = *state;
    int64_t pid = insert_parent(f->c, "b", 0);
    unsigned char blob[300];
    for (size_t i = 0; i < sizeof blob; i++)
        blob[i] = (unsigned char)(i * 7); /* includes 0x00, quotes, backslashes, high bytes */
    db_param p[] = {DB_P_INT(pid), DB_P_BYTES(blob, sizeof blob)};
    db_rows *r;
    assert_int_equal(db_exec(f->c, "INSERT INTO child (parent_id, body) VALUES (?, ?) RETURNING id", p, 2, &r), DB_OK);
    db_param id = DB_P_INT(db_int(r, 0, 0));
    db_rows_free(r);
    assert_int_equal(db_exec(f->c, "SELECT body FROM child WHERE id = ?", &id, 1, &r), DB_OK);
    assert_int_equal(db_len(r, 0, 0), sizeof blob);
    assert_memory_equal(db_text(r, 0, 0), blob, sizeof blob);
    db_rows_free(r);
    /* An empty value is empty, not NULL. */
    db_param e[] = {DB_P_INT(pid), DB_P_BYTES("", 0)};
    assert_int_equal(db_exec(f->c, "INSERT INTO child (parent_id, body) VALUES (?, ?) RETURNING body", e, 2, &r), DB_OK);
    assert_false(db_is_null(r, 0, 0));
    assert_int_equal(db_len(r, 0, 0), 0);
    db_rows_free(r);
}

static void test_returning_and_changes(void **state)
{
    struct fx *f = *state;
    int64_t a = insert_parent(f->c, "a", 1);
    assert_int_equal(db_changes(f->c), 1);
    int64_t b = insert_parent(f->c, "b", 2);
    assert_true(a > 0 && b > a);
    db_param p = DB_P_INT(10);
    assert_int_equal(db_exec(f->c, "UPDATE parent SET n = n + ?", &p, 1, NULL), DB_OK);
    assert_int_equal(db_changes(f->c), 2);
    assert_int_equal(db_exec(f->c, "SELECT id FROM parent", NULL, 0, NULL), DB_OK);
    assert_int_equal(db_changes(f->c), 0);
    db_rows *r;
    assert_int_equal(db_exec(f->c, "SELECT id, code, n FROM parent ORDER BY id", NULL, 0, &r), DB_OK);
    assert_int_equal(db_rows_count(r), 2);
    assert_int_equal(db_rows_cols(r), 3);
    assert_int_equal(db_int(r, 1, 0), b);
    assert_string_equal(db_text(r, 1, 1), "b");
    assert_int_equal(db_int(r, 1, 2), 12);
    db_rows_free(r);
}

/* ---- errors and transactions ------------------------------------------------------------ */

static void test_constraints(void **state)
{
    struct fx *f = *state;
    int64_t pid = insert_parent(f->c, "u", 0);
    assert_true(pid > 0);
    assert_int_equal(insert_parent(f->c, "u", 0), DB_CONSTRAINT); /* UNIQUE */
    assert_int_equal(insert_parent(f->c, "neg", -1), DB_CONSTRAINT); /* CHECK */
    db_param fk[] = {DB_P_INT(pid + 1000)};
    assert_int_equal(db_exec(f->c, "INSERT INTO child (parent_id) VALUES (?)", fk, 1, NULL), DB_CONSTRAINT);
    db_param nn[] = {DB_P_NULL};
    assert_int_equal(db_exec(f->c, "INSERT INTO parent (code) VALUES (?)", nn, 1, NULL), DB_CONSTRAINT);
    assert_int_equal(count_rows(f->c, "parent"), 1);
    assert_int_equal(count_rows(f->c, "child"), 0);
    assert_true(strlen(db_errmsg(f->c)) > 0);
}

static void test_bad_statements(void **state)
{
    struct fx *f = *state;
    db_param p = DB_P_INT(1);
    /* Parameter count must match the placeholders. */
    assert_int_equal(db_exec(f->c, "SELECT ? + ?", &p, 1, NULL), DB_ERROR);
    assert_int_equal(db_exec(f->c, "SELECT 1", &p, 1, NULL), DB_ERROR);
    /* One statement per db_exec: a second one is refused, never run. */
    assert_int_not_equal(db_exec(f->c, "SELECT 1; DELETE FROM parent", NULL, 0, NULL), DB_OK);
    assert_int_equal(db_exec(f->c, "SELECT nope FROM nowhere", NULL, 0, NULL), DB_ERROR);
    /* The connection still works after errors. */
    int64_t one = 0;
    assert_int_equal(db_query_int(f->c, "SELECT 1", NULL, 0, &one), DB_OK);
    assert_int_equal(one, 1);
}

static void test_rollback_leaves_nothing(void **state)
{
    struct fx *f = *state;
    assert_int_equal(db_begin(f->c), DB_OK);
    int64_t pid = insert_parent(f->c, "gone", 1);
    db_param p[] = {DB_P_INT(pid), DB_P_TEXT("x")};
    assert_int_equal(db_exec(f->c, "INSERT INTO child (parent_id, note) VALUES (?, ?)", p, 2, NULL), DB_OK);
    assert_int_equal(db_rollback(f->c), DB_OK);
    assert_int_equal(count_rows(f->c, "parent"), 0);
    assert_int_equal(count_rows(f->c, "child"), 0);

    /* A failed statement inside a transaction: rolling back still leaves nothing. */
    assert_int_equal(db_begin(f->c), DB_OK);
    assert_true(insert_parent(f->c, "first", 1) > 0);
    assert_int_equal(insert_parent(f->c, "first", 1), DB_CONSTRAINT);
    assert_int_equal(db_rollback(f->c), DB_OK);
    assert_int_equal(count_rows(f->c, "parent"), 0);

    /* Committed work stays. */
    assert_int_equal(db_begin(f->c), DB_OK);
    assert_true(insert_parent(f->c, "kept", 1) > 0);
    assert_int_equal(db_commit(f->c), DB_OK);
    assert_int_equal(count_rows(f->c, "parent"), 1);

    /* A transaction left open by a caller is rolled back when the connection goes back. */
    assert_int_equal(db_begin(f->c), DB_OK);
    assert_true(insert_parent(f->c, "leaked", 1) > 0);
    db_release(f->c);
    f->c = db_acquire(f->d);
    assert_non_null(f->c);
    assert_int_equal(count_rows(f->c, "parent"), 1);
    /* Rolling back with no transaction open is harmless. */
    assert_int_equal(db_rollback(f->c), DB_OK);
}

struct worker {
    db *d;
    int id;
    int done;
    int busy_retries;
};

#define THREADS 8
#define PER_THREAD 40

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    for (int i = 0; i < PER_THREAD; i++) {
        for (int attempt = 0; attempt < 50; attempt++) {
            db_conn *c = db_acquire(w->d);
            if (!c)
                return NULL;
            char code[32];
            snprintf(code, sizeof code, "t%d-%d", w->id, i);
            db_param p[] = {DB_P_STR(code), DB_P_INT(i)};
            int rc = db_begin(c);
            if (rc == DB_OK)
                rc = db_exec(c, "INSERT INTO parent (code, n) VALUES (?, ?)", p, 2, NULL);
            if (rc == DB_OK)
                rc = db_exec(c, "UPDATE parent SET n = n + 1 WHERE code = ?", p, 1, NULL);
            if (rc == DB_OK)
                rc = db_commit(c);
            if (rc != DB_OK)
                db_rollback(c);
            db_release(c);
            if (rc == DB_OK) {
                w->done++;
                break;
            }
            if (rc != DB_BUSY)
                return NULL;
            w->busy_retries++;
        }
    }
    return NULL;
}

static void test_pool_threads(void **state)
{
    struct fx *f = *state;
    db_release(f->c); /* the pool has 4; give them all to the workers */
    f->c = NULL;
    pthread_t t[THREADS];
    struct worker w[THREADS];
    for (int i = 0; i < THREADS; i++) {
        w[i] = (struct worker){.d = f->d, .id = i};
        assert_int_equal(pthread_create(&t[i], NULL, worker_main, &w[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(w[i].done, PER_THREAD);
    }
    f->c = db_acquire(f->d);
    assert_non_null(f->c);
    assert_int_equal(count_rows(f->c, "parent"), THREADS * PER_THREAD);
    int64_t sum = 0;
    assert_int_equal(db_query_int(f->c, "SELECT SUM(n) FROM parent", NULL, 0, &sum), DB_OK);
    /* Each row is i + 1 after its update. */
    assert_int_equal(sum, THREADS * (PER_THREAD * (PER_THREAD + 1) / 2));
}

static void test_pool_exhaustion_waits(void **state)
{
    struct fx *f = *state;
    /* The fixture holds one; take the other three; a fifth acquire waits, then gets one back. */
    db_conn *held[3];
    for (int i = 0; i < 3; i++)
        assert_non_null(held[i] = db_acquire(f->d));
    assert_true(held[0] != held[1] && held[1] != held[2] && held[0] != f->c);
    db_release(held[1]);
    db_conn *again = db_acquire(f->d);
    assert_ptr_equal(again, held[1]);
    db_release(again);
    db_release(held[0]);
    db_release(held[2]);
    assert_true(db_ping(f->d));
    assert_true(db_integrity_ok(f->d));
}

/* PostgreSQL: a connection killed by the server (restart, idle timeout, admin) is replaced and
 * the statement retried, when no transaction was open; inside one the error is returned. */
static void test_pg_reconnect(void **state)
{
    struct fx *f = *state;
    if (!g_pg_url)
        skip();
    db_conn *other = db_acquire(f->d);
    assert_non_null(other);
    int64_t pid = 0;
    assert_int_equal(db_query_int(f->c, "SELECT pg_backend_pid()", NULL, 0, &pid), DB_OK);
    db_param p = DB_P_INT(pid);
    int64_t killed = 0;
    assert_int_equal(db_query_int(other, "SELECT pg_terminate_backend(CAST(? AS INTEGER))", &p, 1, &killed), DB_OK);
    assert_int_equal(killed, 1);
    int64_t one = 0;
    assert_int_equal(db_query_int(f->c, "SELECT 1", NULL, 0, &one), DB_OK);
    assert_int_equal(one, 1);
    int64_t pid2 = 0;
    assert_int_equal(db_query_int(f->c, "SELECT pg_backend_pid()", NULL, 0, &pid2), DB_OK);
    assert_true(pid2 != pid);

    /* Killed inside a transaction: the insert fails, nothing is half-done. */
    assert_int_equal(db_begin(f->c), DB_OK);
    assert_true(insert_parent(f->c, "in-tx", 1) > 0);
    p = DB_P_INT(pid2);
    assert_int_equal(db_query_int(other, "SELECT pg_terminate_backend(CAST(? AS INTEGER))", &p, 1, &killed), DB_OK);
    assert_true(insert_parent(f->c, "in-tx-2", 1) < 0);
    db_rollback(f->c);
    db_release(f->c);
    f->c = db_acquire(f->d); /* repaired on acquire */
    assert_non_null(f->c);
    assert_int_equal(count_rows(f->c, "parent"), 0);
    db_release(other);
}

static void test_open_errors(void **state)
{
    (void)state;
    char err[512] = "";
    assert_null(db_open("sqlite:/nonexistent-dti-dir/sub/x.db", 1, err, sizeof err));
    assert_non_null(strstr(err, "không tồn tại"));
    assert_null(db_open("mysql://x", 1, err, sizeof err));
    assert_non_null(strstr(err, "không hợp lệ"));
    assert_null(db_open("sqlite:", 1, err, sizeof err));
    assert_null(db_open("postgresql://nobody@/nodb?host=/nonexistent-dti-sock&port=1", 1, err, sizeof err));
    assert_non_null(strstr(err, "PostgreSQL"));

    /* db_open_existing never creates the file; on an existing one it opens like db_open */
    char path[] = "/tmp/dti-open-existing-XXXXXX";
    assert_non_null(mkdtemp(path));
    char url[160], file[128];
    snprintf(file, sizeof file, "%s/x.db", path);
    snprintf(url, sizeof url, "sqlite:%s", file);
    err[0] = '\0';
    assert_null(db_open_existing(url, 2, err, sizeof err));
    assert_non_null(strstr(err, "không tồn tại"));
    assert_non_null(strstr(err, "dti init"));
    assert_int_equal(access(file, F_OK), -1);
    db *d = db_open(url, 1, err, sizeof err);
    assert_non_null(d);
    db_close(d);
    d = db_open_existing(url, 2, err, sizeof err);
    assert_non_null(d);
    assert_true(db_ping(d));
    db_close(d);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf %s", path);
    assert_int_equal(system(cmd), 0);
}

static void test_migration_tokens(void **state)
{
    (void)state;
    char *s = db_migration_sql(DB_SQLITE, "a @ID@, b @BLOB@, c DEFAULT (@NOW@) @X@ @");
    assert_string_equal(s, "a INTEGER PRIMARY KEY, b BLOB, c DEFAULT (CAST(strftime('%s','now') AS INTEGER)) @X@ @");
    free(s);
    s = db_migration_sql(DB_POSTGRES, "@ID@@BLOB@@NOW@");
    assert_string_equal(s, "BIGSERIAL PRIMARY KEYBYTEACAST(EXTRACT(EPOCH FROM now()) AS BIGINT)");
    free(s);
}

/* SQLite (part perf): write transactions share one writer handle per database file; it is
 * closed with the file's last pool connection. A file deleted and created again under the same
 * path must get the new writes, never a handle still open on the deleted file. */
static void test_sqlite_writer_handle_follows_file(void **state)
{
    (void)state;
    char dir[64] = "/tmp/dti-test-wh.XXXXXX", url[128], err[256];
    assert_non_null(mkdtemp(dir));
    snprintf(url, sizeof url, "sqlite:%s/t.db", dir);
    for (int round = 0; round < 2; round++) {
        db *d = db_open(url, 2, err, sizeof err);
        assert_non_null(d);
        assert_int_equal(db_migrate(d, test_migrations, 2, err, sizeof err), DB_OK);
        db_conn *c = db_acquire(d), *other = db_acquire(d);
        assert_non_null(c);
        assert_non_null(other);
        assert_int_equal(db_begin(c), DB_OK);
        assert_true(insert_parent(c, round ? "second" : "first", round) > 0);
        assert_int_equal(db_commit(c), DB_OK);
        /* the other connection's transaction goes through the same writer handle */
        assert_int_equal(db_begin(other), DB_OK);
        assert_int_equal(db_exec(other, "UPDATE parent SET n = n + 10", NULL, 0, NULL), DB_OK);
        assert_int_equal(db_commit(other), DB_OK);
        assert_int_equal(count_rows(c, "parent"), 1);
        db_rows *r = NULL;
        assert_int_equal(db_exec(c, "SELECT code, n FROM parent", NULL, 0, &r), DB_OK);
        assert_string_equal(db_text(r, 0, 0), round ? "second" : "first");
        assert_int_equal(db_int(r, 0, 1), round + 10);
        db_rows_free(r);
        db_release(other);
        db_release(c);
        db_close(d);
        fx_rm_sqlite_files(dir);
        assert_int_equal(mkdir(dir, 0700), 0);
    }
    rmdir(dir);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_migrations_once_and_idempotent),
        T(test_failed_migration_rolls_back),
        cmocka_unit_test(test_schema_v1_fresh),
        T(test_text_roundtrip),
        T(test_int64_roundtrip),
        T(test_null_handling),
        T(test_bytes_roundtrip),
        T(test_returning_and_changes),
        T(test_constraints),
        T(test_bad_statements),
        T(test_rollback_leaves_nothing),
        T(test_pool_threads),
        T(test_pool_exhaustion_waits),
        T(test_pg_reconnect),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_migration_tokens),
    };
    const struct CMUnitTest sqlite_only[] = {
        cmocka_unit_test(test_sqlite_writer_handle_follows_file),
    };
    int failed = cmocka_run_group_tests_name("db (SQLite)", tests, NULL, NULL);
    failed += cmocka_run_group_tests_name("db (SQLite only)", sqlite_only, NULL, NULL);
    g_pg_url = getenv("DTI_TEST_PG_URL");
    if (g_pg_url && *g_pg_url)
        failed += cmocka_run_group_tests_name("db (PostgreSQL)", tests, NULL, NULL);
    else
        g_pg_url = NULL;
    return failed;
}
