/* pdf_verify.c — the structure half of PDF signature verification, with qpdf's C API: signature
 * fields (AcroForm and page annotations), byte ranges against the raw bytes, revisions changed
 * after a signature (compared with pdf_revision.c), active content. The CMS half is pdf_cms.c;
 * verdicts core/pdfsig.c. */
#include "pdf/pdf_verify.h"

#include <stdlib.h>
#include <string.h>

#include <qpdf/qpdf-c.h>

#include "app/isotime.h"
#include "pdf/pdf_cms.h"
#include "pdf/pdf_revision.h"

#define FIELD_DEPTH 16    /* /Kids nesting of form fields */
#define SCAN_DEPTH 8      /* direct nesting looked into for active content */

/* Damaged files larger than this are not repaired to look for signature fields. */
#define PDF_REPAIR_MAX_BYTES (4u << 20)

static void add(uint32_t *r, enum pdfsig_reason x)
{
    *r |= 1u << x;
}

static qpdf_data open_pdf_mode(const unsigned char *buf, size_t len, bool recover,
                               QPDF_ERROR_CODE *rc)
{
    qpdf_data q = qpdf_init();
    qpdf_silence_errors(q);
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    qpdf_set_attempt_recovery(q, recover ? QPDF_TRUE : QPDF_FALSE);
    *rc = qpdf_read_memory(q, "evidence", (const char *)buf, (unsigned long long)len, NULL);
    return q;
}

/* Signatures are only checked on a file qpdf reads without repairing it: a reconstructed
 * cross-reference would verify something else than what a reader shows. */
static qpdf_data open_pdf(const unsigned char *buf, size_t len, QPDF_ERROR_CODE *rc)
{
    return open_pdf_mode(buf, len, false, rc);
}

/* qpdf_cleanup prints a warning for an error nobody fetched: fetch (and so clear) it first. */
static void close_pdf(qpdf_data *q)
{
    if (qpdf_has_error(*q))
        (void)qpdf_get_error(*q);
    qpdf_cleanup(q);
}


/* ------------------------------------------------------------------ signature collection */
struct collect {
    qpdf_data q;
    qpdf_oh v[PDF_SIG_MAX + 1]; /* signature dictionaries (/V), one more: "too many" */
    int ids[PDF_SIG_MAX + 1];
    size_t n;
};

static void take_field(struct collect *c, qpdf_oh f)
{
    qpdf_data q = c->q;
    if (!pdf_is_sig_field(q, f) || !qpdf_oh_has_key(q, f, "/V"))
        return;
    qpdf_oh v = qpdf_oh_get_key(q, f, "/V");
    if (!qpdf_oh_is_dictionary(q, v)) /* an empty field: not a signature */
        return;
    int id = qpdf_oh_is_indirect(q, v) ? qpdf_oh_get_object_id(q, v) : -qpdf_oh_get_object_id(q, f);
    for (size_t i = 0; i < c->n; i++)
        if (c->ids[i] == id && id != 0)
            return;
    if (c->n <= PDF_SIG_MAX) {
        c->ids[c->n] = id;
        c->v[c->n++] = v;
    }
}

static void walk_fields(struct collect *c, qpdf_oh arr, int depth)
{
    qpdf_data q = c->q;
    if (depth > FIELD_DEPTH || !qpdf_oh_is_array(q, arr))
        return;
    int n = qpdf_oh_get_array_n_items(q, arr);
    for (int i = 0; i < n && c->n <= PDF_SIG_MAX; i++) {
        qpdf_oh f = qpdf_oh_get_array_item(q, arr, i);
        take_field(c, f);
        if (qpdf_oh_is_dictionary(q, f) && qpdf_oh_has_key(q, f, "/Kids"))
            walk_fields(c, qpdf_oh_get_key(q, f, "/Kids"), depth + 1);
    }
}

