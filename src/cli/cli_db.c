/* cli_db.c — the database open + "initialised?" check shared by dti serve, migrate, user and
 * audit. A failed command must leave no empty database file behind for a later command to
 * upgrade into a database without an administrator. */
#include "cli/cli_db.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

db *cli_open_existing(const char *cmd, const char *url, int pool_size)
{
    char err[512] = "";
    db *d = db_open_existing(url, pool_size, err, sizeof err);
    if (!d) {
        fprintf(stderr, "dti %s: không mở được cơ sở dữ liệu: %s\n", cmd, err);
        return NULL;
    }
    if (db_schema_version(d) <= 0) {
        fprintf(stderr, "dti %s: cơ sở dữ liệu %s chưa được khởi tạo (chạy dti init trước)\n",
                cmd, url);
        db_close(d);
        return NULL;
    }
    return d;
}

db *cli_open_initialised(const char *cmd, const char *url, db_conn **c)
{
    db *d = cli_open_existing(cmd, url, 1);
    if (!d)
        return NULL;
    *c = db_acquire(d);
    if (!*c) {
        fprintf(stderr, "dti %s: không kết nối được cơ sở dữ liệu\n", cmd);
        db_close(d);
        return NULL;
    }
    return d;
}

void cli_data_dir(const char *url, const char *data_dir, char *out, size_t cap)
{
    if (data_dir) {
        snprintf(out, cap, "%s", data_dir);
    } else if (!strncmp(url, "sqlite:", 7)) {
        snprintf(out, cap, "%s", url + 7);
        char *slash = strrchr(out, '/');
        if (slash)
            *slash = '\0';
        else
            snprintf(out, cap, ".");
    } else {
        snprintf(out, cap, "var/data");
        mkdir("var", 0750);
    }
}
