/* rankings.c — rankings_level (rankings.h). One pass over the level's tasks gives each unit's
 * approved points, applicable maximum and pillar sums; ranks come from core/ranking.c on the
 * displayed index; the previous round is ranked the same way; the rank ranges re-score the
 * ambiguous criteria under each declared reading (rankings_range.c). */
#include "app/rankings.h"

#include <stdlib.h>
#include <string.h>

#include "app/frameworks_cache.h"
#include "app/json_rows.h"
#include "app/ranking_bands.h"
#include "app/rankings_calc.h"
#include "core/ranking.h"
#include "core/score.h"

void rk_level_free(struct rk_level *l)
{
    db_rows_free(l->units);
    free(l->pts);
    free(l->max);
    free(l->key);
    free(l->rank);
    free(l->pillar_pts);
    free(l->pillar_max);
    if (l->entry)
        frameworks_cache_release(l->entry);
    memset(l, 0, sizeof *l);
}

long rk_unit_pos(const struct rk_level *l, int64_t unit_id)
{
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int64_t v = db_int(l->units, (int)mid, 0);
        if (v == unit_id)
            return (long)mid;
        if (v < unit_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static long pillar_pos(const struct framework *fw, const char *key)
{
    for (size_t i = 0; i < fw->n_pillars; i++)
        if (!strcmp(fw->pillars[i].key, key))
            return (long)i;
    return -1;
}

int rk_level_load(db_conn *c, int64_t round_id, const char *level, struct rk_level *l,
                  struct app_err *err)
{
    memset(l, 0, sizeof *l);
    db_rows *r = NULL;
    db_param p[] = {DB_P_INT(round_id), DB_P_TEXT(level)};
    if (db_exec(c, "SELECT rf.framework_id, rf.framework_version, f.sha256 FROM round_frameworks rf "
                   "JOIN frameworks f ON f.id = rf.framework_id AND f.version = rf.framework_version "
                   "WHERE rf.round_id = ? AND rf.level = ?",
                p, 2, &r) != DB_OK)
        return app_fail_internal(err);
    if (db_rows_count(r) == 0) {
        db_rows_free(r);
        return app_fail(err, 422, "invalid_value", "level",
                        "Đợt đánh giá không có bộ chỉ số cho cấp này (%s).", level);
    }
    snprintf(l->fw_id, sizeof l->fw_id, "%s", db_text(r, 0, 0));
    l->fw_version = db_int(r, 0, 1);
    l->entry = frameworks_cache_get(c, l->fw_id, l->fw_version, db_text(r, 0, 2), &l->cf, err);
    db_rows_free(r);
    if (!l->entry)
        return -1;
    const struct framework *fw = l->cf.fw;
    if (db_exec(c, "SELECT ru.unit_id, u.code, u.name FROM round_units ru JOIN units u ON "
                   "u.id = ru.unit_id WHERE ru.round_id = ? AND ru.level = ? ORDER BY ru.unit_id",
                p, 2, &l->units) != DB_OK)
        goto internal;
    l->n = (size_t)db_rows_count(l->units);
    l->np = fw->n_pillars;
    size_t n = l->n ? l->n : 1, np = l->np ? l->np : 1;
    l->pts = calloc(n, sizeof *l->pts);
    l->max = calloc(n, sizeof *l->max);
    l->key = calloc(n, sizeof *l->key);
    l->rank = calloc(n, sizeof *l->rank);
    l->pillar_pts = calloc(n * np, sizeof *l->pillar_pts);
    l->pillar_max = calloc(n * np, sizeof *l->pillar_max);
    if (!l->pts || !l->max || !l->key || !l->rank || !l->pillar_pts || !l->pillar_max)
        goto internal;
    /* Tasks grouped by the unit assessed; points count approved tasks only, the applicable
     * maximum leaves out what the engine scored not applicable (as round_summary). Summed by
     * the database per unit and pillar: thousands of rows instead of every task. */
    if (db_exec(c, "SELECT t.subject_unit_id, t.pillar_key, CAST(SUM(CASE WHEN t.state = "
                   "'approved' THEN COALESCE(t.approved_points, 0) ELSE 0 END) AS BIGINT), "
                   "CAST(SUM(CASE WHEN t.self_status = 'not_applicable' THEN 0 ELSE "
                   "t.max_points END) AS BIGINT) FROM tasks t JOIN round_units ru ON "
                   "ru.round_id = t.round_id AND ru.unit_id = t.subject_unit_id "
                   "WHERE t.round_id = ? AND ru.level = ? GROUP BY t.subject_unit_id, t.pillar_key",
                p, 2, &r) != DB_OK)
        goto internal;
    for (int i = 0; i < db_rows_count(r); i++) {
        long u = rk_unit_pos(l, db_int(r, i, 0));
        if (u < 0)
            continue;
        long pp = pillar_pos(fw, db_text(r, i, 1));
        int64_t ap = db_int(r, i, 2), mx = db_int(r, i, 3);
        l->pts[u] += ap;
        l->max[u] += mx;
        if (pp >= 0) {
            l->pillar_pts[(size_t)u * np + (size_t)pp] += ap;
            l->pillar_max[(size_t)u * np + (size_t)pp] += mx;
        }
    }
    db_rows_free(r);
    for (size_t u = 0; u < l->n; u++)
        l->key[u] = score_index_e4(l->pts[u], l->max[u]);
    if (ranking_ranks(l->key, l->n, l->rank))
        goto internal;
    return 0;
internal:
    rk_level_free(l);
    return app_fail_internal(err);
}

/* The latest earlier finalised round (by year, then id) with a set for the same level. */
static int previous_round(db_conn *c, int64_t round_id, const char *level, int64_t *prev,
                          struct app_err *err)
{
    int64_t year = 0;
    *prev = 0;
    if (db_query_int(c, "SELECT year FROM rounds WHERE id = ?", (db_param[]){DB_P_INT(round_id)},
                     1, &year) != DB_OK)
        return app_fail_internal(err);
    db_param p[] = {DB_P_TEXT(level), DB_P_INT(year), DB_P_INT(year), DB_P_INT(round_id)};
    int rc = db_query_int(c,
                          "SELECT r.id FROM rounds r JOIN round_frameworks rf ON rf.round_id = r.id "
                          "AND rf.level = ? WHERE r.status = 'finalised' AND (r.year < ? OR "
                          "(r.year = ? AND r.id < ?)) ORDER BY r.year DESC, r.id DESC LIMIT 1",
                          p, 4, prev);
    if (rc == DB_NOTFOUND)
        *prev = 0;
    else if (rc != DB_OK)
        return app_fail_internal(err);
    return 0;
}

static bool set(json_t *o, const char *k, json_t *v)
{
    return v && !json_object_set_new(o, k, v);
}

static json_t *index_json(int64_t e4)
{
    return json_real((double)e4 / 10000.0);
}

static json_t *pillars_json(const struct rk_level *l, size_t u)
{
    json_t *a = json_array();
    for (size_t p = 0; a && p < l->np; p++) {
        const struct fw_pillar *pl = &l->cf.fw->pillars[p];
        a = json_append_or_free(
            a, json_pack("{s:s,s:s,s:o,s:o}", "key", pl->key, "title", pl->title, "points",
                         json_hundredths(l->pillar_pts[u * l->np + p]), "max_points",
                         json_hundredths(l->pillar_max[u * l->np + p])));
    }
    return a;
}

static int cmp_order(const void *a, const void *b, void *ctx)
{
    const struct rk_level *l = ctx;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    if (l->rank[x] != l->rank[y])
        return l->rank[x] < l->rank[y] ? -1 : 1;
    return strcmp(db_text(l->units, (int)x, 1), db_text(l->units, (int)y, 1));
}

size_t *rk_order(const struct rk_level *l)
{
    size_t *o = malloc(sizeof *o * (l->n ? l->n : 1));
    if (!o)
        return NULL;
    for (size_t i = 0; i < l->n; i++)
        o[i] = i;
    qsort_r(o, l->n, sizeof *o, cmp_order, (void *)l);
    return o;
}

json_t *rankings_level(db_conn *c, int64_t round_id, const char *level, int flags,
                       struct app_err *err)
{
    int64_t one;
    int rc = db_query_int(c, "SELECT 1 FROM rounds WHERE id = ?", (db_param[]){DB_P_INT(round_id)},
                          1, &one);
    if (rc == DB_NOTFOUND) {
        app_fail(err, 404, "not_found", NULL, "Không tìm thấy đợt đánh giá.");
        return NULL;
    }
    if (rc != DB_OK) {
        app_fail_internal(err);
        return NULL;
    }
    if (app_check_level(level, "level", err))
        return NULL;
    struct rank_band bands[RANK_BANDS];
    bool custom;
    if (ranking_bands_load(c, round_id, level, bands, &custom, err))
        return NULL;
    struct rk_level cur, prev = {0};
    int64_t has_set = 0;
    if (db_query_int(c, "SELECT COUNT(*) FROM round_frameworks WHERE round_id = ? AND level = ?",
                     (db_param[]){DB_P_INT(round_id), DB_P_TEXT(level)}, 2, &has_set) != DB_OK) {
        app_fail_internal(err);
        return NULL;
    }
    if (!has_set) { /* a level the round has no set for: nobody to rank (a tab stays empty) */
        json_t *o = json_pack("{s:I,s:s,s:n,s:o,s:[]}", "round_id", (json_int_t)round_id, "level",
                              level, "framework", "bands", ranking_bands_json(bands), "units");
        if (!o)
            app_fail_internal(err);
        return o;
    }
    if (rk_level_load(c, round_id, level, &cur, err))
        return NULL;
    int64_t prev_id = 0;
    json_t *out = NULL, *units = NULL;
    size_t *order = NULL;
    struct rk_ranges *ranges = NULL;
    if (previous_round(c, round_id, level, &prev_id, err))
        goto fail;
    if (prev_id && rk_level_load(c, prev_id, level, &prev, err))
        goto fail;
    if ((flags & RANKINGS_WITH_RANGE) && rk_ranges(c, round_id, &cur, &ranges, err))
        goto fail;
    order = rk_order(&cur);
    units = json_array();
    if (!order || !units)
        goto internal;
    for (size_t i = 0; i < cur.n; i++) {
        size_t u = order[i];
        int64_t uid = db_int(cur.units, (int)u, 0);
        size_t b = ranking_band(bands, RANK_BANDS, cur.key[u]);
        json_t *x = json_object();
        bool ok = set(x, "unit_id", json_integer(uid)) &&
                  set(x, "unit_code", json_string(db_text(cur.units, (int)u, 1))) &&
                  set(x, "unit_name", json_string(db_text(cur.units, (int)u, 2))) &&
                  set(x, "points", json_hundredths(cur.pts[u])) &&
                  set(x, "max_points", json_hundredths(cur.max[u])) &&
                  set(x, "index", index_json(cur.key[u])) &&
                  set(x, "rank", json_integer(cur.rank[u])) &&
                  set(x, "band", json_string(bands[b].code)) &&
                  set(x, "pillars", pillars_json(&cur, u));
        long pu = prev_id ? rk_unit_pos(&prev, uid) : -1;
        if (ok && pu >= 0)
            ok = set(x, "previous",
                     json_pack("{s:I,s:o,s:i,s:o,s:i}", "round_id", (json_int_t)prev_id, "points",
                               json_hundredths(prev.pts[pu]), "rank", prev.rank[pu],
                               "points_change", json_hundredths(cur.pts[u] - prev.pts[pu]),
                               "rank_change", prev.rank[pu] - cur.rank[u]));
        else if (ok)
            ok = set(x, "previous", json_null());
        ok = ok && set(x, "new_unit", json_boolean(prev_id && pu < 0));
        if (ok && ranges)
            ok = set(x, "rank_range", rk_range_json(ranges, u));
        else if (ok)
            ok = set(x, "rank_range", json_null());
        units = ok ? json_append_or_free(units, x) : (json_decref(x), json_decref(units), NULL);
        if (!units)
            goto internal;
    }
    out = json_pack("{s:I,s:s,s:{s:s,s:I},s:o,s:o}", "round_id", (json_int_t)round_id, "level",
                    level, "framework", "id", cur.fw_id, "version", (json_int_t)cur.fw_version,
                    "bands", ranking_bands_json(bands), "units", units);
    units = NULL;
    if (!out)
        goto internal;
    if (ranges && !set(out, "ranges", rk_ranges_meta_json(ranges)))
        goto internal;
    goto done;
internal:
    json_decref(out);
    out = NULL;
    app_fail_internal(err);
fail:
done:
    json_decref(units);
    free(order);
    rk_ranges_free(ranges);
    rk_level_free(&cur);
    rk_level_free(&prev);
    return out;
}
