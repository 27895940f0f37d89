/* test_rounds.c — round creation on a real (temporary SQLite) database with the shipped index
 * sets and the demo province: 69 tasks per department for the Hue cấp sở set, max points and
 * pillar filled, province-level criteria reported by their responsible agency; and the pure
 * phase-window rules. */
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
#include "app/round_admin.h"
#include "app/rounds.h"
#include "app/schema.h"
#include "app/units.h"
#include "core/round_phases.h"
#include "db_fixture.h"

static const struct app_actor cli = {0, "cli", NULL};

static struct fx *setup_db(void)
{
    struct fx *f = fx_open(NULL, "rounds", dti_migrations, dti_migrations_count);
    assert_non_null(f);
    char err[512];
    assert_int_equal(db_begin(f->c), DB_OK);
    assert_true(frameworks_sync_dir(f->c, "frameworks", err, sizeof err) >= 3);
    struct app_err e;
    int64_t prov;
    assert_int_equal(demo_create_units(f->c, &cli, 1000, &prov, &e), 0);
    assert_int_equal(db_commit(f->c), DB_OK);
    return f;
}

static int64_t q(db_conn *c, const char *sql, int64_t arg)
{
    int64_t v = -1;
    db_param p[] = {DB_P_INT(arg)};
    assert_int_equal(db_query_int(c, sql, p, 1, &v), DB_OK);
    return v;
}

static int64_t create(db_conn *c, const char *text, struct round_counts *n, struct app_err *e)
{
    json_t *b = json_loads(text, 0, NULL);
    assert_non_null(b);
    int64_t id = 0;
    assert_int_equal(db_begin(c), DB_OK);
    int rc = round_create(c, &cli, b, 2000, &id, n, e);
    json_decref(b);
    if (rc) {
        db_rollback(c);
        return 0;
    }
    assert_int_equal(db_commit(c), DB_OK);
    return id;
}

static void test_department_round(void **st)
{
    (void)st;
    struct fx *f = setup_db();
    struct round_counts n;
    struct app_err e;
    int64_t id = create(f->c,
                        "{\"title\": \"Đánh giá DTI năm 2025\", \"year\": 2025, \"frameworks\": "
                        "[{\"level\": \"department\", \"framework_id\": \"hue-cap-so-2023\", "
                        "\"version\": 3}], \"units\": {\"levels\": [\"department\"]}}",
                        &n, &e);
    assert_true(id > 0);
    assert_int_equal(n.units, 12); /* the demo province's departments */
    assert_int_equal(n.tasks, 12 * 69);
    /* 69 per department, every one not started, with its max, pillar and position */
    assert_int_equal(q(f->c, "SELECT MIN(k) FROM (SELECT COUNT(*) AS k FROM tasks WHERE round_id = ? "
                             "GROUP BY subject_unit_id) x", id), 69);
    assert_int_equal(q(f->c, "SELECT MAX(k) FROM (SELECT COUNT(*) AS k FROM tasks WHERE round_id = ? "
                             "GROUP BY subject_unit_id) x", id), 69);
    assert_int_equal(q(f->c, "SELECT COUNT(*) FROM tasks WHERE round_id = ? AND (state <> "
                             "'not_started' OR unit_id <> subject_unit_id OR max_points <= 0 OR "
                             "pillar_key = '')", id), 0);
    assert_int_equal(q(f->c, "SELECT MAX(seq) FROM tasks WHERE round_id = ?", id), 68);
    /* the set's total is 100 points: each department's tasks add up to it */
    assert_int_equal(q(f->c, "SELECT SUM(max_points) FROM tasks WHERE round_id = ?", id),
                     12 * q(f->c, "SELECT max_points FROM frameworks WHERE version = ? AND "
                                  "id = 'hue-cap-so-2023'", 3));
    /* one audit entry for the round */
    assert_int_equal(q(f->c, "SELECT COUNT(*) FROM audit_log WHERE entity = 'round' AND "
                             "entity_id = CAST(? AS TEXT)", id), 1);
    fx_close(f);
}

