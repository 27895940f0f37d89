/* test_migration_split.c — a migration's text split per engine at DB_MIGRATION_PG (part dash:
 * migration 4's triggers differ between SQLite and PostgreSQL), tokens replaced in each half;
 * part perf: after migration 8 the SQLite stamp lives on audit_head and still moves. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/schema.h"
#include "db_fixture.h"
#include "store/db.h"

static void test_split(void **state)
{
    (void)state;
    const char *sql = "CREATE TABLE a (id @ID@);" DB_MIGRATION_PG "CREATE TABLE a (id @ID@, b @BLOB@);";
    char *s = db_migration_sql(DB_SQLITE, sql);
    assert_string_equal(s, "CREATE TABLE a (id INTEGER PRIMARY KEY);");
    free(s);
    s = db_migration_sql(DB_POSTGRES, sql);
    assert_string_equal(s, "CREATE TABLE a (id BIGSERIAL PRIMARY KEY, b BYTEA);");
    free(s);
    /* no marker: both engines take the whole text */
    s = db_migration_sql(DB_POSTGRES, "x @BLOB@");
    assert_string_equal(s, "x BYTEA");
    free(s);
}

static void test_migration_4(void **state)
{
    (void)state;
    const struct db_migration *m = NULL;
    for (int i = 0; i < dti_migrations_count; i++)
        if (dti_migrations[i].version == 4)
            m = &dti_migrations[i];
    assert_non_null(m);
    char *lite = db_migration_sql(DB_SQLITE, m->sql), *pg = db_migration_sql(DB_POSTGRES, m->sql);
    assert_non_null(strstr(lite, "CREATE TRIGGER dash_tasks_UPDATE AFTER UPDATE ON tasks"));
    assert_null(strstr(lite, "plpgsql"));
    /* PostgreSQL: the table alone, no trigger (one hot row would serialise every task write) */
    assert_non_null(strstr(pg, "CREATE TABLE dash_stamp"));
    assert_null(strstr(pg, "TRIGGER"));
    assert_null(strstr(pg, " BEGIN UPDATE dash_stamp SET gen = gen + 1 WHERE id = 1; END;"));
    for (const char *t = "tasks\0units\0round_units\0round_phases\0"; *t; t += strlen(t) + 1) {
        char want[80];
        snprintf(want, sizeof want, "CREATE TRIGGER dash_%s_DELETE AFTER DELETE ON %s ", t, t);
        assert_non_null(strstr(lite, want));
    }
    free(lite);
    free(pg);
}

static int64_t stamp(db_conn *c)
{
    int64_t g = -1;
    assert_int_equal(db_query_int(c, "SELECT gen FROM dash_stamp WHERE id = 1", NULL, 0, &g), DB_OK);
    return g;
}

/* part: perf — migration 8 (SQLite): the triggers bump audit_head.dash_gen, dash_stamp reads it,
 * the value reached under migration 4 carries over; PostgreSQL gets no trigger. */
static void test_migration_8(void **state)
{
    (void)state;
    const struct db_migration *m = NULL;
    for (int i = 0; i < dti_migrations_count; i++)
        if (!strcmp(dti_migrations[i].name, "perf"))
            m = &dti_migrations[i];
    assert_non_null(m);
    char *pg = db_migration_sql(DB_POSTGRES, m->sql);
    assert_null(strstr(pg, "TRIGGER"));
    free(pg);
    /* the database up to migration 7, the stamp moved once, then the rest */
    int upto7 = 0;
    while (upto7 < dti_migrations_count && dti_migrations[upto7].version <= 7)
        upto7++;
    struct fx *f = fx_open(NULL, "mig8", dti_migrations, upto7);
    assert_non_null(f);
    assert_int_equal(db_exec(f->c, "INSERT INTO units (code, name, kind, created_at) VALUES "
                                   "('X1', 'Đơn vị thử', 'department', 1)",
                             NULL, 0, NULL),
                     DB_OK);
    int64_t before = stamp(f->c);
    assert_true(before > 0);
    char err[256];
    assert_int_equal(db_migrate(f->d, dti_migrations, dti_migrations_count, err, sizeof err), DB_OK);
    assert_int_equal(stamp(f->c), before);
    /* every watched table still moves it, in the new place */
    assert_int_equal(db_exec(f->c, "UPDATE units SET name = 'Đơn vị thử 2' WHERE code = 'X1'",
                             NULL, 0, NULL),
                     DB_OK);
    assert_int_equal(stamp(f->c), before + 1);
    int64_t head = -1;
    assert_int_equal(db_query_int(f->c, "SELECT dash_gen FROM audit_head WHERE id = 1", NULL, 0, &head),
                     DB_OK);
    assert_int_equal(head, before + 1);
    assert_int_equal(db_exec(f->c, "DELETE FROM units WHERE code = 'X1'", NULL, 0, NULL), DB_OK);
    assert_int_equal(stamp(f->c), before + 2);
    /* one trigger per table and event, all on audit_head, none left on the old table */
    int64_t n = -1;
    assert_int_equal(db_query_int(f->c, "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'trigger' "
                                        "AND name LIKE 'dash\\_%' ESCAPE '\\' AND sql LIKE '%audit_head%'",
                                  NULL, 0, &n),
                     DB_OK);
    assert_int_equal(n, 12);
    fx_close(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_split), cmocka_unit_test(test_migration_4),
                                       cmocka_unit_test(test_migration_8)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
