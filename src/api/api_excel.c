/* api_excel.c — Excel round-trip (issue 10, docs/excel.md): a unit's template of a round, every
 * unit's templates as one zip (admins), and the import of a filled template: ?dry_run=1 checks
 * and shows the changes without saving; the same upload without dry_run saves (stateless: the
 * file is checked again against the database as it is then). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/api.h"
#include "app/excel_import.h"
#include "app/excel_template.h"
#include "app/tasks.h"

#define XLSX_MIME "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

static bool round_unit(http_req *r, int64_t *round, int64_t *unit)
{
    if (http_param_id(r, "id", round) && http_param_id(r, "unit", unit))
        return true;
    http_reply_error(r, 404, "not_found", "Không tìm thấy đơn vị trong đợt đánh giá.", NULL);
    return false;
}

/* A private temporary file name (the file is created by the writer, then opened and unlinked
 * before it is streamed). */
static int temp_path(char *path, size_t n, const char *suffix)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, n, "%s/dti-excel-XXXXXX%s", dir && *dir ? dir : "/tmp", suffix);
    int fd = mkstemps(path, (int)strlen(suffix));
    if (fd < 0)
        return -1;
    close(fd);
    return 0;
}

/* Streams the file at path as an attachment named name, then it is gone from the disk. */
static int reply_file(http_req *r, const char *path, const char *mime, const char *name)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    unlink(path);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        if (fd >= 0)
            close(fd);
        return api_internal(r);
    }
    char cd[256];
    snprintf(cd, sizeof cd, "attachment; filename=\"%s\"", name);
    if (!http_add_header(r, "Content-Disposition", cd)) {
        close(fd);
        return 0; /* http_add_header replied 500 */
    }
    return http_reply_fd(r, 200, mime, fd, (uint64_t)st.st_size);
}

int api_unit_template(http_req *r)
{
    int64_t round, unit;
    if (!round_unit(r, &round, &unit))
        return 0;
    db_conn *c = http_db(r);
    char path[512];
    if (!c || temp_path(path, sizeof path, ".xlsx"))
        return api_internal(r);
    struct xt_model m;
    struct app_err err;
    if (xt_load(c, round, unit, &m, &err)) {
        unlink(path);
        return api_fail(r, &err);
    }
    char name[128];
    excel_template_name(round, m.unit_code, name, sizeof name);
    int rc = xt_load_evidence(c, &m, &err) ? -1 : xt_write(&m, path, &err);
    xt_free(&m);
    if (rc) {
        unlink(path);
        return api_fail(r, &err);
    }
    return reply_file(r, path, XLSX_MIME, name);
}

int api_round_templates_zip(http_req *r)
{
    int64_t round;
    if (!in_path_id(r, &round))
        return 0;
    db_conn *c = http_db(r);
    char path[512];
    if (!c || temp_path(path, sizeof path, ".zip"))
        return api_internal(r);
    struct app_err err;
    size_t n = 0;
    if (excel_templates_zip(c, round, path, &n, &err)) {
        unlink(path);
        return api_fail(r, &err);
    }
    char name[64];
    snprintf(name, sizeof name, "mau-dot-%lld.zip", (long long)round);
    return reply_file(r, path, "application/zip", name);
}

/* One import in its own transaction: committed when the file is valid and it is not a dry
 * run, else rolled back (a refused file changes nothing). unit 0: from the fingerprint. */
static int import_one(http_req *r, int64_t round, int64_t unit, bool dry)
{
    size_t len = 0;
    const char *body = http_body(r, &len);
    if (!body || len == 0)
        return http_reply_error(r, 400, "missing_file",
                                "Chưa có tệp: gửi nội dung tệp .xlsx làm thân yêu cầu.", NULL);
    db_conn *c = api_begin(r);
    if (!c)
        return 0;
    const struct caller *cl = http_caller(r);
    struct task_who who = {api_actor(r), cl->role, cl->unit_id};
    struct xi_opts o = {.dry_run = dry, .expect_round = round, .expect_unit = unit, .who = &who,
                        .now = api_now()};
    struct app_err err;
    json_t *rep = excel_import(c, body, len, &o, &err);
    if (!rep) {
        api_end(r, c, -1, &err);
        return 0;
    }
    if (!dry && json_is_true(json_object_get(rep, "ok"))) {
        if (!api_commit(r, c)) {
            json_decref(rep);
            return 0;
        }
    } else if (db_rollback(c) != DB_OK) {
        json_decref(rep);
        return api_internal(r);
    }
    return http_reply_json(r, 200, rep);
}

int api_unit_import(http_req *r)
{
    int64_t round, unit;
    bool dry = false;
    if (!round_unit(r, &round, &unit) || !in_query_bool(r, "dry_run", &dry))
        return 0;
    return import_one(r, round, unit, dry);
}

/* A coordinator's import of any unit's file of the round (many files: one request each, so each
 * is its own transaction); the unit is the file's fingerprint's, the round must be this one. */
int api_round_import(http_req *r)
{
    int64_t round;
    bool dry = false;
    if (!in_path_id(r, &round) || !in_query_bool(r, "dry_run", &dry))
        return 0;
    return import_one(r, round, 0, dry);
}
