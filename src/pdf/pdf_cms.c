/* pdf_cms.c — trust roots, CRLs and the cryptographic check of one PDF signature (OpenSSL). */
#include "pdf/pdf_cms.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

struct pdf_trust {
    X509_STORE *store;
    bool has_crl;
};

static bool cert_file_name(const char *n)
{
    size_t l = strlen(n);
    return l > 4 && (!strcasecmp(n + l - 4, ".pem") || !strcasecmp(n + l - 4, ".crt") ||
                     !strcasecmp(n + l - 4, ".cer"));
}

/* Adds every certificate of a PEM file to the store; how many in *count. */
static int load_certs(X509_STORE *st, const char *path, int *count)
{
    BIO *in = BIO_new_file(path, "r");
    if (!in)
        return -1;
    X509 *x;
    while ((x = PEM_read_bio_X509(in, NULL, NULL, NULL))) {
        X509_STORE_add_cert(st, x);
        X509_free(x);
        (*count)++;
    }
    BIO_free(in);
    ERR_clear_error();
    return 0;
}

static int load_crls(X509_STORE *st, const char *path)
{
    BIO *in = BIO_new_file(path, "rb");
    if (!in)
        return -1;
    int n = 0;
    X509_CRL *c;
    while ((c = PEM_read_bio_X509_CRL(in, NULL, NULL, NULL))) {
        X509_STORE_add_crl(st, c);
        X509_CRL_free(c);
        n++;
    }
    if (n == 0) { /* DER */
        (void)BIO_reset(in);
        if ((c = d2i_X509_CRL_bio(in, NULL))) {
            X509_STORE_add_crl(st, c);
            X509_CRL_free(c);
            n++;
        }
    }
    BIO_free(in);
    ERR_clear_error();
    return n ? 0 : -1;
}

struct pdf_trust *pdf_trust_load(const char *const *trust, size_t ntrust, const char *const *crl,
                                 size_t ncrl, char *err, size_t errcap)
{
    struct pdf_trust *t = calloc(1, sizeof *t);
    if (!t || !(t->store = X509_STORE_new())) {
        free(t);
        snprintf(err, errcap, "hết bộ nhớ");
        return NULL;
    }
    for (size_t i = 0; i < ntrust; i++) {
        struct stat sb;
        int count = 0;
        if (stat(trust[i], &sb) != 0) {
            snprintf(err, errcap, "không mở được %s (chứng thư tin cậy)", trust[i]);
            goto fail;
        }
        if (S_ISDIR(sb.st_mode)) {
            DIR *d = opendir(trust[i]);
            if (!d) {
                snprintf(err, errcap, "không mở được thư mục %s (chứng thư tin cậy)", trust[i]);
                goto fail;
            }
            struct dirent *e;
            while ((e = readdir(d))) {
                if (!cert_file_name(e->d_name))
                    continue;
                char p[4096];
                if ((size_t)snprintf(p, sizeof p, "%s/%s", trust[i], e->d_name) >= sizeof p)
                    continue;
                (void)load_certs(t->store, p, &count);
            }
            closedir(d);
        } else if (load_certs(t->store, trust[i], &count) != 0) {
            snprintf(err, errcap, "không mở được %s (chứng thư tin cậy)", trust[i]);
            goto fail;
        }
        if (count == 0) {
            snprintf(err, errcap, "%s: không có chứng thư PEM nào", trust[i]);
            goto fail;
        }
    }
    for (size_t i = 0; i < ncrl; i++) {
        if (load_crls(t->store, crl[i]) != 0) {
            snprintf(err, errcap, "%s: không đọc được danh sách thu hồi (CRL, PEM hoặc DER)", crl[i]);
            goto fail;
        }
        t->has_crl = true;
    }
    return t;
fail:
    pdf_trust_free(t);
    return NULL;
}

void pdf_trust_free(struct pdf_trust *t)
{
    if (!t)
        return;
    X509_STORE_free(t->store);
    free(t);
}

