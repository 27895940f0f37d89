/* test_readings_db.c — a round's reading change on a real (temporary SQLite) database: every
 * task of the criterion with stored report inputs is rescored with the engine in the same
 * transaction, one task.rescore audit entry per changed task plus one round.reading; tasks
 * without data stay unscored; bad input and a finalised round change nothing. (The report-save
 * path belongs to the tasks part: inputs are written into the rows here as it would.) */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/demo.h"
#include "app/frameworks_store.h"
#include "app/readings.h"
#include "app/rounds.h"
#include "app/schema.h"
#include "db_fixture.h"

static const struct app_actor cli = {0, "cli", NULL};

static int64_t q(db_conn *c, const char *sql, int64_t arg)
{
    int64_t v = -1;
    db_param p[] = {DB_P_INT(arg)};
    assert_int_equal(db_query_int(c, sql, p, 1, &v), DB_OK);
    return v;
}

static int set_reading(db_conn *c, int64_t round, const char *key, const char *alt,
                       json_t **res, struct app_err *e)
{
    json_t *b = json_pack("{s:s,s:s,s:s}", "framework_id", "hue-cap-so-2023", "criterion_key", key,
                          "alternative", alt);
    assert_int_equal(db_begin(c), DB_OK);
    *res = NULL;
    int rc = readings_set(c, &cli, round, b, 3000, res, e);
    json_decref(b);
    if (rc)
        db_rollback(c);
    else
        assert_int_equal(db_commit(c), DB_OK);
    return rc;
}

/* the task of v-3-1 / i-5-2 of the n-th department of the round */
static int64_t task_of(db_conn *c, int64_t round, const char *key, int n)
{
    db_rows *r = NULL;
    assert_int_equal(db_exec(c, "SELECT id FROM tasks WHERE round_id = ? AND criterion_key = ? "
                                "ORDER BY subject_unit_id",
                             (db_param[]){DB_P_INT(round), DB_P_TEXT(key)}, 2, &r), DB_OK);
    assert_true(db_rows_count(r) > n);
    int64_t id = db_int(r, n, 0);
    db_rows_free(r);
    return id;
}

static void store_inputs(db_conn *c, int64_t task, const char *inputs, int64_t pts, const char *st)
{
    assert_int_equal(db_exec(c, "UPDATE tasks SET inputs = ?, self_points = ?, self_status = ?, "
                                "self_explanation = 'x', state = 'draft' WHERE id = ?",
                             (db_param[]){DB_P_TEXT(inputs), DB_P_INT(pts), DB_P_TEXT(st),
                                          DB_P_INT(task)}, 4, NULL), DB_OK);
}

