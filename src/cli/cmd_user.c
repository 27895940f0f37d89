/* cmd_user.c — `dti user add | reset-password | reset-totp | disable`: account administration from the
 * server's shell (e.g. when the only administrator is locked out). Audited with actor "cli". */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app/password.h"
#include "app/totp.h"
#include "app/units.h"
#include "app/users.h"
#include "cli/cli.h"
#include "cli/cli_db.h"
#include "cli/cli_opt.h"

static void usage(FILE *f)
{
    fprintf(f, "Cách dùng: dti user <lệnh> [tuỳ chọn]   (dti user <lệnh> --help)\n\n"
               "  add             tạo tài khoản, in mật khẩu dùng một lần\n"
               "  reset-password  cấp mật khẩu dùng một lần mới, huỷ mọi phiên đăng nhập\n"
               "  reset-totp      xoá xác thực hai bước (mất điện thoại và mã khôi phục)\n"
               "  disable         khoá tài khoản, huỷ mọi phiên và mã truy cập API\n");
}

static void usage_add(FILE *f)
{
    fprintf(f,
            "Cách dùng: dti user add [--db URL] --username TÊN --role VAI_TRÒ --unit MÃ_ĐƠN_VỊ\n"
            "                        --full-name HỌ_TÊN\n\n"
            "Tạo tài khoản mới và in mật khẩu dùng một lần (người dùng phải đổi ở lần đăng\n"
            "nhập đầu tiên).\n"
            "  --db URL          cơ sở dữ liệu (mặc định %s)\n"
            "  --username TÊN    3–64 ký tự a-z 0-9 . _ - (chữ hoa được đổi thành chữ thường)\n"
            "  --role VAI_TRÒ    admin | appraiser | staff | leader\n"
            "  --unit MÃ         mã đơn vị, ví dụ STC\n"
            "  --full-name TÊN   họ và tên (1–200 ký tự)\n",
            DTI_DEFAULT_DB);
}

static void usage_reset(FILE *f)
{
    fprintf(f,
            "Cách dùng: dti user reset-password [--db URL] --username TÊN\n\n"
            "Cấp mật khẩu dùng một lần mới cho tài khoản, buộc đổi ở lần đăng nhập sau và huỷ\n"
            "mọi phiên đăng nhập hiện có.\n"
            "  --db URL        cơ sở dữ liệu (mặc định %s)\n"
            "  --username TÊN  tên đăng nhập\n",
            DTI_DEFAULT_DB);
}

static void usage_reset_totp(FILE *f)
{
    fprintf(f,
            "Cách dùng: dti user reset-totp [--db URL] --username TÊN\n\n"
            "Xoá xác thực hai bước và mã khôi phục của tài khoản (khi mất thiết bị và mã khôi\n"
            "phục), huỷ mọi phiên đăng nhập. Tài khoản quản trị phải đăng ký lại khi đăng nhập.\n"
            "  --db URL        cơ sở dữ liệu (mặc định %s)\n"
            "  --username TÊN  tên đăng nhập\n",
            DTI_DEFAULT_DB);
}

static void usage_disable(FILE *f)
{
    fprintf(f,
            "Cách dùng: dti user disable [--db URL] --username TÊN\n\n"
            "Khoá tài khoản: không đăng nhập được nữa; mọi phiên đăng nhập và mã truy cập API\n"
            "do tài khoản tạo bị thu hồi.\n"
            "  --db URL        cơ sở dữ liệu (mặc định %s)\n"
            "  --username TÊN  tên đăng nhập\n",
            DTI_DEFAULT_DB);
}

static int finish(db *d, db_conn *c, int ok, const struct app_err *e)
{
    if (ok && db_commit(c) != DB_OK) {
        fprintf(stderr, "dti user: không lưu được thay đổi\n");
        ok = 0;
    }
    if (!ok) {
        db_rollback(c);
        if (e && e->message[0])
            fprintf(stderr, "dti user: %s\n", e->message);
    }
    db_release(c);
    db_close(d);
    return ok ? 0 : 1;
}

