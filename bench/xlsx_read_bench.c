/* xlsx_read_bench.c — reads one workbook N times with xlsx_read (from memory, as an import does)
 * and prints the median and best time of one read and the cells seen. Used by bench/xlsx_read.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/xlsx_read.h"

static int count(const struct xlsx_cell *c, void *ud)
{
    (void)c;
    ++*(long *)ud;
    return 0;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: xlsx_read_bench FILE.xlsx N\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f)
        return 1;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)len);
    if (!p || fread(p, 1, (size_t)len, f) != (size_t)len)
        return 1;
    fclose(f);
    int n = atoi(argv[2]);
    double *t = malloc(sizeof *t * (size_t)n);
    long cells = 0;
    for (int i = 0; i < n; i++) {
        struct timespec a, b;
        struct xlsx_error err;
        cells = 0;
        clock_gettime(CLOCK_MONOTONIC, &a);
        if (xlsx_read(p, (size_t)len, NULL, count, &cells, &err) != XLSX_OK) {
            fprintf(stderr, "%s\n", err.message);
            return 1;
        }
        clock_gettime(CLOCK_MONOTONIC, &b);
        t[i] = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
    }
    qsort(t, (size_t)n, sizeof *t, cmp);
    printf("%.3f %.3f %ld %ld\n", t[n / 2], t[0], cells, len);
    free(t);
    free(p);
    return 0;
}
