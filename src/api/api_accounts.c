/* api_accounts.c — POST /rounds/{id}/accounts (bulk accounts, the file is the response),
 * GET /inbox and GET /rounds/{id}/summary. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "app/accounts.h"
#include "app/inbox.h"
#include "app/round_summary.h"

static json_t *accounts_json(const struct account_batch *b)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < b->n; i++) {
        const struct account_row *x = &b->rows[i];
        if (!x->user_id)
            continue;
        if (json_array_append_new(
                a, json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:s}", "user_id", (json_int_t)x->user_id,
                             "unit_id", (json_int_t)x->unit_id, "unit_code", x->unit_code,
                             "unit_name", x->unit_name, "role", account_role(x->kind),
                             "role_label", account_label(x->kind), "username", x->username,
                             "one_time_password", x->otp))) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

/* The file as the response: attachment named after the round, never cached (the API's
 * Cache-Control: no-store), the number created in X-Accounts-Created. */
static int reply_file(http_req *r, const struct account_batch *b, const char *format)
{
    char name[160], created[32];
    snprintf(created, sizeof created, "%zu", b->created);
    if (!strcmp(format, "json")) {
        json_t *acc = accounts_json(b);
        json_t *out = acc ? json_pack("{s:I,s:I,s:I,s:o}", "round_id", (json_int_t)b->round_id,
                                      "units", (json_int_t)b->units, "created",
                                      (json_int_t)b->created, "accounts", acc)
                          : NULL;
        if (!out)
            return api_internal(r);
        /* the reply dumps the text; the passwords in `out` die with it */
        return http_reply_json(r, b->created ? 201 : 200, out);
    }
    bool xlsx = !strcmp(format, "xlsx");
    uint64_t size = 0;
    /* streamed from its file, never read into memory here */
    int fd = accounts_file_fd(b, xlsx, &size);
    if (fd < 0)
        return api_internal(r);
    snprintf(name, sizeof name, "attachment; filename=\"tai-khoan-dot-%lld.%s\"",
             (long long)b->round_id, format);
    if (!http_add_header(r, "Content-Disposition", name) ||
        !http_add_header(r, "X-Accounts-Created", created)) {
        close(fd);
        return api_internal(r);
    }
    return http_reply_fd(r, b->created ? 201 : 200,
                         xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                              : "text/csv; charset=utf-8",
                         fd, size);
}

int api_round_accounts(http_req *r)
{
    int64_t id;
    if (!in_path_id(r, &id))
        return 0;
    static const char *const allowed[] = {"format", NULL};
    json_t *b = in_body(r, allowed);
    if (!b)
        return 0;
    const char *format = NULL;
    if (in_string(r, b, "format", 8, &format) == IN_ERROR)
        return 0;
    if (!format)
        format = "csv";
    if (strcmp(format, "csv") && strcmp(format, "xlsx") && strcmp(format, "json"))
        return http_reply_error(r, 400, "invalid_value",
                                "Định dạng tệp (format) phải là csv, xlsx hoặc json.", "format");
    db_conn *c = http_db(r);
    if (!c)
        return api_internal(r);
    struct app_err err;
    struct account_batch batch;
    /* Plan and hash outside the transaction: thousands of argon2id runs must not hold the
     * write lock; the commit re-checks every planned account. */
    if (accounts_plan(c, id, &batch, &err))
        return api_fail(r, &err);
    if (accounts_hash(&batch, &err)) {
        accounts_free(&batch);
        return api_fail(r, &err);
    }
    c = api_begin(r);
    if (!c) {
        accounts_free(&batch);
        return 0;
    }
    struct app_actor who = api_actor(r);
    int rc = accounts_commit(c, &who, &batch, format, api_now(), &err);
    if (!api_end(r, c, rc, &err)) {
        accounts_free(&batch);
        return 0;
    }
    rc = reply_file(r, &batch, format);
    accounts_free(&batch);
    return rc;
}

int api_round_summary(http_req *r)
{
    int64_t id;
    const char *level;
    if (!in_path_id(r, &id) || !in_query_level(r, &level))
        return 0;
    const struct caller *who = http_caller(r);
    /* Staff and leaders see their own unit's row; admins and appraisers every unit. */
    int64_t only = (who->role == ROLE_STAFF || who->role == ROLE_LEADER) ? who->unit_id : 0;
    if ((who->role == ROLE_STAFF || who->role == ROLE_LEADER) && only <= 0)
        only = -1;
    db_conn *c = http_db(r);
    if (!c)
        return api_internal(r);
    struct app_err err;
    json_t *s = round_summary(c, id, level, only, api_now(), &err);
    if (!s)
        return api_fail(r, &err);
    return http_reply_json(r, 200, s);
}

int api_inbox(http_req *r)
{
    int64_t limit = INBOX_LIMIT_DEFAULT;
    if (!http_query_int(r, "limit", 1, INBOX_LIMIT_MAX, &limit))
        return 0;
    const struct caller *who = http_caller(r);
    db_conn *c = http_db(r);
    json_t *out = c ? inbox_get(c, who->role, who->user_id, who->unit_id, api_now(), (int)limit)
                    : NULL;
    if (!out)
        return api_internal(r);
    return http_reply_json(r, 200, out);
}
