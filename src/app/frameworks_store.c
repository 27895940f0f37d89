/* frameworks_store.c — index sets as stored files: shipped ones synced from frameworks/ at
 * start-up, uploads validated in full before anything is stored. */
#include "app/frameworks_store.h"

#include <dirent.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/isotime.h"
#include "app/audit.h"
#include "app/frameworks_cache.h"
#include "app/json_rows.h"
#include "core/fw_json.h"
#include "core/json_oom.h"
#include "core/json_error_vi.h"
#include "core/score.h"

/* The sha256 of an index set file as stored: without a leading byte-order mark (fw_load skips
 * it and the stored body leaves it out). The stored record, the audit entry and the sync check
 * all take it from here, so they agree. */
static void sha256_hex(const char *text, size_t len, char out[65])
{
    text = json_skip_bom(text, &len);
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)text, len);
    sodium_bin2hex(out, 65, h, sizeof h);
}

/* Whether (id, version) is stored and, if so, the sha256 of its stored file. */
static int stored_sha(db_conn *c, const char *id, int64_t version, bool *yes, char sha[65])
{
    db_param p[] = {DB_P_TEXT(id), DB_P_INT(version)};
    db_rows *r;
    int rc = db_exec(c, "SELECT sha256 FROM frameworks WHERE id = ? AND version = ?", p, 2, &r);
    if (rc != DB_OK)
        return rc;
    *yes = db_rows_count(r) > 0;
    snprintf(sha, 65, "%s", *yes ? db_text(r, 0, 0) : "");
    db_rows_free(r);
    return DB_OK;
}

static int exists(db_conn *c, const char *id, int64_t version, bool *yes)
{
    char sha[65];
    return stored_sha(c, id, version, yes, sha);
}

int frameworks_insert(db_conn *c, const struct framework *fw, const char *text, size_t len,
                      int64_t now, int64_t created_by)
{
    char sha_buf[65], *sha = sha_buf;
    sha256_hex(text, len, sha_buf);
    text = json_skip_bom(text, &len); /* fw_load skips it; a stored body is parsed as it is */
    char *body = strndup(text, len);
    if (!body)
        return DB_ERROR;
    db_param p[] = {DB_P_TEXT(fw->id),       DB_P_INT(fw->version),   DB_P_TEXT(fw->title),
                    DB_P_TEXT(fw->level),    DB_P_INT(fw->year),      DB_P_TEXT(fw->status),
                    DB_P_INT(fw->max_h),     DB_P_INT(fw->n_criteria), DB_P_TEXT(body),
                    DB_P_TEXT(sha),          DB_P_INT(now),
                    created_by ? DB_P_INT(created_by) : DB_P_NULL};
    int rc = db_exec(c,
                     "INSERT INTO frameworks (id, version, title, level, year, status, max_points,"
                     " criteria_count, body, sha256, created_at, created_by)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     p, 12, NULL);
    free(body);
    return rc;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap || cap >= (64u << 20))
            break;
        cap *= 2;
        char *nb = realloc(buf, cap + 1);
        if (!nb)
            free(buf);
        buf = nb;
    }
    fclose(f);
    if (buf) {
        buf[n] = 0;
        *len = n;
    }
    return buf;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int frameworks_sync_dir(db_conn *c, const char *dir, char *err, size_t errlen)
{
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errlen, "không mở được thư mục %s", dir);
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (l < 6 || strcmp(de->d_name + l - 5, ".json") || de->d_name[0] == '.')
            continue;
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 16;
            char **nn = realloc(names, nc * sizeof *nn);
            if (!nn)
                goto oom;
            names = nn;
            cap = nc;
        }
        if (!(names[n] = strdup(de->d_name)))
            goto oom;
        n++;
    }
    closedir(d);
    d = NULL;
    qsort(names, n, sizeof *names, cmp_str); /* a stable order: the same on every machine */
    int installed = 0;
    for (size_t i = 0; i < n && installed >= 0; i++) {
        char path[4096];
        size_t len = 0;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        char *text = read_file(path, &len);
        if (!text) {
            snprintf(err, errlen, "không đọc được %s", path);
            installed = -1;
            break;
        }
        struct fw_errors errs = {0};
        struct framework *fw = fw_load(text, len, &errs);
        if (!fw && errs.oom) {
            snprintf(err, errlen, "%s: hết bộ nhớ khi nạp bộ chỉ số", path);
            installed = -1;
        } else if (!fw) {
            snprintf(err, errlen, "%s: %s: %s%s", path, errs.n ? errs.v[0].path : "",
                     errs.n ? errs.v[0].message : "không hợp lệ",
                     errs.n > 1 ? " (và các lỗi khác; xem dti framework validate)" : "");
            installed = -1;
        } else {
            bool yes;
            char sha[65], file_sha[65];
            if (stored_sha(c, fw->id, fw->version, &yes, sha) != DB_OK) {
                snprintf(err, errlen, "lỗi cơ sở dữ liệu khi nạp %s", path);
                installed = -1;
            } else if (yes) {
                /* A stored version may already back a round's scores: a changed file under the
                 * same version would silently serve different data, so it must be refused. */
                sha256_hex(text, len, file_sha); /* hashed as frameworks_insert does */
                if (strcmp(sha, file_sha)) {
                    snprintf(err, errlen,
                             "%s: nội dung đã thay đổi (sha256 khác) so với bộ chỉ số %s phiên "
                             "bản %lld đã lưu; một bộ chỉ số đã lưu không được sửa, hãy tăng "
                             "\"version\" trong tệp",
                             path, fw->id, (long long)fw->version);
                    installed = -1;
                }
            } else {
                if (frameworks_insert(c, fw, text, len, (int64_t)time(NULL), 0) != DB_OK) {
                    snprintf(err, errlen, "không lưu được %s", path);
                    installed = -1;
                } else {
                    installed++;
                }
            }
        }
        fw_free(fw);
        fw_errors_free(&errs);
        free(text);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return installed;
oom: /* a file left out of the list would be skipped without a word */
    snprintf(err, errlen, "hết bộ nhớ khi liệt kê thư mục %s", dir);
    closedir(d);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return -1;
}