static void test_rescore(void **st)
{
    (void)st;
    struct fx *f = fx_open(NULL, "readings", dti_migrations, dti_migrations_count);
    assert_non_null(f);
    db_conn *c = f->c;
    char err[512];
    struct app_err e;
    int64_t prov;
    assert_int_equal(db_begin(c), DB_OK);
    assert_true(frameworks_sync_dir(c, "frameworks", err, sizeof err) >= 3);
    assert_int_equal(demo_create_units(c, &cli, 1000, &prov, &e), 0);
    assert_int_equal(db_commit(c), DB_OK);
    json_t *b = json_loads("{\"title\": \"Cách hiểu\", \"year\": 2025, \"frameworks\": [{\"level\": "
                           "\"department\", \"framework_id\": \"hue-cap-so-2023\", \"version\": 3}], "
                           "\"units\": {\"levels\": [\"department\"]}}", 0, NULL);
    int64_t round = 0;
    struct round_counts n;
    assert_int_equal(db_begin(c), DB_OK);
    assert_int_equal(round_create(c, &cli, b, 2000, &round, &n, &e), 0);
    assert_int_equal(db_commit(c), DB_OK);
    json_decref(b);

    /* V 3.1 reported by two departments: 3 of 4 handled (0 as a condition), 4 of 4 (5) */
    int64_t t1 = task_of(c, round, "v-3-1", 0), t2 = task_of(c, round, "v-3-1", 1);
    int64_t t3 = task_of(c, round, "v-3-1", 2); /* no data */
    store_inputs(c, t1, "{\"infected_handled\": 3, \"infected\": 4}", 0, "scored");
    store_inputs(c, t2, "{\"infected_handled\": 4, \"infected\": 4}", 500, "scored");
    /* inputs kept in another form by the tasks part (a not-applicable mark): left as they are */
    int64_t t5 = task_of(c, round, "v-3-1", 3);
    store_inputs(c, t5, "{\"not_applicable\": \"Đơn vị đặc thù\"}", 0, "not_applicable");
    int64_t v1 = q(c, "SELECT version FROM tasks WHERE id = ?", t1);

    json_t *res;
    assert_int_equal(set_reading(c, round, "v-3-1", "proportional", &res, &e), 0);
    /* 3/4 × 5 = 3,75 changes; 4/4 stays 5 (explanation changes too, so it is rescored as well) */
    assert_int_equal(q(c, "SELECT self_points FROM tasks WHERE id = ?", t1), 375);
    assert_int_equal(q(c, "SELECT self_points FROM tasks WHERE id = ?", t2), 500);
    assert_int_equal(q(c, "SELECT version FROM tasks WHERE id = ?", t1), v1 + 1);
    assert_true(q(c, "SELECT COUNT(*) FROM tasks WHERE id = ? AND self_status IS NULL", t3) == 1);
    assert_true(q(c, "SELECT COUNT(*) FROM tasks WHERE id = ? AND self_status = 'not_applicable' "
                     "AND version = 1", t5) == 1);
    int64_t rescored = json_integer_value(json_object_get(res, "rescored"));
    assert_int_equal(rescored, 2);
    assert_int_equal(q(c, "SELECT COUNT(*) FROM audit_log WHERE action = 'task.rescore' AND "
                          "entity_id = CAST(? AS TEXT)", t1), 1);
    assert_int_equal(q(c, "SELECT COUNT(*) FROM audit_log WHERE action = 'task.rescore' AND ? > 0",
                       1), rescored);
    assert_int_equal(q(c, "SELECT COUNT(*) FROM audit_log WHERE action = 'round.reading' AND "
                          "entity_id = CAST(? AS TEXT)", round), 1);
    assert_int_equal(q(c, "SELECT COUNT(*) FROM round_readings WHERE round_id = ?", round), 1);
    json_decref(res);

    /* back to main: 3 of 4 is 0 again; the row is removed */
    assert_int_equal(set_reading(c, round, "v-3-1", "main", &res, &e), 0);
    assert_int_equal(q(c, "SELECT self_points FROM tasks WHERE id = ?", t1), 0);
    assert_int_equal(q(c, "SELECT COUNT(*) FROM round_readings WHERE round_id = ?", round), 0);
    json_decref(res);

    /* I 5.2 reported with v2's input only (6 articles): an error under the months reading,
     * 3 points under articles_of_12 */
    int64_t t4 = task_of(c, round, "i-5-2", 0);
    store_inputs(c, t4, "{\"articles\": 6}", 300, "scored");
    assert_int_equal(set_reading(c, round, "i-5-2", "articles_of_12", &res, &e), 0);
    assert_int_equal(q(c, "SELECT self_points FROM tasks WHERE id = ?", t4), 300);
    json_decref(res);
    assert_int_equal(set_reading(c, round, "i-5-2", "main", &res, &e), 0);
    assert_int_equal(q(c, "SELECT COUNT(*) FROM tasks WHERE id = ? AND self_status = 'error'", t4), 1);
    json_decref(res);

    /* bad input and a finalised round: refused, nothing changed */
    int64_t audits = q(c, "SELECT COUNT(*) FROM audit_log WHERE ? > 0", 1);
    assert_int_equal(set_reading(c, round, "v-3-1", "nope", &res, &e), -1);
    assert_int_equal(e.status, 422);
    assert_string_equal(e.field, "alternative");
    assert_int_equal(set_reading(c, round, "i-1-1", "main", &res, &e), -1);
    assert_string_equal(e.field, "criterion_key");
    assert_int_equal(db_exec(c, "UPDATE rounds SET status = 'finalised' WHERE id = ?",
                             (db_param[]){DB_P_INT(round)}, 1, NULL), DB_OK);
    assert_int_equal(set_reading(c, round, "v-3-1", "proportional", &res, &e), -1);
    assert_int_equal(e.status, 409);
    assert_string_equal(e.code, "round_finalised");
    assert_int_equal(q(c, "SELECT self_points FROM tasks WHERE id = ?", t1), 0);
    assert_int_equal(q(c, "SELECT COUNT(*) FROM audit_log WHERE ? > 0", 1), audits);
    assert_int_equal(set_reading(c, 987654, "v-3-1", "main", &res, &e), -1);
    assert_int_equal(e.status, 404);
    fx_close(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rescore),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
