/* test_audit.c — the hash-chained audit trail on SQLite, and on PostgreSQL when
 * DTI_TEST_PG_URL names a throwaway database (its public schema is wiped per test). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/audit.h"
#include "app/schema.h"
#include "db_fixture.h"
#include "store/db.h"

static const char *g_pg_url;

static int setup(void **state)
{
    struct fx *f = fx_open(g_pg_url, "audit", dti_migrations, dti_migrations_count);
    *state = f;
    return f ? 0 : -1;
}

static int teardown(void **state)
{
    fx_close(*state);
    return 0;
}

/* Appends one entry in its own transaction. */
static int append(db_conn *c, const char *entity_id, int value)
{
    json_t *old_v = json_pack("{s:i}", "points", value - 1);
    json_t *new_v = json_pack("{s:i, s:s}", "points", value, "name", "Sở Tài chính");
    struct audit_event e = {
        .actor_user_id = value % 2 ? 7 : 0,
        .actor_name = value % 2 ? "admin" : "cli",
        .client_addr = value % 2 ? "127.0.0.1" : NULL,
        .action = "unit.update",
        .entity = "unit",
        .entity_id = entity_id,
        .old_value = old_v,
        .new_value = new_v,
    };
    int rc = db_begin(c);
    if (rc == DB_OK)
        rc = audit_append(c, &e, 1700000000 + value);
    if (rc == DB_OK)
        rc = db_commit(c);
    else
        db_rollback(c);
    json_decref(old_v);
    json_decref(new_v);
    return rc;
}

static void append_n(db_conn *c, int n)
{
    for (int i = 1; i <= n; i++) {
        char id[16];
        snprintf(id, sizeof id, "%d", i);
        assert_int_equal(append(c, id, i), DB_OK);
    }
}

static int verify(db_conn *c, int64_t *checked, int64_t *bad, char *reason)
{
    return audit_verify(c, checked, bad, reason, 256);
}

static void test_empty_chain_is_valid(void **state)
{
    struct fx *f = *state;
    int64_t checked = -1, bad = -1;
    char reason[256];
    assert_int_equal(verify(f->c, &checked, &bad, reason), DB_OK);
    assert_int_equal(checked, 0);
}

static void test_append_and_verify(void **state)
{
    struct fx *f = *state;
    append_n(f->c, 5);
    int64_t checked = 0, bad = -1;
    char reason[256];
    assert_int_equal(verify(f->c, &checked, &bad, reason), DB_OK);
    assert_int_equal(checked, 5);
    /* The chain links: row 1 starts from zeros, each row names the previous hash. */
    db_rows *r;
    assert_int_equal(db_exec(f->c, "SELECT id, prev_hash, hash, new_value, actor_user_id FROM audit_log ORDER BY id",
                             NULL, 0, &r),
                     DB_OK);
    assert_int_equal(db_rows_count(r), 5);
    assert_string_equal(db_text(r, 0, 1), "0000000000000000000000000000000000000000000000000000000000000000");
    for (int i = 1; i < 5; i++)
        assert_string_equal(db_text(r, i, 1), db_text(r, i - 1, 2));
    assert_int_equal(strlen(db_text(r, 4, 2)), 64);
    /* Canonical JSON: sorted keys, no spaces, UTF-8 as is. */
    assert_string_equal(db_text(r, 0, 3), "{\"name\":\"Sở Tài chính\",\"points\":1}");
    assert_int_equal(db_int(r, 0, 4), 7);
    assert_true(db_is_null(r, 1, 4)); /* actor 0 = system: NULL */
    db_rows_free(r);
    int64_t seq = 0;
    assert_int_equal(db_query_int(f->c, "SELECT seq FROM audit_head", NULL, 0, &seq), DB_OK);
    assert_int_equal(seq, 5);
}

static void test_append_needs_transaction(void **state)
{
    struct fx *f = *state;
    struct audit_event e = {.actor_name = "cli", .action = "x", .entity = "unit"};
    assert_int_not_equal(audit_append(f->c, &e, 1), DB_OK);
    int64_t n = -1;
    assert_int_equal(db_query_int(f->c, "SELECT COUNT(*) FROM audit_log", NULL, 0, &n), DB_OK);
    assert_int_equal(n, 0);
}

static void test_rolled_back_append_leaves_nothing(void **state)
{
    struct fx *f = *state;
    append_n(f->c, 2);
    struct audit_event e = {.actor_name = "cli", .action = "unit.create", .entity = "unit", .entity_id = "9"};
    assert_int_equal(db_begin(f->c), DB_OK);
    assert_int_equal(audit_append(f->c, &e, 5), DB_OK);
    assert_int_equal(db_rollback(f->c), DB_OK);
    int64_t checked = 0, bad = 0;
    char reason[256];
    assert_int_equal(verify(f->c, &checked, &bad, reason), DB_OK);
    assert_int_equal(checked, 2);
    /* The next append continues the chain at 3. */
    append_n(f->c, 1);
    assert_int_equal(verify(f->c, &checked, &bad, reason), DB_OK);
    assert_int_equal(checked, 3);
}

