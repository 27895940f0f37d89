/* test_db_error_vi.c — failing to open a database is explained in Vietnamese: libpq 15's
 * connection messages (as printed by PQerrorMessage) and SQLite's result codes; an unknown
 * libpq message is quoted after a Vietnamese lead, never one that repeats the address. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <string.h>

#include "store/db_error_vi.h"

static void libpq_messages(void **state)
{
    (void)state;
    static const struct {
        const char *libpq, *want;
    } cases[] = {
        {"connection to server at \"127.0.0.1\", port 1 failed: Connection refused\n\tIs the server "
         "running on that host and accepting TCP/IP connections?\n",
         "không nhận kết nối"},
        {"connection to server on socket \"/var/run/postgresql/.s.PGSQL.5432\" failed: No such file "
         "or directory\n\tIs the server running locally and accepting connections on that socket?\n",
         "trên máy này"},
        {"connection to server at \"db\" (10.0.0.5), port 5432 failed: FATAL:  password "
         "authentication failed for user \"dti\"\n",
         "sai tên người dùng hoặc mật khẩu"},
        {"connection to server at \"db\", port 5432 failed: FATAL:  database \"dtii\" does not exist\n",
         "cơ sở dữ liệu PostgreSQL này không tồn tại"},
        {"connection to server at \"db\", port 5432 failed: FATAL:  role \"nobody\" does not exist\n",
         "người dùng PostgreSQL này không tồn tại"},
        {"could not translate host name \"nohost.invalid\" to address: Name or service not known\n",
         "không tìm thấy tên máy chủ"},
        {"invalid integer value \"x\" for connection option \"port\"\n", "cổng"},
        {"end of string reached when looking for matching \"]\" in IPv6 host address in URI: "
         "\"postgresql://u:secret@[::1\"\n",
         "địa chỉ PostgreSQL không hợp lệ"},
    };
    char out[320];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        db_pg_connect_reason_vi(cases[i].libpq, out, sizeof out);
        if (!strstr(out, cases[i].want))
            fail_msg("case %zu: %s", i, out);
        assert_null(strstr(out, "failed"));
        assert_null(strstr(out, "secret"));
    }
    /* unknown: quoted after a Vietnamese lead, first line only */
    db_pg_connect_reason_vi("connection to server at \"h\", port 5432 failed: FATAL:  something new\n"
                            "second line\n",
                            out, sizeof out);
    assert_string_equal(out, "PostgreSQL từ chối kết nối (thông báo gốc: “FATAL:  something new”)");
    db_pg_connect_reason_vi("weird error near postgresql://u:secret@h/db", out, sizeof out);
    assert_null(strstr(out, "secret"));
    db_pg_connect_reason_vi(NULL, out, sizeof out);
    assert_true(strlen(out) > 0);
}

static void sqlite_codes(void **state)
{
    (void)state;
    assert_non_null(strstr(db_sqlite_reason_vi(SQLITE_NOTADB), "không phải cơ sở dữ liệu SQLite"));
    assert_non_null(strstr(db_sqlite_reason_vi(SQLITE_CANTOPEN), "không mở được tệp"));
    assert_non_null(strstr(db_sqlite_reason_vi(SQLITE_IOERR_SHORT_READ), "ổ đĩa"));
    assert_non_null(strstr(db_sqlite_reason_vi(SQLITE_READONLY_DBMOVED), "chỉ cho phép đọc"));
    assert_non_null(strstr(db_sqlite_reason_vi(12345), "SQLite"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(libpq_messages),
        cmocka_unit_test(sqlite_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
