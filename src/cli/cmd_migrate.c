/* cmd_migrate.c — `dti migrate`: applies the numbered schema migrations (src/app/schema.c). */
#include <stdio.h>
#include <string.h>

#include "app/schema.h"
#include "cli/cli.h"
#include "cli/cli_db.h"
#include "cli/cli_opt.h"
#include "store/db.h"

static void usage(FILE *f)
{
    fprintf(f, "Cách dùng: dti migrate [--db URL]\n"
               "Áp dụng các bản nâng cấp lược đồ dữ liệu chưa có (mỗi bản trong một giao dịch).\n"
               "  --db URL   cơ sở dữ liệu: sqlite:ĐƯỜNG_DẪN hoặc postgresql://NGƯỜI_DÙNG@MÁY:CỔNG/TÊN\n"
               "             (mặc định %s)\n",
               DTI_DEFAULT_DB);
}

int cmd_migrate(int argc, char **argv)
{
    const char *url = DTI_DEFAULT_DB;
    bool help = false;
    const struct cli_opt opts[] = {
        {"--db", true, &url, NULL},
        {"--help", false, NULL, &help},
        {"-h", false, NULL, &help},
    };
    int rc = cli_parse("migrate", argc, argv, 1, opts, sizeof opts / sizeof *opts);
    if (rc)
        return rc;
    if (help) {
        usage(stdout);
        return 0;
    }
    char err[512];
    /* Only dti init creates a database (with its administrator); migrate upgrades one. */
    db *d = cli_open_existing("migrate", url, 1);
    if (!d)
        return 1;
    int before = db_schema_version(d);
    rc = db_migrate(d, dti_migrations, dti_migrations_count, err, sizeof err);
    int after = db_schema_version(d);
    db_close(d);
    if (rc != DB_OK) {
        fprintf(stderr, "dti migrate: %s\n", err);
        return 1;
    }
    if (after == before)
        printf("Lược đồ dữ liệu đã ở phiên bản mới nhất (%d).\n", after);
    else
        printf("Đã nâng cấp lược đồ dữ liệu từ phiên bản %d lên %d.\n", before, after);
    return 0;
}