static json_t *row_to_summary(const db_rows *r, int i)
{
    return json_pack("{s:s,s:I,s:s,s:s,s:I,s:s,s:o,s:I}", "id", db_text(r, i, 0), "version",
                     (json_int_t)db_int(r, i, 1), "title", db_text(r, i, 2), "level",
                     db_text(r, i, 3), "year", (json_int_t)db_int(r, i, 4), "status",
                     db_text(r, i, 5), "max_points", json_hundredths(db_int(r, i, 6)),
                     "criteria_count", (json_int_t)db_int(r, i, 7));
}

json_t *frameworks_list(db_conn *c)
{
    db_rows *rows;
    if (db_exec(c,
                "SELECT id, version, title, level, year, status, max_points, criteria_count"
                " FROM frameworks ORDER BY id, version DESC",
                NULL, 0, &rows) != DB_OK)
        return NULL;
    json_t *a = json_rows_array(rows, row_to_summary);
    db_rows_free(rows);
    return json_pack("{s:o}", "frameworks", a);
}

/* The stored versions of id (newest first) and the one asked for (0: the newest), compiled.
 * Returns the cache entry to release, with *rows to free; NULL with err. */
static struct fw_cache_entry *pick_version(db_conn *c, const char *id, int64_t version,
                                           db_rows **rows, int *pick, struct fw_compiled *cf,
                                           struct app_err *err)
{
    db_param p[] = {DB_P_TEXT(id)};
    if (db_exec(c, "SELECT version, sha256, created_at FROM frameworks WHERE id = ?"
                   " ORDER BY version DESC",
                p, 1, rows) != DB_OK) {
        app_fail_internal(err);
        return NULL;
    }
    int n = db_rows_count(*rows);
    *pick = -1;
    for (int i = 0; i < n && *pick < 0; i++)
        if (version == 0 || db_int(*rows, i, 0) == version)
            *pick = i;
    if (*pick < 0) {
        db_rows_free(*rows);
        app_fail(err, 404, "not_found", NULL, "Không tìm thấy bộ chỉ số %s%s.", id,
                 version ? " với phiên bản này" : "");
        return NULL;
    }
    /* parsed and validated once per (id, version) */
    struct fw_cache_entry *ce =
        frameworks_cache_get(c, id, db_int(*rows, *pick, 0), db_text(*rows, *pick, 1), cf, err);
    if (!ce)
        db_rows_free(*rows);
    return ce;
}

/* A shallow copy of the shared compiled document. Not json_copy: jansson 2.14's object copy
 * ignores a member it fails to store and returns a shorter object (found by
 * tests/unit/test_alloc_fail.c). */
static json_t *copy_members(const json_t *src)
{
    json_t *o = json_object(), *v;
    const char *k;
    if (!o)
        return NULL;
    json_object_foreach((json_t *)src, k, v)
        if (json_object_set(o, k, v)) {
            json_decref(o);
            return NULL;
        }
    return o;
}