static void collect_signatures(struct collect *c)
{
    qpdf_data q = c->q;
    qpdf_oh root = qpdf_get_root(q);
    qpdf_oh acro = qpdf_oh_get_key(q, root, "/AcroForm");
    if (qpdf_oh_is_dictionary(q, acro))
        walk_fields(c, qpdf_oh_get_key(q, acro, "/Fields"), 0);
    int np = qpdf_get_num_pages(q);
    for (int p = 0; p < np && c->n <= PDF_SIG_MAX; p++) {
        qpdf_oh annots = qpdf_oh_get_key(q, qpdf_get_page_n(q, (size_t)p), "/Annots");
        int n = qpdf_oh_is_array(q, annots) ? qpdf_oh_get_array_n_items(q, annots) : 0;
        for (int i = 0; i < n && c->n <= PDF_SIG_MAX; i++) {
            qpdf_oh a = qpdf_oh_get_array_item(q, annots, i);
            take_field(c, a);
            if (qpdf_oh_is_dictionary(q, a) && !qpdf_oh_has_key(q, a, "/V"))
                take_field(c, qpdf_oh_get_key(q, a, "/Parent"));
        }
    }
}

/* Whether "%%EOF" is among the last 1024 bytes (the tolerance readers such as Acrobat allow
 * for trailing junk): without it the file was cut short. */
static bool has_eof_marker(const unsigned char *buf, size_t len)
{
    static const char m[] = "%%EOF";
    size_t from = len > 1024 ? len - 1024 : 0;
    for (size_t i = len >= 5 ? len - 5 + 1 : 0; i-- > from;)
        if (!memcmp(buf + i, m, 5))
            return true;
    return false;
}

/* A file qpdf reads only by repairing it (a wrong xref offset, common in files from simple
 * tools): unsigned when the repaired file has no signed signature field, else not_pdf (its
 * signatures are not checked on a reconstruction). A truncated file (no %%EOF at its end) is
 * not_pdf without a repair: cut inside a signing update, it would show the unsigned revision
 * before it and be called unsigned (poppler's pdfsig: "does not contain any signatures"). */
static enum pdfsig_reason damaged_verdict(const unsigned char *buf, size_t len)
{
    if (!has_eof_marker(buf, len))
        return PDFSIG_R_NOT_PDF;
    /* The repair pass tokenises the whole file: over a few megabytes a damaged file is called
     * what the issue calls it (corrupt: not_pdf) without it, so a 20 MB upload of garbage behind
     * a PDF header costs no more than the upload (bench/upload.sh). */
    if (len > PDF_REPAIR_MAX_BYTES)
        return PDFSIG_R_NOT_PDF;
    QPDF_ERROR_CODE rc;
    qpdf_data q = open_pdf_mode(buf, len, true, &rc);
    enum pdfsig_reason r = PDFSIG_R_NOT_PDF;
    if (!(rc & QPDF_ERRORS) && !qpdf_is_encrypted(q)) {
        struct collect c = {.q = q};
        collect_signatures(&c);
        if (!qpdf_has_error(q) && c.n == 0)
            r = PDFSIG_R_NO_SIGNATURE;
    }
    close_pdf(&q);
    return r;
}

/* ------------------------------------------------------------------ active content */
static bool active_dict(qpdf_data q, qpdf_oh o, int depth)
{
    if (depth > SCAN_DEPTH)
        return false;
    if (qpdf_oh_is_stream(q, o))
        o = qpdf_oh_get_dict(q, o);
    if (qpdf_oh_is_array(q, o)) {
        int n = qpdf_oh_get_array_n_items(q, o);
        for (int i = 0; i < n && i < 4096; i++) {
            qpdf_oh it = qpdf_oh_get_array_item(q, o, i);
            if (!qpdf_oh_is_indirect(q, it) && active_dict(q, it, depth + 1))
                return true;
        }
        return false;
    }
    if (!qpdf_oh_is_dictionary(q, o))
        return false;
    if (qpdf_oh_has_key(q, o, "/JS") || qpdf_oh_has_key(q, o, "/AA") ||
        qpdf_oh_has_key(q, o, "/JavaScript"))
        return true;
    qpdf_oh s = qpdf_oh_get_key(q, o, "/S");
    if (pdf_name_is(q, s, "/JavaScript") || pdf_name_is(q, s, "/Launch"))
        return true;
    /* direct sub-dictionaries (an /OpenAction written inside the catalog, an annotation's /A) */
    static const char *const sub[] = {"/OpenAction", "/A", "/Names", "/Next"};
    for (size_t i = 0; i < sizeof sub / sizeof sub[0]; i++) {
        if (!qpdf_oh_has_key(q, o, sub[i]))
            continue;
        qpdf_oh v = qpdf_oh_get_key(q, o, sub[i]);
        if (!qpdf_oh_is_indirect(q, v) && active_dict(q, v, depth + 1))
            return true;
    }
    return false;
}