static void test_province_round(void **st)
{
    (void)st;
    struct fx *f = setup_db();
    struct round_counts n;
    struct app_err e;
    int64_t id = create(f->c,
                        "{\"title\": \"Cấp tỉnh\", \"year\": 2025, \"frameworks\": "
                        "[{\"level\": \"province\", \"framework_id\": \"national-province-demo\", "
                        "\"version\": 2}], \"units\": {\"levels\": [\"province\"]}}",
                        &n, &e);
    assert_true(id > 0);
    assert_int_equal(n.units, 1);
    assert_int_equal(n.tasks, 42);
    int64_t hue = unit_id_by_code(f->c, "HUE"), stc = unit_id_by_code(f->c, "STC");
    assert_int_equal(q(f->c, "SELECT COUNT(*) FROM tasks WHERE round_id = ? AND subject_unit_id <> "
                             "(SELECT id FROM units WHERE code = 'HUE')", id), 0);
    /* 13 criteria name STC as responsible (the shipped set), every one reported by STC */
    assert_int_equal(q(f->c, "SELECT COUNT(*) FROM tasks WHERE unit_id = ?", stc), 13);
    /* every criterion of the set names an agency of the demo province: none left to HUE */
    assert_int_equal(q(f->c, "SELECT COUNT(*) FROM tasks WHERE unit_id = ?", hue), 0);
    fx_close(f);
}

static void test_responsible_retired_falls_back(void **st)
{
    (void)st;
    struct fx *f = setup_db();
    struct app_err e;
    int64_t stc = unit_id_by_code(f->c, "STC"), hue = unit_id_by_code(f->c, "HUE");
    assert_int_equal(db_begin(f->c), DB_OK);
    assert_int_equal(unit_retire(f->c, &cli, stc, "Sáp nhập", 1500, &e), 0);
    assert_int_equal(db_commit(f->c), DB_OK);
    struct round_counts n;
    int64_t id = create(f->c,
                        "{\"title\": \"Cấp tỉnh\", \"year\": 2025, \"frameworks\": "
                        "[{\"level\": \"province\", \"framework_id\": \"national-province-demo\", "
                        "\"version\": 2}], \"units\": {\"levels\": [\"province\"]}}",
                        &n, &e);
    assert_true(id > 0);
    assert_int_equal(q(f->c, "SELECT COUNT(*) FROM tasks WHERE unit_id = ?", hue), 13);
    fx_close(f);
}

static void test_refusal_changes_nothing(void **st)
{
    (void)st;
    struct fx *f = setup_db();
    struct round_counts n;
    struct app_err e;
    /* the units are checked after the round row is written: the caller's rollback removes it */
    int64_t id = create(f->c,
                        "{\"title\": \"X\", \"year\": 2025, \"frameworks\": "
                        "[{\"level\": \"department\", \"framework_id\": \"hue-cap-so-2023\", "
                        "\"version\": 3}], \"units\": {\"levels\": [\"district\"]}}",
                        &n, &e);
    assert_int_equal(id, 0);
    assert_int_equal(e.status, 422);
    assert_string_equal(e.field, "units.levels[0]");
    assert_int_equal(q(f->c, "SELECT COUNT(*) FROM rounds WHERE id > ?", 0), 0);
    assert_int_equal(q(f->c, "SELECT COUNT(*) FROM tasks WHERE id > ?", 0), 0);
    fx_close(f);
}

static void exec_ok(db_conn *c, const char *sql)
{
    assert_int_equal(db_exec(c, sql, NULL, 0, NULL), DB_OK);
}

