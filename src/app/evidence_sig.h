/* evidence_sig.h — PDF signature checks of evidence files (issue 11): the server's trust roots,
 * verifying an upload, storing the result with the row (migration 7), the "signature" object of
 * an Evidence row and the warning shown when the task's criterion requires a signed file
 * (signed_evidence in the index set) and the file is not signed_valid. docs/signatures.md. */
#ifndef DTI_APP_EVIDENCE_SIG_H
#define DTI_APP_EVIDENCE_SIG_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "pdf/pdf_verify.h"
#include "store/db.h"

/* Set once by `dti serve` before the server starts (--trust, --crl); NULL: no trust roots. */
void evidence_sig_set_trust(struct pdf_trust *t);
const struct pdf_trust *evidence_sig_trust(void);

/* Verifies the PDF open on fd (size bytes, read through a private mapping). -1 when it cannot
 * be read. */
int evidence_sig_verify_fd(int fd, size_t size, int64_t now, struct pdf_result *out);

/* Writes the summary columns and the full JSON on evidence row `id` (inside the caller's
 * transaction). r == NULL: nothing (not a PDF). */
int evidence_sig_store(db_conn *c, int64_t id, const struct pdf_result *r);

/* The signature columns of an Evidence SELECT, in this order, and the object they make. */
#define EVIDENCE_SIG_COLS                                                                      \
    "e.sig_verdict, e.sig_signer, e.sig_organization, e.sig_issuer, e.sig_signing_time, "      \
    "e.sig_reasons, e.sig_active_content"
/* {"verdict","verdict_label","reasons":[{"code","text"}],"signer","organization","issuer",
 * "signing_time","active_content"}, or JSON null when the file was not checked (not a PDF). */
json_t *evidence_sig_row_json(const db_rows *r, int i, int col);

/* Adds "signature_required" and "signature_warning" (Vietnamese or null) to one Evidence
 * object, or to each of {"evidence": [...]} (rows of one task). */
void evidence_sig_annotate(db_conn *c, json_t *v);

#endif