static int user_add(int argc, char **argv)
{
    const char *url = DTI_DEFAULT_DB, *username = NULL, *role = NULL, *unit = NULL,
               *full_name = NULL;
    bool help = false;
    const struct cli_opt opts[] = {
        {"--db", true, &url, NULL},         {"--username", true, &username, NULL},
        {"--role", true, &role, NULL},      {"--unit", true, &unit, NULL},
        {"--full-name", true, &full_name, NULL}, {"--help", false, NULL, &help},
        {"-h", false, NULL, &help},
    };
    int rc = cli_parse("user add", argc, argv, 1, opts, sizeof opts / sizeof *opts);
    if (rc)
        return rc;
    if (help) {
        usage_add(stdout);
        return 0;
    }
    if (!username || !role || !unit || !full_name) {
        fprintf(stderr, "dti user add: cần --username, --role, --unit và --full-name\n");
        usage_add(stderr);
        return 2;
    }
    db_conn *c;
    db *d = cli_open_initialised("user", url, &c);
    if (!d)
        return 1;
    struct app_err e = {0};
    if (db_begin(c) != DB_OK)
        return finish(d, c, 0, NULL);
    int64_t unit_id = unit_id_by_code(c, unit);
    if (!unit_id) {
        app_fail(&e, 422, "invalid_unit", "unit", "không có đơn vị mã “%s”", unit);
        return finish(d, c, 0, &e);
    }
    struct app_actor who = {.user_id = 0, .name = "cli", .client_addr = NULL};
    struct user_input in = {.username = username, .full_name = full_name, .role = role,
                            .unit_id = unit_id};
    char otp[PASSWORD_OTP_LEN];
    int64_t id;
    if (user_create(c, &who, &in, (int64_t)time(NULL), &id, otp, &e))
        return finish(d, c, 0, &e);
    char name[65];
    user_normalize_name(username, name, NULL);
    if (finish(d, c, 1, NULL) != 0)
        return 1;
    printf("Tài khoản: %s\nMật khẩu dùng một lần: %s\n", name, otp);
    sodium_memzero(otp, sizeof otp);
    return 0;
}

/* reset-password, reset-totp and disable share their options. */
enum by_name { BY_RESET, BY_RESET_TOTP, BY_DISABLE };
static void (*const by_name_usage[])(FILE *) = {usage_reset, usage_reset_totp, usage_disable};

static int user_by_name(const char *sub, int argc, char **argv, enum by_name what)
{
    bool reset = what == BY_RESET;
    const char *url = DTI_DEFAULT_DB, *username = NULL;
    bool help = false;
    const struct cli_opt opts[] = {
        {"--db", true, &url, NULL},
        {"--username", true, &username, NULL},
        {"--help", false, NULL, &help},
        {"-h", false, NULL, &help},
    };
    char cmd[64];
    snprintf(cmd, sizeof cmd, "user %s", sub);
    int rc = cli_parse(cmd, argc, argv, 1, opts, sizeof opts / sizeof *opts);
    if (rc)
        return rc;
    if (help) {
        by_name_usage[what](stdout);
        return 0;
    }
    if (!username) {
        fprintf(stderr, "dti %s: cần --username\n", cmd);
        by_name_usage[what](stderr);
        return 2;
    }
    char name[65];
    struct app_err e = {0};
    if (user_normalize_name(username, name, &e)) {
        fprintf(stderr, "dti %s: %s\n", cmd, e.message);
        return 1;
    }
    db_conn *c;
    db *d = cli_open_initialised("user", url, &c);
    if (!d)
        return 1;
    if (db_begin(c) != DB_OK)
        return finish(d, c, 0, NULL);
    int64_t id = user_id_by_name(c, name);
    if (!id) {
        app_fail(&e, 404, "not_found", "username", "không có tài khoản “%s”", name);
        return finish(d, c, 0, &e);
    }
    struct app_actor who = {.user_id = 0, .name = "cli", .client_addr = NULL};
    int64_t now = (int64_t)time(NULL);
    char otp[PASSWORD_OTP_LEN];
    int failed = what == BY_RESET        ? user_reset_password(c, &who, id, now, otp, &e)
                 : what == BY_RESET_TOTP ? totp_reset_in_tx(c, &who, id, now, &e)
                                         : user_set_disabled(c, &who, id, true, now, &e);
    if (failed)
        return finish(d, c, 0, &e);
    if (finish(d, c, 1, NULL) != 0)
        return 1;
    if (reset) {
        printf("Tài khoản: %s\nMật khẩu dùng một lần: %s\n", name, otp);
        sodium_memzero(otp, sizeof otp);
    } else if (what == BY_RESET_TOTP) {
        printf("Đã xoá xác thực hai bước của %s; mọi phiên đăng nhập đã bị huỷ.\n", name);
    } else {
        printf("Đã khoá tài khoản %s; mọi phiên đăng nhập và mã truy cập API đã bị thu hồi.\n",
               name);
    }
    return 0;
}

int cmd_user(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *sub = argv[1];
    if (!strcmp(sub, "--help") || !strcmp(sub, "-h") || !strcmp(sub, "help")) {
        usage(stdout);
        return 0;
    }
    if (!password_init()) {
        fprintf(stderr, "dti user: không khởi tạo được thư viện mật mã\n");
        return 1;
    }
    if (!strcmp(sub, "add"))
        return user_add(argc - 1, argv + 1);
    if (!strcmp(sub, "reset-password"))
        return user_by_name("reset-password", argc - 1, argv + 1, BY_RESET);
    if (!strcmp(sub, "reset-totp"))
        return user_by_name("reset-totp", argc - 1, argv + 1, BY_RESET_TOTP);
    if (!strcmp(sub, "disable"))
        return user_by_name("disable", argc - 1, argv + 1, BY_DISABLE);
    fprintf(stderr, "dti user: lệnh không tồn tại: %s\n", sub);
    usage(stderr);
    return 2;
}
