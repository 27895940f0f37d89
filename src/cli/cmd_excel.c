/* cmd_excel.c — `dti template export` and `dti import`: the CLI twins of the Excel routes
 * (docs/excel.md). The import acts as the unit's staff (the workflow's `save`), actor "cli". */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/excel_import.h"
#include "app/excel_template.h"
#include "cli/cli.h"
#include "cli/cli_db.h"
#include "cli/cli_file.h"
#include "cli/cli_opt.h"
#include "core/json_oom.h"

static void template_usage(FILE *f)
{
    fprintf(f,
            "Cách dùng: dti template export --round ID (--unit MÃ | --all) -o TỆP [--db URL]\n\n"
            "Xuất mẫu Excel báo cáo tự đánh giá của một đơn vị trong đợt đánh giá (điền sẵn\n"
            "đơn vị, đợt, các tiêu chí và số liệu đã lưu). --all: mẫu của mọi đơn vị, gộp\n"
            "trong một tệp zip.\n"
            "  --round ID   số định danh của đợt đánh giá\n"
            "  --unit MÃ    mã đơn vị\n"
            "  --all        mọi đơn vị của đợt (TỆP là .zip)\n"
            "  -o TỆP       tệp kết quả (ghi đè)\n"
            "  --db URL     cơ sở dữ liệu (mặc định %s)\n",
            DTI_DEFAULT_DB);
}

int cmd_template(int argc, char **argv)
{
    int sub = cli_subcommand("template", argc, argv, "export", template_usage);
    if (sub >= 0)
        return sub;
    const char *url = DTI_DEFAULT_DB, *round = NULL, *unit = NULL, *out = NULL;
    bool help = false, all = false;
    const struct cli_opt opts[] = {
        {"--db", true, &url, NULL},     {"--round", true, &round, NULL},
        {"--unit", true, &unit, NULL},  {"-o", true, &out, NULL},
        {"--all", false, NULL, &all},   {"--help", false, NULL, &help},
        {"-h", false, NULL, &help},
    };
    int rc = cli_parse("template export", argc, argv, 2, opts, sizeof opts / sizeof *opts);
    if (rc)
        return rc;
    if (help) {
        template_usage(stdout);
        return 0;
    }
    char *end = NULL;
    long long id = round ? strtoll(round, &end, 10) : 0;
    if (!round || !*round || *end || id <= 0 || !out || (!unit == !all)) {
        fprintf(stderr, "dti template export: cần --round ID, -o TỆP và một trong --unit MÃ "
                        "hoặc --all\n");
        template_usage(stderr);
        return 2;
    }
    db_conn *c;
    db *d = cli_open_initialised("template", url, &c);
    if (!d)
        return 1;
    struct app_err e = {0};
    int ok = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (all) {
        size_t n = 0;
        if (excel_templates_zip(c, id, out, &n, &e) == 0) {
            clock_gettime(CLOCK_MONOTONIC, &t1);
            double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
            printf("Đã xuất %zu mẫu vào %s (%.2f s, %.0f tệp/s)\n", n, out, s,
                   s > 0 ? (double)n / s : 0.0);
            ok = 1;
        }
    } else {
        int64_t uid = 0;
        int qr = db_query_int(c, "SELECT id FROM units WHERE code = ?",
                              (db_param[]){DB_P_TEXT(unit)}, 1, &uid);
        if (qr == DB_NOTFOUND)
            app_fail(&e, 404, "not_found", "unit", "Không có đơn vị mã %s.", unit);
        else if (qr != DB_OK)
            app_fail_internal(&e);
        else if (excel_template_file(c, id, uid, out, &e) == 0) {
            printf("Đã xuất mẫu của đơn vị %s vào %s\n", unit, out);
            ok = 1;
        }
    }
    db_release(c);
    db_close(d);
    if (!ok) {
        fprintf(stderr, "dti template export: %s\n", e.message);
        return 1;
    }
    return 0;
}

static void import_usage(FILE *f)
{
    fprintf(f,
            "Cách dùng: dti import TỆP.xlsx [TỆP2.xlsx …] [--dry-run] [--json] [--db URL]\n\n"
            "Nhập báo cáo từ mẫu Excel đã điền. Đơn vị và đợt lấy từ dấu nhận dạng của mẫu.\n"
            "Mỗi tệp được kiểm tra và lưu riêng (một giao dịch mỗi tệp).\n"
            "  --dry-run   chỉ kiểm tra và in thay đổi, không lưu\n"
            "  --json      in kết quả dạng JSON\n"
            "  --db URL    cơ sở dữ liệu (mặc định %s)\n"
            "Mã thoát: 0 hợp lệ (và đã lưu), 1 bị từ chối, 2 sai cách dùng.\n",
            DTI_DEFAULT_DB);
}

static void print_value(const json_t *v, char *buf, size_t n)
{
    if (!v || json_is_null(v)) {
        snprintf(buf, n, "—");
        return;
    }
    char *s = json_oom_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
    snprintf(buf, n, "%s", s ? s : "?");
    free(s);
}

