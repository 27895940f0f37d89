/* framework_cache.c — N reads of one stored index set the way GET /frameworks/{id} reads it
 * (frameworks_get_text: the reply's bytes), on a fresh SQLite database. Prints the
 * wall time and the process's peak RSS. bench/framework_cache.sh runs it with the cache off
 * (DTI_FW_CACHE=0) and on, side by side. Usage: framework_cache FILE N [THREADS] */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/frameworks_cache.h"
#include "app/frameworks_store.h"
#include "app/schema.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *s = malloc((size_t)n + 1);
    *len = s ? fread(s, 1, (size_t)n, f) : 0;
    if (s)
        s[*len] = 0;
    fclose(f);
    return s;
}

static long peak_rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "VmHWM:", 6))
            kb = atol(line + 6);
    if (f)
        fclose(f);
    return kb;
}

struct job {
    db *d;
    const char *id;
    int n;
    size_t bytes;
    int failed;
};

static void *reader(void *arg)
{
    struct job *j = arg;
    db_conn *c = db_acquire(j->d);
    for (int i = 0; i < j->n; i++) {
        struct app_err err;
        size_t len = 0;
        char *s = frameworks_get_text(c, j->id, 0, &len, &err);
        if (!s)
            j->failed++;
        else
            j->bytes += len;
        free(s);
    }
    db_release(c);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: framework_cache FILE N [THREADS]\n");
        return 2;
    }
    int n = atoi(argv[2]), threads = argc > 3 ? atoi(argv[3]) : 1;
    size_t len;
    char *text = slurp(argv[1], &len);
    char dir[] = "/tmp/dti-fwbench.XXXXXX", url[256], err[512];
    if (!text || !mkdtemp(dir))
        return 1;
    snprintf(url, sizeof url, "sqlite:%s/b.db", dir);
    db *d = db_open(url, threads + 1, err, sizeof err);
    if (!d || db_migrate(d, dti_migrations, dti_migrations_count, err, sizeof err) != DB_OK) {
        fprintf(stderr, "database: %s\n", err);
        return 1;
    }
    struct fw_errors errs = {0};
    struct framework *fw = fw_load(text, len, &errs);
    db_conn *c = db_acquire(d);
    if (!fw || frameworks_insert(c, fw, text, len, 0, 0) != DB_OK) {
        fprintf(stderr, "cannot store %s\n", argv[1]);
        return 1;
    }
    db_release(c);
    char id[80];
    snprintf(id, sizeof id, "%s", fw->id);
    fw_free(fw);
    free(text);
    long rss0 = peak_rss_kb();
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pthread_t th[64];
    struct job jobs[64];
    if (threads < 1 || threads > 64)
        threads = 1;
    for (int t = 0; t < threads; t++) {
        jobs[t] = (struct job){d, id, n / threads, 0, 0};
        pthread_create(&th[t], NULL, reader, &jobs[t]);
    }
    int failed = 0;
    for (int t = 0; t < threads; t++) {
        pthread_join(th[t], NULL);
        failed += jobs[t].failed;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("%d reads (%d threads): %.3f s total, %.2f ms/read, peak RSS %ld MB (%ld MB before "
           "reading), %llu compilations, %d failed, %zu bytes/reply\n",
           n, threads, s, s * 1000 / n, peak_rss_kb() / 1024, rss0 / 1024,
           (unsigned long long)frameworks_cache_compiles(), failed, jobs[0].bytes / (size_t)(n / threads));
    frameworks_cache_clear();
    db_close(d);
    char p[300];
    snprintf(p, sizeof p, "rm -rf '%s'", dir);
    return system(p) != 0 || failed;
}
