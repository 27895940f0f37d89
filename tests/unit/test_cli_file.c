/* test_cli_file.c — cli_read_file: contents, and Vietnamese errors for the common errnos
 * (strerror() would be English), a generic Vietnamese sentence for the rest. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli_file.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/test_cli_file.XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* cli_read_file(path) fails and its message is "<prefix> <path>: <expected>". */
static void expect_error(const char *path, const char *expected)
{
    char err[512] = "", want[512];
    size_t len = 99;
    assert_null(cli_read_file(path, &len, err, sizeof err));
    snprintf(want, sizeof want, "%s: %s", path, expected);
    if (!strstr(err, want))
        fail_msg("for %s: got \"%s\", want \"%s\"", path, err, want);
    assert_non_null(strstr(err, "tệp"));
}

static void reads_contents(void **state)
{
    (void)state;
    char p[128], err[256] = "";
    snprintf(p, sizeof p, "%s/a.json", dir);
    write_file(p, "{\"a\": \"tên\"}");
    size_t len = 0;
    char *text = cli_read_file(p, &len, err, sizeof err);
    assert_non_null(text);
    assert_int_equal(len, strlen("{\"a\": \"tên\"}"));
    assert_string_equal(text, "{\"a\": \"tên\"}");
    free(text);
}

static void common_errors_in_vietnamese(void **state)
{
    (void)state;
    char p[128], q[128];
    snprintf(p, sizeof p, "%s/missing.json", dir);
    expect_error(p, "không tồn tại");
    expect_error(dir, "đây là một thư mục, không phải tệp");
    snprintf(p, sizeof p, "%s/file", dir);
    write_file(p, "x");
    snprintf(q, sizeof q, "%s/file/below.json", dir);
    expect_error(q, "một phần của đường dẫn không phải là thư mục");
    snprintf(p, sizeof p, "%s/loop1", dir);
    snprintf(q, sizeof q, "%s/loop2", dir);
    assert_int_equal(symlink(q, p), 0);
    assert_int_equal(symlink(p, q), 0);
    expect_error(p, "đường dẫn có quá nhiều liên kết tượng trưng");
    if (geteuid() != 0) { /* root reads a mode-000 file anyway */
        snprintf(p, sizeof p, "%s/secret", dir);
        write_file(p, "x");
        assert_int_equal(chmod(p, 0), 0);
        expect_error(p, "không có quyền đọc");
    }
}

static void too_many_open_files(void **state)
{
    (void)state;
    char p[128];
    snprintf(p, sizeof p, "%s/b.json", dir);
    write_file(p, "{}");
    struct rlimit old, low;
    assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
    low = old;
    low.rlim_cur = 64;
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
    int fds[64], n = 0;
    while (n < 64 && (fds[n] = dup(0)) >= 0)
        n++;
    assert_int_equal(errno, EMFILE);
    expect_error(p, "đang mở quá nhiều tệp cùng lúc");
    while (n > 0)
        close(fds[--n]);
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
}

static void other_errnos_get_a_vietnamese_sentence(void **state)
{
    (void)state;
    assert_string_equal(cli_errno_vi(EFBIG), "tệp quá lớn");
    /* the write-side ones (core/errno_vi.c, shared with the server's data directory) */
    assert_string_equal(cli_errno_vi(EIO), "lỗi đọc hoặc ghi ổ đĩa");
    assert_string_equal(cli_errno_vi(ENOSPC), "ổ đĩa đã đầy");
    assert_string_equal(cli_errno_vi(EROFS), "ổ đĩa chỉ cho phép đọc");
    const char *generic = cli_errno_vi(EXDEV);
    assert_string_equal(generic, "lỗi hệ thống khi truy cập tệp");
    assert_string_equal(cli_errno_vi(0), generic);
    /* never strerror's English */
    const int all[] = {ENOENT, EACCES, EISDIR, ENOTDIR, EFBIG, ELOOP, EMFILE, EIO, EROFS};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        assert_string_not_equal(cli_errno_vi(all[i]), strerror(all[i]));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_contents),
        cmocka_unit_test(common_errors_in_vietnamese),
        cmocka_unit_test(too_many_open_files),
        cmocka_unit_test(other_errnos_get_a_vietnamese_sentence),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
