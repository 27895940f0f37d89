/* accounts.c — bulk accounts for a round: plan, hash in parallel, commit (accounts.h). */
#include "app/accounts.h"

#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/audit.h"
#include "app/users.h"
#include "core/utf8.h"

static const struct {
    const char *role, *suffix, *label;
} kinds[ACC_KINDS] = {
    {"staff", "canbo", "Cán bộ"},
    {"leader", "lanhdao", "Lãnh đạo"},
};

const char *account_role(enum account_kind k) { return kinds[k].role; }
const char *account_suffix(enum account_kind k) { return kinds[k].suffix; }
const char *account_label(enum account_kind k) { return kinds[k].label; }

void account_username(const char *code, enum account_kind k, int attempt, char out[65])
{
    char base[UNIT_CODE_MAX + 1];
    size_t n = 0;
    /* Unit codes are [A-Za-z0-9._-]{1,32} (units.c): lower-casing keeps them valid names. */
    for (; code[n] && n < UNIT_CODE_MAX; n++) {
        char ch = code[n];
        base[n] = ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
    }
    base[n] = '\0';
    if (attempt > 1)
        snprintf(out, 65, "%s.%s%d", base, kinds[k].suffix, attempt);
    else
        snprintf(out, 65, "%s.%s", base, kinds[k].suffix);
}

/* Enabled accounts of unit u with role `role`. */
static int has_role(db_conn *c, int64_t unit, const char *role, bool *out)
{
    int64_t n = 0;
    db_param p[] = {DB_P_INT(unit), DB_P_TEXT(role)};
    int rc = db_query_int(c,
                          "SELECT COUNT(*) FROM users WHERE unit_id = ? AND role = ? AND "
                          "disabled = 0",
                          p, 2, &n);
    *out = n > 0;
    return rc;
}

int accounts_plan(db_conn *c, int64_t round_id, struct account_batch *b, struct app_err *err)
{
    memset(b, 0, sizeof *b);
    b->round_id = round_id;
    int64_t one = 0;
    int rc = db_query_int(c, "SELECT 1 FROM rounds WHERE id = ?", (db_param[]){DB_P_INT(round_id)},
                          1, &one);
    if (rc == DB_NOTFOUND)
        return app_fail(err, 404, "not_found", NULL, "Không tìm thấy đợt đánh giá.");
    if (rc != DB_OK)
        return app_fail_internal(err);
    db_rows *r = NULL;
    db_param p[] = {DB_P_INT(round_id), DB_P_INT(round_id)};
    rc = db_exec(c,
                 "SELECT u.id, u.code, u.name FROM units u WHERE u.retired_at IS NULL AND u.id IN ("
                 "SELECT unit_id FROM round_units WHERE round_id = ? UNION "
                 "SELECT unit_id FROM tasks WHERE round_id = ?) ORDER BY u.code, u.id",
                 p, 2, &r);
    if (rc != DB_OK)
        return app_fail_internal(err);
    int nu = db_rows_count(r);
    b->units = (size_t)nu;
    b->rows = nu ? calloc((size_t)nu * ACC_KINDS, sizeof *b->rows) : NULL;
    if (nu && !b->rows) {
        db_rows_free(r);
        return app_fail_internal(err);
    }
    for (int i = 0; i < nu; i++) {
        for (int k = 0; k < ACC_KINDS; k++) {
            bool has = false;
            if (has_role(c, db_int(r, i, 0), kinds[k].role, &has) != DB_OK) {
                db_rows_free(r);
                accounts_free(b);
                return app_fail_internal(err);
            }
            if (has)
                continue;
            struct account_row *a = &b->rows[b->n++];
            a->unit_id = db_int(r, i, 0);
            a->kind = (enum account_kind)k;
            snprintf(a->unit_code, sizeof a->unit_code, "%s", db_text(r, i, 1));
            snprintf(a->unit_name, sizeof a->unit_name, "%s", db_text(r, i, 2));
        }
    }
    db_rows_free(r);
    return 0;
}

