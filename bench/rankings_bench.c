/* rankings_bench.c — rankings_level with rank ranges (what GET /rounds/{id}/rankings?ranges=1
 * computes and serializes) for every level of a round, R times in one process, as a running
 * server does it (index set cached, database pages warm after the first run). Prints the first
 * (cold) run and the median of the others, per level and in total, with the CPU time.
 * Usage: rankings_bench DB_URL ROUND R */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/rankings.h"
#include "core/json_oom.h"

static double ms(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 4)
        return 2;
    char e[256];
    db *d = db_open_existing(argv[1], 1, e, sizeof e);
    if (!d) {
        fprintf(stderr, "%s\n", e);
        return 1;
    }
    db_conn *c = db_acquire(d);
    int64_t round = atoll(argv[2]);
    int reps = atoi(argv[3]);
    static const char *const levels[] = {"province", "department", "district", "commune", "other"};
    double *wall = calloc((size_t)reps, sizeof *wall), *cpu = calloc((size_t)reps, sizeof *cpu);
    size_t units = 0, bytes = 0;
    int exact = -1;
    long long combos = 0;
    for (int r = 0; r < reps; r++) {
        double w0 = ms(CLOCK_MONOTONIC), c0 = ms(CLOCK_PROCESS_CPUTIME_ID);
        units = bytes = 0;
        for (size_t l = 0; l < sizeof levels / sizeof *levels; l++) {
            struct app_err err;
            json_t *o = rankings_level(c, round, levels[l], RANKINGS_WITH_RANGE, &err);
            if (!o) {
                fprintf(stderr, "%s: %s\n", levels[l], err.message);
                return 1;
            }
            char *s = json_oom_dumps(o, JSON_COMPACT);
            bytes += s ? strlen(s) : 0;
            free(s);
            units += json_array_size(json_object_get(o, "units"));
            json_t *rg = json_object_get(o, "ranges");
            if (rg && !strcmp(levels[l], "department")) {
                exact = json_is_true(json_object_get(rg, "exact"));
                combos = (long long)json_integer_value(json_object_get(rg, "combinations"));
            }
            json_decref(o);
        }
        wall[r] = ms(CLOCK_MONOTONIC) - w0;
        cpu[r] = ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
    }
    double first = wall[0], first_cpu = cpu[0];
    qsort(wall + 1, (size_t)reps - 1, sizeof *wall, cmp);
    qsort(cpu + 1, (size_t)reps - 1, sizeof *cpu, cmp);
    printf("ranked units: %zu (every level), JSON %zu bytes; department: %s, %lld combinations\n",
           units, bytes, exact == 1 ? "exact" : exact == 0 ? "bound" : "-", combos);
    printf("rankings with ranges, all levels: first run %.0f ms (cpu %.0f ms); warm median %.0f ms "
           "(cpu %.0f ms) over %d runs\n",
           first, first_cpu, reps > 1 ? wall[reps / 2] : first, reps > 1 ? cpu[reps / 2] : first_cpu,
           reps - 1);
    db_release(c);
    db_close(d);
    free(wall);
    free(cpu);
    return 0;
}
