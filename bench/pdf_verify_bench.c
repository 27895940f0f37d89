/* pdf_verify_bench.c — median time of pdf_verify() on one file, in process (the server's path):
 * pdf_verify_bench FILE TRUST_PEM RUNS. Prints the median wall and CPU time and the verdict. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "pdf/pdf_verify.h"

static double clock_ms(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc != 4)
        return 2;
    FILE *f = fopen(argv[1], "rb");
    if (!f)
        return 1;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc((size_t)len);
    if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len)
        return 1;
    fclose(f);
    char err[300];
    const char *trust[1] = {argv[2]};
    struct pdf_trust *t = pdf_trust_load(trust, 1, NULL, 0, err, sizeof err);
    if (!t)
        return 1;
    int runs = atoi(argv[3]);
    if (runs < 1 || runs > 10000)
        return 2;
    double *ms = malloc(sizeof *ms * (size_t)runs), *cpu = malloc(sizeof *cpu * (size_t)runs);
    struct pdf_result r;
    for (int i = 0; i < runs; i++) {
        double t0 = clock_ms(CLOCK_MONOTONIC), c0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
        pdf_verify(buf, (size_t)len, t, (int64_t)time(NULL), &r);
        ms[i] = clock_ms(CLOCK_MONOTONIC) - t0;
        cpu[i] = clock_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
    }
    qsort(ms, (size_t)runs, sizeof *ms, cmp);
    qsort(cpu, (size_t)runs, sizeof *cpu, cmp);
    printf("median_ms %.2f\nmin_ms %.2f\ncpu_ms %.2f\nverdict %s\nsize %ld\n", ms[runs / 2], ms[0],
           cpu[runs / 2], pdfsig_verdict_name(r.verdict), len);
    free(ms);
    free(cpu);
    free(buf);
    pdf_trust_free(t);
    return 0;
}
