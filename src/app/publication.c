/* publication.c — publishing a finalised round and reading what was published (publication.h).
 * Public reads never touch the live tables of a round: only the frozen rows of publications. */
#include "app/publication.h"

#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/isotime.h"
#include "app/text.h"
#include "core/json_oom.h"

static const char not_published[] = "Không tìm thấy kết quả đã công bố của đợt đánh giá này.";

/* The Publication object of one stored row (cols: round_id, version, title, year, levels, note,
 * published_at, sha256, csv_sha256, length(json), length(csv), current version). */
#define PUB_COLS                                                                             \
    "p.round_id, p.version, p.title, p.year, p.levels, p.note, p.published_at, p.sha256, "   \
    "p.csv_sha256, p.size, p.csv_size, "                           \
    "(SELECT MAX(q.version) FROM publications q WHERE q.round_id = p.round_id) "

static json_t *pub_object(const db_rows *r, int i)
{
    int64_t rid = db_int(r, i, 0), v = db_int(r, i, 1);
    bool oom = false;
    json_t *levels = json_oom_loadb(db_text(r, i, 4), db_len(r, i, 4), 0, NULL, &oom);
    char jurl[96], curl[96];
    snprintf(jurl, sizeof jurl, "/api/v1/public/rounds/%lld/export.json?version=%lld",
             (long long)rid, (long long)v);
    snprintf(curl, sizeof curl, "/api/v1/public/rounds/%lld/export.csv?version=%lld",
             (long long)rid, (long long)v);
    json_t *o = json_pack(
        "{s:I,s:I,s:b,s:s,s:I,s:o,s:s?,s:o,s:s,s:s,s:I,s:I,s:s,s:s}", "round_id", (json_int_t)rid,
        "version", (json_int_t)v, "current", v == db_int(r, i, 11), "title", db_text(r, i, 2),
        "year", (json_int_t)db_int(r, i, 3), "levels", levels ? levels : json_array(), "note",
        db_is_null(r, i, 5) ? NULL : db_text(r, i, 5), "published_at",
        isotime_json(db_int(r, i, 6), 0), "sha256", db_text(r, i, 7), "csv_sha256",
        db_text(r, i, 8), "size", (json_int_t)db_int(r, i, 9), "csv_size",
        (json_int_t)db_int(r, i, 10), "json_url", jurl, "csv_url", curl);
    return o;
}

static json_t *pub_select(db_conn *c, int64_t id, int64_t version)
{
    db_rows *r = NULL;
    if (db_exec(c, "SELECT " PUB_COLS "FROM publications p WHERE p.round_id = ? AND p.version = ?",
                (db_param[]){DB_P_INT(id), DB_P_INT(version)}, 2, &r) != DB_OK)
        return NULL;
    json_t *o = db_rows_count(r) == 1 ? pub_object(r, 0) : NULL;
    db_rows_free(r);
    return o;
}

