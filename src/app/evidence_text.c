/* evidence_text.c — evidence files and their signature verdicts as text (see evidence_text.h). */
#include "app/evidence_text.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/frameworks_cache.h"
#include "core/pdfsig.h"
#include "core/sb.h"

enum { Q_TASK, Q_FW, Q_FWV, Q_SHA, Q_KEY, Q_NAME, Q_VERDICT, Q_SIGNER, Q_ORG, Q_TIME };

void evtext_free(struct evtext *ev)
{
    for (size_t i = 0; i < ev->n_files; i++) {
        free(ev->files[i].name);
        free(ev->files[i].signer);
        free(ev->files[i].org);
    }
    free(ev->files);
    free(ev->tasks);
    memset(ev, 0, sizeof *ev);
}

static char *dup_text(const db_rows *r, int i, int col)
{
    return db_is_null(r, i, col) || !db_text(r, i, col)[0] ? NULL : strdup(db_text(r, i, col));
}

/* Whether criterion `key` of the set asks for a signed file; the set stays open in *open
 * while consecutive rows share it (a unit's tasks come one set after another). */
struct open_set {
    struct fw_cache_entry *entry;
    struct fw_compiled cf;
    char id[128];
    int64_t version;
};

static bool required(db_conn *c, struct open_set *o, const db_rows *r, int i)
{
    const char *id = db_text(r, i, Q_FW);
    int64_t v = db_int(r, i, Q_FWV);
    if (!o->entry || strcmp(o->id, id) || o->version != v) {
        frameworks_cache_release(o->entry);
        memset(o, 0, sizeof *o);
        struct app_err e;
        o->entry = frameworks_cache_get(c, id, v, db_text(r, i, Q_SHA), &o->cf, &e);
        if (!o->entry)
            return false;
        snprintf(o->id, sizeof o->id, "%s", id);
        o->version = v;
    }
    long k = fw_find_criterion(o->cf.fw, db_text(r, i, Q_KEY));
    const struct fw_criterion *cr = k < 0 ? NULL : o->cf.fw->criteria[k];
    return cr && cr->has_signed_evidence && cr->signed_evidence;
}

int evtext_load(db_conn *c, int64_t round_id, int64_t unit_id, int64_t as_of, struct evtext *out)
{
    memset(out, 0, sizeof *out);
    int64_t t = as_of > 0 ? as_of : INT64_MAX;
    db_rows *r = NULL;
    if (db_exec(c,
                "SELECT t.id, t.framework_id, t.framework_version, f.sha256, t.criterion_key, "
                "e.file_name, e.sig_verdict, e.sig_signer, e.sig_organization, "
                "e.sig_signing_time FROM tasks t JOIN frameworks f ON f.id = t.framework_id AND "
                "f.version = t.framework_version LEFT JOIN evidence e ON e.task_id = t.id AND "
                "e.uploaded_at < ? AND (e.superseded_at IS NULL OR e.superseded_at >= ?) AND "
                "(e.removed_at IS NULL OR e.removed_at >= ?) WHERE t.id IN (SELECT id FROM tasks "
                "WHERE unit_id = ? AND round_id = ? UNION SELECT id FROM tasks WHERE round_id = ? "
                "AND subject_unit_id = ?) " /* two index look-ups; an OR scans the round */
                "ORDER BY t.framework_id, t.framework_version, t.id, e.uploaded_at, e.id",
                (db_param[]){DB_P_INT(t), DB_P_INT(t), DB_P_INT(t), DB_P_INT(unit_id),
                             DB_P_INT(round_id), DB_P_INT(round_id), DB_P_INT(unit_id)},
                7, &r) != DB_OK)
        return -1;
    int n = db_rows_count(r);
    out->tasks = calloc((size_t)n + 1, sizeof *out->tasks);
    out->files = calloc((size_t)n + 1, sizeof *out->files);
    struct open_set o = {0};
    int rc = out->tasks && out->files ? 0 : -1;
    for (int i = 0; rc == 0 && i < n; i++) {
        int64_t id = db_int(r, i, Q_TASK);
        if (out->n_tasks == 0 || out->tasks[out->n_tasks - 1].task_id != id)
            out->tasks[out->n_tasks++] =
                (struct evtext_task){id, required(c, &o, r, i), out->n_files, 0};
        if (db_is_null(r, i, Q_NAME))
            continue;
        struct evtext_file *f = &out->files[out->n_files++];
        out->tasks[out->n_tasks - 1].n++;
        f->name = strdup(db_text(r, i, Q_NAME));
        f->signer = dup_text(r, i, Q_SIGNER);
        f->org = dup_text(r, i, Q_ORG);
        if (db_is_null(r, i, Q_VERDICT))
            f->verdict = -1;
        else if ((f->verdict = pdfsig_verdict_from_name(db_text(r, i, Q_VERDICT))) < 0)
            f->verdict = PDFSIG_NOT_PDF; /* an unknown name: never shown as valid */
        f->has_time = !db_is_null(r, i, Q_TIME);
        f->signing_time = f->has_time ? db_int(r, i, Q_TIME) : 0;
        if (!f->name)
            rc = -1;
    }
    frameworks_cache_release(o.entry);
    db_rows_free(r);
    if (rc) {
        evtext_free(out);
        return -1;
    }
    /* rows came grouped by index set for the cache; look-ups want task order */
    for (size_t i = 1; i < out->n_tasks; i++)
        for (size_t j = i; j > 0 && out->tasks[j - 1].task_id > out->tasks[j].task_id; j--) {
            struct evtext_task x = out->tasks[j];
            out->tasks[j] = out->tasks[j - 1];
            out->tasks[j - 1] = x;
        }
    return 0;
}

