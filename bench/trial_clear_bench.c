/* trial_clear_bench.c — what the trial clean-up costs, and what the progress replay pays to know
 * it (docs/perf.md "Trial clean-up and the progress replay"). On a round whose tasks are all
 * marked trial (the worst case), in one process:
 *   A  round_clear_trial as it is: one round-level audit entry (rolled back);
 *   B  the alternative: the same plus one `task` audit entry per cleared task, as the replay would
 *      need without knowing the clears (rolled back; the entry holds only the new snapshot, so
 *      this is a lower bound);
 *   then A for real (committed), and
 *   C  the progress report of one unit for a period after the clear (unitpage_progress with
 *      as_of, which replays the audit trail and reads the round's clears): median of R runs.
 * Usage: trial_clear_bench DB_URL ROUND UNIT R */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/audit.h"
#include "app/round_admin.h"
#include "app/unitpage.h"

static double ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int64_t count(db_conn *c, const char *sql, int64_t round)
{
    db_rows *r = NULL;
    if (db_exec(c, sql, (db_param[]){DB_P_INT(round)}, 1, &r) != DB_OK)
        return -1;
    int64_t n = db_int(r, 0, 0);
    db_rows_free(r);
    return n;
}

/* The clear; with per_task, one audit entry per cleared task too. Rolled back unless keep. */
static double clear(db_conn *c, int64_t round, bool per_task, bool keep, int64_t now)
{
    struct app_actor who = {0, "bench", NULL};
    struct app_err err;
    int64_t n = count(c, "SELECT COUNT(*) FROM tasks WHERE round_id = ? AND trial = 1", round);
    double t0 = ms();
    if (db_begin(c) != DB_OK)
        return -1;
    db_rows *ids = NULL;
    if (per_task && db_exec(c, "SELECT id FROM tasks WHERE round_id = ? AND trial = 1",
                            (db_param[]){DB_P_INT(round)}, 1, &ids) != DB_OK)
        return -1;
    json_t *cleared = NULL;
    if (round_clear_trial(c, &who, round, n, now, &cleared, &err)) {
        fprintf(stderr, "clear: %s\n", err.message);
        return -1;
    }
    json_decref(cleared);
    for (int i = 0; per_task && i < db_rows_count(ids); i++) {
        json_t *nv = json_pack("{s:s,s:o,s:b}", "state", "not_started", "inputs", json_object(),
                               "trial", false);
        if (audit_change(c, &who, "task", "task.clear_trial", db_int(ids, i, 0), NULL, nv, now) !=
            DB_OK) {
            fprintf(stderr, "audit failed\n");
            return -1;
        }
        json_decref(nv);
    }
    db_rows_free(ids);
    if ((keep ? db_commit(c) : db_rollback(c)) != DB_OK)
        return -1;
    return ms() - t0;
}

int main(int argc, char **argv)
{
    if (argc < 5)
        return 2;
    char e[256];
    db *d = db_open_existing(argv[1], 1, e, sizeof e);
    if (!d) {
        fprintf(stderr, "%s\n", e);
        return 1;
    }
    db_conn *c = db_acquire(d);
    int64_t round = atoll(argv[2]), unit = atoll(argv[3]);
    int reps = atoi(argv[4]);
    int64_t now = (int64_t)time(NULL);
    int64_t n = count(c, "SELECT COUNT(*) FROM tasks WHERE round_id = ? AND trial = 1", round);
    printf("tasks marked trial: %lld\n", (long long)n);
    /* the unit's trial saves, as the audit trail holds them (the demo writes no task entries) */
    struct app_actor who = {0, "bench", NULL};
    db_rows *ut = NULL;
    if (db_begin(c) != DB_OK ||
        db_exec(c, "SELECT id FROM tasks WHERE round_id = ? AND subject_unit_id = ?",
                (db_param[]){DB_P_INT(round), DB_P_INT(unit)}, 2, &ut) != DB_OK)
        return 1;
    for (int i = 0; i < db_rows_count(ut); i++) {
        json_t *nv = json_pack("{s:s,s:{s:i},s:s,s:b}", "state", "draft", "inputs", "x", 1,
                               "content", "thử", "trial", true);
        if (audit_change(c, &who, "task", "task.save", db_int(ut, i, 0), NULL, nv, now - 60) !=
            DB_OK)
            return 1;
        json_decref(nv);
    }
    printf("unit %lld: %d trial task entries\n", (long long)unit, db_rows_count(ut));
    db_rows_free(ut);
    if (db_commit(c) != DB_OK)
        return 1;
    double a = clear(c, round, false, false, now);
    double b = clear(c, round, true, false, now);
    printf("A clear, one round entry (as built):      %8.0f ms\n", a);
    printf("B clear + one audit entry per task:       %8.0f ms (%.1f us per task entry)\n", b,
           n ? (b - a) * 1000.0 / (double)n : 0.0);
    double k = clear(c, round, false, true, now);
    printf("A committed:                              %8.0f ms\n", k);
    if (a < 0 || b < 0 || k < 0)
        return 1;
    double *w = calloc((size_t)reps * 2, sizeof *w), *ref = w + reps;
    for (int r = 0; w && r < reps * 2; r++) {
        struct app_err err;
        double t0 = ms();
        json_t *p = unitpage_progress(c, round, unit, r % 2 ? 0 : now + 86400, "bench", &err);
        if (r % 2)
            ref[r / 2] = ms() - t0;
        else
            w[r / 2] = ms() - t0;
        if (p && r == 0) {
            json_t *cn = json_object_get(p, "counts");
            printf("report after the clear: done %lld, in progress %lld, not started %lld\n",
                   (long long)json_integer_value(json_object_get(cn, "done")),
                   (long long)json_integer_value(json_object_get(cn, "in_progress")),
                   (long long)json_integer_value(json_object_get(cn, "not_started")));
        }
        if (!p) {
            fprintf(stderr, "progress: %s\n", err.message);
            return 1;
        }
        json_decref(p);
    }
    qsort(w, (size_t)reps, sizeof *w, cmp);
    qsort(ref, (size_t)reps, sizeof *ref, cmp);
    printf("C progress report, period after the clear (replay): median %.2f ms, max %.2f ms over "
           "%d runs\n  reference, the same report now (no replay):       median %.2f ms, max "
           "%.2f ms\n",
           w[reps / 2], w[reps - 1], reps, ref[reps / 2], ref[reps - 1]);
    free(w);
    db_release(c);
    db_close(d);
    return 0;
}
