/* pdf_cms.c — trust roots, CRLs and the cryptographic check of one PDF signature (OpenSSL). */
#include "pdf/pdf_cms.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "core/utf8.h"

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

/* A T61String (Teletex) is read as Latin-1 by OpenSSL, and so by NSS/pdfsig too. Tools that
 * write UTF-8 without saying so (openssl req without -utf8, string_mask=default) leave
 * Vietnamese UTF-8 bytes in one: "Trịnh" came out "Trá»\u008bnh". Bytes that are valid
 * UTF-8 with at least one multi-byte sequence are taken as UTF-8 (Latin-1 text is almost never
 * valid UTF-8 as well). A copy the caller frees with OPENSSL_free, or NULL. */
static unsigned char *t61_as_utf8(const ASN1_STRING *a, int *len)
{
    if (ASN1_STRING_type(a) != V_ASN1_T61STRING)
        return NULL;
    const unsigned char *d = ASN1_STRING_get0_data(a);
    int n = ASN1_STRING_length(a);
    long cps = utf8_count((const char *)d, (size_t)n);
    if (cps < 0 || cps == n)
        return NULL;
    unsigned char *u = OPENSSL_malloc((size_t)n + 1);
    if (u) {
        memcpy(u, d, (size_t)n);
        u[n] = 0;
        *len = n;
    }
    return u;
}

static void name_entry(const X509_NAME *n, int nid, char *out, size_t cap)
{
    out[0] = 0;
    int i = X509_NAME_get_index_by_NID(n, nid, -1);
    if (i < 0)
        return;
    const ASN1_STRING *a = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(n, i));
    int l = -1;
    unsigned char *u = t61_as_utf8(a, &l);
    if (!u)
        l = ASN1_STRING_to_UTF8(&u, a);
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
    bool bad, self_signed, expired, revoked, revoked_later, purpose;
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
    case X509_V_ERR_INVALID_PURPOSE: /* a TSA certificate without critical EKU timeStamping */
        st->purpose = true;
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

/* The chain of `cert` (intermediates from `certs`) to a trust root at time `when`, revocation
 * from the configured CRLs; purpose X509_PURPOSE_TIMESTAMP_SIGN for a TSA, 0 for a signer.
 * -1 when it could not be run (out of memory). */
