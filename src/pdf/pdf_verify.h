/* pdf_verify.h — verifies the digital signatures of a PDF held in memory: structure with qpdf
 * (C API), cryptography with OpenSSL CMS against configured trust roots and CRLs (no network).
 * Never renders or runs anything in the file. Verdicts and reasons: core/pdfsig.h;
 * semantics: docs/signatures.md. */
#ifndef DTI_PDF_PDF_VERIFY_H
#define DTI_PDF_PDF_VERIFY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/pdfsig.h"

#define PDF_SIG_MAX 16     /* signatures reported per file; more are a malformed file */
#define PDF_NAME_MAX 256   /* bytes of a signer / organisation / issuer name (UTF-8) */

/* Trust roots and CRLs, loaded once; shared read-only by every verification (thread-safe). */
struct pdf_trust;

/* Loads every certificate of each path (a PEM file, or a directory: its *.pem, *.crt, *.cer
 * files) and every CRL (PEM or DER file). NULL with a Vietnamese message naming the file in
 * err. No paths at all is allowed: nothing then chains to a trust root. */
struct pdf_trust *pdf_trust_load(const char *const *trust, size_t ntrust, const char *const *crl,
                                 size_t ncrl, char *err, size_t errcap);
void pdf_trust_free(struct pdf_trust *t);

/* A signature (a signer's CMS) or a document timestamp (RFC 3161 token, /SubFilter
 * /ETSI.RFC3161): the latter is not a signer, its "signer" is the TSA and its time genTime. */
enum pdf_sig_kind { PDF_KIND_SIGNATURE, PDF_KIND_TIMESTAMP };

/* Where signing_time came from. */
enum pdf_time_source {
    PDF_TIME_VERIFICATION, /* none in the file: the verification time */
    PDF_TIME_SIGNING_ATTR, /* the CMS signingTime attribute: the signer's claim */
    PDF_TIME_SIG_DICT,     /* the signature dictionary's /M (inside the signed bytes): the
                            * signer's claim where the CMS has no signingTime (NSS, pdfsig) */
    PDF_TIME_TIMESTAMP     /* a verified RFC 3161 token's genTime (signature or document timestamp) */
};

struct pdf_signature {
    enum pdf_sig_kind kind;
    char signer[PDF_NAME_MAX], organization[PDF_NAME_MAX], issuer[PDF_NAME_MAX];
    int64_t signing_time; /* unix seconds; has_signing_time false: the verification time was used */
    bool has_signing_time;
    enum pdf_time_source time_source;
    bool covers_whole_file, digest_ok, chain_ok, cert_valid_at_signing;
    int64_t end; /* b + c of its /ByteRange: the size of the revision it signs */
    uint32_t reasons; /* 1u << enum pdfsig_reason */
    enum pdfsig_verdict verdict;
};

struct pdf_result {
    enum pdfsig_verdict verdict;
    uint32_t reasons; /* the file's own and every signature's, 1u << enum pdfsig_reason */
    bool active_content; /* JavaScript, /Launch, /AA: reported, never run */
    size_t nsig;         /* in signing order (by the end of their byte range) */
    struct pdf_signature sig[PDF_SIG_MAX];
};

/* Verifies buf[0..len) at time `now` (unix seconds: used when a signature carries no signing
 * time). Always fills *out; returns 0, or -1 on an out-of-memory condition (verdict not_pdf). */
int pdf_verify(const unsigned char *buf, size_t len, const struct pdf_trust *trust, int64_t now,
               struct pdf_result *out);

/* {"verdict","reasons":[...],"active_content","signatures":[{"kind","signer","organization",
 * "issuer","signing_time","time_source","covers_whole_file","digest_ok","chain_ok",
 * "cert_valid_at_signing","verdict"}]}; signing_time ISO 8601 (UTC+7) or null. NULL on OOM. */
json_t *pdf_result_json(const struct pdf_result *r);
/* The signature that names the file (the last signer's, which covers the most; document
 * timestamps are not signers), NULL when none. */
const struct pdf_signature *pdf_result_main(const struct pdf_result *r);

#endif
