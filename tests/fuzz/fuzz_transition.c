/* fuzz_transition.c — the task workflow's write endpoints through the server's whole pipeline
 * (route gates, unit scope and assignments, JSON reading, handler, app layer, workflow table)
 * with arbitrary bodies, callers and phases, on a real SQLite database holding a round.
 *
 * Input: byte 0 = who (bits 0-1: admin, appraiser, staff, leader), bits 2-4 = the round's
 * current phase (0..5; 6, 7: between windows), bits 5-6 = endpoint (POST …/transitions, PUT
 * …/report, POST /rounds/{id}/units/{unit}/transitions, PUT …/appraiser-inputs), bit 7 = which
 * of two tasks; the rest is the JSON body.
 *
 * Checked on every run, besides what the pipeline checks (a status in 100..599, a JSON reply):
 * the task's state is one of the workflow's; a change of the task (its version) came with an
 * audit entry; an approved task has points 0…max; a finalised round changed nothing. The
 * database is put back from a pristine copy every 256 runs. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "app/demo.h"
#include "app/frameworks_store.h"
#include "app/password.h"
#include "app/rounds.h"
#include "app/schema.h"
#include "app/secret.h"
#include "app/users.h"
#include "core/phase.h"
#include "core/workflow.h"
#include "http/server_internal.h"
#include "fuzz_harness.h"

static int64_t round_id, unit_id, task_ids[2];
static const char *const tokens[4] = {
    "a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0",
    "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1",
    "a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2",
    "a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3"};
static const char *const csrfs[4] = {
    "c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0",
    "c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1",
    "c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2",
    "c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3"};

static int64_t user(db_conn *c, const char *name, const char *role, int64_t unit, int i)
{
    struct app_actor who = {.name = "fuzz"};
    struct app_err e;
    char otp[PASSWORD_OTP_LEN];
    int64_t id = 0;
    struct user_input u = {.username = name, .full_name = "Người thử", .role = role,
                           .unit_id = unit};
    if (user_create(c, &who, &u, (int64_t)time(NULL), &id, otp, &e))
        die(e.message);
    harness_session(c, id, tokens[i], csrfs[i]);
    return id;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    db_conn *c = harness_open("fuzz-transition", 1);
    char err[256];
    struct app_actor who = {.name = "fuzz"};
    struct app_err e;
    int64_t now = (int64_t)time(NULL), province = 0;
    const char *fwdir = getenv("DTI_FRAMEWORKS_DIR") ? getenv("DTI_FRAMEWORKS_DIR") : "frameworks";
    if (frameworks_sync_dir(c, fwdir, err, sizeof err) < 0)
        die(err);
    if (db_begin(c) != DB_OK || demo_create_province(c, &who, "Tỉnh", now, &province, &e))
        die("province");
    db_param pu[] = {DB_P_TEXT("Sở Thử"), DB_P_INT(province), DB_P_INT(now)};
    if (db_query_int(c, "INSERT INTO units (code, name, parent_id, kind, created_at) VALUES "
                        "('fuzz-dept', ?, ?, 'department', ?) RETURNING id",
                     pu, 3, &unit_id) != DB_OK)
        die("unit");
    int64_t admin = user(c, "admin", "admin", province, 0);
    int64_t appraiser = user(c, "tham-dinh", "appraiser", province, 1);
    user(c, "can-bo", "staff", unit_id, 2);
    user(c, "lanh-dao", "leader", unit_id, 3);
    (void)admin;
    if (db_exec(c, "UPDATE users SET must_change_password = 0", NULL, 0, NULL) != DB_OK ||
        db_exec(c, "UPDATE users SET totp_secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', "
                   "totp_enabled = 1 WHERE role = 'admin'", NULL, 0, NULL) != DB_OK)
        die("flags");
    char body[512];
    snprintf(body, sizeof body,
             "{\"title\": \"Đợt thử\", \"year\": 2025, \"frameworks\": [{\"level\": "
             "\"department\", \"framework_id\": \"hue-cap-so-2023\", \"version\": 3}], "
             "\"units\": {\"levels\": [], \"include\": [%lld]}}",
             (long long)unit_id);
    json_t *jb = json_loads(body, 0, NULL);
    struct round_counts counts;
    if (!jb || round_create(c, &who, jb, now, &round_id, &counts, &e))
        die(e.message);
    json_decref(jb);
    db_rows *r = NULL;
    if (db_exec(c, "SELECT id FROM tasks WHERE round_id = ? AND criterion_key IN ('i-2-1', "
                   "'i-2-2') ORDER BY criterion_key",
                (db_param[]){DB_P_INT(round_id)}, 1, &r) != DB_OK || db_rows_count(r) != 2)
        die("tasks");
    task_ids[0] = db_int(r, 0, 0);
    task_ids[1] = db_int(r, 1, 0);
    db_rows_free(r);
    if (db_exec(c, "INSERT INTO appraiser_assignments (round_id, level, appraiser_user_id, "
                   "created_at) VALUES (?, 'department', ?, 0)",
                (db_param[]){DB_P_INT(round_id), DB_P_INT(appraiser)}, 2, NULL) != DB_OK ||
        db_commit(c) != DB_OK)
        die("assignment");
    harness_ready(c, dti_routes);
    return 0;
}

static bool fuzz_queue(http_req *r, unsigned status, struct MHD_Response *resp)
{
    (void)resp;
    if (status < 100 || status > 599)
        abort();
    if (getenv("FUZZ_TRANSITION_VERBOSE")) /* to see what a seed reaches */
        fprintf(stderr, "%u %.*s\n", status, (int)r->reply_len, r->reply_body ? r->reply_body : "");
    if (r->reply_body) {
        json_t *j = json_loadb(r->reply_body, r->reply_len, 0, NULL);
        if (!j)
            abort();
        json_decref(j);
    }
    return true;
}

