/* rounds.c — evaluation rounds: create (with every task, in one transaction), read, change title
 * and phases. See rounds.h and docs/rounds-api.md.
 *
 * Speed: a round for 10,000 units x 69 criteria is 690,000 tasks. They are written by one
 * INSERT … SELECT per level and batch of criteria — the criteria as a VALUES list joined with
 * the round's units — so the database does the loop, on SQLite and PostgreSQL alike. A round
 * gets ONE audit entry with its counts, not one per task: the tasks are a function of the
 * audited inputs (sets, units), and they start empty. */
#include "app/rounds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/frameworks_cache.h"
#include "app/isotime.h"
#include "app/json_rows.h"
#include "app/text.h"
#include "core/framework.h"
#include "core/phase.h"
#include "core/round_phases.h"
#include "core/sb.h"

#define MAX_LIST 100000 /* units in include / exclude: more than a province has */
#define CRIT_BATCH 100  /* criteria per INSERT … SELECT: 4 parameters each */

/* ---- body reading ---- */

static int bad_type(struct app_err *err, const char *field, const char *what)
{
    return app_fail(err, 400, "invalid_type", field, "Trường %s phải là %s.", field, what);
}

static int check_keys(json_t *obj, const char *prefix, const char *const allowed[],
                      struct app_err *err)
{
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v) {
        bool ok = false;
        for (int i = 0; allowed[i]; i++)
            ok = ok || !strcmp(k, allowed[i]);
        if (!ok) {
            char f[96];
            snprintf(f, sizeof f, "%s%s", prefix, k);
            return app_fail(err, 400, "unknown_field", f, "Trường không được hỗ trợ: %s.", f);
        }
    }
    return 0;
}

static bool is_level(const char *s)
{
    return fw_unit_kind_parse(s) >= 0;
}

/* phases: [{"phase", "starts", "ends"}…] -> windows; each phase at most once, valid dates,
 * starts <= ends, table order, no overlap. */
static int read_phases(json_t *a, struct phase_window w[PH_COUNT], struct app_err *err)
{
    memset(w, 0, sizeof(struct phase_window) * PH_COUNT);
    if (!json_is_array(a))
        return bad_type(err, "phases", "một danh sách giai đoạn");
    int at[PH_COUNT]; /* index in the array of each phase given */
    size_t i;
    json_t *e;
    json_array_foreach(a, i, e) {
        char f[64];
        snprintf(f, sizeof f, "phases[%zu]", i);
        if (!json_is_object(e))
            return bad_type(err, f, "một đối tượng {phase, starts, ends}");
        static const char *const keys[] = {"phase", "starts", "ends", NULL};
        char pre[72];
        snprintf(pre, sizeof pre, "%s.", f);
        if (check_keys(e, pre, keys, err))
            return -1;
        const char *code = json_string_value(json_object_get(e, "phase"));
        snprintf(f, sizeof f, "phases[%zu].phase", i);
        if (!code)
            return app_fail(err, 400, "missing_field", f, "Thiếu mã giai đoạn (%s).", f);
        int p = phase_parse(code);
        if (p < 0)
            return app_fail(err, 422, "invalid_value", f,
                            "Giai đoạn không hợp lệ: «%.40s» (%s).", code, f);
        if (w[p].set)
            return app_fail(err, 422, "invalid_value", f, "Giai đoạn «%s» được nêu hai lần.",
                            phase_label((enum phase)p));
        int64_t t[2];
        static const char *const ends[] = {"starts", "ends"};
        for (int k = 0; k < 2; k++) {
            snprintf(f, sizeof f, "phases[%zu].%s", i, ends[k]);
            json_t *d = json_object_get(e, ends[k]);
            if (!d)
                return app_fail(err, 400, "missing_field", f, "Thiếu ngày %s của giai đoạn «%s» (%s).",
                                k ? "kết thúc" : "bắt đầu", phase_label((enum phase)p), f);
            if (!json_is_string(d))
                return bad_type(err, f, "một ngày dạng YYYY-MM-DD");
            if (!vn_date_start(json_string_value(d), &t[k]))
                return app_fail(err, 422, "invalid_value", f,
                                "Ngày không hợp lệ (%s): cần dạng YYYY-MM-DD, ví dụ 2025-03-01.", f);
        }
        w[p] = (struct phase_window){.set = true, .starts_at = t[0], .ends_at = t[1] + 86400};
        at[p] = (int)i;
    }
    char msg[sizeof err->message];
    int bad = round_phases_check(w, msg, sizeof msg);
    if (bad != PH_NONE) {
        char f[64];
        snprintf(f, sizeof f, "phases[%d]", at[bad]);
        return app_fail(err, 422, "invalid_value", f, "%s", msg);
    }
    return 0;
}

