/* publication_export.c — the document a publication freezes: the round, the methodology (index
 * set per level, the reading chosen for each ambiguous criterion, bands) and the rankings per
 * level (helper rank's rankings_level), as JSON bytes whose SHA-256 is the receipt, and the same
 * rankings as CSV (whose SHA-256 is inside the JSON, so the receipt covers both).
 *
 * Only listed fields are copied from the rankings (a field added there later is not published
 * by accident), and a unit's comparison with an earlier round is kept only when that round was
 * published itself: otherwise its points and rank would leak through this one. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/isotime.h"
#include "app/publication.h"
#include "app/rankings.h"
#include "app/readings.h"
#include "app/rounds.h"
#include "core/json_oom.h"

#define EXPORT_FORMAT "dti-cong-bo/1"
/* Reals as written (12.5, 0.8123), never 0.10000000000000001. */
#define EXPORT_DUMP (JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))
#define PART_DUMP (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))

static void sha256_hex(const char *data, size_t n, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)data, n);
    sodium_bin2hex(out, 65, h, sizeof h);
}

/* Copies the listed keys of src that are present (NULL-terminated list). */
static json_t *pick(json_t *src, const char *const keys[])
{
    json_t *o = json_object();
    for (int i = 0; o && keys[i]; i++) {
        json_t *v = json_object_get(src, keys[i]);
        if (v && json_object_set(o, keys[i], v)) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

static json_t *pick_array(json_t *arr, const char *const keys[])
{
    json_t *out = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        if (!out || json_array_append_new(out, pick(v, keys))) {
            json_decref(out);
            return NULL;
        }
    }
    return out;
}

static const char *const band_keys[] = {"band", "label", "min_index", NULL};
static const char *const pillar_keys[] = {"key", "title", "points", "max_points", NULL};
static const char *const previous_keys[] = {"round_id", "points", "rank", "points_change",
                                            "rank_change", NULL};
static const char *const swing_keys[] = {"criterion_key", "code", "swing", NULL};

static const char *band_label(json_t *bands, const char *band)
{
    size_t i;
    json_t *b;
    json_array_foreach(bands, i, b) {
        const char *k = json_string_value(json_object_get(b, "band"));
        if (k && band && !strcmp(k, band))
            return json_string_value(json_object_get(b, "label"));
    }
    return NULL;
}

static bool round_published(json_t *published, int64_t rid)
{
    size_t i;
    json_t *v;
    json_array_foreach(published, i, v)
        if (json_integer_value(v) == rid)
            return true;
    return false;
}

/* One unit of a ranking as published. */
static json_t *unit_out(json_t *u, json_t *bands, json_t *published)
{
    json_t *o = json_object();
    static const char *const plain[] = {"unit_id", "unit_code", "unit_name", "points",
                                        "max_points", "index", "rank", "band", NULL};
    for (int i = 0; o && plain[i]; i++) {
        json_t *v = json_object_get(u, plain[i]);
        if (json_object_set(o, plain[i], v ? v : json_null()))
            goto fail;
    }
    const char *bl = band_label(bands, json_string_value(json_object_get(u, "band")));
    if (json_object_set_new(o, "band_label", bl ? json_string(bl) : json_null()))
        goto fail;
    json_t *pil = json_object_get(u, "pillars");
    if (json_object_set_new(o, "pillars", pil ? pick_array(pil, pillar_keys) : json_array()))
        goto fail;
    json_t *prev = json_object_get(u, "previous");
    json_t *pv = json_null();
    if (json_is_object(prev) &&
        round_published(published, json_integer_value(json_object_get(prev, "round_id"))))
        pv = pick(prev, previous_keys);
    if (json_object_set_new(o, "previous", pv))
        goto fail;
    if (json_object_set_new(o, "new_unit",
                            json_boolean(json_is_true(json_object_get(u, "new_unit")))))
        goto fail;
    json_t *rr = json_object_get(u, "rank_range");
    json_t *ro = json_null();
    if (json_is_object(rr)) {
        ro = json_pack("{s:O?,s:O?,s:b,s:o}", "best", json_object_get(rr, "best"), "worst",
                       json_object_get(rr, "worst"), "exact",
                       json_is_true(json_object_get(rr, "exact")), "criteria",
                       json_object_get(rr, "criteria")
                           ? pick_array(json_object_get(rr, "criteria"), swing_keys)
                           : json_array());
    }
    if (json_object_set_new(o, "rank_range", ro))
        goto fail;
    return o;
fail:
    json_decref(o);
    return NULL;
}

/* The readings of the round's level: the chosen one of each ambiguous criterion. */
static json_t *level_readings(json_t *readings, const char *level)
{
    json_t *out = json_array();
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(readings, "readings"), i, r) {
        const char *lv = json_string_value(json_object_get(r, "level"));
        if (!out || !lv || strcmp(lv, level))
            continue;
        const char *chosen = json_string_value(json_object_get(r, "chosen"));
        json_t *alts = json_array(), *ch = NULL;
        size_t k;
        json_t *a;
        json_array_foreach(json_object_get(r, "readings"), k, a) {
            const char *name = json_string_value(json_object_get(a, "name"));
            if (chosen && name && !strcmp(chosen, name))
                ch = a;
            if (alts)
                json_array_append_new(alts, json_pack("{s:O?,s:O?}", "name",
                                                      json_object_get(a, "name"), "label",
                                                      json_object_get(a, "label")));
        }
        json_t *e = json_pack("{s:O?,s:O?,s:O?,s:s?,s:s?,s:s?,s:o}", "criterion_key",
                              json_object_get(r, "criterion_key"), "code",
                              json_object_get(r, "code"), "title", json_object_get(r, "title"),
                              "chosen", chosen, "chosen_label",
                              ch ? json_string_value(json_object_get(ch, "label")) : NULL,
                              "chosen_rule_text",
                              ch ? json_string_value(json_object_get(ch, "rule_text")) : NULL,
                              "alternatives", alts ? alts : json_array());
        if (!e || json_array_append_new(out, e)) {
            json_decref(out);
            return NULL;
        }
    }
    return out;
}

