/* test_accounts_file.c — bulk account user names and the CSV / xlsx files (accounts_file.c):
 * BOM, quoting, formula-injection guard, only created rows, a zip for xlsx. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/accounts.h"

static void user_names(void **state)
{
    (void)state;
    char u[65];
    account_username("STC", ACC_STAFF, 1, u);
    assert_string_equal(u, "stc.canbo");
    account_username("STC", ACC_LEADER, 1, u);
    assert_string_equal(u, "stc.lanhdao");
    account_username("Ub_Xa-1.A", ACC_STAFF, 3, u);
    assert_string_equal(u, "ub_xa-1.a.canbo3");
    account_username("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", ACC_LEADER, 99, u); /* 32 characters */
    assert_string_equal(u, "abcdefghijklmnopqrstuvwxyz012345.lanhdao99");
}

static struct account_row row(const char *name, const char *code, enum account_kind k,
                              const char *user, const char *otp, int64_t id)
{
    struct account_row r;
    memset(&r, 0, sizeof r);
    snprintf(r.unit_name, sizeof r.unit_name, "%s", name);
    snprintf(r.unit_code, sizeof r.unit_code, "%s", code);
    snprintf(r.username, sizeof r.username, "%s", user);
    snprintf(r.otp, sizeof r.otp, "%s", otp);
    r.kind = k;
    r.user_id = id;
    return r;
}

static void csv(void **state)
{
    (void)state;
    struct account_row rows[3] = {
        row("Sở \"Tài chính\", tỉnh", "STC", ACC_STAFF, "stc.canbo", "AbcdEfghJkmnPqrs", 5),
        row("=HYPERLINK(\"x\")", "-X", ACC_LEADER, "-x.lanhdao", "ZZZZZZZZZZZZZZZZ", 6),
        row("Bỏ qua", "BQ", ACC_STAFF, "bq.canbo", "YYYYYYYYYYYYYYYY", 0), /* dropped at commit */
    };
    struct account_batch b = {.round_id = 1, .rows = rows, .n = 3, .created = 2};
    size_t len = 0;
    char *s = accounts_csv(&b, &len);
    assert_non_null(s);
    const char *want =
        "\xEF\xBB\xBF\"Đơn vị\",\"Mã đơn vị\",\"Vai trò\",\"Tên đăng nhập\",\"Mật khẩu dùng một lần\"\r\n"
        "\"Sở \"\"Tài chính\"\", tỉnh\",\"STC\",\"Cán bộ\",\"stc.canbo\",\"AbcdEfghJkmnPqrs\"\r\n"
        "\"'=HYPERLINK(\"\"x\"\")\",\"'-X\",\"Lãnh đạo\",\"'-x.lanhdao\",\"ZZZZZZZZZZZZZZZZ\"\r\n";
    assert_int_equal(len, strlen(want));
    assert_memory_equal(s, want, len);
    free(s);
}

static void xlsx(void **state)
{
    (void)state;
    struct account_row rows[1] = {
        row("Huyện Đông Văn", "HDV", ACC_LEADER, "hdv.lanhdao", "AbcdEfghJkmnPqrs", 9)};
    struct account_batch b = {.round_id = 1, .rows = rows, .n = 1, .created = 1};
    size_t len = 0;
    char *s = accounts_xlsx(&b, &len);
    assert_non_null(s);
    assert_true(len > 1000);
    assert_memory_equal(s, "PK\x03\x04", 4);
    free(s);
}

static int names_in(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

/* The file streamed by the API (http_reply_fd): a descriptor at offset 0 with its size, and
 * no name left behind in TMPDIR (CSV: a memory file; xlsx: unlinked once reopened). */
static void as_descriptor(void **state)
{
    (void)state;
    char dir[] = "/tmp/dti-accfile.XXXXXX";
    assert_non_null(mkdtemp(dir));
    setenv("TMPDIR", dir, 1);
    struct account_row rows[1] = {
        row("Huyện Đông Văn", "HDV", ACC_LEADER, "hdv.lanhdao", "AbcdEfghJkmnPqrs", 9)};
    struct account_batch b = {.round_id = 1, .rows = rows, .n = 1, .created = 1};
    for (int xlsx = 0; xlsx < 2; xlsx++) {
        uint64_t size = 0;
        int fd = accounts_file_fd(&b, xlsx, &size);
        assert_true(fd >= 0);
        assert_int_equal(names_in(dir), 0);
        struct stat st;
        assert_int_equal(fstat(fd, &st), 0);
        assert_int_equal((uint64_t)st.st_size, size);
        char head[4];
        assert_int_equal(read(fd, head, 3), 3);
        assert_memory_equal(head, xlsx ? "PK\x03" : "\xEF\xBB\xBF", 3);
        size_t len = 0;
        char *s = xlsx ? accounts_xlsx(&b, &len) : accounts_csv(&b, &len);
        assert_non_null(s);
        assert_int_equal(len, xlsx ? len : size); /* the CSV is byte for byte the same */
        free(s);
        close(fd);
    }
    unsetenv("TMPDIR");
    assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(user_names),
        cmocka_unit_test(csv),
        cmocka_unit_test(xlsx),
        cmocka_unit_test(as_descriptor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
