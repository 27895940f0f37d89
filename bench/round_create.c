/* round_create.c — times round_create (what POST /api/v1/rounds runs, minus HTTP) on a
 * database: a round of every active department with the Hue cấp sở set, every task generated
 * and committed. Usage: round_create DB_URL. Prints "tasks=N units=N seconds=S". */
#include <stdio.h>
#include <time.h>

#include <jansson.h>

#include "app/rounds.h"
#include "store/db.h"

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: round_create DB_URL\n");
        return 2;
    }
    char err[512];
    db *d = db_open_existing(argv[1], 1, err, sizeof err);
    db_conn *c = d ? db_acquire(d) : NULL;
    if (!c) {
        fprintf(stderr, "round_create: %s\n", err);
        return 1;
    }
    json_t *body = json_loads(
        "{\"title\": \"Benchmark\", \"year\": 2025, \"frameworks\": [{\"level\": \"department\", "
        "\"framework_id\": \"hue-cap-so-2023\", \"version\": 3}], \"units\": {\"levels\": "
        "[\"department\"]}}", 0, NULL);
    struct app_actor who = {0, "bench", NULL};
    struct app_err e;
    struct round_counts n;
    int64_t id;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = db_begin(c) != DB_OK || round_create(c, &who, body, time(NULL), &id, &n, &e) ||
             db_commit(c) != DB_OK;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (rc) {
        fprintf(stderr, "round_create failed: %s %s\n", e.message, db_errmsg(c));
        return 1;
    }
    printf("tasks=%lld units=%lld seconds=%.2f\n", (long long)n.tasks, (long long)n.units,
           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    json_decref(body);
    db_release(c);
    db_close(d);
    return 0;
}
