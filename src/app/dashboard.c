/* dashboard.c — see dashboard.h. */
#include "app/dashboard.h"

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/frameworks_cache.h"
#include "app/json_rows.h"
#include "app/round_summary.h"
#include "core/json_oom.h"
#include "core/utf8.h"
#include "core/vnfold.h"

static const char *const sort_names[DASH_SORT_COUNT] = {
    "name", "code", "tasks", "approved_points", "max_points", "self_points",
    "dat", "chua_dat", "khong_dat"};

int dash_sort_parse(const char *s)
{
    for (int i = 0; i < DASH_SORT_COUNT; i++)
        if (!strcmp(s, sort_names[i]))
            return i;
    return -1;
}

const char *dash_sort_name(enum dash_sort s)
{
    return sort_names[s];
}

/* ---- the snapshot of a round: rows, folded names, the last replies ---- */

static const char *const level_order[5] = {"province", "department", "district", "commune",
                                           "other"};

#define SNAP_REPLIES 8
#define CACHE_ROUNDS 4

struct reply {
    char *params, *body;
    size_t len;
};

struct snap {
    int refs;
    int64_t round_id, gen, sa_end; /* sa_end: end of self-assessment, INT64_MAX if none */
    struct summary_rows s;
    char **keys; /* folded unit names, parallel to s.rows */
    int64_t level_units[5]; /* units per level, in level_order */
    struct reply replies[SNAP_REPLIES];
    int next_reply;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct snap *cache[CACHE_ROUNDS];

static void snap_free(struct snap *p)
{
    if (!p)
        return;
    for (size_t i = 0; p->keys && i < p->s.n; i++)
        free(p->keys[i]);
    free(p->keys);
    for (int i = 0; i < SNAP_REPLIES; i++) {
        free(p->replies[i].params);
        free(p->replies[i].body);
    }
    summary_rows_free(&p->s);
    free(p);
}

static void snap_release(struct snap *p)
{
    pthread_mutex_lock(&lock);
    bool last = --p->refs == 0;
    pthread_mutex_unlock(&lock);
    if (last)
        snap_free(p);
}

static bool cache_on(void)
{
    const char *e = getenv("DTI_DASH_CACHE");
    return !e || strcmp(e, "0");
}

/* A held snapshot of round_id at gen whose window state still holds at now, or NULL. */
static struct snap *cache_get(int64_t round_id, int64_t gen, int64_t now)
{
    struct snap *hit = NULL;
    pthread_mutex_lock(&lock);
    for (int i = 0; i < CACHE_ROUNDS; i++) {
        struct snap *p = cache[i];
        if (p && p->round_id == round_id && p->gen == gen &&
            (now >= p->sa_end) == p->s.window_closed) {
            hit = p;
            hit->refs++;
            break;
        }
    }
    pthread_mutex_unlock(&lock);
    return hit;
}

/* Keeps p (held by the caller) in place of the same round's older snapshot, else of the
 * first free or the oldest slot. */
static void cache_put(struct snap *p)
{
    struct snap *old = NULL;
    pthread_mutex_lock(&lock);
    int slot = -1;
    for (int i = 0; i < CACHE_ROUNDS && slot < 0; i++)
        if (cache[i] && cache[i]->round_id == p->round_id)
            slot = i;
    for (int i = 0; i < CACHE_ROUNDS && slot < 0; i++)
        if (!cache[i])
            slot = i;
    if (slot < 0) { /* all taken by other rounds: drop the last, shift the rest */
        slot = 0;
        old = cache[CACHE_ROUNDS - 1];
        memmove(cache + 1, cache, (CACHE_ROUNDS - 1) * sizeof *cache);
        cache[0] = NULL;
    }
    if (!old)
        old = cache[slot];
    cache[slot] = p;
    p->refs++;
    bool drop = old && --old->refs == 0;
    pthread_mutex_unlock(&lock);
    if (drop)
        snap_free(old);
}

static struct snap *snap_build(db_conn *c, int64_t round_id, int64_t gen, int64_t now,
                               struct app_err *err)
{
    struct snap *p = calloc(1, sizeof *p);
    if (!p) {
        app_fail_internal(err);
        return NULL;
    }
    p->refs = 1;
    p->round_id = round_id;
    p->gen = gen;
    if (round_summary_rows(c, round_id, NULL, 0, now, &p->s, err)) {
        free(p);
        return NULL;
    }
    int64_t end = 0;
    int rc = db_query_int(c,
                          "SELECT ends_at FROM round_phases WHERE round_id = ? AND phase = "
                          "'self_assessment'",
                          (db_param[]){DB_P_INT(round_id)}, 1, &end);
    if (rc != DB_OK && rc != DB_NOTFOUND)
        goto fail;
    p->sa_end = rc == DB_OK ? end : INT64_MAX;
    p->keys = calloc(p->s.n ? p->s.n : 1, sizeof *p->keys);
    if (!p->keys)
        goto fail;
    for (size_t i = 0; i < p->s.n; i++) {
        for (size_t l = 0; l < 5; l++)
            p->level_units[l] += !strcmp(p->s.rows[i].level, level_order[l]);
        size_t n;
        p->keys[i] = vnfold(p->s.rows[i].name, strlen(p->s.rows[i].name), &n);
        /* a stored name is valid UTF-8 (text_clean_line); should one not be, it matches only
         * the empty search */
        if (!p->keys[i] && !(p->keys[i] = strdup("")))
            goto fail;
    }
    return p;
fail:
    snap_free(p);
    app_fail_internal(err);
    return NULL;
}

/* ---- one request: filter, sort, page, serialize ---- */

struct sort_ctx {
    const struct snap *p;
    enum dash_sort sort;
    int desc;
};

static int64_t sort_value(const struct summary_acc *a, enum dash_sort s)
{
    switch (s) {
    case DASH_SORT_TASKS: return a->tasks;
    case DASH_SORT_APPROVED: return a->approved_h;
    case DASH_SORT_MAX: return a->max_h;
    case DASH_SORT_SELF: return a->self_h;
    case DASH_SORT_DAT: return a->counts.n[TC_DAT];
    case DASH_SORT_CHUA_DAT: return a->counts.n[TC_CHUA_DAT];
    case DASH_SORT_KHONG_DAT: return a->counts.n[TC_KHONG_DAT];
    default: return 0;
    }
}

/* The chosen column in the chosen direction; ties by folded name, name, code, id (ascending,
 * whatever the direction, so a page boundary never moves between equal rows). */
static int compare(const void *x, const void *y, void *ctx)
{
    const struct sort_ctx *k = ctx;
    size_t i = *(const size_t *)x, j = *(const size_t *)y;
    const struct summary_row *a = &k->p->s.rows[i], *b = &k->p->s.rows[j];
    int c = 0;
    if (k->sort == DASH_SORT_CODE) {
        c = strcmp(a->code, b->code);
    } else if (k->sort != DASH_SORT_NAME) {
        int64_t va = sort_value(&a->acc, k->sort), vb = sort_value(&b->acc, k->sort);
        c = va < vb ? -1 : va > vb;
    } else {
        c = strcmp(k->p->keys[i], k->p->keys[j]);
        if (!c)
            c = strcmp(a->name, b->name);
    }
    if (k->desc)
        c = -c;
    if (!c)
        c = strcmp(k->p->keys[i], k->p->keys[j]);
    if (!c)
        c = strcmp(a->code, b->code);
    if (!c)
        c = a->unit_id < b->unit_id ? -1 : a->unit_id > b->unit_id;
    return c;
}

static void acc_add(struct summary_acc *t, const struct summary_acc *a)
{
    t->tasks += a->tasks;
    t->self_h += a->self_h;
    t->approved_h += a->approved_h;
    t->max_h += a->max_h;
    for (int k = 0; k < TC_COUNT; k++)
        t->counts.n[k] += a->counts.n[k];
}

static json_t *row_json(const struct summary_row *w)
{
    json_t *row = summary_acc_json(&w->acc);
    if (!row || json_object_set_new(row, "unit_id", json_integer(w->unit_id)) ||
        json_object_set_new(row, "code", json_string(w->code)) ||
        json_object_set_new(row, "name", json_string(w->name)) ||
        json_object_set_new(row, "level", json_string(w->level))) {
        json_decref(row);
        return NULL;
    }
    return row;
}

static json_t *levels_json(const struct snap *p)
{
    json_t *a = json_array();
    for (size_t l = 0; a && l < 5; l++) {
        int64_t n = p->level_units[l];
        if (n)
            a = json_append_or_free(a, json_pack("{s:s,s:I}", "level", level_order[l], "units",
                                                 (json_int_t)n));
    }
    return a;
}

static char *render(const struct snap *p, const struct dash_query *q, const char *folded,
                    size_t *len)
{
    size_t *idx = malloc((p->s.n ? p->s.n : 1) * sizeof *idx), m = 0;
    if (!idx)
        return NULL;
    struct summary_acc total = {0};
    for (size_t i = 0; i < p->s.n; i++) {
        if (q->level && strcmp(p->s.rows[i].level, q->level))
            continue;
        if (folded && !vnfold_contains(p->keys[i], folded))
            continue;
        idx[m++] = i;
        acc_add(&total, &p->s.rows[i].acc);
    }
    struct sort_ctx k = {p, q->sort, q->desc};
    qsort_r(idx, m, sizeof *idx, compare, &k);
    json_t *units = json_array();
    for (size_t i = (size_t)q->offset; units && i < m && i < (size_t)(q->offset + q->limit); i++)
        units = json_append_or_free(units, row_json(&p->s.rows[idx[i]]));
    free(idx);
    json_t *out = units ? json_pack("{s:I,s:o,s:s,s:s,s:s,s:I,s:I,s:I,s:o,s:o,s:o}", "round_id",
                                    (json_int_t)p->round_id, "level",
                                    q->level ? json_string(q->level) : json_null(), "q",
                                    q->q ? q->q : "", "sort", sort_names[q->sort], "dir",
                                    q->desc ? "desc" : "asc", "offset", (json_int_t)q->offset,
                                    "limit", (json_int_t)q->limit, "total", (json_int_t)m,
                                    "units", units, "totals", summary_acc_json(&total), "levels",
                                    levels_json(p))
                        : NULL;
    if (!out)
        return NULL;
    char *text = json_oom_dumps(out, FW_REPLY_JSON_FLAGS);
    json_decref(out);
    if (text)
        *len = strlen(text);
    return text;
}

/* The reply cache key: every parameter, normalised (the raw q kept: it is echoed back). */
static char *params_key(const struct dash_query *q)
{
    size_t n = (q->q ? strlen(q->q) : 0) + 160;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s|%d|%d|%lld|%lld|%s", q->level ? q->level : "*", (int)q->sort, q->desc,
                 (long long)q->offset, (long long)q->limit, q->q ? q->q : "");
    return s;
}