static void name_entry(const X509_NAME *n, int nid, char *out, size_t cap)
{
    out[0] = 0;
    int i = X509_NAME_get_index_by_NID(n, nid, -1);
    if (i < 0)
        return;
    unsigned char *u = NULL;
    int l = ASN1_STRING_to_UTF8(&u, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(n, i)));
    if (l < 0)
        return;
    size_t k = (size_t)l < cap - 1 ? (size_t)l : cap - 1;
    while (k > 0 && k < (size_t)l && (u[k] & 0xC0) == 0x80) /* never cut a UTF-8 sequence */
        k--;
    for (size_t j = 0; j < k; j++) /* control characters out: names are shown as one line */
        out[j] = u[j] < 0x20 || u[j] == 0x7f ? ' ' : (char)u[j];
    out[k] = 0;
    OPENSSL_free(u);
}

/* The signingTime signed attribute; false when absent or unreadable. */
static bool signing_time(CMS_SignerInfo *si, int64_t *out)
{
    int idx = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
    if (idx < 0)
        return false;
    X509_ATTRIBUTE *at = CMS_signed_get_attr(si, idx);
    ASN1_TYPE *ty = at ? X509_ATTRIBUTE_get0_type(at, 0) : NULL;
    if (!ty || (ty->type != V_ASN1_UTCTIME && ty->type != V_ASN1_GENERALIZEDTIME))
        return false;
    struct tm tm;
    if (ASN1_TIME_to_tm(ty->value.utctime, &tm) != 1)
        return false;
    *out = (int64_t)timegm(&tm);
    return true;
}

struct chain_state {
    time_t when;
    bool bad, self_signed, expired, revoked, revoked_later;
};

/* Records every problem and lets the check go on, so one pass tells them all apart. */
static int verify_cb(int ok, X509_STORE_CTX *ctx)
{
    if (ok)
        return 1;
    struct chain_state *st = X509_STORE_CTX_get_app_data(ctx);
    switch (X509_STORE_CTX_get_error(ctx)) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_CERT_NOT_YET_VALID:
        st->expired = true;
        break;
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
        st->self_signed = st->bad = true;
        break;
    case X509_V_ERR_CERT_REVOKED: {
        /* Revoked after the signing time: the signature was made while the certificate was good. */
        X509_CRL *crl = X509_STORE_CTX_get0_current_crl(ctx);
        X509_REVOKED *rev = NULL;
        if (crl && X509_CRL_get0_by_cert(crl, &rev, X509_STORE_CTX_get_current_cert(ctx)) == 1 &&
            rev && ASN1_TIME_cmp_time_t(X509_REVOKED_get0_revocationDate(rev), st->when) > 0)
            st->revoked_later = true;
        else
            st->revoked = true;
        break;
    }
    /* No CRL configured for this issuer, or the CRL's own dates: revocation simply unknown. */
    case X509_V_ERR_UNABLE_TO_GET_CRL:
    case X509_V_ERR_CRL_NOT_YET_VALID:
    case X509_V_ERR_CRL_HAS_EXPIRED:
    case X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER:
    case X509_V_ERR_DIFFERENT_CRL_SCOPE:
        break;
    default:
        st->bad = true;
    }
    return 1;
}

static void set(struct pdf_signature *s, enum pdfsig_reason r)
{
    s->reasons |= 1u << r;
}

