/* fuzz_request.c — a whole request through the server's pipeline, as libmicrohttpd would hand
 * it over: method, URL (path and query), header fields, cookie, body in chunks; then framing
 * checks, route matching against the real route table (dti_routes), the row's gates (session
 * lookup in a real SQLite database, role, own unit, password gate, CSRF), the handler's JSON
 * reading, the handler itself, the reply and the access-log line.
 *
 * Input: byte 0 = flags, then "METHOD URL\n", header lines "Name: value\n" up to an empty
 * line, then the body (fed in up to three chunks). Flags pick a real session cookie (admin or
 * staff, so the gates are passed part of the time), the matching CSRF token, HTTP/1.0, Host
 * and Content-Length.
 *
 * Checked on every reply: a status in 100..599, the security headers on /api/ replies, a JSON
 * body that parses (an error body with code and message); and the access-log line is one
 * line of valid JSON. Handlers that hash passwords (argon2id, 64 MiB, ~0.1 s) are replaced by
 * a stub that reads the JSON like them, or executions/s would drop to ~10. The database is put
 * back from a pristine copy every 256 runs so that what earlier inputs changed (a retired
 * unit, thousands of created users) does not drift the run.
 *
 * Evidence uploads (ROUTE_STREAM_BODY) run for real: a blob store in the temporary directory,
 * a round in its trial phase with one task of the staff's unit (task 1) and one stored file
 * (evidence 1), so a multipart body sent with the staff session reaches the streaming consumer,
 * the multipart reader, libmagic and the store, fed in the same chunks as any body. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "app/blobstore.h"
#include "app/demo.h"
#include "app/password.h"
#include "app/schema.h"
#include "app/secret.h"
#include "app/users.h"
#include "http/json_read.h"
#include "http/server_internal.h"
#include "fuzz_harness.h"

static struct route routes[128];
static const char *tok_admin = "a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0";
static const char *tok_staff = "b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1";
static const char *csrf_admin = "c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2";
static const char *csrf_staff = "d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3";

/* Reads the body as the replaced handler would, so the JSON path stays covered. */
static int stub_handler(http_req *r)
{
    json_t *b = http_json(r);
    const char *s;
    struct json_err e;
    if (b && !json_req_string(b, "password", 1, 1024, false, &s, &e))
        return http_reply_json_err(r, &e);
    return http_reply_json(r, 200, json_pack("{s:b}", "stub", 1));
}

