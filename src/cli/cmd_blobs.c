/* cmd_blobs.c — `dti blobs gc`: removes evidence files no row refers to (src/app/blob_gc.h). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/blob_gc.h"
#include "cli/cli.h"
#include "cli/cli_db.h"
#include "cli/cli_opt.h"

#define GC_DEFAULT_HOURS "24"

static void usage(FILE *f)
{
    fprintf(f,
            "Cách dùng: dti blobs gc [--db URL] [--data-dir THƯ_MỤC] [--dry-run] [--older-than GIỜ]\n"
            "Xoá các tệp minh chứng không còn bản ghi nào tham chiếu (tệp đã lưu nhưng bản ghi chưa\n"
            "kịp ghi vì máy chủ dừng giữa chừng), chỉ những tệp cũ hơn thời gian chờ.\n"
            "  --db URL            cơ sở dữ liệu (mặc định %s)\n"
            "  --data-dir THƯ_MỤC  nơi lưu tệp minh chứng, như dti serve (mặc định: thư mục\n"
            "                      của tệp SQLite, hoặc var/data với PostgreSQL)\n"
            "  --dry-run           chỉ liệt kê, không xoá\n"
            "  --older-than GIỜ    thời gian chờ, số giờ nguyên từ 0 (mặc định " GC_DEFAULT_HOURS ")\n"
            "Mã thoát: 0 xong, 1 lỗi, 2 sai cú pháp lệnh.\n",
            DTI_DEFAULT_DB);
}

int cmd_blobs(int argc, char **argv)
{
    int sc = cli_subcommand("blobs", argc, argv, "gc", usage);
    if (sc >= 0)
        return sc;
    const char *url = DTI_DEFAULT_DB, *data_dir = NULL, *hours = GC_DEFAULT_HOURS;
    bool help = false, dry = false;
    const struct cli_opt opts[] = {
        {"--db", true, &url, NULL},          {"--data-dir", true, &data_dir, NULL},
        {"--older-than", true, &hours, NULL}, {"--dry-run", false, NULL, &dry},
        {"--help", false, NULL, &help},      {"-h", false, NULL, &help},
    };
    int rc = cli_parse("blobs gc", argc, argv, 2, opts, sizeof opts / sizeof *opts);
    if (rc)
        return rc;
    if (help) {
        usage(stdout);
        return 0;
    }
    char *end;
    long long h = strtoll(hours, &end, 10);
    if (*hours < '0' || *hours > '9' || *end || h < 0 || h > 24LL * 365 * 100) {
        fprintf(stderr, "dti blobs gc: --older-than phải là số giờ nguyên từ 0 (nhận: %s)\n",
                hours);
        return 2;
    }
    char ddir[4096], err[512];
    db_conn *c;
    db *d = cli_open_initialised("blobs gc", url, &c);
    if (!d)
        return 1;
    /* after the database: cli_data_dir creates var/ for PostgreSQL, which an unusable --db
     * must not leave behind */
    cli_data_dir(url, data_dir, ddir, sizeof ddir);
    struct blobstore *bs = blobstore_fs_open(ddir, err, sizeof err);
    if (!bs) {
        fprintf(stderr, "dti blobs gc: %s\n", err);
        db_release(c);
        db_close(d);
        return 1;
    }
    struct blob_gc g;
    rc = blobs_gc(c, bs, (int64_t)time(NULL), (int64_t)h * 3600, dry, &g);
    bs->ops->close(bs);
    db_release(c);
    db_close(d);
    if (rc) {
        fprintf(stderr, "dti blobs gc: không đọc được kho tệp %s/blobs hoặc cơ sở dữ liệu\n", ddir);
        return 1;
    }
    printf("%s: %" PRId64 " tệp, %" PRId64 " tệp không có bản ghi; %s %" PRId64
           " tệp (%.1f MB) cũ hơn %lld giờ; giữ lại %" PRId64 " tệp còn trong thời gian chờ\n",
           dry ? "Chạy thử" : "Dọn kho tệp", g.scanned, g.orphans, dry ? "sẽ xoá" : "đã xoá",
           dry ? g.orphans - g.kept_young : g.removed, (double)g.bytes / 1e6, h, g.kept_young);
    if (g.failed) {
        fprintf(stderr, "dti blobs gc: không xoá được %" PRId64 " tệp\n", g.failed);
        return 1;
    }
    return 0;
}
