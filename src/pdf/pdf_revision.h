/* pdf_revision.h — (internal to src/pdf) the digest of what a reader shows of a revision, and
 * the qpdf helpers the signature collection shares with it. */
#ifndef DTI_PDF_PDF_REVISION_H
#define DTI_PDF_PDF_REVISION_H

#include <stdbool.h>

#include <qpdf/qpdf-c.h>

bool pdf_name_is(qpdf_data q, qpdf_oh o, const char *name);
/* Whether f is a signature field: its /FT, inherited through /Parent, is /Sig. */
bool pdf_is_sig_field(qpdf_data q, qpdf_oh f);

/* SHA-256 of what a reader shows and runs: every page deep (its annotations except signature
 * widgets; resources by the names its content uses; numbers by value to 1e-4) and the
 * catalog's /OpenAction, /AA, /Names. 0, or -1 when the revision cannot be read as a whole. */
int pdf_revision_digest(qpdf_data q, unsigned char out[32]);

#endif