static void expect_bad(db_conn *c, int64_t want_bad, const char *want_reason_part)
{
    int64_t checked = 0, bad = -1;
    char reason[256] = "";
    assert_int_equal(verify(c, &checked, &bad, reason), DB_ERROR);
    assert_int_equal(bad, want_bad);
    if (!strstr(reason, want_reason_part))
        fail_msg("reason \"%s\" lacks \"%s\"", reason, want_reason_part);
}

static void test_edited_value_detected(void **state)
{
    struct fx *f = *state;
    append_n(f->c, 5);
    db_param v = DB_P_TEXT("{\"name\":\"Sở Tài chính\",\"points\":99}");
    assert_int_equal(db_exec(f->c, "UPDATE audit_log SET new_value = ? WHERE id = 3", &v, 1, NULL), DB_OK);
    expect_bad(f->c, 3, "bị sửa");
}

static void test_edited_actor_and_time_detected(void **state)
{
    struct fx *f = *state;
    append_n(f->c, 4);
    assert_int_equal(db_exec(f->c, "UPDATE audit_log SET actor_name = 'someone' WHERE id = 2", NULL, 0, NULL), DB_OK);
    expect_bad(f->c, 2, "bị sửa");
    assert_int_equal(db_exec(f->c, "UPDATE audit_log SET actor_name = 'cli' WHERE id = 2", NULL, 0, NULL), DB_OK);
    int64_t checked = 0, bad = 0;
    char reason[256];
    assert_int_equal(verify(f->c, &checked, &bad, reason), DB_OK); /* restored: valid again */
    assert_int_equal(db_exec(f->c, "UPDATE audit_log SET at = at + 1 WHERE id = 4", NULL, 0, NULL), DB_OK);
    expect_bad(f->c, 4, "bị sửa");
}

static void test_edited_hash_detected(void **state)
{
    struct fx *f = *state;
    append_n(f->c, 4);
    assert_int_equal(db_exec(f->c, "UPDATE audit_log SET hash = prev_hash WHERE id = 2", NULL, 0, NULL), DB_OK);
    expect_bad(f->c, 2, "bị sửa");
}

static void test_deleted_row_detected(void **state)
{
    struct fx *f = *state;
    append_n(f->c, 5);
    assert_int_equal(db_exec(f->c, "DELETE FROM audit_log WHERE id = 3", NULL, 0, NULL), DB_OK);
    expect_bad(f->c, 3, "bị xoá");
}

static void test_deleted_tail_detected(void **state)
{
    struct fx *f = *state;
    append_n(f->c, 5);
    assert_int_equal(db_exec(f->c, "DELETE FROM audit_log WHERE id >= 4", NULL, 0, NULL), DB_OK);
    expect_bad(f->c, 4, "bị xoá");
}

static void test_inserted_row_detected(void **state)
{
    struct fx *f = *state;
    append_n(f->c, 3);
    /* A forged row copying the last row's hash as its prev_hash, past the head. */
    assert_int_equal(db_exec(f->c,
                             "INSERT INTO audit_log (id, at, actor_name, action, entity, prev_hash, hash) "
                             "SELECT 4, at, actor_name, action, entity, hash, hash FROM audit_log WHERE id = 3",
                             NULL, 0, NULL),
                     DB_OK);
    expect_bad(f->c, 4, "");
    /* A forged row outside the numbering. */
    assert_int_equal(db_exec(f->c, "DELETE FROM audit_log WHERE id = 4", NULL, 0, NULL), DB_OK);
    assert_int_equal(db_exec(f->c,
                             "INSERT INTO audit_log (id, at, actor_name, action, entity, prev_hash, hash) "
                             "VALUES (0, 1, 'x', 'x', 'x', 'x', 'x')",
                             NULL, 0, NULL),
                     DB_OK);
    expect_bad(f->c, 0, "chèn");
}

static void test_moved_row_detected(void **state)
{
    struct fx *f = *state;
    append_n(f->c, 3);
    /* Renumbering row 3 as 2 after deleting 2: ids stay contiguous-looking but links break. */
    assert_int_equal(db_exec(f->c, "DELETE FROM audit_log WHERE id = 2", NULL, 0, NULL), DB_OK);
    assert_int_equal(db_exec(f->c, "UPDATE audit_log SET id = 2 WHERE id = 3", NULL, 0, NULL), DB_OK);
    expect_bad(f->c, 2, "prev_hash");
}