static void test_clear_trial(void **st)
{
    (void)st;
    struct fx *f = setup_db();
    struct round_counts n;
    struct app_err e;
    int64_t id = create(f->c,
                        "{\"title\": \"Thử\", \"year\": 2025, \"frameworks\": "
                        "[{\"level\": \"department\", \"framework_id\": \"hue-cap-so-2023\", "
                        "\"version\": 3}], \"units\": {\"levels\": [\"department\"]}}",
                        &n, &e);
    assert_true(id > 0);
    exec_ok(f->c, "UPDATE tasks SET trial = 1, state = 'submitted', inputs = '{\"x\":1}', "
                  "content = 'c', self_points = 5, submitted_at = 1 WHERE id IN (1, 2, 3)");
    exec_ok(f->c, "INSERT INTO blobs (sha256, size, mime, created_at) VALUES ('ab', 1, 'x', 1)");
    exec_ok(f->c, "INSERT INTO evidence (task_id, sha256, file_name, mime, size, uploaded_at, "
                  "trial) VALUES (1, 'ab', 'a.pdf', 'x', 1, 1, 1), (4, 'ab', 'b.pdf', 'x', 1, 1, 0)");
    exec_ok(f->c, "INSERT INTO task_comments (task_id, author_name, kind, body, at) VALUES "
                  "(2, 'x', 'comment', 'b', 1), (4, 'x', 'comment', 'b', 1)");
    json_t *t = round_trial_data(f->c, id, &e);
    assert_int_equal(json_integer_value(json_object_get(t, "tasks")), 3);
    assert_int_equal(json_integer_value(json_object_get(t, "evidence")), 1);
    json_decref(t);
    json_t *cleared = NULL;
    assert_int_equal(db_begin(f->c), DB_OK);
    assert_int_equal(round_clear_trial(f->c, &cli, id, 2, 3000, &cleared, &e), -1);
    assert_int_equal(e.status, 409);
    assert_string_equal(e.field, "confirm");
    assert_non_null(strstr(e.message, "3"));
    db_rollback(f->c);
    assert_int_equal(db_begin(f->c), DB_OK);
    assert_int_equal(round_clear_trial(f->c, &cli, id, 3, 3000, &cleared, &e), 0);
    assert_int_equal(db_commit(f->c), DB_OK);
    assert_int_equal(json_integer_value(json_object_get(cleared, "tasks")), 3);
    json_decref(cleared);
    assert_int_equal(q(f->c, "SELECT COUNT(*) FROM tasks WHERE id <= ? AND state = 'not_started' AND "
                             "trial = 0 AND inputs = '{}' AND content IS NULL AND self_points IS NULL "
                             "AND submitted_at IS NULL AND version = 2", 3), 3);
    assert_int_equal(q(f->c, "SELECT COUNT(*) FROM task_comments WHERE task_id = ?", 2), 0);
    assert_int_equal(q(f->c, "SELECT COUNT(*) FROM task_comments WHERE task_id = ?", 4), 1);
    assert_int_equal(q(f->c, "SELECT COUNT(*) FROM evidence WHERE removed_at = ?", 3000), 1);
    assert_int_equal(q(f->c, "SELECT COUNT(*) FROM evidence WHERE task_id = ? AND removed_at IS NULL", 4), 1);
    assert_int_equal(q(f->c, "SELECT trial_cleared_at FROM rounds WHERE id = ?", id), 3000);
    fx_close(f);
}

static void win(struct phase_window *w, const char *a, const char *b)
{
    int64_t s, t;
    assert_true(vn_date_start(a, &s));
    assert_true(vn_date_start(b, &t));
    *w = (struct phase_window){true, s, t + 86400};
}

static void test_phase_rules(void **st)
{
    (void)st;
    struct phase_window w[PH_COUNT] = {0};
    char msg[320];
    assert_int_equal(round_phases_check(w, msg, sizeof msg), PH_NONE); /* none is fine */
    win(&w[PH_TRIAL], "2025-03-01", "2025-03-15");
    win(&w[PH_APPRAISAL1], "2025-03-16", "2025-03-16"); /* a one-day window, a gap is fine */
    assert_int_equal(round_phases_check(w, msg, sizeof msg), PH_NONE);
    win(&w[PH_SELF_ASSESSMENT], "2025-03-15", "2025-03-15"); /* overlaps the trial's last day */
    assert_int_equal(round_phases_check(w, msg, sizeof msg), PH_SELF_ASSESSMENT);
    assert_non_null(strstr(msg, "15/03/2025"));
    win(&w[PH_SELF_ASSESSMENT], "2025-03-16", "2025-03-16"); /* same day as appraisal 1 */
    assert_int_equal(round_phases_check(w, msg, sizeof msg), PH_APPRAISAL1);
    w[PH_SELF_ASSESSMENT].set = false;
    win(&w[PH_FINALISED], "2025-01-01", "2025-12-31"); /* before earlier phases */
    assert_int_equal(round_phases_check(w, msg, sizeof msg), PH_FINALISED);
    w[PH_FINALISED].set = false;
    w[PH_TRIAL].ends_at = w[PH_TRIAL].starts_at; /* empty window */
    assert_int_equal(round_phases_check(w, msg, sizeof msg), PH_TRIAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_department_round),
        cmocka_unit_test(test_province_round),
        cmocka_unit_test(test_responsible_retired_falls_back),
        cmocka_unit_test(test_refusal_changes_nothing),
        cmocka_unit_test(test_clear_trial),
        cmocka_unit_test(test_phase_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