static int write_phases(db_conn *c, int64_t id, const struct phase_window w[PH_COUNT])
{
    for (int p = 0; p < PH_COUNT; p++) {
        if (!w[p].set)
            continue;
        db_param prm[] = {DB_P_INT(id), DB_P_TEXT(phase_code((enum phase)p)),
                          DB_P_INT(w[p].starts_at), DB_P_INT(w[p].ends_at)};
        if (db_exec(c, "INSERT INTO round_phases (round_id, phase, starts_at, ends_at) "
                       "VALUES (?, ?, ?, ?)", prm, 4, NULL) != DB_OK)
            return -1;
    }
    return 0;
}

static json_t *phases_json(const struct phase_window w[PH_COUNT])
{
    json_t *a = json_array();
    for (int p = 0; a && p < PH_COUNT; p++) {
        if (!w[p].set)
            continue;
        char s[11], e[11];
        vn_date_format(w[p].starts_at, s);
        vn_date_format(w[p].ends_at - 1, e);
        a = json_append_or_free(
            a, json_pack("{s:s,s:s,s:s,s:s,s:o,s:o}", "phase", phase_code((enum phase)p),
                         "label", phase_label((enum phase)p), "starts", s, "ends", e,
                         "starts_at", isotime_json(w[p].starts_at, 0), "ends_at",
                         isotime_json(w[p].ends_at, 0)));
    }
    return a;
}

static int load_phases(db_conn *c, int64_t id, struct phase_window w[PH_COUNT])
{
    memset(w, 0, sizeof(struct phase_window) * PH_COUNT);
    db_rows *r = NULL;
    db_param p[] = {DB_P_INT(id)};
    if (db_exec(c, "SELECT phase, starts_at, ends_at FROM round_phases WHERE round_id = ?", p, 1,
                &r) != DB_OK)
        return -1;
    for (int i = 0; i < db_rows_count(r); i++) {
        int ph = phase_parse(db_text(r, i, 0));
        if (ph >= 0)
            w[ph] = (struct phase_window){true, db_int(r, i, 1), db_int(r, i, 2)};
    }
    db_rows_free(r);
    return 0;
}

/* ---- the index sets of a round ---- */

struct round_fw {
    char level[16];
    const char *id;
    int64_t version;
    struct fw_cache_entry *entry;
    struct fw_compiled cf;
};

struct create_ctx {
    struct round_fw fws[UK_COUNT];
    int nfw;
};

static void ctx_free(struct create_ctx *x)
{
    for (int i = 0; i < x->nfw; i++)
        frameworks_cache_release(x->fws[i].entry);
}

static const struct round_fw *fw_for_level(const struct create_ctx *x, const char *level)
{
    for (int i = 0; i < x->nfw; i++)
        if (!strcmp(x->fws[i].level, level))
            return &x->fws[i];
    return NULL;
}