/* Windows of a day each, `phase` (0..5) containing now; 6, 7: every window in the past. */
static void set_phase(db_conn *c, int phase)
{
    int64_t now = (int64_t)time(NULL), day = 86400;
    db_exec(c, "DELETE FROM round_phases WHERE round_id = ?", (db_param[]){DB_P_INT(round_id)},
            1, NULL);
    for (int p = 0; p < PH_COUNT; p++) {
        int64_t s = phase < PH_COUNT ? now + (p - phase) * 2 * day - day : now - (10 - p) * 2 * day;
        db_exec(c, "INSERT INTO round_phases (round_id, phase, starts_at, ends_at) VALUES (?, ?, ?, ?)",
                (db_param[]){DB_P_INT(round_id), DB_P_TEXT(phase_code(p)), DB_P_INT(s),
                             DB_P_INT(s + 2 * day)},
                4, NULL);
    }
}

struct task_state {
    int64_t version, audit, max, approved;
    bool approved_null;
    char state[32];
};

static void read_task(db_conn *c, int64_t id, struct task_state *t)
{
    db_rows *r = NULL;
    if (db_exec(c, "SELECT version, state, max_points, approved_points, (SELECT COUNT(*) FROM "
                   "audit_log) FROM tasks WHERE id = ?",
                (db_param[]){DB_P_INT(id)}, 1, &r) != DB_OK || db_rows_count(r) != 1)
        abort();
    t->version = db_int(r, 0, 0);
    snprintf(t->state, sizeof t->state, "%s", db_text(r, 0, 1));
    t->max = db_int(r, 0, 2);
    t->approved_null = db_is_null(r, 0, 3);
    t->approved = db_int(r, 0, 3);
    t->audit = db_int(r, 0, 4);
    db_rows_free(r);
}


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int runs = harness_tick();
    srv.queue = fuzz_queue;
    unsigned flags = data[0], who = flags & 3, phase = (flags >> 2) & 7,
             endpoint = (flags >> 5) & 3;
    int64_t task = task_ids[flags >> 7];

    db_conn *c = db_acquire(srv.o.pool);
    if (!c)
        abort();
    db_exec(c, "PRAGMA synchronous = OFF", NULL, 0, NULL); /* speed; durability is not fuzzed */
    set_phase(c, (int)phase);
    bool finalised = (runs % 16) == 0;
    db_exec(c, "UPDATE rounds SET status = ?", (db_param[]){DB_P_TEXT(finalised ? "finalised" : "open")},
            1, NULL);
    struct task_state before, after;
    read_task(c, task, &before);
    db_release(c);

    char target[128];
    const char *method = "POST";
    switch (endpoint) {
    case 0: snprintf(target, sizeof target, "/api/v1/tasks/%lld/transitions", (long long)task); break;
    case 1:
        method = "PUT";
        snprintf(target, sizeof target, "/api/v1/tasks/%lld/report", (long long)task);
        break;
    case 2:
        snprintf(target, sizeof target, "/api/v1/rounds/%lld/units/%lld/transitions",
                 (long long)round_id, (long long)unit_id);
        break;
    default:
        method = "PUT";
        snprintf(target, sizeof target, "/api/v1/tasks/%lld/appraiser-inputs", (long long)task);
    }
    char *body = malloc(size);
    memcpy(body, data + 1, size - 1);
    char cookie[128], len[32];
    http_req *r = http_req_new(&srv, NULL, method, target, "HTTP/1.1");
    snprintf(r->client_addr, sizeof r->client_addr, "127.0.0.1");
    int n = snprintf(cookie, sizeof cookie, "dti_session=%s", tokens[who]);
    http_req_add_header(r, "Cookie", cookie, (size_t)n);
    http_req_add_header(r, "X-CSRF-Token", csrfs[who], strlen(csrfs[who]));
    n = snprintf(len, sizeof len, "%zu", size - 1);
    http_req_add_header(r, "Content-Length", len, (size_t)n);
    http_req_add_header(r, "Content-Type", "application/json", 16);
    http_req_add_header(r, "Host", "localhost", 9);
    http_pipeline_start(r);
    if (size == 1 || http_pipeline_body(r, body, size - 1))
        http_pipeline_end(r);
    http_req_done(r);
    free(body);

    c = db_acquire(srv.o.pool);
    if (!c)
        abort();
    read_task(c, task, &after);
    db_release(c);
    if (wf_state_parse(after.state) < 0)
        abort(); /* a state outside the workflow */
    if (after.version != before.version && after.audit <= before.audit)
        abort(); /* a change without its audit entry */
    if (finalised && (after.version != before.version || strcmp(after.state, before.state)))
        abort(); /* a finalised round refuses everything */
    if (!strcmp(after.state, "approved") &&
        (after.approved_null || after.approved < 0 || after.approved > after.max))
        abort();
    return 0;
}