static const struct evtext_task *find(const struct evtext *ev, int64_t id)
{
    size_t lo = 0, hi = ev->n_tasks;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ev->tasks[mid].task_id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ev->n_tasks && ev->tasks[lo].task_id == id ? &ev->tasks[lo] : NULL;
}

bool evtext_task(const struct evtext *ev, int64_t task_id, char *buf, size_t n, bool *warn)
{
    struct sb b = {buf, 0, n};
    buf[0] = '\0';
    *warn = false;
    const struct evtext_task *t = find(ev, task_id);
    if (!t)
        return false;
    size_t bad = 0;
    for (size_t i = 0; i < t->n; i++)
        bad += ev->files[t->first + i].verdict != PDFSIG_SIGNED_VALID;
    if (t->required && (bad || t->n == 0)) {
        *warn = true;
        if (t->n == 0)
            sb_s(&b, "Cảnh báo: tiêu chí yêu cầu tệp điện tử có ký số; chưa có tệp nào.");
        else
            sb_f(&b, "Cảnh báo: tiêu chí yêu cầu tệp điện tử có ký số hợp lệ; %zu/%zu tệp chưa "
                     "đạt.", bad, t->n);
    }
    for (size_t i = 0; i < t->n; i++) {
        const struct evtext_file *f = &ev->files[t->first + i];
        if (b.n)
            sb_s(&b, "\n");
        sb_s(&b, f->name);
        if (f->verdict < 0) {
            if (t->required)
                sb_s(&b, " — không phải tệp PDF, không kiểm tra được chữ ký số");
            continue;
        }
        sb_s(&b, " — ");
        sb_s(&b, pdfsig_verdict_label((enum pdfsig_verdict)f->verdict));
        if (f->signer) {
            sb_s(&b, " — ");
            sb_s(&b, f->signer);
            if (f->org)
                sb_f(&b, " (%s)", f->org);
        }
        if (f->has_time) {
            time_t s = (time_t)(f->signing_time + 7 * 3600); /* Asia/Ho_Chi_Minh, no DST */
            struct tm tm;
            if (gmtime_r(&s, &tm))
                sb_f(&b, "%s%02d/%02d/%04d", f->signer ? ", " : " — ký ngày ", tm.tm_mday,
                     tm.tm_mon + 1, tm.tm_year + 1900);
        }
    }
    return b.n > 0;
}
