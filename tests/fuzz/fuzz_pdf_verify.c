/* fuzz_pdf_verify.c — the whole PDF signature verification path (pdf/pdf_verify.h: qpdf
 * structure, byte ranges, revisions, active content, OpenSSL CMS, chain, verdicts, JSON) on
 * arbitrary bytes: no crash, leak or undefined behaviour, and a result that is consistent.
 * Seeds: tests/fuzz/corpus/pdf_verify/ (tests/fixtures/pdf/make.py --small). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "pdf/pdf_verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct pdf_trust *trust;
    if (!trust) {
        char err[200];
        trust = pdf_trust_load(NULL, 0, NULL, 0, err, sizeof err);
        if (!trust)
            abort();
    }
    if (size > (1u << 20))
        return 0;
    struct pdf_result r;
    pdf_verify(data, size, trust, 1767225600 /* 2026-01-01 */, &r);
    if ((unsigned)r.verdict >= PDFSIG_VERDICT_COUNT || r.nsig > PDF_SIG_MAX)
        abort();
    /* no signature: never a signed_* verdict; signed_valid needs a whole-file last signature */
    if (r.nsig == 0 && r.verdict <= PDFSIG_SIGNED_PARTIAL)
        abort();
    /* signed_valid: a signer, and the last entry (a signature or a document timestamp) covers
     * the whole file */
    if (r.verdict == PDFSIG_SIGNED_VALID &&
        (!pdf_result_main(&r) || !r.sig[r.nsig - 1].covers_whole_file))
        abort();
    for (size_t i = 0; i < r.nsig; i++)
        if (strnlen(r.sig[i].signer, PDF_NAME_MAX) == PDF_NAME_MAX)
            abort();
    json_t *j = pdf_result_json(&r);
    json_decref(j);
    return 0;
}