static void print_report(const char *file, const json_t *rep)
{
    bool ok = json_is_true(json_object_get(rep, "ok"));
    bool dry = json_is_true(json_object_get(rep, "dry_run"));
    printf("== %s: %s\n", file,
           !ok ? "BỊ TỪ CHỐI" : dry ? "hợp lệ (chạy thử, chưa lưu)" : "đã lưu");
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(rep, "criteria"), i, x) {
        if (!json_is_true(json_object_get(x, "changed")))
            continue;
        char a[256], b[256], pa[32], pb[32];
        json_t *o = json_object_get(x, "old"), *n = json_object_get(x, "new");
        print_value(json_object_get(o, "inputs"), a, sizeof a);
        print_value(json_object_get(n, "inputs"), b, sizeof b);
        print_value(json_object_get(o, "points"), pa, sizeof pa);
        print_value(json_object_get(n, "points"), pb, sizeof pb);
        printf("  %s: %s → %s; điểm %s → %s\n", json_string_value(json_object_get(x, "code")), a,
               b, pa, pb);
    }
    printf("  Tiêu chí thay đổi: %lld\n", (long long)json_integer_value(json_object_get(rep, "changed")));
    json_array_foreach(json_object_get(rep, "warnings"), i, x)
        printf("  Cảnh báo: %s\n", json_string_value(json_object_get(x, "message")));
    json_array_foreach(json_object_get(rep, "errors"), i, x)
        fprintf(stderr, "  Lỗi: %s\n", json_string_value(json_object_get(x, "message")));
}

/* One file: its report (NULL after printing an internal failure). */
static json_t *import_one(db_conn *c, const char *path, bool dry, const struct task_who *who,
                          double *ms)
{
    char ferr[256];
    size_t len = 0;
    char *data = cli_read_file(path, &len, ferr, sizeof ferr);
    if (!data)
        return json_pack("{s:b,s:b,s:b,s:[{s:n,s:n,s:n,s:s,s:s}]}", "ok", 0, "dry_run", dry,
                         "saved", 0, "errors", "sheet", "cell", "criterion", "code", "file",
                         "message", ferr);
    struct xi_opts o = {.dry_run = dry, .who = who, .now = (int64_t)time(NULL)};
    struct app_err e = {0};
    json_t *rep = NULL;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (db_begin(c) == DB_OK) {
        rep = excel_import(c, data, len, &o, &e);
        bool commit = rep && !dry && json_is_true(json_object_get(rep, "ok"));
        if (commit ? db_commit(c) != DB_OK : db_rollback(c) != DB_OK) {
            json_decref(rep);
            rep = NULL;
            app_fail_internal(&e);
        }
    } else {
        app_fail_internal(&e);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    *ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    free(data);
    if (!rep)
        fprintf(stderr, "dti import: %s: %s\n", path, e.message[0] ? e.message : "lỗi nội bộ");
    return rep;
}

int cmd_import(int argc, char **argv)
{
    const char *url = DTI_DEFAULT_DB;
    bool help = false, dry = false, as_json = false;
    const struct cli_opt opts[] = {
        {"--db", true, &url, NULL},          {"--dry-run", false, NULL, &dry},
        {"--json", false, NULL, &as_json},   {"--help", false, NULL, &help},
        {"-h", false, NULL, &help},
    };
    /* files are the arguments that are neither an option nor an option's value */
    char **rest = calloc((size_t)argc + 1, sizeof *rest);
    const char **files = calloc((size_t)argc + 1, sizeof *files);
    if (!rest || !files) {
        free(rest);
        free(files);
        return 1;
    }
    int nrest = 0, nfiles = 0;
    rest[nrest++] = argv[0];
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1]) {
            rest[nrest++] = argv[i];
            if (!strcmp(argv[i], "--db") && i + 1 < argc)
                rest[nrest++] = argv[++i];
        } else {
            files[nfiles++] = argv[i];
        }
    }
    int rc = cli_parse("import", nrest, rest, 1, opts, sizeof opts / sizeof *opts);
    free(rest);
    if (rc || help || nfiles == 0) {
        free(files);
        if (help) {
            import_usage(stdout);
            return 0;
        }
        if (!rc)
            fprintf(stderr, "dti import: cần ít nhất một TỆP.xlsx\n");
        import_usage(stderr);
        return 2;
    }
    db_conn *c;
    db *d = cli_open_initialised("import", url, &c);
    if (!d) {
        free(files);
        return 1;
    }
    struct task_who who = {{0, "cli", NULL}, WR_STAFF, 0};
    bool all_ok = true, internal = false;
    json_t *list = json_array();
    for (int i = 0; i < nfiles && list; i++) {
        double ms = 0;
        json_t *rep = import_one(c, files[i], dry, &who, &ms);
        if (!rep) {
            internal = true;
            all_ok = false;
            continue;
        }
        all_ok = all_ok && json_is_true(json_object_get(rep, "ok"));
        if (!as_json) {
            print_report(files[i], rep);
            /* read, check, score (and save) in one transaction; bench/excel.sh reads this */
            printf("  Thời gian xử lý: %.2f ms\n", ms);
        }
        json_object_set_new(rep, "file", json_string(files[i]));
        json_array_append_new(list, rep);
    }
    db_release(c);
    db_close(d);
    if (as_json && list) {
        json_t *doc = nfiles == 1 && json_array_size(list) == 1
                          ? json_incref(json_array_get(list, 0))
                          : json_pack("{s:b,s:O}", "ok", all_ok, "files", list);
        char *s = doc ? json_oom_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(15)) : NULL;
        if (s)
            printf("%s\n", s);
        free(s);
        json_decref(doc);
    }
    json_decref(list);
    free(files);
    (void)internal;
    return all_ok ? 0 : 1;
}
