/* cmd_demo.c — `dti demo`: a synthetic province of N units with one or two evaluation rounds
 * and tasks in every workflow state (src/app/demo_gen.h), on a database `dti init` created
 * without --demo. Prints what it made and how long it took. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/demo_gen.h"
#include "cli/cli.h"
#include "cli/cli_db.h"
#include "cli/cli_opt.h"
#include "core/phase.h"
#include "store/db.h"

static void usage(FILE *f)
{
    fprintf(f,
            "Cách dùng: dti demo --units N [--rounds 0|1|2] [--seed S] [--today YYYY-MM-DD]\n"
            "                [--no-accounts] [--db URL]\n"
            "Tạo dữ liệu mẫu: một tỉnh giả lập N đơn vị (sở, huyện, xã theo tỷ lệ thực tế), các\n"
            "đợt đánh giá với nhiệm vụ ở mọi trạng thái. Chỉ chạy trên cơ sở dữ liệu vừa tạo bằng\n"
            "\"dti init\" (không --demo). Cùng --seed và --today cho cùng dữ liệu.\n"
            "  --units N       số đơn vị (1…%d)\n"
            "  --rounds K      0, 1 (đợt năm nay, đang ở giai đoạn giải trình; mặc định) hoặc 2\n"
            "                  (thêm đợt năm trước, đã hoàn thành)\n"
            "  --seed S        hạt giống ngẫu nhiên (mặc định 1)\n"
            "  --today NGÀY    ngày làm mốc cho các giai đoạn (mặc định hôm nay)\n"
            "  --no-accounts   không tạo tài khoản cán bộ, lãnh đạo, thẩm định\n"
            "  --db URL        cơ sở dữ liệu (mặc định %s)\n"
            "Tài khoản mẫu chưa có mật khẩu: quản trị cấp bằng \"dti user reset-password\".\n",
            DEMO_UNITS_MAX, DTI_DEFAULT_DB);
}

static bool parse_int(const char *s, int64_t min, int64_t max, int64_t *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || v < min || v > max)
        return false;
    *out = v;
    return true;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

int cmd_demo(int argc, char **argv)
{
    const char *url = DTI_DEFAULT_DB, *units_s = NULL, *rounds_s = "1", *seed_s = "1",
               *today_s = NULL;
    bool help = false, no_accounts = false;
    const struct cli_opt opts[] = {
        {"--db", true, &url, NULL},
        {"--units", true, &units_s, NULL},
        {"--rounds", true, &rounds_s, NULL},
        {"--seed", true, &seed_s, NULL},
        {"--today", true, &today_s, NULL},
        {"--no-accounts", false, NULL, &no_accounts},
        {"--help", false, NULL, &help},
        {"-h", false, NULL, &help},
    };
    int rc = cli_parse("demo", argc, argv, 1, opts, sizeof opts / sizeof *opts);
    if (rc)
        return rc;
    if (help) {
        usage(stdout);
        return 0;
    }
    struct demo_opts o = {.accounts = !no_accounts};
    int64_t v;
    if (!units_s || !parse_int(units_s, 1, DEMO_UNITS_MAX, &o.units)) {
        fprintf(stderr, "dti demo: --units phải là số từ 1 đến %d\n", DEMO_UNITS_MAX);
        return 2;
    }
    if (!parse_int(rounds_s, 0, 2, &v)) {
        fprintf(stderr, "dti demo: --rounds phải là 0, 1 hoặc 2\n");
        return 2;
    }
    o.rounds = (int)v;
    if (!parse_int(seed_s, 0, INT64_MAX, &v)) {
        fprintf(stderr, "dti demo: --seed phải là số nguyên không âm\n");
        return 2;
    }
    o.seed = (uint64_t)v;
    int64_t now = (int64_t)time(NULL);
    if (today_s) {
        if (!vn_date_start(today_s, &o.today)) {
            fprintf(stderr, "dti demo: --today phải là một ngày dạng YYYY-MM-DD\n");
            return 2;
        }
    } else {
        char d[11];
        vn_date_format(now, d);
        vn_date_start(d, &o.today);
    }
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    db_conn *c;
    db *d = cli_open_initialised("demo", url, &c);
    if (!d)
        return 1;
    struct app_actor who = {.user_id = 0, .name = "cli", .client_addr = NULL};
    struct app_err e;
    struct demo_stats st;
    rc = 1;
    if (db_begin(c) != DB_OK) {
        fprintf(stderr, "dti demo: không bắt đầu được giao dịch: %s\n", db_errmsg(c));
    } else if (demo_generate(c, &who, &o, now, &st, &e)) {
        fprintf(stderr, "dti demo: %s%s%s\n", e.message, e.status == 500 ? " " : "",
                e.status == 500 ? db_errmsg(c) : "");
        db_rollback(c);
    } else if (db_commit(c) != DB_OK) {
        fprintf(stderr, "dti demo: không lưu được dữ liệu: %s\n", db_errmsg(c));
        db_rollback(c);
    } else {
        printf("Đã tạo dữ liệu mẫu: %" PRId64 " đơn vị, %" PRId64 " tài khoản, %" PRId64
               " đợt đánh giá, %" PRId64 " nhiệm vụ trong %.1f giây.\n",
               st.units, st.users, st.rounds, st.tasks, seconds_since(&t0));
        printf("Nhiệm vụ theo trạng thái:");
        for (int i = 0; i < 8; i++)
            printf(" %s=%" PRId64, demo_state_names[i], st.by_state[i]);
        printf("\n");
        rc = 0;
    }
    db_release(c);
    db_close(d);
    return rc;
}