/* The fields of a detail that change per request: sha256, created_at, versions. */
static json_t *detail_extra(db_rows *rows, int pick)
{
    json_t *o = json_object(), *versions = json_array();
    bool ok = o && versions;
    for (int i = 0; ok && i < db_rows_count(rows); i++)
        ok = !json_array_append_new(versions, json_integer(db_int(rows, i, 0)));
    ok = ok && !json_object_set_new(o, "sha256", json_string(db_text(rows, pick, 1))) &&
         !json_object_set_new(o, "created_at", isotime_json(db_int(rows, pick, 2), 0));
    if (!ok || json_object_set_new(o, "versions", versions)) { /* set_new takes versions */
        if (!ok)
            json_decref(versions);
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *frameworks_get(db_conn *c, const char *id, int64_t version, struct app_err *err)
{
    db_rows *rows;
    int pick;
    struct fw_compiled cf;
    struct fw_cache_entry *ce = pick_version(c, id, version, &rows, &pick, &cf, err);
    if (!ce)
        return NULL;
    /* the shared part is copied shallowly, the per-request fields added to the copy */
    json_t *doc = copy_members(cf.doc), *extra = detail_extra(rows, pick);
    bool ok = doc && extra && !json_object_update(doc, extra);
    json_decref(extra);
    frameworks_cache_release(ce);
    db_rows_free(rows);
    if (!ok) {
        json_decref(doc);
        app_fail_internal(err);
        return NULL;
    }
    return doc;
}

char *frameworks_get_text(db_conn *c, const char *id, int64_t version, size_t *len,
                          struct app_err *err)
{
    db_rows *rows;
    int pick;
    struct fw_compiled cf;
    struct fw_cache_entry *ce = pick_version(c, id, version, &rows, &pick, &cf, err);
    if (!ce)
        return NULL;
    json_t *extra = detail_extra(rows, pick);
    char *tail = extra ? json_oom_dumps(extra, FW_REPLY_JSON_FLAGS) : NULL; /* "{...}" */
    size_t tl = tail ? strlen(tail) : 0;
    char *out = tl >= 2 ? malloc(cf.text_open_len + tl + 1) : NULL;
    if (out) { /* the set without its '}', then ',' and the extra fields without their '{' */
        memcpy(out, cf.text_open, cf.text_open_len);
        out[cf.text_open_len] = ',';
        memcpy(out + cf.text_open_len + 1, tail + 1, tl); /* with the NUL */
        *len = cf.text_open_len + tl;
    }
    free(tail);
    json_decref(extra);
    frameworks_cache_release(ce);
    db_rows_free(rows);
    if (!out)
        app_fail_internal(err);
    return out;
}

int frameworks_upload(db_conn *c, const struct app_actor *who, const char *text, size_t len,
                      int64_t now, json_t **summary, json_t **errors, struct app_err *err)
{
    *summary = *errors = NULL;
    struct fw_errors errs = {0};
    struct framework *fw = fw_load(text, len, &errs);
    if (!fw && errs.oom) { /* the file may be fine: not the uploader's error */
        fw_errors_free(&errs);
        return app_fail(err, 500, "out_of_memory", NULL,
                        "Máy chủ hết bộ nhớ khi kiểm tra tệp bộ chỉ số; chưa lưu gì, hãy thử lại sau.");
    }
    if (!fw) {
        json_t *a = json_array();
        for (size_t i = 0; a && i < errs.n; i++)
            a = json_append_or_free(a, json_pack("{s:s,s:s}", "field", errs.v[i].path, "message",
                                                 errs.v[i].message));
        if (!a) { /* the list could not be built: a 500, never a shorter list */
            fw_errors_free(&errs);
            return app_fail_internal(err);
        }
        *errors = a;
        app_fail(err, 422, "invalid_framework", errs.n ? errs.v[0].path : NULL,
                 "Tệp bộ chỉ số có %zu lỗi; chưa lưu gì.", errs.n);
        fw_errors_free(&errs);
        return -1;
    }
    bool yes;
    if (exists(c, fw->id, fw->version, &yes) != DB_OK) {
        fw_free(fw);
        return app_fail_internal(err);
    }
    if (yes) {
        app_fail(err, 409, "framework_exists", "version",
                 "Bộ chỉ số %s phiên bản %lld đã có; một thay đổi phải là phiên bản mới.", fw->id,
                 (long long)fw->version);
        fw_free(fw);
        return -1;
    }
    int rc = frameworks_insert(c, fw, text, len, now, who->user_id);
    if (rc == DB_CONSTRAINT) { /* a concurrent upload of the same version won */
        app_fail(err, 409, "framework_exists", "version", "Bộ chỉ số %s phiên bản %lld đã có.",
                 fw->id, (long long)fw->version);
        fw_free(fw);
        return -1;
    }
    json_t *sum = fw_summary_json(fw);
    char entity[96], sha[65];
    snprintf(entity, sizeof entity, "%s@%lld", fw->id, (long long)fw->version);
    sha256_hex(text, len, sha);
    json_t *nv = json_deep_copy(sum);
    if (!sum || !nv || json_object_set_new(nv, "sha256", json_string(sha)))
        rc = DB_ERROR; /* an audit entry without its sha256 would not say what was stored */
    struct audit_event ev = {.actor_user_id = who->user_id,
                             .actor_name = who->name,
                             .client_addr = who->client_addr,
                             .action = "framework.create",
                             .entity = "framework",
                             .entity_id = entity,
                             .new_value = nv};
    if (rc != DB_OK || audit_append(c, &ev, now) != DB_OK) {
        json_decref(nv);
        json_decref(sum);
        fw_free(fw);
        return app_fail_internal(err);
    }
    json_decref(nv);
    fw_free(fw);
    *summary = sum;
    return 0;
}