void pdf_cms_check(const struct pdf_trust *t, const unsigned char *der, size_t derlen,
                   const unsigned char *p1, size_t n1, const unsigned char *p2, size_t n2,
                   int64_t now, struct pdf_signature *s)
{
    const unsigned char *p = der;
    CMS_ContentInfo *cms = derlen < 0x7fffffff ? d2i_CMS_ContentInfo(NULL, &p, (long)derlen) : NULL;
    STACK_OF(X509) *certs = NULL;
    unsigned char *content = NULL;
    BIO *in = NULL;
    X509_STORE_CTX *ctx = NULL;
    if (!cms || OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed || CMS_is_detached(cms) != 1)
        goto malformed;
    STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(cms);
    if (!sis || sk_CMS_SignerInfo_num(sis) != 1)
        goto malformed;
    CMS_SignerInfo *si = sk_CMS_SignerInfo_value(sis, 0);
    certs = CMS_get1_certs(cms);
    X509 *signer = NULL;
    for (int i = 0; certs && i < sk_X509_num(certs); i++)
        if (CMS_SignerInfo_cert_cmp(si, sk_X509_value(certs, i)) == 0) {
            signer = sk_X509_value(certs, i);
            break;
        }
    if (!signer)
        goto malformed;
    name_entry(X509_get_subject_name(signer), NID_commonName, s->signer, sizeof s->signer);
    name_entry(X509_get_subject_name(signer), NID_organizationName, s->organization,
               sizeof s->organization);
    name_entry(X509_get_issuer_name(signer), NID_commonName, s->issuer, sizeof s->issuer);
    if (!s->issuer[0])
        name_entry(X509_get_issuer_name(signer), NID_organizationName, s->issuer, sizeof s->issuer);
    s->has_signing_time = signing_time(si, &s->signing_time);
    if (!s->has_signing_time) {
        s->signing_time = now;
        set(s, PDFSIG_R_NO_SIGNING_TIME);
    }

    /* Digest and signature value over the signed bytes (the chain is checked below). */
    if (n1 + n2 < n1 || !(content = malloc(n1 + n2 ? n1 + n2 : 1)))
        goto out;
    memcpy(content, p1, n1);
    memcpy(content + n1, p2, n2);
    /* A memory BIO behind a buffer filter: OpenSSL 3.0's CMS_verify copies a bare memory BIO
     * into one of its own and leaks that copy when the digest algorithm is unknown (found by
     * fuzz_pdf_verify). */
    BIO *mem = BIO_new_mem_buf(content, (int)(n1 + n2)), *buf = BIO_new(BIO_f_buffer());
    if (!mem || !buf) {
        BIO_free(mem);
        BIO_free(buf);
        goto out;
    }
    in = BIO_push(buf, mem);
    s->digest_ok = n1 + n2 <= 0x7fffffff &&
                   CMS_verify(cms, certs, NULL, in, NULL, CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) == 1;
    if (!s->digest_ok)
        set(s, PDFSIG_R_DIGEST_MISMATCH);

    /* Chain to a trust root, at the signing time; revocation from the configured CRLs. */
    struct chain_state st = {.when = (time_t)s->signing_time};
    if (!(ctx = X509_STORE_CTX_new()) || !X509_STORE_CTX_init(ctx, t ? t->store : NULL, signer, certs))
        goto out;
    X509_VERIFY_PARAM *vp = X509_STORE_CTX_get0_param(ctx);
    X509_VERIFY_PARAM_set_time(vp, (time_t)s->signing_time);
    if (t && t->has_crl)
        X509_VERIFY_PARAM_set_flags(vp, X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
    X509_STORE_CTX_set_app_data(ctx, &st);
    X509_STORE_CTX_set_verify_cb(ctx, verify_cb);
    if (X509_verify_cert(ctx) != 1)
        st.bad = true;
    s->chain_ok = !st.bad;
    s->cert_valid_at_signing = !st.expired && !st.revoked;
    if (st.bad)
        set(s, PDFSIG_R_CHAIN_UNTRUSTED);
    if (st.self_signed)
        set(s, PDFSIG_R_SELF_SIGNED);
    if (st.expired)
        set(s, PDFSIG_R_CERT_EXPIRED);
    if (st.revoked)
        set(s, PDFSIG_R_CERT_REVOKED);
    if (st.revoked_later)
        set(s, PDFSIG_R_REVOKED_LATER);
    goto out;
malformed:
    set(s, PDFSIG_R_CMS_MALFORMED);
out:
    X509_STORE_CTX_free(ctx);
    BIO_free_all(in);
    free(content);
    sk_X509_pop_free(certs, X509_free);
    CMS_ContentInfo_free(cms);
    ERR_clear_error();
}