static int chain_check(const struct pdf_trust *t, X509 *cert, STACK_OF(X509) *certs, time_t when,
                       int purpose, struct chain_state *st)
{
    *st = (struct chain_state){.when = when};
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    if (!ctx || !X509_STORE_CTX_init(ctx, t ? t->store : NULL, cert, certs)) {
        X509_STORE_CTX_free(ctx);
        return -1;
    }
    X509_VERIFY_PARAM *vp = X509_STORE_CTX_get0_param(ctx);
    X509_VERIFY_PARAM_set_time(vp, when);
    if (t && t->has_crl)
        X509_VERIFY_PARAM_set_flags(vp, X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
    if (purpose)
        X509_STORE_CTX_set_purpose(ctx, purpose);
    X509_STORE_CTX_set_app_data(ctx, st);
    X509_STORE_CTX_set_verify_cb(ctx, verify_cb);
    if (X509_verify_cert(ctx) != 1)
        st->bad = true;
    X509_STORE_CTX_free(ctx);
    return 0;
}

static void chain_reasons(const struct chain_state *st, struct pdf_signature *s)
{
    s->chain_ok = !st->bad;
    s->cert_valid_at_signing = !st->expired && !st->revoked;
    if (st->bad)
        set(s, PDFSIG_R_CHAIN_UNTRUSTED);
    if (st->self_signed)
        set(s, PDFSIG_R_SELF_SIGNED);
    if (st->expired)
        set(s, PDFSIG_R_CERT_EXPIRED);
    if (st->revoked)
        set(s, PDFSIG_R_CERT_REVOKED);
    if (st->revoked_later)
        set(s, PDFSIG_R_REVOKED_LATER);
    if (st->purpose)
        set(s, PDFSIG_R_TSA_NOT_TIMESTAMPING);
}

/* ------------------------------------------------------------------ the signed bytes as a BIO */
/* A read-only source BIO over the two byte ranges of the file, so CMS_verify digests them where
 * they lie: no concatenated copy of the file (a 2 MB PDF was copied twice more before), and not
 * a memory BIO (OpenSSL 3.0's CMS_verify copies one and leaks the copy when the digest algorithm
 * is unknown, found by fuzz_pdf_verify). */
struct ranges {
    const unsigned char *p[2];
    size_t n[2], part, at;
};

static int ranges_read(BIO *b, char *out, int outl)
{
    struct ranges *r = BIO_get_data(b);
    size_t done = 0, want = outl > 0 ? (size_t)outl : 0;
    while (done < want && r->part < 2) {
        size_t k = r->n[r->part] - r->at;
        if (k == 0) {
            r->part++;
            r->at = 0;
            continue;
        }
        if (k > want - done)
            k = want - done;
        memcpy(out + done, r->p[r->part] + r->at, k);
        r->at += k;
        done += k;
    }
    BIO_clear_retry_flags(b);
    return (int)done;
}

static long ranges_ctrl(BIO *b, int cmd, long num, void *ptr)
{
    (void)num;
    (void)ptr;
    const struct ranges *r = BIO_get_data(b);
    switch (cmd) {
    case BIO_CTRL_EOF:
        return r->part >= 2 || (r->part == 1 && r->at == r->n[1]);
    case BIO_CTRL_FLUSH:
        return 1;
    default:
        return 0;
    }
}

/* One method for the process, made once: a BIO type index per call would grow without bound
 * (the index is 8 bits of the type word; past them it reads as other BIO types, e.g. a memory
 * BIO, to OpenSSL's type checks). Never freed: it lives as long as the process. */
static BIO_METHOD *ranges_method;
static pthread_once_t ranges_once = PTHREAD_ONCE_INIT;

static void ranges_method_init(void)
{
    BIO_METHOD *m = BIO_meth_new(BIO_TYPE_SOURCE_SINK | BIO_get_new_index(), "pdf byte ranges");
    if (m && BIO_meth_set_read(m, ranges_read) && BIO_meth_set_ctrl(m, ranges_ctrl))
        ranges_method = m;
    else
        BIO_meth_free(m);
}

static BIO *ranges_bio(struct ranges *r)
{
    BIO *b;
    if (pthread_once(&ranges_once, ranges_method_init) != 0 || !ranges_method ||
        !(b = BIO_new(ranges_method)))
        return NULL;
    BIO_set_data(b, r);
    BIO_set_init(b, 1);
    return b;
}

/* ------------------------------------------------------------------ RFC 3161 tokens */
struct token {
    bool parsed;    /* a SignedData over a TSTInfo, one signer, its certificate included */
    bool sig_ok;    /* the token's signature (and messageDigest, ESS signing certificate) */
    bool imprint_ok; /* TSTInfo's messageImprint = the hash of the stamped bytes */
    int64_t gen_time;
    struct pdf_signature tsa; /* names, chain_ok, cert_valid_at_signing, chain reasons */
};

/* The certificate among certs that the signer info names (NULL when none does). */
static X509 *signer_cert(CMS_SignerInfo *si, STACK_OF(X509) *certs)
{
    for (int i = 0; certs && i < sk_X509_num(certs); i++)
        if (CMS_SignerInfo_cert_cmp(si, sk_X509_value(certs, i)) == 0)
            return sk_X509_value(certs, i);
    return NULL;
}

/* Verifies a TimeStampToken (a CMS SignedData whose eContent is a TSTInfo) over the bytes
 * p1[0..n1) then p2[0..n2): signature, imprint, and the TSA certificate's chain at genTime with
 * the timestamping purpose (critical EKU timeStamping). */
static void token_check(const struct pdf_trust *t, const unsigned char *der, size_t derlen,
                        const unsigned char *p1, size_t n1, const unsigned char *p2, size_t n2,
                        struct token *k)
{
    memset(k, 0, sizeof *k);
    const unsigned char *p = der;
    CMS_ContentInfo *cms = derlen < 0x7fffffff ? d2i_CMS_ContentInfo(NULL, &p, (long)derlen) : NULL;
    STACK_OF(X509) *certs = NULL;
    TS_TST_INFO *tst = NULL;
    EVP_MD_CTX *md = NULL;
    if (!cms || OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed || CMS_is_detached(cms) != 0 ||
        OBJ_obj2nid(CMS_get0_eContentType(cms)) != NID_id_smime_ct_TSTInfo)
        goto out;
    ASN1_OCTET_STRING **ec = CMS_get0_content(cms);
    STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(cms);
    if (!ec || !*ec || !sis || sk_CMS_SignerInfo_num(sis) != 1)
        goto out;
    const unsigned char *tp = ASN1_STRING_get0_data(*ec);
    if (!(tst = d2i_TS_TST_INFO(NULL, &tp, ASN1_STRING_length(*ec))))
        goto out;
    CMS_SignerInfo *si = sk_CMS_SignerInfo_value(sis, 0);
    certs = CMS_get1_certs(cms);
    X509 *signer = signer_cert(si, certs);
    struct tm tm;
    const ASN1_GENERALIZEDTIME *gt = TS_TST_INFO_get_time(tst);
    if (!signer || !gt || ASN1_TIME_to_tm(gt, &tm) != 1)
        goto out;
    k->parsed = true;
    k->gen_time = (int64_t)timegm(&tm);
    name_entry(X509_get_subject_name(signer), NID_commonName, k->tsa.signer, sizeof k->tsa.signer);
    name_entry(X509_get_subject_name(signer), NID_organizationName, k->tsa.organization,
               sizeof k->tsa.organization);
    name_entry(X509_get_issuer_name(signer), NID_commonName, k->tsa.issuer, sizeof k->tsa.issuer);
    if (!k->tsa.issuer[0])
        name_entry(X509_get_issuer_name(signer), NID_organizationName, k->tsa.issuer,
                   sizeof k->tsa.issuer);
    /* The signature over the TSTInfo; OpenSSL also checks an ESS signing-certificate attribute. */
    k->sig_ok = CMS_verify(cms, certs, NULL, NULL, NULL, CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) == 1;

    TS_MSG_IMPRINT *mi = TS_TST_INFO_get_msg_imprint(tst);
    const ASN1_OBJECT *alg = NULL;
    X509_ALGOR_get0(&alg, NULL, NULL, TS_MSG_IMPRINT_get_algo(mi));
    const EVP_MD *type = alg ? EVP_get_digestbyobj(alg) : NULL;
    ASN1_OCTET_STRING *want = TS_MSG_IMPRINT_get_msg(mi);
    unsigned char got[EVP_MAX_MD_SIZE];
    unsigned int glen = 0;
    k->imprint_ok = type && want && (md = EVP_MD_CTX_new()) && EVP_DigestInit_ex(md, type, NULL) &&
                    EVP_DigestUpdate(md, p1, n1) && (!n2 || EVP_DigestUpdate(md, p2, n2)) &&
                    EVP_DigestFinal_ex(md, got, &glen) && (int)glen == ASN1_STRING_length(want) &&
                    !memcmp(got, ASN1_STRING_get0_data(want), glen);

    struct chain_state st;
    if (chain_check(t, signer, certs, (time_t)k->gen_time, X509_PURPOSE_TIMESTAMP_SIGN, &st) == 0)
        chain_reasons(&st, &k->tsa);
    else
        set(&k->tsa, PDFSIG_R_CHAIN_UNTRUSTED);
out:
    EVP_MD_CTX_free(md);
    TS_TST_INFO_free(tst);
    sk_X509_pop_free(certs, X509_free);
    CMS_ContentInfo_free(cms);
    ERR_clear_error();
}

static bool token_good(const struct token *k)
{
    return k->parsed && k->sig_ok && k->imprint_ok &&
           pdfsig_signature_verdict(k->tsa.reasons) == PDFSIG_SIGNED_VALID;
}

void pdf_cms_timestamp(const struct pdf_trust *t, const unsigned char *der, size_t derlen,
                       const unsigned char *p1, size_t n1, const unsigned char *p2, size_t n2,
                       struct pdf_signature *s)
{
    struct token k;
    token_check(t, der, derlen, p1, n1, p2, n2, &k);
    s->kind = PDF_KIND_TIMESTAMP;
    if (!k.parsed) {
        set(s, PDFSIG_R_CMS_MALFORMED);
        return;
    }
    memcpy(s->signer, k.tsa.signer, sizeof s->signer);
    memcpy(s->organization, k.tsa.organization, sizeof s->organization);
    memcpy(s->issuer, k.tsa.issuer, sizeof s->issuer);
    s->signing_time = k.gen_time;
    s->has_signing_time = true;
    s->time_source = PDF_TIME_TIMESTAMP;
    s->digest_ok = k.sig_ok && k.imprint_ok;
    if (!s->digest_ok)
        set(s, PDFSIG_R_DIGEST_MISMATCH);
    s->chain_ok = k.tsa.chain_ok;
    s->cert_valid_at_signing = k.tsa.cert_valid_at_signing;
    s->reasons |= k.tsa.reasons;
}

/* A signature timestamp (unsigned attribute id-aa-timeStampToken, RFC 3161 appendix A): a token
 * over the signature value. true and its genTime when present and valid; *present tells a
 * missing token from a bad one. */
static bool signature_timestamp(const struct pdf_trust *t, CMS_SignerInfo *si, bool *present,
                                int64_t *when)
{
    *present = false;
    int idx = CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_timeStampToken, -1);
    if (idx < 0)
        return false;
    *present = true;
    X509_ATTRIBUTE *at = CMS_unsigned_get_attr(si, idx);
    ASN1_TYPE *ty = at ? X509_ATTRIBUTE_get0_type(at, 0) : NULL;
    ASN1_OCTET_STRING *sv = CMS_SignerInfo_get0_signature(si);
    if (!ty || ty->type != V_ASN1_SEQUENCE || !sv)
        return false;
    struct token k;
    token_check(t, ASN1_STRING_get0_data(ty->value.sequence),
                (size_t)ASN1_STRING_length(ty->value.sequence), ASN1_STRING_get0_data(sv),
                (size_t)ASN1_STRING_length(sv), NULL, 0, &k);
    *when = k.gen_time;
    return token_good(&k);
}