static char *reply_lookup(struct snap *p, const char *key, size_t *len)
{
    char *body = NULL;
    pthread_mutex_lock(&lock);
    for (int i = 0; i < SNAP_REPLIES; i++)
        if (p->replies[i].params && !strcmp(p->replies[i].params, key)) {
            body = malloc(p->replies[i].len + 1);
            if (body) {
                memcpy(body, p->replies[i].body, p->replies[i].len + 1);
                *len = p->replies[i].len;
            }
            break;
        }
    pthread_mutex_unlock(&lock);
    return body;
}

static void reply_store(struct snap *p, char *key, const char *body, size_t len)
{
    char *copy = malloc(len + 1);
    if (!copy) {
        free(key);
        return;
    }
    memcpy(copy, body, len + 1);
    pthread_mutex_lock(&lock);
    struct reply *r = &p->replies[p->next_reply];
    p->next_reply = (p->next_reply + 1) % SNAP_REPLIES;
    char *old_params = r->params, *old_body = r->body;
    r->params = key;
    r->body = copy;
    r->len = len;
    pthread_mutex_unlock(&lock);
    free(old_params);
    free(old_body);
}

char *dashboard_json(db_conn *c, const struct dash_query *q, int64_t now, size_t *len,
                     struct app_err *err)
{
    char *folded = NULL;
    if (q->q && *q->q) {
        size_t n;
        long chars = utf8_count(q->q, strlen(q->q));
        if (chars < 0 || !(folded = vnfold(q->q, strlen(q->q), &n))) {
            app_fail(err, 400, "invalid_value", "q",
                     "Từ khoá tìm kiếm (q) không phải văn bản UTF-8 hợp lệ.");
            return NULL;
        }
        if (chars > DASH_Q_MAX) {
            free(folded);
            app_fail(err, 400, "invalid_value", "q",
                     "Từ khoá tìm kiếm (q) dài quá %d ký tự.", DASH_Q_MAX);
            return NULL;
        }
    }
    /* the stamp and, on a miss, the rows: one snapshot */
    if (db_begin_read(c) != DB_OK) {
        free(folded);
        app_fail_internal(err);
        return NULL;
    }
    int64_t gen = 0;
    struct snap *p = NULL;
    /* the stamp is kept by triggers on SQLite only (migration 4) */
    bool use_cache = cache_on() && db_conn_engine(c) == DB_SQLITE;
    if (db_query_int(c, "SELECT gen FROM dash_stamp WHERE id = 1", NULL, 0, &gen) != DB_OK) {
        app_fail_internal(err);
    } else {
        p = use_cache ? cache_get(q->round_id, gen, now) : NULL;
        if (!p && (p = snap_build(c, q->round_id, gen, now, err)) && use_cache)
            cache_put(p);
    }
    db_rollback(c);
    if (!p) {
        free(folded);
        return NULL;
    }
    char *key = use_cache ? params_key(q) : NULL;
    char *body = key ? reply_lookup(p, key, len) : NULL;
    if (!body) {
        body = render(p, q, folded && *folded ? folded : NULL, len);
        if (body && key) {
            reply_store(p, key, body, *len);
            key = NULL;
        }
        if (!body)
            app_fail_internal(err);
    }
    free(key);
    free(folded);
    snap_release(p);
    return body;
}
