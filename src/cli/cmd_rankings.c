/* cmd_rankings.c — `dti rankings`: the CLI twin of GET /rounds/{id}/rankings (and of the .xlsx
 * export with -o), used by bench/rankings.sh and tests/cli/rankings_xlsx.sh. Reads only. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/rankings.h"
#include "app/rankings_xlsx.h"
#include "cli/cli.h"
#include "cli/cli_db.h"
#include "cli/cli_opt.h"
#include "core/json_oom.h"

static void usage(FILE *f)
{
    fprintf(f,
            "Cách dùng: dti rankings --round ID (--level CẤP [--ranges] | -o TỆP.xlsx) [--time] "
            "[--db URL]\n\n"
            "In xếp hạng một cấp của đợt đánh giá (JSON, như GET /rounds/{id}/rankings), hoặc\n"
            "ghi tệp Excel xếp hạng và kết quả từng tiêu chí của mọi cấp (-o).\n"
            "  --level CẤP     province | department | district | commune | other\n"
            "  --ranges        kèm khoảng hạng theo các cách hiểu của tiêu chí chưa rõ\n"
            "  -o TỆP          ghi tệp .xlsx thay vì in JSON\n"
            "  --time          in thời gian tính (mili giây) ra stderr\n"
            "  --db URL        cơ sở dữ liệu (mặc định %s)\n",
            DTI_DEFAULT_DB);
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int copy_fd(int fd, const char *path)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    char buf[65536];
    ssize_t n;
    int rc = 0;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        if (fwrite(buf, 1, (size_t)n, f) != (size_t)n)
            rc = -1;
    if (n < 0)
        rc = -1;
    return fclose(f) || rc ? -1 : 0;
}

int cmd_rankings(int argc, char **argv)
{
    const char *url = DTI_DEFAULT_DB, *round = NULL, *level = NULL, *out = NULL;
    bool help = false, ranges = false, timing = false;
    const struct cli_opt opts[] = {
        {"--db", true, &url, NULL},        {"--round", true, &round, NULL},
        {"--level", true, &level, NULL},   {"-o", true, &out, NULL},
        {"--ranges", false, NULL, &ranges}, {"--time", false, NULL, &timing},
        {"--help", false, NULL, &help},    {"-h", false, NULL, &help},
    };
    int rc = cli_parse("rankings", argc, argv, 1, opts, sizeof opts / sizeof *opts);
    if (rc)
        return rc;
    if (help) {
        usage(stdout);
        return 0;
    }
    char *end = NULL;
    long long id = round ? strtoll(round, &end, 10) : 0;
    if (!round || !*round || *end || id <= 0 || (!level && !out)) {
        fprintf(stderr, "dti rankings: cần --round ID và --level CẤP (hoặc -o TỆP.xlsx)\n");
        usage(stderr);
        return 2;
    }
    db_conn *c;
    db *d = cli_open_initialised("rankings", url, &c);
    if (!d)
        return 1;
    struct app_err e = {0};
    double t0 = now_ms();
    int status = 0;
    if (out) {
        int fd = -1;
        uint64_t size = 0;
        if (rankings_xlsx(c, id, &fd, &size, &e))
            status = 1;
        else {
            if (copy_fd(fd, out)) {
                snprintf(e.message, sizeof e.message, "không ghi được tệp %s", out);
                status = 1;
            }
            close(fd);
        }
    } else {
        json_t *o = rankings_level(c, id, level, ranges ? RANKINGS_WITH_RANGE : 0, &e);
        char *s = o ? json_oom_dumps(o, JSON_COMPACT) : NULL;
        json_decref(o);
        if (!s)
            status = 1;
        else {
            double t1 = now_ms();
            if (timing)
                fprintf(stderr, "rankings_ms=%.1f\n", t1 - t0);
            timing = false;
            puts(s);
            free(s);
        }
    }
    if (timing && !status)
        fprintf(stderr, "rankings_ms=%.1f\n", now_ms() - t0);
    db_release(c);
    db_close(d);
    if (status) {
        fprintf(stderr, "dti rankings: %s\n", e.message[0] ? e.message : "lỗi nội bộ");
        return 1;
    }
    return 0;
}
