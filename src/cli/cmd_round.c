/* cmd_round.c — `dti round accounts`: the CLI twin of POST /rounds/{id}/accounts (bulk accounts
 * of a round, the list with one-time passwords written to a file readable by its owner only).
 * Audited with actor "cli". */
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "app/accounts.h"
#include "cli/cli.h"
#include "cli/cli_db.h"
#include "cli/cli_opt.h"
#include "core/json_oom.h"

static void usage(FILE *f)
{
    fprintf(f,
            "Cách dùng: dti round accounts --round ID --format csv|xlsx|json -o TỆP [--db URL]\n\n"
            "Tạo một tài khoản cán bộ (MÃ.canbo) và một tài khoản lãnh đạo (MÃ.lanhdao) cho mỗi\n"
            "đơn vị của đợt đánh giá còn thiếu, mỗi tài khoản một mật khẩu dùng một lần riêng,\n"
            "và ghi danh sách vào TỆP (chỉ chủ sở hữu đọc được). Chạy lại chỉ tạo phần còn thiếu.\n"
            "  --round ID      số định danh của đợt đánh giá\n"
            "  --format F      csv (UTF-8, mở được bằng Excel) | xlsx | json (mặc định csv)\n"
            "  -o TỆP          tệp kết quả (ghi đè)\n"
            "  --max-hashing N số lần băm mật khẩu chạy song song (mặc định: số nhân CPU)\n"
            "  --db URL        cơ sở dữ liệu (mặc định %s)\n",
            DTI_DEFAULT_DB);
}

static char *json_text(const struct account_batch *b, size_t *len)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < b->n; i++) {
        const struct account_row *x = &b->rows[i];
        if (x->user_id &&
            json_array_append_new(a, json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:s}", "user_id",
                                               (json_int_t)x->user_id, "unit_id",
                                               (json_int_t)x->unit_id, "unit_code", x->unit_code,
                                               "unit_name", x->unit_name, "role",
                                               account_role(x->kind), "username", x->username,
                                               "one_time_password", x->otp))) {
            json_decref(a);
            a = NULL;
        }
    }
    json_t *o = a ? json_pack("{s:I,s:I,s:I,s:o}", "round_id", (json_int_t)b->round_id, "units",
                              (json_int_t)b->units, "created", (json_int_t)b->created, "accounts", a)
                  : NULL;
    char *s = o ? json_oom_dumps(o, JSON_INDENT(2)) : NULL;
    json_decref(o);
    if (s)
        *len = strlen(s);
    return s;
}

static int write_all(const char *path, const char *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w <= 0) {
            close(fd);
            return -1;
        }
        off += (size_t)w;
    }
    return close(fd);
}

static int round_accounts(int argc, char **argv)
{
    const char *url = DTI_DEFAULT_DB, *round = NULL, *format = "csv", *out = NULL, *maxh = NULL;
    bool help = false;
    const struct cli_opt opts[] = {
        {"--db", true, &url, NULL},       {"--round", true, &round, NULL},
        {"--format", true, &format, NULL}, {"-o", true, &out, NULL},
        {"--max-hashing", true, &maxh, NULL},
        {"--help", false, NULL, &help},   {"-h", false, NULL, &help},
    };
    int rc = cli_parse("round accounts", argc, argv, 1, opts, sizeof opts / sizeof *opts);
    if (rc)
        return rc;
    if (help) {
        usage(stdout);
        return 0;
    }
    char *end = NULL;
    long long id = round ? strtoll(round, &end, 10) : 0;
    if (!round || !*round || *end || id <= 0 || !out) {
        fprintf(stderr, "dti round accounts: cần --round ID (số nguyên dương) và -o TỆP\n");
        usage(stderr);
        return 2;
    }
    if (strcmp(format, "csv") && strcmp(format, "xlsx") && strcmp(format, "json")) {
        fprintf(stderr, "dti round accounts: --format phải là csv, xlsx hoặc json\n");
        return 2;
    }
    if (maxh) {
        long m = strtol(maxh, &end, 10);
        if (!*maxh || *end || m < 1 || m > 64) {
            fprintf(stderr, "dti round accounts: --max-hashing phải là số từ 1 đến 64\n");
            return 2;
        }
        password_set_max_concurrent((unsigned)m);
    }
    if (!password_init()) {
        fprintf(stderr, "dti round: không khởi tạo được thư viện mật mã\n");
        return 1;
    }
    db_conn *c;
    db *d = cli_open_initialised("round", url, &c);
    if (!d)
        return 1;
    struct app_err e = {0};
    struct account_batch b;
    struct app_actor who = {.user_id = 0, .name = "cli", .client_addr = NULL};
    int ok = 0;
    if (accounts_plan(c, id, &b, &e) == 0) {
        if (accounts_hash(&b, &e) == 0 && db_begin(c) == DB_OK) {
            if (accounts_commit(c, &who, &b, format, (int64_t)time(NULL), &e) == 0 &&
                db_commit(c) == DB_OK)
                ok = 1;
            else
                db_rollback(c);
        }
        if (!ok && !e.message[0])
            snprintf(e.message, sizeof e.message, "không lưu được thay đổi");
    }
    db_release(c);
    db_close(d);
    if (!ok) {
        fprintf(stderr, "dti round accounts: %s\n", e.message);
        accounts_free(&b);
        return 1;
    }
    size_t len = 0;
    char *data = !strcmp(format, "xlsx")   ? accounts_xlsx(&b, &len)
                 : !strcmp(format, "json") ? json_text(&b, &len)
                                           : accounts_csv(&b, &len);
    /* The accounts exist now: a file that cannot be written leaves them with passwords nobody
     * saw; say so (an admin resets them, or reruns after disabling them). */
    if (!data || write_all(out, data, len) != 0) {
        fprintf(stderr,
                "dti round accounts: đã tạo %zu tài khoản nhưng không ghi được tệp %s; hãy cấp lại "
                "mật khẩu cho các tài khoản này (dti user reset-password)\n",
                b.created, out);
        if (data)
            sodium_memzero(data, len);
        free(data);
        accounts_free(&b);
        return 1;
    }
    sodium_memzero(data, len);
    free(data);
    printf("Đã tạo %zu tài khoản cho %zu đơn vị của đợt %lld (băm mật khẩu %.1f giây); danh sách: "
           "%s\n",
           b.created, b.units, id, b.hash_seconds, out);
    accounts_free(&b);
    return 0;
}

int cmd_round(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (!strcmp(argv[1], "accounts"))
        return round_accounts(argc - 1, argv + 1);
    if (!strcmp(argv[1], "publish")) /* part: pub */
        return cmd_round_publish(argc - 1, argv + 1);
    fprintf(stderr, "dti round: lệnh không tồn tại: %s\n", argv[1]);
    usage(stderr);
    return 2;
}