int publication_publish(db_conn *c, const struct app_actor *who, int64_t id, const char *note,
                        int64_t now, json_t **result, struct app_err *err)
{
    *result = NULL;
    char clean[TEXT_BUF(PUB_NOTE_MAX)];
    const char *n = NULL;
    if (note) {
        static const struct text_field tf = {"note", "Lý do công bố lại", PUB_NOTE_MAX, false};
        if (text_clean_line(note, &tf, clean, sizeof clean, err))
            return -1;
        n = clean[0] ? clean : NULL;
    }
    /* Takes the round's row lock first, so two publishers of one round queue up and the second
     * sees the first's version (PostgreSQL; SQLite has one writer anyway). */
    if (db_exec(c, "UPDATE rounds SET version = version WHERE id = ?",
                (db_param[]){DB_P_INT(id)}, 1, NULL) != DB_OK)
        return app_fail_internal(err);
    if (db_changes(c) == 0)
        return app_fail(err, 404, "not_found", NULL, "Không tìm thấy đợt đánh giá.");
    db_rows *cur = NULL;
    if (db_exec(c, "SELECT version, sha256, content_sha256 FROM publications WHERE round_id = ? "
                   "ORDER BY version DESC LIMIT 1",
                (db_param[]){DB_P_INT(id)}, 1, &cur) != DB_OK)
        return app_fail_internal(err);
    int64_t version = 1;
    char prev_sha[65] = "", prev_content[65] = "";
    if (db_rows_count(cur) == 1) {
        version = db_int(cur, 0, 0) + 1;
        snprintf(prev_sha, sizeof prev_sha, "%s", db_text(cur, 0, 1));
        snprintf(prev_content, sizeof prev_content, "%s", db_text(cur, 0, 2));
    }
    db_rows_free(cur);
    struct pub_export e;
    if (pub_export_build(c, id, version, n, prev_sha[0] ? prev_sha : NULL, now, &e, err))
        return -1;
    int rc = -1;
    if (version > 1 && !n) {
        app_fail(err, 422, "note_required", "note",
                 "Đợt đánh giá đã được công bố (phiên bản %lld). Công bố lại là một bản đính "
                 "chính: hãy ghi lý do công bố lại.", (long long)(version - 1));
        goto out;
    }
    if (version > 1 && !strcmp(prev_content, e.content_sha256)) {
        app_fail(err, 409, "publication_unchanged", NULL,
                 "Kết quả và phương pháp không thay đổi so với phiên bản %lld đã công bố: không "
                 "cần công bố lại.", (long long)(version - 1));
        goto out;
    }
    char *levels = json_oom_dumps(e.levels, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!levels) {
        app_fail_internal(err);
        goto out;
    }
    db_param p[] = {DB_P_INT(id),
                    DB_P_INT(version),
                    DB_P_STR(e.title),
                    DB_P_INT(e.year),
                    DB_P_STR(levels),
                    DB_P_TEXT(n),
                    DB_P_INT(now),
                    who->user_id ? DB_P_INT(who->user_id) : DB_P_NULL,
                    DB_P_STR(e.json),
                    DB_P_STR(e.csv),
                    DB_P_STR(e.sha256),
                    DB_P_STR(e.csv_sha256),
                    DB_P_INT(e.json_len),
                    DB_P_INT(e.csv_len),
                    DB_P_STR(e.content_sha256),
                    DB_P_STR(e.round_info),
                    DB_P_STR(e.methodology)};
    int dbrc = db_exec(c, "INSERT INTO publications (round_id, version, title, year, levels, note, "
                          "published_at, published_by, export_json, export_csv, sha256, "
                          "csv_sha256, size, csv_size, content_sha256, round_info, methodology) VALUES "
                          "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                       p, 17, NULL);
    free(levels);
    size_t li;
    json_t *lb;
    json_array_foreach(e.bodies, li, lb) {
        if (dbrc != DB_OK)
            break;
        db_param q[] = {DB_P_INT(id), DB_P_INT(version),
                        DB_P_STR(json_string_value(json_object_get(lb, "level"))),
                        DB_P_INT((int64_t)li),
                        DB_P_STR(json_string_value(json_object_get(lb, "body")))};
        dbrc = db_exec(c, "INSERT INTO publication_levels (round_id, version, level, position, body) "
                          "VALUES (?,?,?,?,?)", q, 5, NULL);
    }
    if (dbrc != DB_OK) {
        app_fail_internal(err);
        goto out;
    }
    json_t *nv = json_pack("{s:I,s:s,s:s,s:I,s:I,s:s?,s:s?}", "version", (json_int_t)version,
                           "sha256", e.sha256, "csv_sha256", e.csv_sha256, "size",
                           (json_int_t)e.json_len, "csv_size", (json_int_t)e.csv_len, "note", n,
                           "supersedes_sha256", prev_sha[0] ? prev_sha : NULL);
    int arc = nv ? audit_change(c, who, "round", "round.publish", id, NULL, nv, now) : DB_ERROR;
    json_decref(nv);
    if (arc != DB_OK) {
        app_fail_internal(err);
        goto out;
    }
    *result = pub_select(c, id, version);
    rc = *result ? 0 : app_fail_internal(err);
out:
    pub_export_free(&e);
    return rc;
}

json_t *publication_list(db_conn *c, struct app_err *err)
{
    db_rows *r = NULL;
    if (db_exec(c, "SELECT " PUB_COLS "FROM publications p ORDER BY p.year DESC, p.round_id DESC, "
                   "p.version DESC", NULL, 0, &r) != DB_OK) {
        app_fail_internal(err);
        return NULL;
    }
    /* one entry per round: its current version, with every version listed */
    json_t *rounds = json_array();
    json_t *last = NULL;
    for (int i = 0; rounds && i < db_rows_count(r); i++) {
        json_t *p = pub_object(r, i);
        if (!p) {
            json_decref(rounds);
            rounds = NULL;
            break;
        }
        json_t *brief = json_pack("{s:O,s:O,s:O,s:O,s:O}", "version", json_object_get(p, "version"),
                                  "published_at", json_object_get(p, "published_at"), "sha256",
                                  json_object_get(p, "sha256"), "note", json_object_get(p, "note"),
                                  "current", json_object_get(p, "current"));
        if (!last || json_integer_value(json_object_get(last, "round_id")) != db_int(r, i, 0)) {
            json_object_set_new(p, "versions", json_array());
            json_array_append_new(rounds, p);
            last = p;
        } else {
            json_decref(p);
        }
        json_array_append_new(json_object_get(last, "versions"), brief);
    }
    db_rows_free(r);
    json_t *o = rounds ? json_pack("{s:o}", "rounds", rounds) : NULL;
    if (!o)
        app_fail_internal(err);
    return o;
}

int publication_get(db_conn *c, int64_t id, int64_t version, struct pub_row *out,
                    struct app_err *err)
{
    memset(out, 0, sizeof *out);
    db_rows *r = NULL;
    int rc = version > 0
                 ? db_exec(c, "SELECT version, export_json, export_csv, sha256, (SELECT "
                              "MAX(version) FROM publications WHERE round_id = ?) FROM "
                              "publications WHERE round_id = ? AND version = ?",
                           (db_param[]){DB_P_INT(id), DB_P_INT(id), DB_P_INT(version)}, 3, &r)
                 : db_exec(c, "SELECT version, export_json, export_csv, sha256, version FROM "
                              "publications WHERE round_id = ? ORDER BY version DESC LIMIT 1",
                           (db_param[]){DB_P_INT(id)}, 1, &r);
    if (rc != DB_OK)
        return app_fail_internal(err);
    if (db_rows_count(r) != 1) {
        db_rows_free(r);
        return app_fail(err, 404, "not_found", NULL, "%s", not_published);
    }
    out->round_id = id;
    out->version = db_int(r, 0, 0);
    out->current_version = db_int(r, 0, 4);
    out->json_len = db_len(r, 0, 1);
    out->csv_len = db_len(r, 0, 2);
    out->json = malloc(out->json_len + 1);
    out->csv = malloc(out->csv_len + 1);
    if (out->json && out->csv) {
        memcpy(out->json, db_text(r, 0, 1), out->json_len + 1);
        memcpy(out->csv, db_text(r, 0, 2), out->csv_len + 1);
        snprintf(out->sha256, sizeof out->sha256, "%s", db_text(r, 0, 3));
    }
    db_rows_free(r);
    if (!out->json || !out->csv) {
        pub_row_free(out);
        return app_fail_internal(err);
    }
    return 0;
}

void pub_row_free(struct pub_row *r)
{
    free(r->json);
    free(r->csv);
    r->json = r->csv = NULL;
}

/* The version asked for (0: the current one) if the round has it; 404 otherwise. */
static int resolve_version(db_conn *c, int64_t id, int64_t version, int64_t *out,
                           int64_t *current, struct app_err *err)
{
    int64_t cur = 0, n = 0;
    db_param p[] = {DB_P_INT(id), DB_P_INT(version)};
    if (db_query_int(c, "SELECT COALESCE(MAX(version), 0) FROM publications WHERE round_id = ?", p,
                     1, &cur) != DB_OK ||
        (version > 0 && db_query_int(c, "SELECT COUNT(*) FROM publications WHERE round_id = ? AND "
                                        "version = ?", p, 2, &n) != DB_OK))
        return app_fail_internal(err);
    if (cur == 0 || (version > 0 && n == 0))
        return app_fail(err, 404, "not_found", NULL, "%s", not_published);
    *out = version > 0 ? version : cur;
    *current = cur;
    return 0;
}

json_t *publication_round(db_conn *c, int64_t id, int64_t version, struct app_err *err)
{
    int64_t v, cur;
    if (resolve_version(c, id, version, &v, &cur, err))
        return NULL;
    db_rows *r = NULL;
    if (db_exec(c, "SELECT round_info, methodology FROM publications WHERE round_id = ? AND "
                   "version = ?", (db_param[]){DB_P_INT(id), DB_P_INT(v)}, 2, &r) != DB_OK ||
        db_rows_count(r) != 1) {
        db_rows_free(r);
        app_fail_internal(err);
        return NULL;
    }
    bool oom = false;
    json_t *round = json_oom_loadb(db_text(r, 0, 0), db_len(r, 0, 0), 0, NULL, &oom);
    json_t *meth = json_oom_loadb(db_text(r, 0, 1), db_len(r, 0, 1), 0, NULL, &oom);
    db_rows_free(r);
    json_t *pub = pub_select(c, id, v);
    json_t *versions = json_array();
    if (db_exec(c, "SELECT version, published_at, sha256, note FROM publications WHERE round_id "
                   "= ? ORDER BY version DESC", (db_param[]){DB_P_INT(id)}, 1, &r) == DB_OK) {
        for (int i = 0; versions && i < db_rows_count(r); i++)
            json_array_append_new(
                versions, json_pack("{s:I,s:o,s:s,s:s?,s:b}", "version", (json_int_t)db_int(r, i, 0),
                                    "published_at", isotime_json(db_int(r, i, 1), 0), "sha256",
                                    db_text(r, i, 2), "note",
                                    db_is_null(r, i, 3) ? NULL : db_text(r, i, 3), "current",
                                    db_int(r, i, 0) == cur));
        db_rows_free(r);
    } else {
        json_decref(versions);
        versions = NULL;
    }
    json_t *o = round && meth && pub && versions
                    ? json_pack("{s:o,s:o,s:o,s:o}", "round", round, "publication", pub,
                                "versions", versions, "methodology", meth)
                    : NULL;
    if (!o) {
        if (!(round && meth && pub && versions)) {
            json_decref(round);
            json_decref(meth);
            json_decref(pub);
            json_decref(versions);
        }
        app_fail_internal(err);
    }
    return o;
}

char *publication_rankings(db_conn *c, int64_t id, int64_t version, const char *level,
                           size_t *len, struct app_err *err)
{
    int64_t v, cur;
    if (resolve_version(c, id, version, &v, &cur, err))
        return NULL;
    db_rows *r = NULL;
    int rc = level ? db_exec(c, "SELECT body FROM publication_levels WHERE round_id = ? AND "
                                "version = ? AND level = ?",
                             (db_param[]){DB_P_INT(id), DB_P_INT(v), DB_P_TEXT(level)}, 3, &r)
                   : db_exec(c, "SELECT body FROM publication_levels WHERE round_id = ? AND "
                                "version = ? ORDER BY position LIMIT 1",
                             (db_param[]){DB_P_INT(id), DB_P_INT(v)}, 2, &r);
    if (rc != DB_OK) {
        app_fail_internal(err);
        return NULL;
    }
    char *body = NULL;
    if (db_rows_count(r) != 1) {
        app_fail(err, 404, "not_found", "level",
                 "Đợt đánh giá không có kết quả công bố cho cấp «%.40s».", level ? level : "");
    } else {
        *len = db_len(r, 0, 0);
        body = malloc(*len + 1);
        if (body)
            memcpy(body, db_text(r, 0, 0), *len + 1);
        else
            app_fail_internal(err);
    }
    db_rows_free(r);
    return body;
}
