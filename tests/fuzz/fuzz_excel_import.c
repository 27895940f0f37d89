/* fuzz_excel_import.c — the whole Excel import path (app/excel_import.h) on arbitrary bytes:
 * read (core/xlsx_read.h, the API's template-derived limits) → fingerprint → structure → every
 * value → scoring under the round's readings → workflow, against a small real round: a temp
 * SQLite database made once (one department, a round of the 6-criterion set
 * tests/fuzz/excel_import_fw/fuzz-mini.json, one of each input kind, in self-assessment).
 * Odd-sized inputs are a dry run, even-sized ones save (task_save_report, standardise) — and are
 * rolled back like every run, so the database never drifts. No crash, no leak, no undefined
 * behaviour; the report always within its contract (ok ⇔ no error, every issue a message).
 *
 * Inputs: an .xlsx archive, or "PARTS\n@name\n…" sections zipped here (fuzz_parts.h) so
 * mutations reach the XML. Seeds (tests/fuzz/corpus/excel_import/) are real templates of this
 * very round, filled and broken: tests/fuzz/make_excel_import_corpus.sh, which runs this binary
 * with FUZZ_EXCEL_TEMPLATE=PATH to have the template written there. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/demo.h"
#include "app/excel_import.h"
#include "app/excel_template.h"
#include "app/frameworks_store.h"
#include "app/rounds.h"
#include "core/json_oom.h"
#include "core/utf8.h"
#include "core/workflow.h"
#include "fuzz_harness.h"
#include "fuzz_parts.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int64_t round_id, unit_id;
static db_conn *conn;

/* YYYY-MM-DD in Asia/Ho_Chi_Minh, days from today. */
static void vn_date(time_t now, int days, char out[11])
{
    time_t t = now + 7 * 3600 + (time_t)days * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* no HTTP server here: one connection, every run rolled back */
    (void)harness_session;
    (void)harness_ready;
    (void)harness_tick;
    db_conn *c = harness_open("fuzz-excel-import", 1);
    char err[256];
    struct app_actor who = {.name = "fuzz"};
    struct app_err e;
    int64_t now = (int64_t)time(NULL), province = 0;
    const char *fwdir = getenv("FUZZ_EXCEL_FW_DIR") ? getenv("FUZZ_EXCEL_FW_DIR")
                                                    : "tests/fuzz/excel_import_fw";
    if (frameworks_sync_dir(c, fwdir, err, sizeof err) < 0)
        die(err);
    if (db_begin(c) != DB_OK || demo_create_province(c, &who, "Tỉnh", now, &province, &e))
        die("province");
    db_param pu[] = {DB_P_TEXT("Sở Thử Nhập"), DB_P_INT(province), DB_P_INT(now)};
    if (db_query_int(c, "INSERT INTO units (code, name, parent_id, kind, created_at) VALUES "
                        "('fuzz-dept', ?, ?, 'department', ?) RETURNING id",
                     pu, 3, &unit_id) != DB_OK)
        die("unit");
    /* the six phases in windows of three days, self-assessment holding today */
    static const char *const phases[] = {"trial", "self_assessment", "appraisal1",
                                         "explanation", "appraisal2", "finalised"};
    char body[2048], ph[1024] = "";
    size_t used = 0;
    for (int j = 0; j < 6; j++) {
        char s[11], t[11];
        vn_date((time_t)now, 3 * (j - 1) - 1, s);
        vn_date((time_t)now, 3 * (j - 1) + 1, t);
        int n = snprintf(ph + used, sizeof ph - used,
                         "%s{\"phase\": \"%s\", \"starts\": \"%s\", \"ends\": \"%s\"}",
                         j ? ", " : "", phases[j], s, t);
        if (n < 0 || (size_t)n >= sizeof ph - used)
            die("phases");
        used += (size_t)n;
    }
    snprintf(body, sizeof body,
             "{\"title\": \"Đợt thử nhập Excel\", \"year\": 2025, \"frameworks\": [{\"level\": "
             "\"department\", \"framework_id\": \"fuzz-mini\", \"version\": 1}], "
             "\"units\": {\"levels\": [], \"include\": [%lld]}, \"phases\": [%s]}",
             (long long)unit_id, ph);
    json_t *jb = json_loads(body, 0, NULL);
    struct round_counts counts;
    if (!jb || round_create(c, &who, jb, now, &round_id, &counts, &e))
        die(e.message);
    json_decref(jb);
    if (db_commit(c) != DB_OK)
        die("commit");
    const char *tpl = getenv("FUZZ_EXCEL_TEMPLATE");
    if (tpl) { /* seeds: the template of this round and unit, then stop */
        if (excel_template_file(c, round_id, unit_id, tpl, &e))
            die(e.message);
        fprintf(stderr, "template of round %lld, unit %lld written to %s\n", (long long)round_id,
                (long long)unit_id, tpl);
        exit(0);
    }
    conn = c;
    return 0;
}

static void check_issues(const json_t *list)
{
    size_t i;
    const json_t *it;
    if (!json_is_array(list))
        abort();
    json_array_foreach(list, i, it) {
        const char *m = json_string_value(json_object_get(it, "message"));
        const char *code = json_string_value(json_object_get(it, "code"));
        if (!m || !*m || !code || !*code || utf8_count(m, strlen(m)) < 0)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 20)
        return 0;
    uint8_t *zipped = NULL;
    size_t len = size;
    const uint8_t *in = data;
    if (size >= 6 && memcmp(data, "PARTS\n", 6) == 0) {
        zipped = zip_parts(data, size, &len);
        if (!zipped)
            return 0;
        in = zipped;
    }
    struct task_who who = {{0, "fuzz", NULL}, WR_ADMIN, 0};
    struct xi_opts o = {.dry_run = size & 1, .expect_round = round_id, .who = &who,
                        .now = (int64_t)time(NULL), .max_file_bytes = 4u << 20};
    struct app_err err;
    if (db_begin(conn) != DB_OK)
        abort();
    json_t *rep = excel_import(conn, in, len, &o, &err);
    if (db_rollback(conn) != DB_OK)
        abort();
    if (rep) {
        const json_t *errors = json_object_get(rep, "errors");
        check_issues(errors);
        check_issues(json_object_get(rep, "warnings"));
        bool ok = json_is_true(json_object_get(rep, "ok"));
        if (ok != (json_array_size(errors) == 0) || !json_is_array(json_object_get(rep, "criteria")))
            abort();
        if (json_is_true(json_object_get(rep, "saved")) && (o.dry_run || !ok))
            abort();
        if (getenv("FUZZ_EXCEL_VERBOSE")) /* seeds: how deep each one gets */
            fprintf(stderr, "ok=%d saved=%d changed=%lld errors=%zu first=%s\n", ok,
                    json_is_true(json_object_get(rep, "saved")),
                    (long long)json_integer_value(json_object_get(rep, "changed")),
                    json_array_size(errors),
                    json_array_size(errors)
                        ? json_string_value(json_object_get(json_array_get(errors, 0), "message"))
                        : "");
        /* the report is what the API serialises */
        char *s = json_oom_dumps(rep, JSON_COMPACT);
        if (!s || utf8_count(s, strlen(s)) < 0)
            abort();
        free(s);
        json_decref(rep);
    } else if (err.status < 500) {
        abort(); /* NULL only on an internal failure */
    }
    free(zipped);
    return 0;
}