static int read_frameworks(db_conn *c, json_t *a, struct create_ctx *x, struct app_err *err)
{
    if (!a)
        return app_fail(err, 400, "missing_field", "frameworks",
                        "Thiếu bộ chỉ số áp dụng cho từng cấp (frameworks).");
    if (!json_is_array(a))
        return bad_type(err, "frameworks", "một danh sách {level, framework_id, version}");
    if (json_array_size(a) == 0)
        return app_fail(err, 422, "invalid_value", "frameworks",
                        "Cần ít nhất một bộ chỉ số cho đợt đánh giá (frameworks).");
    size_t i;
    json_t *e;
    json_array_foreach(a, i, e) {
        char f[64], pre[64];
        snprintf(pre, sizeof pre, "frameworks[%zu].", i);
        snprintf(f, sizeof f, "frameworks[%zu]", i);
        if (!json_is_object(e))
            return bad_type(err, f, "một đối tượng {level, framework_id, version}");
        static const char *const keys[] = {"level", "framework_id", "version", NULL};
        if (check_keys(e, pre, keys, err))
            return -1;
        const char *level = json_string_value(json_object_get(e, "level"));
        const char *id = json_string_value(json_object_get(e, "framework_id"));
        json_t *ver = json_object_get(e, "version");
        snprintf(f, sizeof f, "frameworks[%zu].level", i);
        if (!level)
            return app_fail(err, 400, "missing_field", f, "Thiếu cấp áp dụng (%s).", f);
        if (!is_level(level))
            return app_fail(err, 422, "invalid_value", f,
                            "Cấp không hợp lệ (%s), phải là một trong: " FW_UNIT_KINDS_LIST ".", f);
        if (fw_for_level(x, level))
            return app_fail(err, 422, "invalid_value", f,
                            "Cấp «%s» đã có bộ chỉ số trong đợt này (%s).", fw_level_label(level), f);
        snprintf(f, sizeof f, "frameworks[%zu].framework_id", i);
        if (!id)
            return app_fail(err, 400, "missing_field", f, "Thiếu mã bộ chỉ số (%s).", f);
        snprintf(f, sizeof f, "frameworks[%zu].version", i);
        if (!json_is_integer(ver) || json_integer_value(ver) < 1)
            return app_fail(err, 400, ver ? "invalid_type" : "missing_field", f,
                            "Phiên bản bộ chỉ số (%s) phải là số nguyên dương.", f);
        int64_t version = json_integer_value(ver);
        db_rows *r = NULL;
        db_param p[] = {DB_P_TEXT(id), DB_P_INT(version)};
        if (db_exec(c, "SELECT level, sha256 FROM frameworks WHERE id = ? AND version = ?", p, 2,
                    &r) != DB_OK)
            return app_fail_internal(err);
        if (db_rows_count(r) != 1) {
            db_rows_free(r);
            snprintf(f, sizeof f, "frameworks[%zu].framework_id", i);
            return app_fail(err, 422, "invalid_value", f,
                            "Không có bộ chỉ số «%.60s» phiên bản %lld (%s).", id,
                            (long long)version, f);
        }
        if (strcmp(db_text(r, 0, 0), level)) {
            snprintf(f, sizeof f, "frameworks[%zu].level", i);
            app_fail(err, 422, "invalid_value", f,
                     "Bộ chỉ số «%.60s» dành cho %s, không dùng được cho %s (%s).", id,
                     fw_level_label(db_text(r, 0, 0)), fw_level_label(level), f);
            db_rows_free(r);
            return -1;
        }
        struct round_fw *rf = &x->fws[x->nfw];
        snprintf(rf->level, sizeof rf->level, "%s", level);
        rf->id = id;
        rf->version = version;
        rf->entry = frameworks_cache_get(c, id, version, db_text(r, 0, 1), &rf->cf, err);
        db_rows_free(r);
        if (!rf->entry)
            return -1;
        x->nfw++;
    }
    return 0;
}

/* ---- the units of a round ---- */

static int read_id_list(json_t *u, const char *key, json_t **out, struct app_err *err)
{
    char f[48];
    snprintf(f, sizeof f, "units.%s", key);
    json_t *a = json_object_get(u, key);
    *out = NULL;
    if (!a || json_is_null(a))
        return 0;
    if (!json_is_array(a))
        return bad_type(err, f, "một danh sách mã số đơn vị");
    if (json_array_size(a) > MAX_LIST)
        return app_fail(err, 422, "invalid_value", f, "Danh sách %s quá dài.", f);
    size_t i;
    json_t *e;
    json_array_foreach(a, i, e) {
        if (!json_is_integer(e) || json_integer_value(e) < 1) {
            snprintf(f, sizeof f, "units.%s[%zu]", key, i);
            return bad_type(err, f, "mã số đơn vị (số nguyên dương)");
        }
    }
    *out = a;
    return 0;
}

