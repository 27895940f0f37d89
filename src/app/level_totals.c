/* level_totals.c — see level_totals.h. */
#include "app/level_totals.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LT_SLOTS 8

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct level_totals *cache[LT_SLOTS];
static int next_slot;

static void lt_free(struct level_totals *t)
{
    if (t) {
        free(t->u);
        free(t);
    }
}

void level_totals_release(struct level_totals *t)
{
    if (!t)
        return;
    pthread_mutex_lock(&lock);
    bool last = --t->refs == 0;
    pthread_mutex_unlock(&lock);
    if (last)
        lt_free(t);
}

static struct level_totals *cache_get(int64_t round_id, const char *level, int64_t gen)
{
    struct level_totals *hit = NULL;
    pthread_mutex_lock(&lock);
    for (int i = 0; i < LT_SLOTS && !hit; i++)
        if (cache[i] && cache[i]->round_id == round_id && cache[i]->gen == gen &&
            !strcmp(cache[i]->level, level)) {
            hit = cache[i];
            hit->refs++;
        }
    pthread_mutex_unlock(&lock);
    return hit;
}

/* Keeps t (held by the caller) in place of the same level's older sums, else round robin. */
static void cache_put(struct level_totals *t)
{
    pthread_mutex_lock(&lock);
    int slot = -1;
    for (int i = 0; i < LT_SLOTS && slot < 0; i++)
        if (cache[i] && cache[i]->round_id == t->round_id && !strcmp(cache[i]->level, t->level))
            slot = i;
    if (slot < 0)
        slot = next_slot++ % LT_SLOTS;
    struct level_totals *old = cache[slot];
    cache[slot] = t;
    t->refs++;
    bool drop = old && --old->refs == 0;
    pthread_mutex_unlock(&lock);
    if (drop)
        lt_free(old);
}

static struct level_totals *build(db_conn *c, int64_t round_id, const char *level, int64_t gen,
                                  struct app_err *err)
{
    db_rows *r = NULL;
    if (db_exec(c,
                "SELECT ru.unit_id, "
                "COALESCE(SUM(CASE WHEN t.state = 'approved' THEN COALESCE(t.approved_points, 0) "
                "ELSE COALESCE(t.self_points, 0) END), 0), "
                "COALESCE(SUM(CASE WHEN t.state <> 'approved' AND t.self_status = "
                "'not_applicable' THEN 0 ELSE t.max_points END), 0) FROM round_units ru "
                "LEFT JOIN tasks t ON t.round_id = ru.round_id AND t.subject_unit_id = ru.unit_id "
                "WHERE ru.round_id = ? AND ru.level = ? GROUP BY ru.unit_id",
                (db_param[]){DB_P_INT(round_id), DB_P_TEXT(level)}, 2, &r) != DB_OK) {
        app_fail_internal(err);
        return NULL;
    }
    int n = db_rows_count(r);
    struct level_totals *t = calloc(1, sizeof *t);
    if (t)
        t->u = calloc(n ? (size_t)n : 1, sizeof *t->u);
    if (!t || !t->u) {
        lt_free(t);
        db_rows_free(r);
        app_fail_internal(err);
        return NULL;
    }
    t->refs = 1;
    t->round_id = round_id;
    t->gen = gen;
    snprintf(t->level, sizeof t->level, "%s", level);
    for (int i = 0; i < n; i++)
        t->u[i] = (struct lt_unit){db_int(r, i, 0), db_int(r, i, 1), db_int(r, i, 2)};
    t->n = (size_t)n;
    db_rows_free(r);
    return t;
}

struct level_totals *level_totals_get(db_conn *c, int64_t round_id, const char *level,
                                      struct app_err *err)
{
    const char *e = getenv("DTI_DASH_CACHE");
    bool use_cache = db_conn_engine(c) == DB_SQLITE && !(e && !strcmp(e, "0")) &&
                     strlen(level) < sizeof ((struct level_totals *)0)->level;
    if (!use_cache)
        return build(c, round_id, level, 0, err);
    /* the stamp, then the sums in the same read snapshot: cached sums are that stamp's data */
    bool own = !db_in_tx(c);
    if (own && db_begin_read(c) != DB_OK) {
        app_fail_internal(err);
        return NULL;
    }
    int64_t gen = 0;
    struct level_totals *t = NULL;
    if (db_query_int(c, "SELECT gen FROM dash_stamp WHERE id = 1", NULL, 0, &gen) != DB_OK)
        app_fail_internal(err);
    else if (!(t = cache_get(round_id, level, gen)) && (t = build(c, round_id, level, gen, err)))
        cache_put(t);
    if (own)
        db_rollback(c);
    return t;
}
