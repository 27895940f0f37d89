/* test_migration_split.c — a migration's text split per engine at DB_MIGRATION_PG (part dash:
 * migration 4's triggers differ between SQLite and PostgreSQL), tokens replaced in each half. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/schema.h"
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

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_split), cmocka_unit_test(test_migration_4)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