static void test_head_with_extra_characters_detected(void **state)
{
    struct fx *f = *state;
    append_n(f->c, 3);
    /* The 64 right digits followed by more: only a whole comparison sees it. */
    assert_int_equal(db_exec(f->c, "UPDATE audit_head SET last_hash = last_hash || '0' WHERE id = 1",
                             NULL, 0, NULL),
                     DB_OK);
    expect_bad(f->c, 3, "đầu chuỗi");
    assert_int_equal(db_exec(f->c, "UPDATE audit_head SET last_hash = substr(last_hash, 1, 64) WHERE id = 1",
                             NULL, 0, NULL),
                     DB_OK);
    int64_t checked = 0, bad = 0;
    char reason[256];
    assert_int_equal(verify(f->c, &checked, &bad, reason), DB_OK); /* restored: valid again */
    /* A head cut short is refused too. */
    assert_int_equal(db_exec(f->c, "UPDATE audit_head SET last_hash = substr(last_hash, 1, 63) WHERE id = 1",
                             NULL, 0, NULL),
                     DB_OK);
    expect_bad(f->c, 3, "đầu chuỗi");
}

struct worker {
    db *d;
    int id, ok;
};

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    for (int i = 0; i < 25; i++) {
        db_conn *c = db_acquire(w->d);
        if (!c)
            return NULL;
        char eid[32];
        snprintf(eid, sizeof eid, "%d-%d", w->id, i);
        int rc = append(c, eid, i);
        db_release(c);
        if (rc == DB_OK)
            w->ok++;
    }
    return NULL;
}

/* One entry first, so the verifier has a chain to walk from its first run. */
static void append_n_pool(db *d)
{
    db_conn *c = db_acquire(d);
    assert_non_null(c);
    assert_int_equal(append(c, "0", 1), DB_OK);
    db_release(c);
}

static void test_concurrent_appends_keep_chain(void **state)
{
    struct fx *f = *state;
    db_release(f->c);
    f->c = NULL;
    pthread_t t[4];
    struct worker w[4];
    for (int i = 0; i < 4; i++) {
        w[i] = (struct worker){.d = f->d, .id = i};
        pthread_create(&t[i], NULL, worker_main, &w[i]);
    }
    int total = 0;
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        total += w[i].ok;
    }
    assert_int_equal(total, 100);
    f->c = db_acquire(f->d);
    int64_t checked = 0, bad = 0;
    char reason[256];
    assert_int_equal(verify(f->c, &checked, &bad, reason), DB_OK);
    assert_int_equal(checked, 100);
}

/* 16 writers append while the chain is verified over and over: an entry landing between the
 * read of the head and the read of the rows must never be reported as tampering. */
struct verifier {
    db *d;
    volatile int stop;
    int runs, bad;
    char reason[320];
};

static void *verifier_main(void *arg)
{
    struct verifier *v = arg;
    while (!v->stop) {
        db_conn *c = db_acquire(v->d);
        if (!c)
            break;
        int64_t checked = 0, bad = 0;
        char reason[256] = "";
        if (audit_verify(c, &checked, &bad, reason, sizeof reason) != DB_OK && !v->bad) {
            v->bad = 1;
            snprintf(v->reason, sizeof v->reason, "entry %lld: %s", (long long)bad, reason);
        }
        db_release(c);
        v->runs++;
    }
    return NULL;
}

static void test_verify_while_16_writers_append(void **state)
{
    struct fx *f = *state;
    db_release(f->c);
    f->c = NULL;
    append_n_pool(f->d);
    pthread_t t[16], vt;
    struct worker w[16];
    struct verifier v = {.d = f->d};
    pthread_create(&vt, NULL, verifier_main, &v);
    for (int i = 0; i < 16; i++) {
        w[i] = (struct worker){.d = f->d, .id = i};
        pthread_create(&t[i], NULL, worker_main, &w[i]);
    }
    int total = 0;
    for (int i = 0; i < 16; i++) {
        pthread_join(t[i], NULL);
        total += w[i].ok;
    }
    v.stop = 1;
    pthread_join(vt, NULL);
    if (v.bad)
        fail_msg("verify during appends reported %s (after %d runs)", v.reason, v.runs);
    assert_int_equal(total, 16 * 25);
    assert_true(v.runs > 1);
    f->c = db_acquire(f->d);
    int64_t checked = 0, bad = 0;
    char reason[256];
    assert_int_equal(verify(f->c, &checked, &bad, reason), DB_OK);
    assert_int_equal(checked, 16 * 25 + 1);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_empty_chain_is_valid),
        T(test_append_and_verify),
        T(test_append_needs_transaction),
        T(test_rolled_back_append_leaves_nothing),
        T(test_edited_value_detected),
        T(test_edited_actor_and_time_detected),
        T(test_edited_hash_detected),
        T(test_deleted_row_detected),
        T(test_deleted_tail_detected),
        T(test_inserted_row_detected),
        T(test_moved_row_detected),
        T(test_concurrent_appends_keep_chain),
        T(test_head_with_extra_characters_detected),
        T(test_verify_while_16_writers_append),
    };
    int failed = cmocka_run_group_tests_name("audit (SQLite)", tests, NULL, NULL);
    g_pg_url = getenv("DTI_TEST_PG_URL");
    if (g_pg_url && *g_pg_url)
        failed += cmocka_run_group_tests_name("audit (PostgreSQL)", tests, NULL, NULL);
    else
        g_pg_url = NULL;
    return failed;
}