static bool is_slow(http_handler h)
{
    return h == api_login || h == api_password || h == api_user_create ||
           h == api_user_reset_password || h == api_logout;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    db_conn *c = harness_open("fuzz-request", 2);
    struct app_actor who = {.user_id = 0, .name = "fuzz", .client_addr = NULL};
    struct app_err e;
    int64_t now = (int64_t)time(NULL), province = 0, admin = 0, dept = 0, staff = 0;
    char otp[PASSWORD_OTP_LEN];
    struct user_input ua = {.username = "admin", .full_name = "Quản trị", .role = "admin"};
    if (db_begin(c) != DB_OK || demo_create_province(c, &who, "Tỉnh", now, &province, &e))
        die("province");
    ua.unit_id = province;
    if (user_create(c, &who, &ua, now, &admin, otp, &e))
        die("admin");
    db_param pu[] = {DB_P_TEXT("Sở Thử"), DB_P_INT(province), DB_P_INT(now)};
    if (db_query_int(c,
                     "INSERT INTO units (code, name, parent_id, kind, created_at) VALUES "
                     "('fuzz-dept', ?, ?, 'department', ?) RETURNING id",
                     pu, 3, &dept) != DB_OK)
        dept = province;
    struct user_input us = {.username = "staff", .full_name = "Cán bộ", .role = "staff",
                            .unit_id = dept};
    if (user_create(c, &who, &us, now, &staff, otp, &e))
        die("staff");
    if (db_exec(c, "UPDATE users SET must_change_password = 0", NULL, 0,
                NULL) != DB_OK)
        die("pw flag");
    /* Admins must have a second factor before anything else (ROUTE_TOTP_SETUP_OK): enrolled,
     * so the admin session reaches every admin route; the gate itself is still fuzzed through
     * the staff session's own enrolment routes. */
    if (db_exec(c, "UPDATE users SET totp_secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', "
                   "totp_enabled = 1 WHERE role = 'admin'", NULL, 0, NULL) != DB_OK)
        die("totp flag");
    /* evidence: a round in its trial phase, task 1 of the staff's unit, evidence 1 stored */
    char err2[256];
    srv.o.blobs = blobstore_fs_open(harness.dir, err2, sizeof err2);
    if (!srv.o.blobs)
        die(err2);
    srv.o.max_upload = 4096; /* small, so the file limit is reached within -max_len */
    static const char pdf[] = "%PDF-1.4\n%%EOF\n";
    struct blob_tmp *bt = srv.o.blobs->ops->tmp_new(srv.o.blobs);
    char sha[BLOB_SHA256_HEX];
    bool existed;
    if (!bt || !srv.o.blobs->ops->tmp_write(bt, pdf, sizeof pdf - 1) ||
        srv.o.blobs->ops->put(srv.o.blobs, bt, sha, &existed) != 0)
        die("blob");
    srv.o.blobs->ops->tmp_remove(bt);
    int64_t round = 0;
    if (db_query_int(c, "INSERT INTO rounds (title, year, created_at) VALUES ('Fuzz', 2026, ?) "
                        "RETURNING id", (db_param[]){DB_P_INT(now)}, 1, &round) != DB_OK ||
        db_exec(c, "INSERT INTO round_phases (round_id, phase, starts_at, ends_at) VALUES "
                   "(?, 'trial', ?, ?)",
                (db_param[]){DB_P_INT(round), DB_P_INT(now - 86400), DB_P_INT(now + 3650 * 86400)},
                3, NULL) != DB_OK ||
        db_exec(c, "INSERT INTO tasks (round_id, subject_unit_id, unit_id, framework_id, "
                   "framework_version, criterion_key, pillar_key, seq, max_points) VALUES "
                   "(?, ?, ?, 'fuzz', 1, 'c1', 'p1', 1, 100)",
                (db_param[]){DB_P_INT(round), DB_P_INT(dept), DB_P_INT(dept)}, 3, NULL) != DB_OK ||
        db_exec(c, "INSERT INTO blobs (sha256, size, mime, created_at) VALUES (?, ?, "
                   "'application/pdf', ?)",
                (db_param[]){DB_P_TEXT(sha), DB_P_INT(sizeof pdf - 1), DB_P_INT(now)}, 3,
                NULL) != DB_OK ||
        db_exec(c, "INSERT INTO evidence (task_id, sha256, file_name, mime, size, uploaded_at) "
                   "VALUES (1, ?, 'Báo cáo.pdf', 'application/pdf', ?, ?)",
                (db_param[]){DB_P_TEXT(sha), DB_P_INT(sizeof pdf - 1), DB_P_INT(now)}, 3,
                NULL) != DB_OK)
        die("evidence rows");
    harness_session(c, admin, tok_admin, csrf_admin);
    harness_session(c, staff, tok_staff, csrf_staff);
    if (db_commit(c) != DB_OK)
        die("commit");
    size_t n = 0;
    for (const struct route *rt = dti_routes; rt->method && n + 1 < sizeof routes / sizeof *routes;
         rt++, n++) {
        routes[n] = *rt;
        if (is_slow(rt->handler))
            routes[n].handler = stub_handler;
    }
    harness_ready(c, routes);
    return 0;
}

static bool is_json_reply(const struct MHD_Response *resp)
{
    const char *ct = MHD_get_response_header((struct MHD_Response *)resp, "Content-Type");
    return ct && strncmp(ct, "application/json", 16) == 0;
}

static bool fuzz_queue(http_req *r, unsigned status, struct MHD_Response *resp)
{
    if (status < 100 || status > 599)
        abort();
    bool api = r->route || strncmp(r->raw_url, "/api/", 5) == 0;
    if (!MHD_get_response_header(resp, "X-Content-Type-Options") ||
        !MHD_get_response_header(resp, "Content-Security-Policy") ||
        (api && !MHD_get_response_header(resp, "Cache-Control")))
        abort();
    if (r->reply_body && is_json_reply(resp)) {
        json_error_t je;
        json_t *j = json_loadb(r->reply_body, r->reply_len, 0, &je);
        if (!j)
            abort();
        if (status >= 400) {
            json_t *err = json_object_get(j, "error");
            if (!json_is_string(json_object_get(err, "code")) ||
                !json_is_string(json_object_get(err, "message")))
                abort();
        }
        json_decref(j);
    }
    return true;
}