/* Fills round_units: active units whose kind is one of levels, minus exclude, plus include. */
static int write_units(db_conn *c, int64_t rid, json_t *u, const struct create_ctx *x,
                       struct app_err *err)
{
    if (!u)
        return app_fail(err, 400, "missing_field", "units",
                        "Thiếu các đơn vị tham gia (units: levels, include, exclude).");
    if (!json_is_object(u))
        return bad_type(err, "units", "một đối tượng {levels, include, exclude}");
    static const char *const keys[] = {"levels", "include", "exclude", NULL};
    if (check_keys(u, "units.", keys, err))
        return -1;
    json_t *levels = json_object_get(u, "levels"), *inc, *exc;
    if (levels && !json_is_null(levels) && !json_is_array(levels))
        return bad_type(err, "units.levels", "một danh sách cấp");
    if (read_id_list(u, "include", &inc, err) || read_id_list(u, "exclude", &exc, err))
        return -1;
    size_t i, j;
    json_t *e, *e2;
    char f[64];
    json_array_foreach(levels, i, e) {
        snprintf(f, sizeof f, "units.levels[%zu]", i);
        const char *lv = json_string_value(e);
        if (!lv)
            return bad_type(err, f, "một cấp (department, district…)");
        if (!is_level(lv))
            return app_fail(err, 422, "invalid_value", f, "Cấp không hợp lệ: «%.40s» (%s).", lv, f);
        if (!fw_for_level(x, lv))
            return app_fail(err, 422, "invalid_value", f,
                            "Chưa chọn bộ chỉ số cho %s (%s): thêm vào frameworks.",
                            fw_level_label(lv), f);
        db_param p[] = {DB_P_INT(rid), DB_P_TEXT(lv)};
        /* a level given twice adds nothing the second time */
        if (db_exec(c, "INSERT INTO round_units (round_id, unit_id, level) "
                       "SELECT ?, id, kind FROM units u WHERE kind = ? AND retired_at IS NULL "
                       "AND NOT EXISTS (SELECT 1 FROM round_units x WHERE x.round_id = ? "
                       "AND x.unit_id = u.id)",
                    (db_param[]){p[0], p[1], p[0]}, 3, NULL) != DB_OK)
            return app_fail_internal(err);
    }
    json_array_foreach(exc, i, e) {
        snprintf(f, sizeof f, "units.exclude[%zu]", i);
        int64_t uid = json_integer_value(e), n = 0;
        db_param p[] = {DB_P_INT(uid)};
        if (db_query_int(c, "SELECT COUNT(*) FROM units WHERE id = ?", p, 1, &n) != DB_OK)
            return app_fail_internal(err);
        if (!n)
            return app_fail(err, 422, "invalid_value", f, "Không có đơn vị mã số %lld (%s).",
                            (long long)uid, f);
        json_array_foreach(inc, j, e2)
            if (json_integer_value(e2) == uid)
                return app_fail(err, 422, "invalid_value", f,
                                "Đơn vị mã số %lld vừa được thêm vừa bị loại (%s).",
                                (long long)uid, f);
        if (db_exec(c, "DELETE FROM round_units WHERE round_id = ? AND unit_id = ?",
                    (db_param[]){DB_P_INT(rid), DB_P_INT(uid)}, 2, NULL) != DB_OK)
            return app_fail_internal(err);
    }
    json_array_foreach(inc, i, e) {
        snprintf(f, sizeof f, "units.include[%zu]", i);
        int64_t uid = json_integer_value(e);
        db_rows *r = NULL;
        if (db_exec(c, "SELECT kind, name FROM units WHERE id = ? AND retired_at IS NULL",
                    (db_param[]){DB_P_INT(uid)}, 1, &r) != DB_OK)
            return app_fail_internal(err);
        if (db_rows_count(r) != 1) {
            db_rows_free(r);
            return app_fail(err, 422, "invalid_value", f,
                            "Không có đơn vị đang hoạt động mã số %lld (%s).", (long long)uid, f);
        }
        if (!fw_for_level(x, db_text(r, 0, 0))) {
            app_fail(err, 422, "invalid_value", f,
                     "Đơn vị «%.80s» thuộc %s nhưng đợt này chưa có bộ chỉ số cho cấp đó (%s).",
                     db_text(r, 0, 1), fw_level_label(db_text(r, 0, 0)), f);
            db_rows_free(r);
            return -1;
        }
        db_rows_free(r);
        if (db_exec(c, "INSERT INTO round_units (round_id, unit_id, level) "
                       "SELECT ?, id, kind FROM units u WHERE id = ? AND NOT EXISTS "
                       "(SELECT 1 FROM round_units x WHERE x.round_id = ? AND x.unit_id = u.id)",
                    (db_param[]){DB_P_INT(rid), DB_P_INT(uid), DB_P_INT(rid)}, 3, NULL) != DB_OK)
            return app_fail_internal(err);
    }
    return 0;
}

/* ---- tasks ---- */

static bool applies(const struct fw_criterion *cr, const char *kind)
{
    int k = fw_unit_kind_parse(kind);
    return cr->applies_to == 0 || (k >= 0 && (cr->applies_to & (1u << k)));
}