/* Every object of the file by number (indirect ones are each looked at once), and the
 * catalog's direct values. */
static bool has_active_content(qpdf_data q, size_t len)
{
    qpdf_oh tr = qpdf_get_trailer(q);
    long long size = qpdf_oh_get_int_value(q, qpdf_oh_get_key(q, tr, "/Size"));
    if (size > (long long)len) /* every object takes at least a byte */
        size = (long long)len;
    if (active_dict(q, qpdf_get_root(q), 0))
        return true;
    for (long long id = 1; id < size; id++) {
        qpdf_oh o = qpdf_get_object_by_id(q, (int)id, 0);
        bool a = active_dict(q, o, 0);
        qpdf_oh_release(q, o);
        if (a)
            return true;
    }
    return false;
}

/* ------------------------------------------------------------------ one signature */
/* The signature dictionary's /M as unix seconds; false when absent or not a PDF date. */
static bool dict_m_time(qpdf_data q, qpdf_oh v, int64_t *out)
{
    qpdf_oh m = qpdf_oh_get_key(q, v, "/M");
    if (!qpdf_oh_is_string(q, m))
        return false;
    const char *txt = qpdf_oh_get_utf8_value(q, m);
    return txt && pdfsig_parse_date(txt, qpdf_get_last_string_length(q), out);
}

static void check_signature(qpdf_data q, qpdf_oh v, const unsigned char *buf, size_t len,
                            const struct pdf_trust *trust, int64_t now, struct pdf_signature *s)
{
    memset(s, 0, sizeof *s);
    qpdf_oh sf = qpdf_oh_get_key(q, v, "/SubFilter");
    bool timestamp = pdf_name_is(q, sf, "/ETSI.RFC3161"); /* a document timestamp: not a signer */
    if (timestamp)
        s->kind = PDF_KIND_TIMESTAMP;
    if (!timestamp && !pdf_name_is(q, sf, "/adbe.pkcs7.detached") &&
        !pdf_name_is(q, sf, "/ETSI.CAdES.detached")) {
        add(&s->reasons, PDFSIG_R_UNSUPPORTED_FILTER);
        return;
    }
    int64_t r[4] = {0};
    size_t nr = 0;
    qpdf_oh br = qpdf_oh_get_key(q, v, "/ByteRange");
    int n = qpdf_oh_is_array(q, br) ? qpdf_oh_get_array_n_items(q, br) : 0;
    for (int i = 0; i < n && i < 4; i++) {
        qpdf_oh it = qpdf_oh_get_array_item(q, br, i);
        if (qpdf_oh_is_integer(q, it))
            r[nr++] = qpdf_oh_get_int_value(q, it);
    }
    if (n != 4)
        nr = 0;
    qpdf_oh co = qpdf_oh_get_key(q, v, "/Contents");
    size_t clen = 0;
    const unsigned char *cms = NULL;
    if (qpdf_oh_is_string(q, co))
        cms = (const unsigned char *)qpdf_oh_get_binary_string_value(q, co, &clen);
    if (!cms || clen == 0) {
        add(&s->reasons, PDFSIG_R_CMS_MALFORMED);
        return;
    }
    /* The CMS bytes stay valid only until the next qpdf call that returns a string: copy. */
    unsigned char *der = malloc(clen);
    if (!der) {
        add(&s->reasons, PDFSIG_R_CMS_MALFORMED);
        return;
    }
    memcpy(der, cms, clen);
    switch (pdfsig_gap_check(buf, len, r, nr, der, clen)) {
    case PDFSIG_GAP_MALFORMED:
        add(&s->reasons, PDFSIG_R_BYTE_RANGE_MALFORMED);
        goto out;
    case PDFSIG_GAP_NOT_FOUND:
        add(&s->reasons, PDFSIG_R_CONTENTS_NOT_IN_GAP);
        goto out;
    case PDFSIG_GAP_WIDER:
        add(&s->reasons, PDFSIG_R_GAP_WIDER);
        break;
    case PDFSIG_GAP_EXACT:
        break;
    }
    s->end = r[2] + r[3];
    /* /M, the signer's claimed time where the CMS has none, is read in the revision the
     * signature signs (its first b + c bytes); a later revision that rewrites it changed what
     * was signed. A direct dictionary cannot be found again there: /M unused. */
    int64_t m = 0;
    bool has_m = false;
    if (timestamp) {
        /* a document timestamp's time is its token's genTime */
    } else if ((size_t)s->end == len) {
        has_m = dict_m_time(q, v, &m);
    } else if (qpdf_oh_is_indirect(q, v)) {
        int id = qpdf_oh_get_object_id(q, v), gen = qpdf_oh_get_generation(q, v);
        QPDF_ERROR_CODE prc;
        qpdf_data pq = open_pdf(buf, (size_t)s->end, &prc);
        if (!(prc & QPDF_ERRORS)) {
            qpdf_oh pv = qpdf_get_object_by_id(pq, id, gen);
            has_m = qpdf_oh_is_dictionary(pq, pv) && dict_m_time(pq, pv, &m);
        }
        close_pdf(&pq);
        int64_t mf;
        bool has_mf = dict_m_time(q, v, &mf);
        if (has_mf != has_m || (has_m && mf != m))
            add(&s->reasons, PDFSIG_R_CHANGED_AFTER);
    }
    if (timestamp)
        pdf_cms_timestamp(trust, der, clen, buf, (size_t)r[1], buf + r[2], (size_t)r[3], s);
    else
        pdf_cms_check(trust, der, clen, buf, (size_t)r[1], buf + r[2], (size_t)r[3], now,
                      has_m ? &m : NULL, s);
out:
    free(der);
}

