/* cmd_init.c — `dti init`: creates the database schema, the province (or the demo province),
 * the first administrator with a random one-time password, and loads the shipped index sets.
 * Everything after the schema is one transaction: either all of it exists or none. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app/demo.h"
#include "app/frameworks_store.h"
#include "app/password.h"
#include "app/schema.h"
#include "app/users.h"
#include "core/errno_vi.h"
#include "cli/cli.h"
#include "cli/cli_finddir.h"
#include "cli/cli_opt.h"

static void usage(FILE *f)
{
    fprintf(f,
            "Cách dùng: dti init [--db URL] [--demo] [--province-name TÊN]\n"
            "                    [--admin-password-file TỆP] [--frameworks THƯ_MỤC]\n\n"
            "Tạo cơ sở dữ liệu mới: lược đồ dữ liệu, đơn vị cấp tỉnh, tài khoản quản trị\n"
            "\"admin\" với mật khẩu dùng một lần (phải đổi ở lần đăng nhập đầu), và nạp các\n"
            "bộ chỉ số có sẵn. Từ chối nếu cơ sở dữ liệu đã được khởi tạo.\n\n"
            "  --db URL                   sqlite:ĐƯỜNG_DẪN hoặc postgresql://... (mặc định %s)\n"
            "  --demo                     tạo tỉnh mẫu (Thừa Thiên Huế: các sở, huyện Nam Đông\n"
            "                             và các xã) thay cho một đơn vị cấp tỉnh trống\n"
            "  --province-name TÊN        tên đơn vị cấp tỉnh khi không dùng --demo\n"
            "                             (mặc định \"Tỉnh\")\n"
            "  --admin-password-file TỆP  ghi thêm mật khẩu dùng một lần vào TỆP (quyền 0600)\n"
            "  --frameworks THƯ_MỤC       thư mục các bộ chỉ số đi kèm; nếu không chỉ định:\n"
            "                             biến môi trường DTI_FRAMEWORKS_DIR, rồi ./frameworks,\n"
            "                             rồi thư mục frameworks cạnh chương trình\n"
            "                             (<thư mục của dti>/../frameworks)\n",
            DTI_DEFAULT_DB);
}

/* mkdir -p of the directory holding an SQLite file. */
static int make_parent_dir(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    char *dir = dirname(buf);
    char cur[4096] = "";
    for (char *p = dir; *p; p++) {
        if (*p == '/' && p != dir) {
            snprintf(cur, sizeof cur, "%.*s", (int)(p - dir), dir);
            if (mkdir(cur, 0700) != 0 && errno != EEXIST)
                return -1;
        }
    }
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

static int write_secret_file(const char *file, const char *secret)
{
    int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return -1;
    int ok = fchmod(fd, 0600) == 0;
    size_t n = strlen(secret);
    ok = ok && write(fd, secret, n) == (ssize_t)n && write(fd, "\n", 1) == 1;
    ok = (close(fd) == 0) && ok;
    return ok ? 0 : -1;
}

int cmd_init(int argc, char **argv)
{
    const char *url = DTI_DEFAULT_DB, *pwfile = NULL, *province = "Tỉnh", *fwopt = NULL;
    bool demo = false, help = false;
    const struct cli_opt opts[] = {
        {"--db", true, &url, NULL},
        {"--demo", false, NULL, &demo},
        {"--province-name", true, &province, NULL},
        {"--admin-password-file", true, &pwfile, NULL},
        {"--frameworks", true, &fwopt, NULL},
        {"--frameworks-dir", true, &fwopt, NULL}, /* the earlier name, kept for scripts */
        {"--help", false, NULL, &help},
        {"-h", false, NULL, &help},
    };
    int rc = cli_parse("init", argc, argv, 1, opts, sizeof opts / sizeof *opts);
    if (rc)
        return rc;
    if (help) {
        usage(stdout);
        return 0;
    }
    /* Looked up before anything is created: a mistyped explicit directory changes nothing. */
    char fwdir[4096], tried[2048];
    int found = cli_find_frameworks(fwopt, fwdir, sizeof fwdir, tried, sizeof tried);
    if (found < 0) {
        fprintf(stderr, "dti init: %s; không thay đổi gì\n", tried);
        return 1;
    }
    if (!password_init()) {
        fprintf(stderr, "dti init: không khởi tạo được thư viện mật mã\n");
        return 1;
    }
    if (!strncmp(url, "sqlite:", 7) && make_parent_dir(url + 7) != 0) {
        fprintf(stderr, "dti init: không tạo được thư mục chứa %s: %s\n", url + 7,
                errno_vi(errno));
        return 1;
    }
    char err[512] = "";
    db *d = db_open(url, 1, err, sizeof err);
    if (!d) {
        fprintf(stderr, "dti init: không mở được cơ sở dữ liệu: %s\n", err);
        return 1;
    }
    rc = 1;
    db_conn *c = NULL;
    char otp[PASSWORD_OTP_LEN] = "";
    if (db_schema_version(d) > 0) {
        c = db_acquire(d);
        int64_t users = 0;
        if (c && db_query_int(c, "SELECT COUNT(*) FROM users", NULL, 0, &users) == DB_OK &&
            users > 0) {
            fprintf(stderr,
                    "dti init: cơ sở dữ liệu %s đã được khởi tạo (đã có tài khoản); không thay "
                    "đổi gì. Dùng \"dti user reset-password\" nếu cần cấp lại mật khẩu.\n",
                    url);
            goto out;
        }
        if (c)
            db_release(c);
        c = NULL;
    }
    if (db_migrate(d, dti_migrations, dti_migrations_count, err, sizeof err) != DB_OK) {
        fprintf(stderr, "dti init: không tạo được lược đồ dữ liệu: %s\n", err);
        goto out;
    }
    c = db_acquire(d);
    if (!c || db_begin(c) != DB_OK) {
        fprintf(stderr, "dti init: không kết nối được cơ sở dữ liệu\n");
        goto out;
    }
    int64_t now = (int64_t)time(NULL), province_id = 0, admin_id = 0;
    struct app_actor who = {.user_id = 0, .name = "cli", .client_addr = NULL};
    struct app_err e;
    if (demo ? demo_create_units(c, &who, now, &province_id, &e)
             : demo_create_province(c, &who, province, now, &province_id, &e)) {
        fprintf(stderr, "dti init: %s\n", e.message);
        goto rollback;
    }
    struct user_input admin = {.username = "admin",
                               .full_name = "Quản trị hệ thống",
                               .role = "admin",
                               .unit_id = province_id};
    if (user_create(c, &who, &admin, now, &admin_id, otp, &e)) {
        fprintf(stderr, "dti init: %s\n", e.message);
        goto rollback;
    }
    if (found) {
        int n = frameworks_sync_dir(c, fwdir, err, sizeof err);
        if (n < 0) {
            fprintf(stderr, "dti init: lỗi nạp bộ chỉ số: %s\n", err);
            goto rollback;
        }
        if (n > 0)
            fprintf(stderr, "Đã nạp %d bộ chỉ số từ %s.\n", n, fwdir);
        else
            fprintf(stderr, "Cảnh báo: thư mục bộ chỉ số %s không có tệp .json nào.\n", fwdir);
    } else {
        /* Not fatal: index sets can be uploaded later; but say where we looked and how to fix. */
        fprintf(stderr,
                "Cảnh báo: không tìm thấy thư mục các bộ chỉ số đi kèm (đã tìm: %s). Cơ sở dữ "
                "liệu vẫn được tạo nhưng chưa có bộ chỉ số nào; chỉ định bằng --frameworks "
                "THƯ_MỤC hoặc biến môi trường DTI_FRAMEWORKS_DIR, hoặc tải bộ chỉ số lên sau.\n",
                tried);
    }
    /* Written before the commit: if the file cannot be written, nothing is created. */
    if (pwfile && write_secret_file(pwfile, otp) != 0) {
        fprintf(stderr, "dti init: không ghi được tệp mật khẩu %s: %s\n", pwfile,
                errno_vi(errno));
        goto rollback;
    }
    if (db_commit(c) != DB_OK) {
        fprintf(stderr, "dti init: không lưu được dữ liệu: %s\n", db_errmsg(c));
        goto rollback;
    }
    printf("Đã khởi tạo cơ sở dữ liệu %s%s.\n", url, demo ? " với tỉnh mẫu" : "");
    /* With a password file (scripts, CI) the secret is not echoed into logs. */
    if (pwfile)
        printf("Tài khoản quản trị: admin\nMật khẩu dùng một lần đã được ghi vào %s.\n", pwfile);
    else
        printf("Tài khoản quản trị: admin\nMật khẩu dùng một lần: %s\n", otp);
    printf("Hãy đăng nhập và đổi mật khẩu ngay; mật khẩu này không được hiển thị lại.\n");
    rc = 0;
    goto out;
rollback:
    db_rollback(c);
    if (pwfile)
        unlink(pwfile);
out:
    sodium_memzero(otp, sizeof otp);
    if (c)
        db_release(c);
    db_close(d);
    return rc;
}