/* ---- CSV: one row per unit and level; pillar columns are the union of every level's ---- */

static void csv_cell(FILE *f, const char *s)
{
    fputc('"', f);
    if (s && s[0] && strchr("=+-@", s[0]))
        fputc('\'', f); /* OWASP CSV injection: never a formula */
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '"')
            fputc('"', f);
        fputc(*p, f);
    }
    fputc('"', f);
}

static void csv_num(FILE *f, json_t *v, int decimals)
{
    if (json_is_number(v))
        fprintf(f, "%.*f", decimals, json_number_value(v));
}

static void csv_int(FILE *f, json_t *v)
{
    if (json_is_integer(v))
        fprintf(f, "%lld", (long long)json_integer_value(v));
}

static char *build_csv(json_t *rankings, size_t *len)
{
    /* pillar columns: [{key, title}] in order of first appearance */
    json_t *cols = json_array();
    size_t i, k, j;
    json_t *lv, *u, *p, *c;
    json_array_foreach(rankings, i, lv) json_array_foreach(json_object_get(lv, "units"), k, u)
        json_array_foreach(json_object_get(u, "pillars"), j, p) {
        const char *key = json_string_value(json_object_get(p, "key"));
        bool seen = false;
        size_t m;
        json_array_foreach(cols, m, c) seen = seen || !strcmp(json_string_value(json_object_get(c, "key")), key ? key : "");
        if (key && !seen)
            json_array_append_new(cols, json_pack("{s:s,s:O?}", "key", key, "title",
                                                  json_object_get(p, "title")));
    }
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    if (!f || !cols) {
        json_decref(cols);
        if (f)
            fclose(f);
        free(buf);
        return NULL;
    }
    fputs("\xEF\xBB\xBF", f); /* UTF-8 BOM: spreadsheets show Vietnamese */
    static const char *const head[] = {"Cấp", "Mã cấp", "Hạng", "Mã đơn vị", "Tên đơn vị",
                                       "Điểm", "Điểm tối đa", "Chỉ số", "Xếp loại",
                                       "Hạng tốt nhất", "Hạng kém nhất", NULL};
    for (int h = 0; head[h]; h++) {
        if (h)
            fputc(',', f);
        csv_cell(f, head[h]);
    }
    json_array_foreach(cols, j, c) {
        char t[400];
        snprintf(t, sizeof t, "Điểm %s. %s", json_string_value(json_object_get(c, "key")),
                 json_string_value(json_object_get(c, "title")) ? json_string_value(json_object_get(c, "title")) : "");
        fputc(',', f);
        csv_cell(f, t);
    }
    fputs("\r\n", f);
    json_array_foreach(rankings, i, lv) json_array_foreach(json_object_get(lv, "units"), k, u) {
        csv_cell(f, json_string_value(json_object_get(lv, "level_label")));
        fputc(',', f);
        csv_cell(f, json_string_value(json_object_get(lv, "level")));
        fputc(',', f);
        csv_int(f, json_object_get(u, "rank"));
        fputc(',', f);
        csv_cell(f, json_string_value(json_object_get(u, "unit_code")));
        fputc(',', f);
        csv_cell(f, json_string_value(json_object_get(u, "unit_name")));
        fputc(',', f);
        csv_num(f, json_object_get(u, "points"), 2);
        fputc(',', f);
        csv_num(f, json_object_get(u, "max_points"), 2);
        fputc(',', f);
        csv_num(f, json_object_get(u, "index"), 4);
        fputc(',', f);
        csv_cell(f, json_string_value(json_object_get(u, "band_label")));
        json_t *rr = json_object_get(u, "rank_range");
        fputc(',', f);
        csv_int(f, json_object_get(rr, "best"));
        fputc(',', f);
        csv_int(f, json_object_get(rr, "worst"));
        json_array_foreach(cols, j, c) {
            const char *key = json_string_value(json_object_get(c, "key"));
            size_t m;
            json_t *pp, *found = NULL;
            json_array_foreach(json_object_get(u, "pillars"), m, pp) {
                const char *pk = json_string_value(json_object_get(pp, "key"));
                if (pk && !strcmp(pk, key))
                    found = pp;
            }
            fputc(',', f);
            if (found)
                csv_num(f, json_object_get(found, "points"), 2);
        }
        fputs("\r\n", f);
    }
    json_decref(cols);
    if (fclose(f)) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

static const char methodology_points[] =
    "Điểm của đơn vị là tổng điểm đã thẩm định (điểm phê duyệt) của các tiêu chí; điểm tối đa là "
    "tổng điểm tối đa của các tiêu chí áp dụng cho đơn vị.";
static const char methodology_index[] =
    "Chỉ số = điểm / điểm tối đa, làm tròn 4 chữ số thập phân.";
static const char methodology_ties[] =
    "Các đơn vị có cùng giá trị hiển thị (điểm làm tròn 2 chữ số, chỉ số 4 chữ số) cùng hạng "
    "(1, 2, 2, 4).";
static const char methodology_range[] =
    "Khoảng hạng: hạng tốt nhất và kém nhất đơn vị có thể nhận nếu các tiêu chí chưa rõ được "
    "tính theo cách hiểu khác mà bộ chỉ số nêu.";

int pub_export_build(db_conn *c, int64_t id, int64_t version, const char *note,
                     const char *supersedes_sha256, int64_t now, struct pub_export *out,
                     struct app_err *err)
{
    memset(out, 0, sizeof *out);
    bool missing = false;
    json_t *round = round_get(c, id, now, &missing);
    if (!round)
        return missing ? app_fail(err, 404, "not_found", NULL, "Không tìm thấy đợt đánh giá.")
                       : app_fail_internal(err);
    json_t *readings = NULL, *published = json_array(), *mlevels = json_array(),
           *rlevels = json_array(), *doc = NULL, *content = NULL;
    int rc = -1;
    const char *status = json_string_value(json_object_get(round, "status"));
    if (!status || strcmp(status, "finalised")) {
        app_fail(err, 409, "round_not_finalised", NULL,
                 "Chỉ công bố được đợt đánh giá đã hoàn thành (đã chốt kết quả). Đợt «%.120s» "
                 "chưa hoàn thành: hãy hoàn thành đợt trước khi công bố.",
                 json_string_value(json_object_get(round, "title")));
        goto done;
    }
    db_rows *pr = NULL;
    if (db_exec(c, "SELECT DISTINCT round_id FROM publications", NULL, 0, &pr) != DB_OK) {
        app_fail_internal(err);
        goto done;
    }
    for (int i = 0; published && i < db_rows_count(pr); i++)
        json_array_append_new(published, json_integer(db_int(pr, i, 0)));
    db_rows_free(pr);
    readings = readings_list(c, id, err);
    if (!readings)
        goto done;
    if (!published || !mlevels || !rlevels)
        goto oom_or_err;
    size_t i;
    json_t *fw;
    json_array_foreach(json_object_get(round, "frameworks"), i, fw) {
        const char *level = json_string_value(json_object_get(fw, "level"));
        json_t *rk = rankings_level(c, id, level, RANKINGS_WITH_RANGE, err);
        if (!rk)
            goto done;
        json_t *bands = json_object_get(rk, "bands");
        json_t *units = json_array();
        size_t k;
        json_t *u;
        json_array_foreach(json_object_get(rk, "units"), k, u) {
            if (!units || json_array_append_new(units, unit_out(u, bands, published))) {
                json_decref(units);
                units = NULL;
                break;
            }
        }
        json_t *ml = json_pack("{s:s,s:O?,s:{s:O?,s:O?,s:O?},s:o,s:o}", "level", level,
                               "level_label", json_object_get(fw, "level_label"), "framework",
                               "id", json_object_get(fw, "framework_id"), "version",
                               json_object_get(fw, "version"), "title",
                               json_object_get(fw, "title"), "bands",
                               bands ? pick_array(bands, band_keys) : json_array(), "readings",
                               level_readings(readings, level));
        json_t *rl = units ? json_pack("{s:s,s:O?,s:o}", "level", level, "level_label",
                                       json_object_get(fw, "level_label"), "units", units)
                           : NULL;
        json_decref(rk);
        if (!ml || !rl || json_array_append_new(mlevels, ml) || json_array_append_new(rlevels, rl)) {
            json_decref(ml);
            json_decref(rl);
            goto oom_or_err;
        }
    }
    json_t *methodology = json_pack(
        "{s:s,s:s,s:s,s:s,s:O}", "points", methodology_points, "index", methodology_index, "ties",
        methodology_ties, "rank_range", methodology_range, "levels", mlevels);
    content = methodology ? json_pack("{s:o,s:O}", "methodology", methodology, "rankings", rlevels)
                          : NULL;
    char *ctext = content ? json_oom_dumps(content, EXPORT_DUMP) : NULL;
    if (!ctext)
        goto oom_or_err;
    sha256_hex(ctext, strlen(ctext), out->content_sha256);
    free(ctext);
    out->csv = build_csv(rlevels, &out->csv_len);
    if (!out->csv)
        goto oom_or_err;
    sha256_hex(out->csv, out->csv_len, out->csv_sha256);
    json_t *fin = json_object_get(round, "finalised_at");
    doc = json_pack("{s:s,s:{s:I,s:O,s:O,s:O},s:{s:I,s:o,s:s?,s:s?},s:O,s:O,s:s}", "format",
                    EXPORT_FORMAT, "round", "id", (json_int_t)id, "title",
                    json_object_get(round, "title"), "year", json_object_get(round, "year"),
                    "finalised_at", fin ? fin : json_null(), "publication", "version",
                    (json_int_t)version, "published_at", isotime_json(now, 0), "note", note,
                    "supersedes_sha256", supersedes_sha256, "methodology",
                    json_object_get(content, "methodology"), "rankings", rlevels, "csv_sha256",
                    out->csv_sha256);
    out->json = doc ? json_oom_dumps(doc, EXPORT_DUMP) : NULL;
    if (!out->json)
        goto oom_or_err;
    out->json_len = strlen(out->json);
    sha256_hex(out->json, out->json_len, out->sha256);
    /* the parts public reads serve without parsing the export */
    out->round_info = json_oom_dumps(json_object_get(doc, "round"), PART_DUMP);
    out->methodology = json_oom_dumps(json_object_get(content, "methodology"), PART_DUMP);
    out->bodies = json_array();
    json_t *rl;
    json_array_foreach(rlevels, i, rl) {
        json_t *ml = json_array_get(mlevels, i);
        json_t *body = json_pack(
            "{s:I,s:I,s:s,s:O,s:O?,s:O,s:O,s:O,s:O}", "round_id", (json_int_t)id, "version",
            (json_int_t)version, "sha256", out->sha256, "level", json_object_get(rl, "level"),
            "level_label", json_object_get(rl, "level_label"), "framework",
            json_object_get(ml, "framework"), "bands", json_object_get(ml, "bands"), "readings",
            json_object_get(ml, "readings"), "units", json_object_get(rl, "units"));
        char *t = body ? json_oom_dumps(body, PART_DUMP) : NULL;
        json_decref(body);
        json_t *e = t ? json_pack("{s:O,s:s}", "level", json_object_get(rl, "level"), "body", t)
                      : NULL;
        free(t);
        if (!e || !out->bodies || json_array_append_new(out->bodies, e))
            goto oom_or_err;
    }
    if (!out->round_info || !out->methodology)
        goto oom_or_err;
    out->title = strdup(json_string_value(json_object_get(round, "title")));
    out->year = json_integer_value(json_object_get(round, "year"));
    out->levels = json_array();
    json_array_foreach(rlevels, i, rl) {
        if (out->levels)
            json_array_append_new(out->levels,
                                  json_pack("{s:O,s:O?,s:I}", "level", json_object_get(rl, "level"),
                                            "level_label", json_object_get(rl, "level_label"),
                                            "units", (json_int_t)json_array_size(
                                                         json_object_get(rl, "units"))));
    }
    if (!out->title || !out->levels)
        goto oom_or_err;
    rc = 0;
    goto done;
oom_or_err:
    app_fail_internal(err);
done:
    if (rc)
        pub_export_free(out);
    json_decref(round);
    json_decref(readings);
    json_decref(published);
    json_decref(mlevels);
    json_decref(rlevels);
    json_decref(content);
    json_decref(doc);
    return rc;
}

void pub_export_free(struct pub_export *e)
{
    free(e->json);
    free(e->csv);
    free(e->title);
    free(e->round_info);
    free(e->methodology);
    json_decref(e->levels);
    json_decref(e->bodies);
    memset(e, 0, sizeof *e);
}
