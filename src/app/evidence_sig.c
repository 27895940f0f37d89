/* evidence_sig.c — signature checks of evidence files (see evidence_sig.h). */
#include "app/evidence_sig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "app/isotime.h"
#include "app/task_score.h"
#include "core/json_oom.h"

static struct pdf_trust *trust_roots;

void evidence_sig_set_trust(struct pdf_trust *t)
{
    trust_roots = t;
}

const struct pdf_trust *evidence_sig_trust(void)
{
    return trust_roots;
}

int evidence_sig_verify_fd(int fd, size_t size, int64_t now, struct pdf_result *out)
{
    if (size == 0) {
        pdf_verify((const unsigned char *)"", 0, trust_roots, now, out);
        return 0;
    }
    void *m = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (m == MAP_FAILED)
        return -1;
    int rc = pdf_verify(m, size, trust_roots, now, out);
    munmap(m, size);
    return rc;
}

int evidence_sig_store(db_conn *c, int64_t id, const struct pdf_result *r)
{
    if (!r)
        return DB_OK;
    char reasons[1024] = "";
    size_t n = 0;
    for (int i = 0; i < PDFSIG_R_COUNT; i++) {
        if (!(r->reasons & (1u << i)))
            continue;
        int k = snprintf(reasons + n, sizeof reasons - n, "%s%s", n ? "," : "",
                         pdfsig_reason_name((enum pdfsig_reason)i));
        if (k < 0 || (size_t)k >= sizeof reasons - n)
            break;
        n += (size_t)k;
    }
    json_t *j = pdf_result_json(r);
    char *full = j ? json_oom_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    if (!full)
        return DB_ERROR;
    const struct pdf_signature *s = pdf_result_main(r);
    int rc = db_exec(
        c,
        "UPDATE evidence SET sig_verdict = ?, sig_signer = ?, sig_organization = ?, "
        "sig_issuer = ?, sig_signing_time = ?, sig_reasons = ?, sig_active_content = ?, "
        "signature = ? WHERE id = ?",
        (db_param[]){DB_P_TEXT(pdfsig_verdict_name(r->verdict)),
                     s && s->signer[0] ? DB_P_TEXT(s->signer) : DB_P_NULL,
                     s && s->organization[0] ? DB_P_TEXT(s->organization) : DB_P_NULL,
                     s && s->issuer[0] ? DB_P_TEXT(s->issuer) : DB_P_NULL,
                     s && s->has_signing_time ? DB_P_INT(s->signing_time) : DB_P_NULL,
                     DB_P_STR(reasons), DB_P_INT(r->active_content ? 1 : 0), DB_P_TEXT(full),
                     DB_P_INT(id)},
        9, NULL);
    free(full);
    return rc;
}

static json_t *text_or_null(const db_rows *r, int i, int col)
{
    return db_is_null(r, i, col) ? json_null() : json_string(db_text(r, i, col));
}

json_t *evidence_sig_row_json(const db_rows *r, int i, int col)
{
    if (db_is_null(r, i, col))
        return json_null();
    int v = pdfsig_verdict_from_name(db_text(r, i, col));
    json_t *reasons = json_array();
    const char *rs = db_is_null(r, i, col + 5) ? "" : db_text(r, i, col + 5);
    for (int k = 0; reasons && k < PDFSIG_R_COUNT; k++) {
        const char *name = pdfsig_reason_name((enum pdfsig_reason)k);
        size_t nl = strlen(name);
        for (const char *p = rs; (p = strstr(p, name)); p += nl)
            if ((p == rs || p[-1] == ',') && (p[nl] == ',' || p[nl] == 0)) {
                json_array_append_new(reasons, json_pack("{s:s,s:s}", "code", name, "text",
                                                         pdfsig_reason_text((enum pdfsig_reason)k)));
                break;
            }
    }
    return json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:b}", "verdict",
                     pdfsig_verdict_name(v < 0 ? PDFSIG_NOT_PDF : (enum pdfsig_verdict)v),
                     "verdict_label",
                     pdfsig_verdict_label(v < 0 ? PDFSIG_NOT_PDF : (enum pdfsig_verdict)v),
                     "reasons", reasons ? reasons : json_array(), "signer", text_or_null(r, i, col + 1),
                     "organization", text_or_null(r, i, col + 2), "issuer", text_or_null(r, i, col + 3),
                     "signing_time",
                     isotime_json(db_is_null(r, i, col + 4) ? 0 : db_int(r, i, col + 4),
                                  db_is_null(r, i, col + 4)),
                     "active_content", !db_is_null(r, i, col + 6) && db_int(r, i, col + 6) != 0);
}

/* Whether task `task_id`'s criterion asks for a digitally signed file; false when unknown. */
static bool required_for(db_conn *c, int64_t task_id)
{
    db_rows *r = NULL;
    bool req = false;
    if (db_exec(c, "SELECT round_id, framework_id, framework_version, criterion_key FROM tasks "
                   "WHERE id = ?",
                (db_param[]){DB_P_INT(task_id)}, 1, &r) == DB_OK &&
        db_rows_count(r) == 1) {
        struct task_crit tc;
        struct app_err e;
        if (task_crit_open(c, db_int(r, 0, 0), db_text(r, 0, 1), db_int(r, 0, 2), db_text(r, 0, 3),
                           &tc, &e) == 0) {
            req = tc.crit->has_signed_evidence && tc.crit->signed_evidence;
            task_crit_close(&tc);
        }
    }
    db_rows_free(r);
    return req;
}

static void annotate_one(json_t *ev, bool required)
{
    json_object_set_new(ev, "signature_required", json_boolean(required));
    json_t *sig = json_object_get(ev, "signature");
    const char *verdict = json_string_value(json_object_get(sig, "verdict"));
    char msg[512];
    if (!required || (verdict && !strcmp(verdict, "signed_valid"))) {
        json_object_set_new(ev, "signature_warning", json_null());
        return;
    }
    if (!verdict)
        snprintf(msg, sizeof msg, "Tiêu chí này yêu cầu tệp điện tử có ký số; tệp này không phải "
                                  "PDF nên không kiểm tra được chữ ký số.");
    else
        snprintf(msg, sizeof msg, "Tiêu chí này yêu cầu tệp điện tử có ký số hợp lệ; kết quả "
                                  "kiểm tra: %s.",
                 json_string_value(json_object_get(sig, "verdict_label")));
    json_object_set_new(ev, "signature_warning", json_string(msg));
}

void evidence_sig_annotate(db_conn *c, json_t *v)
{
    if (!v)
        return;
    json_t *list = json_object_get(v, "evidence");
    if (!json_is_array(list)) {
        annotate_one(v, required_for(c, json_integer_value(json_object_get(v, "task_id"))));
        return;
    }
    int64_t task = -1;
    bool req = false;
    size_t i;
    json_t *ev;
    json_array_foreach(list, i, ev)
    {
        int64_t t = json_integer_value(json_object_get(ev, "task_id"));
        if (t != task) {
            task = t;
            req = required_for(c, t);
        }
        annotate_one(ev, req);
    }
}