/* Query string split as libmicrohttpd does (in place: '&' and '=' become NUL). */
static void split_query(http_req *r, char *q)
{
    while (q && *q) {
        char *amp = strchr(q, '&'), *eq = strchr(q, '=');
        if (amp)
            *amp = '\0';
        if (eq && (!amp || eq < amp)) {
            *eq = '\0';
            http_req_add_query(r, q, eq + 1);
        } else {
            http_req_add_query(r, q, NULL);
        }
        q = amp ? amp + 1 : NULL;
    }
}


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    harness_tick();
    srv.queue = fuzz_queue;
    unsigned flags = data[0];
    /* One mutable copy; the pipeline keeps pointers into it until the request is done. */
    char *buf = malloc(size + 512);
    memcpy(buf, data + 1, size - 1);
    buf[size - 1] = '\0';
    char *end = buf + size - 1;

    char *line_end = memchr(buf, '\n', (size_t)(end - buf));
    char *line = buf;
    char *p = line_end ? line_end + 1 : end;
    if (line_end)
        *line_end = '\0';
    char *sp = memchr(line, ' ', strlen(line));
    const char *method = line, *target = "/";
    if (sp) {
        *sp = '\0';
        target = sp + 1;
    }
    char *target_copy = strdup(target);
    char *q = strchr(target_copy, '?');
    if (q)
        *q++ = '\0';

    http_req *r = http_req_new(&srv, NULL, method, target_copy,
                               (flags & 8) ? "HTTP/1.0" : "HTTP/1.1");
    snprintf(r->client_addr, sizeof r->client_addr, "127.0.0.1");
    split_query(r, q);
    /* Header lines up to the first empty one; values keep their length (NUL bytes too). */
    while (p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *le = nl ? nl : end;
        if (le == p) {
            p = le + 1;
            break;
        }
        *le = '\0';
        char *colon = memchr(p, ':', (size_t)(le - p));
        if (colon) {
            *colon = '\0';
            char *v = colon + 1;
            while (v < le && *v == ' ')
                v++;
            http_req_add_header(r, p, v, (size_t)(le - v));
        }
        p = le + 1;
    }
    if (p > end)
        p = end;
    size_t body_len = (size_t)(end - p);

    /* Generated fields live after the input in buf (512 spare bytes). */
    char *gen = end + 1;
    static const char *const tok[] = {NULL, "a", "b", NULL};
    unsigned who = flags & 3;
    if (tok[who]) {
        int n = sprintf(gen, "dti_session=%s", who == 1 ? tok_admin : tok_staff);
        http_req_add_header(r, "Cookie", gen, (size_t)n);
        gen += n + 1;
        if (flags & 4) {
            const char *c = who == 1 ? csrf_admin : csrf_staff;
            http_req_add_header(r, "X-CSRF-Token", c, strlen(c));
        }
    } else if (who == 3) {
        http_req_add_header(r, "Authorization", "Bearer dti_nonexistent", 22);
    }
    if (flags & 16)
        http_req_add_header(r, "Host", "localhost", 9);
    if ((flags & 32) && body_len) {
        int n = sprintf(gen, "%zu", body_len);
        http_req_add_header(r, "Content-Length", gen, (size_t)n);
        http_req_add_header(r, "Content-Type", "application/json", 16);
    }

    http_pipeline_start(r);
    bool keep = true;
    size_t chunk = body_len / 3 + 1;
    for (size_t off = 0; keep && off < body_len; off += chunk)
        keep = http_pipeline_body(r, p + off, body_len - off < chunk ? body_len - off : chunk);
    if (keep)
        http_pipeline_end(r);

    char log[8192];
    size_t n = http_access_log_line(r, log, sizeof log);
    json_error_t je;
    json_t *j = n ? json_loadb(log, n, 0, &je) : NULL;
    if (!j || log[n - 1] != '\n' || memchr(log, '\n', n - 1))
        abort();
    json_decref(j);
    if (getenv("FUZZ_REQUEST_VERBOSE")) /* to see what a seed reaches */
        fprintf(stderr, "%.*s", (int)n, log);
    http_req_done(r);
    free(target_copy);
    free(buf);
    return 0;
}
