/* cmd_round_publish.c — `dti round publish`: the CLI twin of POST /rounds/{id}/publish (part:
 * pub, issue 9). Publishes a finalised round as a frozen snapshot and prints the receipt: the
 * SHA-256 of the JSON export anyone downloads (docs/publication.md). Audited with actor "cli". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/publication.h"
#include "cli/cli.h"
#include "cli/cli_db.h"
#include "cli/cli_opt.h"

static void usage(FILE *f)
{
    fprintf(f,
            "Cách dùng: dti round publish --round ID [--note LÝ_DO] [--db URL]\n\n"
            "Công bố kết quả của đợt đánh giá đã hoàn thành: đóng băng bản công bố (JSON và CSV)\n"
            "và in mã kiểm tra SHA-256 của tệp JSON công khai (sha256sum của tệp tải về phải\n"
            "bằng mã này). Công bố lại (bản đính chính) cần --note.\n"
            "  --round ID   số định danh của đợt đánh giá\n"
            "  --note TEXT  lý do công bố lại (bắt buộc từ lần công bố thứ hai)\n"
            "  --db URL     cơ sở dữ liệu (mặc định %s)\n",
            DTI_DEFAULT_DB);
}

int cmd_round_publish(int argc, char **argv)
{
    const char *url = DTI_DEFAULT_DB, *round = NULL, *note = NULL;
    bool help = false;
    const struct cli_opt opts[] = {
        {"--db", true, &url, NULL},     {"--round", true, &round, NULL},
        {"--note", true, &note, NULL},  {"--help", false, NULL, &help},
        {"-h", false, NULL, &help},
    };
    int rc = cli_parse("round publish", argc, argv, 1, opts, sizeof opts / sizeof *opts);
    if (rc)
        return rc;
    if (help) {
        usage(stdout);
        return 0;
    }
    char *end = NULL;
    long long id = round ? strtoll(round, &end, 10) : 0;
    if (!round || !*round || *end || id <= 0) {
        fprintf(stderr, "dti round publish: cần --round ID (số nguyên dương)\n");
        usage(stderr);
        return 2;
    }
    db_conn *c;
    db *d = cli_open_initialised("round", url, &c);
    if (!d)
        return 1;
    struct app_err e = {0};
    struct app_actor who = {.user_id = 0, .name = "cli", .client_addr = NULL};
    json_t *pub = NULL;
    int ok = 0;
    if (db_begin(c) == DB_OK) {
        if (publication_publish(c, &who, id, note, (int64_t)time(NULL), &pub, &e) == 0 &&
            db_commit(c) == DB_OK)
            ok = 1;
        else
            db_rollback(c);
    }
    if (!ok && !e.message[0])
        snprintf(e.message, sizeof e.message, "không lưu được thay đổi");
    db_release(c);
    db_close(d);
    if (!ok) {
        fprintf(stderr, "dti round publish: %s\n", e.message);
        json_decref(pub);
        return 1;
    }
    printf("Đã công bố đợt %lld, phiên bản %lld.\nMã kiểm tra SHA-256: %s\nTệp: %s\n", id,
           (long long)json_integer_value(json_object_get(pub, "version")),
           json_string_value(json_object_get(pub, "sha256")),
           json_string_value(json_object_get(pub, "json_url")));
    json_decref(pub);
    return 0;
}