void pdf_cms_check(const struct pdf_trust *t, const unsigned char *der, size_t derlen,
                   const unsigned char *p1, size_t n1, const unsigned char *p2, size_t n2,
                   int64_t now, const int64_t *dict_time, struct pdf_signature *s)
{
    const unsigned char *p = der;
    CMS_ContentInfo *cms = derlen < 0x7fffffff ? d2i_CMS_ContentInfo(NULL, &p, (long)derlen) : NULL;
    STACK_OF(X509) *certs = NULL;
    BIO *in = NULL;
    if (!cms || OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed || CMS_is_detached(cms) != 1)
        goto malformed;
    STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(cms);
    if (!sis || sk_CMS_SignerInfo_num(sis) != 1)
        goto malformed;
    CMS_SignerInfo *si = sk_CMS_SignerInfo_value(sis, 0);
    certs = CMS_get1_certs(cms);
    X509 *signer = signer_cert(si, certs);
    if (!signer)
        goto malformed;
    name_entry(X509_get_subject_name(signer), NID_commonName, s->signer, sizeof s->signer);
    name_entry(X509_get_subject_name(signer), NID_organizationName, s->organization,
               sizeof s->organization);
    name_entry(X509_get_issuer_name(signer), NID_commonName, s->issuer, sizeof s->issuer);
    if (!s->issuer[0])
        name_entry(X509_get_issuer_name(signer), NID_organizationName, s->issuer, sizeof s->issuer);
    /* The signing time: a valid signature timestamp (a TSA's word) before the signingTime
     * attribute (the signer's claim), else the verification time. */
    bool ts_present = false;
    int64_t ts_time = 0;
    if (signature_timestamp(t, si, &ts_present, &ts_time)) {
        s->signing_time = ts_time;
        s->has_signing_time = true;
        s->time_source = PDF_TIME_TIMESTAMP;
    } else {
        if (ts_present)
            set(s, PDFSIG_R_SIG_TIMESTAMP_INVALID);
        s->has_signing_time = signing_time(si, &s->signing_time);
        s->time_source = s->has_signing_time ? PDF_TIME_SIGNING_ATTR : PDF_TIME_VERIFICATION;
        if (!s->has_signing_time && dict_time) {
            s->signing_time = *dict_time;
            s->has_signing_time = true;
            s->time_source = PDF_TIME_SIG_DICT;
        }
    }
    if (!s->has_signing_time) {
        s->signing_time = now;
        set(s, PDFSIG_R_NO_SIGNING_TIME);
    }

    /* Digest and signature value over the signed bytes (the chain is checked below). */
    struct ranges rg = {.p = {p1, p2}, .n = {n1, n2}};
    if (n1 + n2 < n1 || !(in = ranges_bio(&rg)))
        goto out;
    s->digest_ok = CMS_verify(cms, certs, NULL, in, NULL, CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) == 1;
    if (!s->digest_ok)
        set(s, PDFSIG_R_DIGEST_MISMATCH);

    /* Chain to a trust root, at the signing time; revocation from the configured CRLs. */
    struct chain_state st;
    if (chain_check(t, signer, certs, (time_t)s->signing_time, 0, &st) == 0)
        chain_reasons(&st, s);
    /* keyUsage, when the certificate has one, must allow signing (RFC 5280 §4.2.1.3): an
     * encryption-only certificate does not vouch for a signature. */
    uint32_t ku = X509_get_key_usage(signer);
    if (ku != UINT32_MAX && !(ku & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)))
        set(s, PDFSIG_R_CERT_NOT_FOR_SIGNING);
    goto out;
malformed:
    set(s, PDFSIG_R_CMS_MALFORMED);
out:
    BIO_free(in);
    sk_X509_pop_free(certs, X509_free);
    CMS_ContentInfo_free(cms);
    ERR_clear_error();
}
