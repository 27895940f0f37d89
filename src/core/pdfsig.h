/* pdfsig.h — the pure part of PDF signature verification (no I/O): verdict and reason names,
 * the byte-range check against the raw bytes, and how per-signature findings combine into the
 * verdict of a signature and of a file. docs/signatures.md describes the semantics. */
#ifndef DTI_CORE_PDFSIG_H
#define DTI_CORE_PDFSIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum pdfsig_verdict {
    PDFSIG_SIGNED_VALID,
    PDFSIG_SIGNED_UNTRUSTED,
    PDFSIG_SIGNED_INVALID,
    PDFSIG_SIGNED_PARTIAL,
    PDFSIG_UNSIGNED,
    PDFSIG_ENCRYPTED,
    PDFSIG_NOT_PDF,
    PDFSIG_VERDICT_COUNT
};

/* Findings, one bit each; a signature and a file carry a set of them. */
enum pdfsig_reason {
    PDFSIG_R_NOT_PDF,              /* not a PDF, corrupt or truncated */
    PDFSIG_R_ENCRYPTED,            /* encrypted: not checked */
    PDFSIG_R_NO_SIGNATURE,         /* no signed signature field */
    PDFSIG_R_BYTE_RANGE_MALFORMED, /* /ByteRange not [0 a b c] inside the file */
    PDFSIG_R_CONTENTS_NOT_IN_GAP,  /* the gap is not this signature's /Contents hex string */
    PDFSIG_R_GAP_WIDER,            /* the gap leaves out more than /Contents */
    PDFSIG_R_UNSUPPORTED_FILTER,   /* /SubFilter not adbe.pkcs7.detached, ETSI.CAdES.detached, ETSI.RFC3161 */
    PDFSIG_R_CMS_MALFORMED,        /* /Contents is not a detached CMS SignedData with one signer */
    PDFSIG_R_DIGEST_MISMATCH,      /* message digest or signature value wrong */
    PDFSIG_R_CHANGED_AFTER,        /* pages changed by a later revision */
    PDFSIG_R_NOT_WHOLE_FILE,       /* the last signature does not end at the end of the file */
    PDFSIG_R_CHAIN_UNTRUSTED,      /* no chain to a configured trust root */
    PDFSIG_R_SELF_SIGNED,          /* the signer's certificate is self-signed (untrusted) */
    PDFSIG_R_CERT_EXPIRED,         /* a certificate of the chain not valid at the signing time */
    PDFSIG_R_CERT_REVOKED,         /* revoked at or before the signing time (configured CRL) */
    PDFSIG_R_NO_SIGNING_TIME,      /* no signingTime attribute: checked at verification time */
    PDFSIG_R_REVOKED_LATER,        /* revoked after the signing time (does not lower the verdict) */
    PDFSIG_R_TSA_NOT_TIMESTAMPING, /* a timestamp's TSA certificate lacks critical EKU timeStamping */
    PDFSIG_R_SIG_TIMESTAMP_INVALID, /* a signature's timestamp token does not verify: its time unused */
    PDFSIG_R_CERT_NOT_FOR_SIGNING, /* the signer's keyUsage has neither digitalSignature nor nonRepudiation */
    PDFSIG_R_COUNT
};

const char *pdfsig_verdict_name(enum pdfsig_verdict v);
/* -1 when the name is none of the seven */
int pdfsig_verdict_from_name(const char *s);
/* Vietnamese, for people: "Chữ ký số hợp lệ" */
const char *pdfsig_verdict_label(enum pdfsig_verdict v);
const char *pdfsig_reason_name(enum pdfsig_reason r); /* "digest_mismatch" */
const char *pdfsig_reason_text(enum pdfsig_reason r); /* Vietnamese, for people */

/* A PDF date string (PDF 32000-1 §7.9.4: "D:YYYYMMDDHHmmSSOHH'mm'", every part after the year
 * optional, "D:" tolerated missing, O one of + - Z; no offset: UTC) as unix seconds. false when
 * it is not one (a field out of range, a stray character). */
bool pdfsig_parse_date(const char *s, size_t n, int64_t *out);

/* The /ByteRange of a signature against the file's raw bytes. */
enum pdfsig_gap {
    PDFSIG_GAP_EXACT,     /* [0 a b c], buf[a..b) is exactly "<hex of /Contents>" */
    PDFSIG_GAP_WIDER,     /* the /Contents hex string lies inside a larger gap */
    PDFSIG_GAP_NOT_FOUND, /* the gap does not hold this signature's /Contents */
    PDFSIG_GAP_MALFORMED  /* not 4 numbers, not starting at 0, out of the file, overlapping */
};
/* r: the four /ByteRange numbers (n of them were integers: n must be 4). contents: the
 * decoded /Contents string as the PDF parser read it. */
enum pdfsig_gap pdfsig_gap_check(const unsigned char *buf, size_t len, const int64_t *r, size_t n,
                                 const unsigned char *contents, size_t clen);

/* A signature's verdict from its findings (bits 1u << enum pdfsig_reason): any structural or
 * cryptographic failure → invalid, else a change after it or a wider gap → partial, else a
 * trust failure → untrusted, else valid. */
enum pdfsig_verdict pdfsig_signature_verdict(uint32_t reasons);
/* The file's verdict from its signatures' reason sets (in signing order, document timestamps
 * included) and file-level reasons (not_pdf, encrypted, no_signature, not_whole_file).
 * nsig == 0, or no_signature (a file with document timestamps only: no signer): unsigned. */
enum pdfsig_verdict pdfsig_file_verdict(uint32_t file_reasons, const uint32_t *sig_reasons,
                                        size_t nsig);

#endif
