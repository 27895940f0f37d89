/* excel_import.c — times excel_import (what `dti import --dry-run` and POST .../import?dry_run=1
 * run, minus process start and HTTP) on one filled template, N times in one process: read the
 * workbook (xlsx_read), check it against the fingerprint and the database, score every
 * criterion, roll back. Also times xlsx_read alone. Usage: excel_import DB_URL FILE.xlsx N.
 * Prints "import_ms_median=… read_ms_median=… criteria=… ok=…". */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <jansson.h>

#include "app/excel_import.h"
#include "core/xlsx_read.h"
#include "store/db.h"

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* CPU time of this process: what the import costs, whatever else the machine runs. */
static double cpu_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int count_cell(const struct xlsx_cell *c, void *ud)
{
    (void)c;
    ++*(long *)ud;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: excel_import DB_URL FILE.xlsx N\n");
        return 2;
    }
    int n = atoi(argv[3]);
    FILE *f = fopen(argv[2], "rb");
    if (!f || n < 1)
        return 1;
    static char buf[4 << 20];
    size_t len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    char err[512];
    db *d = db_open_existing(argv[1], 1, err, sizeof err);
    db_conn *c = d ? db_acquire(d) : NULL;
    if (!c) {
        fprintf(stderr, "excel_import: %s\n", err);
        return 1;
    }
    struct task_who who = {{0, "bench", NULL}, WR_STAFF, 0};
    double *imp = calloc((size_t)n, sizeof *imp), *rd = calloc((size_t)n, sizeof *rd);
    double *cpu = calloc((size_t)n, sizeof *cpu);
    size_t crit = 0;
    int ok = 0;
    long cells = 0;
    for (int i = 0; i < n; i++) {
        struct xlsx_limits lim;
        xlsx_limits_default(&lim);
        struct xlsx_error xe;
        cells = 0;
        double t0 = now_ms();
        xlsx_read(buf, len, &lim, count_cell, &cells, &xe);
        rd[i] = now_ms() - t0;
        struct xi_opts o = {.dry_run = true, .who = &who, .now = time(NULL)};
        struct app_err e;
        t0 = now_ms();
        double c0 = cpu_ms();
        db_begin(c);
        json_t *rep = excel_import(c, buf, len, &o, &e);
        db_rollback(c);
        imp[i] = now_ms() - t0;
        cpu[i] = cpu_ms() - c0;
        if (!rep) {
            fprintf(stderr, "excel_import failed: %s\n", e.message);
            return 1;
        }
        crit = json_array_size(json_object_get(rep, "criteria"));
        ok = json_is_true(json_object_get(rep, "ok"));
        json_decref(rep);
    }
    qsort(imp, (size_t)n, sizeof *imp, cmp);
    qsort(rd, (size_t)n, sizeof *rd, cmp);
    qsort(cpu, (size_t)n, sizeof *cpu, cmp);
    printf("import_ms_median=%.2f import_ms_min=%.2f import_cpu_ms_median=%.2f read_ms_median=%.2f "
           "cells=%ld criteria=%zu ok=%d\n",
           imp[n / 2], imp[0], cpu[n / 2], rd[n / 2], cells, crit, ok);
    free(imp);
    free(rd);
    free(cpu);
    db_release(c);
    db_close(d);
    return 0;
}