static int by_end(const void *a, const void *b)
{
    const struct pdf_signature *x = a, *y = b;
    return (x->end > y->end) - (x->end < y->end);
}

int pdf_verify(const unsigned char *buf, size_t len, const struct pdf_trust *trust, int64_t now,
               struct pdf_result *out)
{
    memset(out, 0, sizeof *out);
    uint32_t file = 0;
    /* The header must be there (qpdf would otherwise search for it). */
    if (len < 8 || memcmp(buf, "%PDF-", 5) != 0) {
        add(&file, PDFSIG_R_NOT_PDF);
        goto done;
    }
    QPDF_ERROR_CODE rc;
    qpdf_data q = open_pdf(buf, len, &rc);
    if (rc & QPDF_ERRORS) {
        bool pw = qpdf_has_error(q) &&
                  qpdf_get_error_code(q, qpdf_get_error(q)) == qpdf_e_password;
        close_pdf(&q);
        add(&file, pw ? PDFSIG_R_ENCRYPTED : damaged_verdict(buf, len));
        goto done;
    }
    if (qpdf_is_encrypted(q)) { /* even with an empty user password: not checked */
        add(&file, PDFSIG_R_ENCRYPTED);
        close_pdf(&q);
        goto done;
    }
    struct collect c = {.q = q};
    collect_signatures(&c);
    if (qpdf_has_error(q)) { /* an object or the page tree could not be read */
        add(&file, PDFSIG_R_NOT_PDF);
        close_pdf(&q);
        goto done;
    }
    out->active_content = has_active_content(q, len);
    if (qpdf_has_error(q)) /* a broken object seen by the scan alone does not decide */
        (void)qpdf_get_error(q);
    if (c.n > PDF_SIG_MAX) {
        add(&file, PDFSIG_R_NOT_PDF);
        close_pdf(&q);
        goto done;
    }
    for (size_t i = 0; i < c.n; i++)
        check_signature(q, c.v[i], buf, len, trust, now, &out->sig[i]);
    out->nsig = c.n;
    qsort(out->sig, out->nsig, sizeof out->sig[0], by_end);