/* One INSERT … SELECT: the round's units of this level x the criteria crit[0..n). */
static int insert_batch(db_conn *c, int64_t rid, const struct round_fw *rf,
                        const struct fw_criterion *const *crit, size_t n, int64_t *tasks)
{
    /* ~70 bytes a row: the buffer holds CRIT_BATCH rows by construction */
    static const char row[] =
        "(CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS INTEGER), CAST(? AS BIGINT))";
    char sql[512 + CRIT_BATCH * sizeof row];
    struct sb b = {sql, 0, sizeof sql};
    sql[0] = 0;
    sb_s(&b, "WITH c(k, p, s, m) AS (VALUES ");
    for (size_t i = 0; i < n; i++) {
        if (i)
            sb_s(&b, ", ");
        sb_s(&b, row);
    }
    sb_s(&b, ") INSERT INTO tasks (round_id, subject_unit_id, unit_id, framework_id, "
             "framework_version, criterion_key, pillar_key, seq, max_points) "
             "SELECT ru.round_id, ru.unit_id, ru.unit_id, CAST(? AS TEXT), CAST(? AS INTEGER), "
             "c.k, c.p, c.s, c.m FROM round_units ru CROSS JOIN c "
             "WHERE ru.round_id = ? AND ru.level = ? ORDER BY ru.unit_id, c.s");
    db_param p[CRIT_BATCH * 4 + 4];
    int np = 0;
    const struct framework *fw = rf->cf.fw;
    for (size_t i = 0; i < n; i++) {
        p[np++] = DB_P_TEXT(crit[i]->key);
        p[np++] = DB_P_TEXT(fw->pillars[crit[i]->pillar].key);
        p[np++] = DB_P_INT(crit[i]->index);
        p[np++] = DB_P_INT(crit[i]->max_h);
    }
    p[np++] = DB_P_TEXT(rf->id);
    p[np++] = DB_P_INT(rf->version);
    p[np++] = DB_P_INT(rid);
    p[np++] = DB_P_STR(rf->level);
    if (db_exec(c, sql, p, np, NULL) != DB_OK)
        return -1;
    *tasks += db_changes(c);
    return 0;
}

/* A province-level set: one task per criterion of each province unit, reported by the unit
 * whose code is the criterion's responsible_unit (an active one), else by the province. */
