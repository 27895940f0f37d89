/* pdf_cms.h — (internal to src/pdf) the OpenSSL half: trust store and one CMS signature. */
#ifndef DTI_PDF_PDF_CMS_H
#define DTI_PDF_PDF_CMS_H

#include "pdf/pdf_verify.h"

/* Checks the detached CMS SignedData der[0..derlen) over the signed bytes (two ranges of the
 * file: p1[0..n1) then p2[0..n2)): the signer's certificate, names and key usage, the signing
 * time, the message digest and signature value, the chain to the trust roots at the signing
 * time, revocation from the configured CRLs. dict_time: the signature dictionary's /M (NULL when
 * absent), the signing time when the CMS carries none. Sets the fields and reason bits of *s. */
void pdf_cms_check(const struct pdf_trust *t, const unsigned char *der, size_t derlen,
                   const unsigned char *p1, size_t n1, const unsigned char *p2, size_t n2,
                   int64_t now, const int64_t *dict_time, struct pdf_signature *s);

/* A document timestamp (/SubFilter /ETSI.RFC3161): der is an RFC 3161 TimeStampToken whose
 * messageImprint must be the hash of the two ranges. Fills *s as an entry of kind timestamp:
 * the TSA's names, genTime, digest_ok (token signature and imprint), chain at genTime. */
void pdf_cms_timestamp(const struct pdf_trust *t, const unsigned char *der, size_t derlen,
                       const unsigned char *p1, size_t n1, const unsigned char *p2, size_t n2,
                       struct pdf_signature *s);

#endif