struct hash_job {
    struct account_batch *b;
    atomic_size_t next;
    atomic_int failed;
};

static void *hash_worker(void *arg)
{
    struct hash_job *j = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&j->next, 1);
        if (i >= j->b->n || atomic_load(&j->failed))
            return NULL;
        struct account_row *a = &j->b->rows[i];
        password_generate(a->otp);
        if (password_hash(a->otp, a->hash) != 0)
            atomic_store(&j->failed, 1);
    }
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int accounts_hash(struct account_batch *b, struct app_err *err)
{
    double t0 = now_seconds();
    struct hash_job j = {.b = b};
    atomic_init(&j.next, 0);
    atomic_init(&j.failed, 0);
    /* More threads than the hashing gate admits would only wait on it. */
    size_t nt = password_max_concurrent();
    if (nt > b->n)
        nt = b->n;
    if (nt > 16)
        nt = 16;
    pthread_t th[16];
    size_t started = 0;
    for (; started < nt; started++)
        if (pthread_create(&th[started], NULL, hash_worker, &j) != 0)
            break;
    if (started == 0 && b->n)
        hash_worker(&j); /* no thread available: do it here */
    for (size_t i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    b->hash_seconds = now_seconds() - t0;
    return atomic_load(&j.failed) ? app_fail_internal(err) : 0;
}

/* "Cán bộ - <unit name>", or with the code when the name would make it too long. */
static void full_name_of(const struct account_row *a, char *out, size_t cap)
{
    const char *label = kinds[a->kind].label;
    long chars = utf8_count(a->unit_name, strlen(a->unit_name));
    if (chars >= 0 && chars + 12 <= USER_FULL_NAME_MAX)
        snprintf(out, cap, "%s - %s", label, a->unit_name);
    else
        snprintf(out, cap, "%s - %s", label, a->unit_code);
}

int accounts_commit(db_conn *c, const struct app_actor *who, struct account_batch *b,
                    const char *format, int64_t now, struct app_err *err)
{
    b->created = 0;
    for (size_t i = 0; i < b->n; i++) {
        struct account_row *a = &b->rows[i];
        a->user_id = 0;
        bool has = false;
        if (has_role(c, a->unit_id, kinds[a->kind].role, &has) != DB_OK)
            return app_fail_internal(err);
        if (has) /* made by a concurrent run since the plan */
            continue;
        /* The predictable name, or the first free numbered one (two codes may differ only in
         * case, or someone may already use the name). */
        int attempt = 1;
        for (;; attempt++) {
            account_username(a->unit_code, a->kind, attempt, a->username);
            if (!user_id_by_name(c, a->username))
                break;
            if (attempt == 99)
                return app_fail(err, 409, "username_taken", NULL,
                                "Không tìm được tên đăng nhập còn trống cho đơn vị “%s”.",
                                a->unit_code);
        }
        char full_name[sizeof a->unit_name + 32];
        full_name_of(a, full_name, sizeof full_name);
        struct user_input in = {.username = a->username,
                                .full_name = full_name,
                                .role = kinds[a->kind].role,
                                .unit_id = a->unit_id};
        if (user_create_hashed(c, who, &in, a->hash, now, &a->user_id, err))
            return -1;
        b->created++;
    }
    json_t *batch = json_pack("{s:I,s:I,s:I,s:s}", "units", (json_int_t)b->units, "planned",
                              (json_int_t)b->n, "created", (json_int_t)b->created, "format",
                              format ? format : "");
    int rc = batch ? audit_change(c, who, "round", "round.accounts", b->round_id, NULL, batch, now)
                   : DB_ERROR;
    json_decref(batch);
    return rc == DB_OK ? 0 : app_fail_internal(err);
}

void accounts_free(struct account_batch *b)
{
    if (b->rows) {
        sodium_memzero(b->rows, b->n * sizeof *b->rows);
        free(b->rows);
    }
    b->rows = NULL;
    b->n = 0;
}
