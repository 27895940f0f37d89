/* main.c — the `dti` command: one table of subcommands, each in its own cmd_*.c file. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "core/json_oom.h"
#include "cli/cli.h"

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *help;
} commands[] = {
    {"init", cmd_init, "tạo cơ sở dữ liệu, quản trị viên đầu tiên (--demo: tỉnh mẫu)"},
    {"serve", cmd_serve, "chạy máy chủ web và API"},
    {"migrate", cmd_migrate, "áp dụng các bản nâng cấp lược đồ dữ liệu"},
    {"user", cmd_user, "quản lý tài khoản: add | reset-password | reset-totp | disable"},
    {"audit", cmd_audit, "nhật ký thay đổi: verify"},
    {"framework", cmd_framework, "bộ chỉ số: validate | show"},
    {"score", cmd_score, "tính điểm một đơn vị theo bộ chỉ số"},
    {"demo", cmd_demo, "dữ liệu mẫu: tỉnh giả lập N đơn vị, đợt đánh giá, nhiệm vụ mọi trạng thái"},
    {"round", cmd_round, "đợt đánh giá: accounts (tạo tài khoản hàng loạt), publish (công bố kết quả)"},
    {"rankings", cmd_rankings, "xếp hạng đơn vị của đợt đánh giá (JSON hoặc Excel)"},
    {"openapi", cmd_openapi, "in mô tả API (OpenAPI 3.0.3, JSON)"},
    {"blobs", cmd_blobs, "kho tệp minh chứng: gc (xoá tệp không còn bản ghi)"},
    {"template", cmd_template, "mẫu Excel báo cáo của đơn vị: export (--all: zip mọi đơn vị)"},
    {"import", cmd_import, "nhập báo cáo từ mẫu Excel đã điền (--dry-run: chỉ kiểm tra)"},
    {"evidence", cmd_evidence, "minh chứng: verify (kiểm tra chữ ký số của tệp PDF)"},
};

static void usage(FILE *f)
{
    fprintf(f, "Cách dùng: dti <lệnh> [tuỳ chọn]   (dti <lệnh> --help để xem chi tiết)\n\nCác lệnh:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
}

int main(int argc, char **argv)
{
    /* Everything dti creates (the SQLite file and its -wal/-shm, evidence files, exports) holds
     * password hashes or unit data: readable by the server's user only. */
    umask(077);
    json_oom_install(); /* before any thread: tells a failed allocation from bad JSON */
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "dti: lệnh không tồn tại: %s\n", argv[1]);
    usage(stderr);
    return 2;
}