    /* Revisions after a signature: only signatures may have been added. */
    unsigned char final_digest[32];
    int final_ok = 1; /* 1: not computed yet */
    for (size_t i = 0; i < out->nsig; i++) {
        struct pdf_signature *s = &out->sig[i];
        if (s->end <= 0)
            continue; /* its byte range was unusable */
        s->covers_whole_file = (size_t)s->end == len;
        if (s->covers_whole_file)
            continue;
        if (i + 1 == out->nsig)
            add(&s->reasons, PDFSIG_R_NOT_WHOLE_FILE);
        if (final_ok == 1)
            final_ok = pdf_revision_digest(q, final_digest);
        QPDF_ERROR_CODE prc;
        qpdf_data pq = open_pdf(buf, (size_t)s->end, &prc);
        unsigned char d[32];
        if ((prc & QPDF_ERRORS) || final_ok != 0 || pdf_revision_digest(pq, d) != 0 ||
            memcmp(d, final_digest, 32) != 0)
            add(&s->reasons, PDFSIG_R_CHANGED_AFTER);
        close_pdf(&pq);
    }
    close_pdf(&q);
    if (!pdf_result_main(out)) /* none, or document timestamps only: nobody signed it */
        add(&file, PDFSIG_R_NO_SIGNATURE);
done:;
    uint32_t rs[PDF_SIG_MAX];
    for (size_t i = 0; i < out->nsig; i++) {
        rs[i] = out->sig[i].reasons;
        out->sig[i].verdict = pdfsig_signature_verdict(rs[i]);
        out->reasons |= rs[i];
    }
    out->reasons |= file;
    out->verdict = pdfsig_file_verdict(file, rs, out->nsig);
    return 0;
}

const struct pdf_signature *pdf_result_main(const struct pdf_result *r)
{
    for (size_t i = r->nsig; i-- > 0;)
        if (r->sig[i].kind == PDF_KIND_SIGNATURE)
            return &r->sig[i];
    return NULL;
}

static const char *const kind_names[] = {[PDF_KIND_SIGNATURE] = "signature",
                                         [PDF_KIND_TIMESTAMP] = "timestamp"};
static const char *const time_source_names[] = {[PDF_TIME_VERIFICATION] = "verification_time",
                                                [PDF_TIME_SIGNING_ATTR] = "signing_time_attribute",
                                                [PDF_TIME_SIG_DICT] = "signature_dictionary",
                                                [PDF_TIME_TIMESTAMP] = "timestamp"};

json_t *pdf_result_json(const struct pdf_result *r)
{
    json_t *o = json_object(), *reasons = json_array(), *sigs = json_array();
    if (!o || !reasons || !sigs)
        goto oom;
    for (int i = 0; i < PDFSIG_R_COUNT; i++)
        if ((r->reasons & (1u << i)) &&
            json_array_append_new(reasons, json_string(pdfsig_reason_name((enum pdfsig_reason)i))))
            goto oom;
    for (size_t i = 0; i < r->nsig; i++) {
        const struct pdf_signature *s = &r->sig[i];
        json_t *j = json_object();
        if (!j || json_array_append_new(sigs, j))
            goto oom;
        json_object_set_new(j, "kind", json_string(kind_names[s->kind]));
        json_object_set_new(j, "signer", s->signer[0] ? json_string(s->signer) : json_null());
        json_object_set_new(j, "organization",
                            s->organization[0] ? json_string(s->organization) : json_null());
        json_object_set_new(j, "issuer", s->issuer[0] ? json_string(s->issuer) : json_null());
        json_object_set_new(j, "signing_time", isotime_json(s->signing_time, !s->has_signing_time));
        json_object_set_new(j, "time_source", json_string(time_source_names[s->time_source]));
        json_object_set_new(j, "covers_whole_file", json_boolean(s->covers_whole_file));
        json_object_set_new(j, "digest_ok", json_boolean(s->digest_ok));
        json_object_set_new(j, "chain_ok", json_boolean(s->chain_ok));
        json_object_set_new(j, "cert_valid_at_signing", json_boolean(s->cert_valid_at_signing));
        json_object_set_new(j, "verdict", json_string(pdfsig_verdict_name(s->verdict)));
    }
    json_object_set_new(o, "verdict", json_string(pdfsig_verdict_name(r->verdict)));
    json_object_set_new(o, "reasons", reasons);
    json_object_set_new(o, "active_content", json_boolean(r->active_content));
    json_object_set_new(o, "signatures", sigs);
    return o;
oom:
    json_decref(o);
    json_decref(reasons);
    json_decref(sigs);
    return NULL;
}