static int insert_province(db_conn *c, int64_t rid, const struct round_fw *rf, int64_t *tasks)
{
    db_rows *r = NULL;
    if (db_exec(c, "SELECT unit_id FROM round_units WHERE round_id = ? AND level = ? "
                   "ORDER BY unit_id",
                (db_param[]){DB_P_INT(rid), DB_P_STR(rf->level)}, 2, &r) != DB_OK)
        return -1;
    const struct framework *fw = rf->cf.fw;
    int rc = 0;
    for (int u = 0; !rc && u < db_rows_count(r); u++) {
        int64_t subject = db_int(r, u, 0);
        for (size_t i = 0; !rc && i < fw->n_criteria; i++) {
            const struct fw_criterion *cr = fw->criteria[i];
            if (!applies(cr, rf->level))
                continue;
            int64_t unit = subject;
            if (cr->responsible_unit) {
                int64_t found = 0;
                db_param q[] = {DB_P_TEXT(cr->responsible_unit)};
                int qr = db_query_int(c, "SELECT id FROM units WHERE code = ? AND retired_at IS NULL",
                                      q, 1, &found);
                if (qr == DB_OK)
                    unit = found;
                else if (qr != DB_NOTFOUND)
                    rc = -1;
            }
            db_param p[] = {DB_P_INT(rid), DB_P_INT(subject), DB_P_INT(unit), DB_P_TEXT(rf->id),
                            DB_P_INT(rf->version), DB_P_TEXT(cr->key),
                            DB_P_TEXT(fw->pillars[cr->pillar].key), DB_P_INT(cr->index),
                            DB_P_INT(cr->max_h)};
            if (!rc && db_exec(c, "INSERT INTO tasks (round_id, subject_unit_id, unit_id, "
                                  "framework_id, framework_version, criterion_key, pillar_key, "
                                  "seq, max_points) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               p, 9, NULL) != DB_OK)
                rc = -1;
            (*tasks)++;
        }
    }
    db_rows_free(r);
    return rc;
}

static int write_tasks(db_conn *c, int64_t rid, const struct create_ctx *x, int64_t *tasks)
{
    for (int f = 0; f < x->nfw; f++) {
        const struct round_fw *rf = &x->fws[f];
        if (!strcmp(rf->level, "province")) {
            if (insert_province(c, rid, rf, tasks))
                return -1;
            continue;
        }
        /* a unit answers the set of its own kind, so applies_to filters per level */
        const struct framework *fw = rf->cf.fw;
        const struct fw_criterion *batch[CRIT_BATCH];
        size_t n = 0;
        for (size_t i = 0; i < fw->n_criteria; i++) {
            if (!applies(fw->criteria[i], rf->level))
                continue;
            batch[n++] = fw->criteria[i];
            if (n == CRIT_BATCH) {
                if (insert_batch(c, rid, rf, batch, n, tasks))
                    return -1;
                n = 0;
            }
        }
        if (n && insert_batch(c, rid, rf, batch, n, tasks))
            return -1;
    }
    return 0;
}

/* ---- create ---- */

static int read_title(json_t *v, bool required, char *out, size_t cap, struct app_err *err)
{
    static const struct text_field tf = {"title", "Tên đợt đánh giá", ROUND_TITLE_MAX, true};
    if (!v && required)
        return app_fail(err, 400, "missing_field", "title", "Thiếu tên đợt đánh giá (title).");
    if (!json_is_string(v))
        return bad_type(err, "title", "một chuỗi");
    return text_clean_line(json_string_value(v), &tf, out, cap, err);
}

static json_t *frameworks_json(const struct create_ctx *x)
{
    json_t *a = json_array();
    for (int i = 0; a && i < x->nfw; i++)
        a = json_append_or_free(a, json_pack("{s:s,s:s,s:I}", "level", x->fws[i].level,
                                             "framework_id", x->fws[i].id, "version",
                                             (json_int_t)x->fws[i].version));
    return a;
}

int round_create(db_conn *c, const struct app_actor *who, json_t *body, int64_t now,
                 int64_t *id_out, struct round_counts *counts, struct app_err *err)
{
    static const char *const keys[] = {"title", "year", "frameworks", "units", "phases", NULL};
    if (!json_is_object(body))
        return bad_type(err, "body", "một đối tượng JSON");
    if (check_keys(body, "", keys, err))
        return -1;
    char title[TEXT_BUF(ROUND_TITLE_MAX)];
    if (read_title(json_object_get(body, "title"), true, title, sizeof title, err))
        return -1;
    json_t *yv = json_object_get(body, "year");
    if (!yv)
        return app_fail(err, 400, "missing_field", "year", "Thiếu năm đánh giá (year).");
    if (!json_is_integer(yv))
        return bad_type(err, "year", "một số nguyên");
    int64_t year = json_integer_value(yv);
    if (year < ROUND_YEAR_MIN || year > ROUND_YEAR_MAX)
        return app_fail(err, 422, "invalid_value", "year", "Năm đánh giá phải từ %d đến %d.",
                        ROUND_YEAR_MIN, ROUND_YEAR_MAX);
    struct phase_window w[PH_COUNT] = {0};
    json_t *ph = json_object_get(body, "phases");
    if (ph && !json_is_null(ph) && read_phases(ph, w, err))
        return -1;

    struct create_ctx x = {0};
    int rc = -1;
    if (read_frameworks(c, json_object_get(body, "frameworks"), &x, err))
        goto out;
    int64_t rid = 0;
    db_param p[] = {DB_P_STR(title), DB_P_INT(year), DB_P_INT(now),
                    who->user_id ? DB_P_INT(who->user_id) : DB_P_NULL};
    db_rows *r = NULL;
    if (db_exec(c, "INSERT INTO rounds (title, year, status, created_at, created_by, version) "
                   "VALUES (?, ?, 'open', ?, ?, 1) RETURNING id", p, 4, &r) != DB_OK ||
        db_rows_count(r) != 1) {
        db_rows_free(r);
        app_fail_internal(err);
        goto out;
    }
    rid = db_int(r, 0, 0);
    db_rows_free(r);
    for (int i = 0; i < x.nfw; i++) {
        db_param q[] = {DB_P_INT(rid), DB_P_STR(x.fws[i].level), DB_P_TEXT(x.fws[i].id),
                        DB_P_INT(x.fws[i].version)};
        if (db_exec(c, "INSERT INTO round_frameworks (round_id, level, framework_id, "
                       "framework_version) VALUES (?, ?, ?, ?)", q, 4, NULL) != DB_OK) {
            app_fail_internal(err);
            goto out;
        }
    }
    if (write_phases(c, rid, w)) {
        app_fail_internal(err);
        goto out;
    }
    if (write_units(c, rid, json_object_get(body, "units"), &x, err))
        goto out;
    struct round_counts n = {0};
    if (db_query_int(c, "SELECT COUNT(*) FROM round_units WHERE round_id = ?",
                     (db_param[]){DB_P_INT(rid)}, 1, &n.units) != DB_OK) {
        app_fail_internal(err);
        goto out;
    }
    if (n.units == 0) {
        app_fail(err, 422, "invalid_value", "units",
                 "Chưa có đơn vị nào tham gia đợt đánh giá: chọn cả một cấp hoặc đánh dấu từng đơn vị.");
        goto out;
    }
    if (write_tasks(c, rid, &x, &n.tasks)) {
        app_fail_internal(err);
        goto out;
    }
    json_t *nv = json_pack("{s:s,s:I,s:o,s:o,s:I,s:I}", "title", title, "year", (json_int_t)year,
                           "frameworks", frameworks_json(&x), "phases", phases_json(w), "units",
                           (json_int_t)n.units, "tasks", (json_int_t)n.tasks);
    if (!nv || audit_change(c, who, "round", "round.create", rid, NULL, nv, now) != DB_OK) {
        json_decref(nv);
        app_fail_internal(err);
        goto out;
    }
    json_decref(nv);
    *id_out = rid;
    if (counts)
        *counts = n;
    rc = 0;
out:
    ctx_free(&x);
    return rc;
}

/* ---- read ---- */

int round_check_open(db_conn *c, int64_t id, struct app_err *err)
{
    db_rows *r = NULL;
    if (db_exec(c, "SELECT status FROM rounds WHERE id = ?", (db_param[]){DB_P_INT(id)}, 1,
                &r) != DB_OK)
        return app_fail_internal(err);
    int rc = 0;
    if (db_rows_count(r) != 1)
        rc = app_fail(err, 404, "not_found", NULL, "Không tìm thấy đợt đánh giá.");
    else if (!strcmp(db_text(r, 0, 0), "finalised"))
        rc = app_fail(err, 409, "round_finalised", NULL,
                      "Đợt đánh giá đã hoàn thành (đã chốt kết quả): không thể thay đổi.");
    db_rows_free(r);
    return rc;
}

static json_t *round_frameworks_json(db_conn *c, int64_t id)
{
    db_rows *r = NULL;
    if (db_exec(c, "SELECT rf.level, rf.framework_id, rf.framework_version, f.title "
                   "FROM round_frameworks rf JOIN frameworks f ON f.id = rf.framework_id "
                   "AND f.version = rf.framework_version WHERE rf.round_id = ?",
                (db_param[]){DB_P_INT(id)}, 1, &r) != DB_OK)
        return NULL;
    /* in the order of the unit kinds: province, department, district, commune, other */
    json_t *a = json_array();
    for (int k = 0; a && k < UK_COUNT; k++)
        for (int i = 0; a && i < db_rows_count(r); i++)
            if (!strcmp(db_text(r, i, 0), fw_unit_kind_name((enum fw_unit_kind)k)))
                a = json_append_or_free(
                    a, json_pack("{s:s,s:s,s:s,s:I,s:s}", "level", db_text(r, i, 0),
                                 "level_label", fw_level_label(db_text(r, i, 0)),
                                 "framework_id", db_text(r, i, 1), "version",
                                 (json_int_t)db_int(r, i, 2), "title", db_text(r, i, 3)));
    db_rows_free(r);
    return a;
}

static json_t *nullable_int(const db_rows *r, int i, int col)
{
    return db_is_null(r, i, col) ? json_null() : json_integer(db_int(r, i, col));
}

json_t *round_get(db_conn *c, int64_t id, int64_t now, bool *missing)
{
    if (missing)
        *missing = false;
    db_rows *r = NULL;
    if (db_exec(c, "SELECT id, title, year, status, created_at, created_by, finalised_at, "
                   "finalised_by, trial_cleared_at, version FROM rounds WHERE id = ?",
                (db_param[]){DB_P_INT(id)}, 1, &r) != DB_OK)
        return NULL;
    if (db_rows_count(r) != 1) {
        db_rows_free(r);
        if (missing)
            *missing = true;
        return NULL;
    }
    struct phase_window w[PH_COUNT];
    int64_t units = 0, tasks = 0;
    json_t *out = NULL;
    if (load_phases(c, id, w) == 0 &&
        db_query_int(c, "SELECT COUNT(*) FROM round_units WHERE round_id = ?",
                     (db_param[]){DB_P_INT(id)}, 1, &units) == DB_OK &&
        db_query_int(c, "SELECT COUNT(*) FROM tasks WHERE round_id = ?",
                     (db_param[]){DB_P_INT(id)}, 1, &tasks) == DB_OK) {
        int cur = phase_current(w, now);
        json_t *fws = round_frameworks_json(c, id), *phs = phases_json(w);
        if (fws && phs)
            out = json_pack(
                "{s:I,s:s,s:I,s:s,s:o,s:o,s:o,s:o,s:o,s:I,s:o,s:o,s:o,s:{s:I,s:I}}", "id",
                (json_int_t)id, "title", db_text(r, 0, 1), "year", (json_int_t)db_int(r, 0, 2),
                "status", db_text(r, 0, 3), "created_at", isotime_json(db_int(r, 0, 4), 0),
                "created_by", nullable_int(r, 0, 5), "finalised_at",
                isotime_json(db_int(r, 0, 6), db_is_null(r, 0, 6)), "finalised_by",
                nullable_int(r, 0, 7), "trial_cleared_at",
                isotime_json(db_int(r, 0, 8), db_is_null(r, 0, 8)), "version",
                (json_int_t)db_int(r, 0, 9), "frameworks", fws, "phases", phs,
                "current_phase",
                cur == PH_NONE ? json_null() : json_string(phase_code((enum phase)cur)),
                "counts", "units", (json_int_t)units, "tasks", (json_int_t)tasks);
        else {
            json_decref(fws);
            json_decref(phs);
        }
    }
    db_rows_free(r);
    return out;
}

json_t *rounds_list(db_conn *c, int64_t now)
{
    db_rows *r = NULL;
    if (db_exec(c, "SELECT id FROM rounds ORDER BY id DESC", NULL, 0, &r) != DB_OK)
        return NULL;
    json_t *a = json_array();
    for (int i = 0; a && i < db_rows_count(r); i++)
        a = json_append_or_free(a, round_get(c, db_int(r, i, 0), now, NULL));
    db_rows_free(r);
    return a ? json_pack("{s:o}", "rounds", a) : NULL;
}

/* ---- update ---- */

static bool windows_equal(const struct phase_window a[PH_COUNT], const struct phase_window b[PH_COUNT])
{
    for (int p = 0; p < PH_COUNT; p++)
        if (a[p].set != b[p].set ||
            (a[p].set && (a[p].starts_at != b[p].starts_at || a[p].ends_at != b[p].ends_at)))
            return false;
    return true;
}

int round_update(db_conn *c, const struct app_actor *who, int64_t id, json_t *body,
                 int64_t now, struct app_err *err)
{
    static const char *const keys[] = {"title", "phases", NULL};
    if (!json_is_object(body))
        return bad_type(err, "body", "một đối tượng JSON");
    if (check_keys(body, "", keys, err) || round_check_open(c, id, err))
        return -1;
    char title[TEXT_BUF(ROUND_TITLE_MAX)];
    json_t *tv = json_object_get(body, "title"), *pv = json_object_get(body, "phases");
    if (tv && read_title(tv, true, title, sizeof title, err))
        return -1;
    struct phase_window w[PH_COUNT], old_w[PH_COUNT];
    if (pv && read_phases(pv, w, err))
        return -1;
    db_rows *r = NULL;
    if (load_phases(c, id, old_w) ||
        db_exec(c, "SELECT title FROM rounds WHERE id = ?", (db_param[]){DB_P_INT(id)}, 1,
                &r) != DB_OK || db_rows_count(r) != 1) {
        db_rows_free(r);
        return app_fail_internal(err);
    }
    json_t *ov = json_object(), *nv = json_object();
    int rc = ov && nv ? 0 : -1;
    if (!rc && tv && strcmp(title, db_text(r, 0, 0))) {
        rc = json_object_set_new(ov, "title", json_string(db_text(r, 0, 0))) ||
             json_object_set_new(nv, "title", json_string(title)) ||
             db_exec(c, "UPDATE rounds SET title = ? WHERE id = ?",
                     (db_param[]){DB_P_STR(title), DB_P_INT(id)}, 2, NULL) != DB_OK;
    }
    db_rows_free(r);
    if (!rc && pv && !windows_equal(w, old_w)) {
        rc = json_object_set_new(ov, "phases", phases_json(old_w)) ||
             json_object_set_new(nv, "phases", phases_json(w)) ||
             db_exec(c, "DELETE FROM round_phases WHERE round_id = ?",
                     (db_param[]){DB_P_INT(id)}, 1, NULL) != DB_OK ||
             write_phases(c, id, w);
    }
    if (!rc && json_object_size(nv))
        rc = db_exec(c, "UPDATE rounds SET version = version + 1 WHERE id = ?",
                     (db_param[]){DB_P_INT(id)}, 1, NULL) != DB_OK ||
             audit_change(c, who, "round", "round.update", id, ov, nv, now) != DB_OK;
    json_decref(ov);
    json_decref(nv);
    return rc ? app_fail_internal(err) : 0;
}
