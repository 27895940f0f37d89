/* test_pdfsig.c — the pure part of PDF signature checking: byte range against the raw bytes,
 * verdict of a signature and of a file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/pdfsig.h"

#define R(x) (1u << PDFSIG_R_##x)

static const unsigned char contents[] = {0x30, 0x82, 0xab};

static enum pdfsig_gap check(const char *file, int64_t a, int64_t b, int64_t c, size_t n)
{
    int64_t r[4] = {0, a, b, c};
    return pdfsig_gap_check((const unsigned char *)file, strlen(file), r, n, contents, sizeof contents);
}

static void test_gap(void **state)
{
    (void)state;
    /*                 0123456789012345678901234 */
    const char *f = "xx /Contents <3082AB> yyy";
    assert_int_equal(check(f, 13, 21, 4, 4), PDFSIG_GAP_EXACT);
    /* the end of the last range must be inside the file */
    assert_int_equal(check(f, 13, 21, 5, 4), PDFSIG_GAP_MALFORMED);
    assert_int_equal(check(f, 13, 21, 4, 3), PDFSIG_GAP_MALFORMED);   /* 3 numbers */
    assert_int_equal(check(f, 21, 13, 4, 4), PDFSIG_GAP_MALFORMED);   /* reversed */
    assert_int_equal(check(f, 0, 21, 4, 4), PDFSIG_GAP_MALFORMED);    /* empty first range */
    assert_int_equal(check(f, 13, 21, -1, 4), PDFSIG_GAP_MALFORMED);
    int64_t huge[4] = {0, 13, INT64_MAX, 4};
    assert_int_equal(pdfsig_gap_check((const unsigned char *)f, strlen(f), huge, 4, contents, 3),
                     PDFSIG_GAP_MALFORMED);
    /* a larger gap: starts before the '<' or ends after the '>' */
    assert_int_equal(check(f, 3, 21, 4, 4), PDFSIG_GAP_WIDER);
    assert_int_equal(check(f, 13, 23, 2, 4), PDFSIG_GAP_WIDER);
    /* the gap is some other hex string */
    const char *g = "xx /Contents <3082AC> yyy";
    assert_int_equal(check(g, 13, 21, 4, 4), PDFSIG_GAP_NOT_FOUND);
    /* white space and an odd last digit (implied 0) as the PDF rule says */
    static const unsigned char odd[] = {0x30, 0x82, 0xa0};
    int64_t r[4] = {0, 1, 10, 0};
    assert_int_equal(pdfsig_gap_check((const unsigned char *)"x<30 82\nA>", 10, r, 4, odd, 3),
                     PDFSIG_GAP_EXACT);
    /* the gap cut inside the hex string */
    assert_int_equal(check(f, 13, 20, 5, 4), PDFSIG_GAP_NOT_FOUND);
}

static void test_signature_verdict(void **state)
{
    (void)state;
    assert_int_equal(pdfsig_signature_verdict(0), PDFSIG_SIGNED_VALID);
    assert_int_equal(pdfsig_signature_verdict(R(NO_SIGNING_TIME) | R(REVOKED_LATER)),
                     PDFSIG_SIGNED_VALID);
    assert_int_equal(pdfsig_signature_verdict(R(SELF_SIGNED) | R(CHAIN_UNTRUSTED)),
                     PDFSIG_SIGNED_UNTRUSTED);
    assert_int_equal(pdfsig_signature_verdict(R(CERT_REVOKED)), PDFSIG_SIGNED_UNTRUSTED);
    assert_int_equal(pdfsig_signature_verdict(R(CHANGED_AFTER) | R(CHAIN_UNTRUSTED)),
                     PDFSIG_SIGNED_PARTIAL);
    assert_int_equal(pdfsig_signature_verdict(R(GAP_WIDER)), PDFSIG_SIGNED_PARTIAL);
    assert_int_equal(pdfsig_signature_verdict(R(DIGEST_MISMATCH) | R(GAP_WIDER)),
                     PDFSIG_SIGNED_INVALID);
    assert_int_equal(pdfsig_signature_verdict(R(CMS_MALFORMED)), PDFSIG_SIGNED_INVALID);
    /* RFC 3161: a TSA certificate without EKU timeStamping is a trust failure; a signature
     * timestamp that does not verify only costs the trusted time (informational) */
    assert_int_equal(pdfsig_signature_verdict(R(TSA_NOT_TIMESTAMPING)), PDFSIG_SIGNED_UNTRUSTED);
    assert_int_equal(pdfsig_signature_verdict(R(SIG_TIMESTAMP_INVALID)), PDFSIG_SIGNED_VALID);
}

static void test_file_verdict(void **state)
{
    (void)state;
    uint32_t two[2] = {0, 0};
    assert_int_equal(pdfsig_file_verdict(R(NOT_PDF), two, 0), PDFSIG_NOT_PDF);
    assert_int_equal(pdfsig_file_verdict(R(ENCRYPTED), two, 0), PDFSIG_ENCRYPTED);
    assert_int_equal(pdfsig_file_verdict(R(NO_SIGNATURE), two, 0), PDFSIG_UNSIGNED);
    assert_int_equal(pdfsig_file_verdict(0, two, 2), PDFSIG_SIGNED_VALID);
    two[0] = R(CHAIN_UNTRUSTED);
    assert_int_equal(pdfsig_file_verdict(0, two, 2), PDFSIG_SIGNED_UNTRUSTED);
    two[1] = R(CHANGED_AFTER);
    assert_int_equal(pdfsig_file_verdict(0, two, 2), PDFSIG_SIGNED_PARTIAL);
    two[0] = R(DIGEST_MISMATCH);
    assert_int_equal(pdfsig_file_verdict(0, two, 2), PDFSIG_SIGNED_INVALID);
    /* document timestamps only (entries, but no signer): unsigned, whatever they say */
    two[0] = two[1] = 0;
    assert_int_equal(pdfsig_file_verdict(R(NO_SIGNATURE), two, 2), PDFSIG_UNSIGNED);
    two[1] = R(DIGEST_MISMATCH);
    assert_int_equal(pdfsig_file_verdict(R(NO_SIGNATURE), two, 2), PDFSIG_UNSIGNED);
    /* a signature then a broken document timestamp: the file is invalid */
    assert_int_equal(pdfsig_file_verdict(0, two, 2), PDFSIG_SIGNED_INVALID);
}

static void test_names(void **state)
{
    (void)state;
    for (int i = 0; i < PDFSIG_VERDICT_COUNT; i++)
        assert_int_equal(pdfsig_verdict_from_name(pdfsig_verdict_name((enum pdfsig_verdict)i)), i);
    assert_int_equal(pdfsig_verdict_from_name("valid"), -1);
    assert_int_equal(pdfsig_verdict_from_name(NULL), -1);
    for (int i = 0; i < PDFSIG_R_COUNT; i++) {
        assert_true(pdfsig_reason_name((enum pdfsig_reason)i)[0] != 0);
        assert_true(pdfsig_reason_text((enum pdfsig_reason)i)[0] != 0);
    }
    assert_string_equal(pdfsig_reason_name(PDFSIG_R_TSA_NOT_TIMESTAMPING), "tsa_not_timestamping");
    assert_string_equal(pdfsig_reason_name(PDFSIG_R_SIG_TIMESTAMP_INVALID),
                        "signature_timestamp_invalid");
    assert_string_equal(pdfsig_reason_name(PDFSIG_R_CERT_NOT_FOR_SIGNING), "cert_not_for_signing");
    assert_int_equal(pdfsig_signature_verdict(R(CERT_NOT_FOR_SIGNING)), PDFSIG_SIGNED_UNTRUSTED);
    /* reasons are bits of a uint32_t */
    assert_true(PDFSIG_R_COUNT <= 32);
}

static int64_t date(const char *s)
{
    int64_t t = -1;
    return pdfsig_parse_date(s, strlen(s), &t) ? t : -1;
}

static void test_date(void **state)
{
    (void)state;
    /* what pdfsig/NSS, LibreOffice and Adobe write into /M */
    assert_int_equal(date("D:20261204114543Z"), 1796384743);
    assert_int_equal(date("D:20261204184543+07'00'"), 1796384743);
    assert_int_equal(date("D:20261204184543+07'00"), 1796384743);
    assert_int_equal(date("D:20261204184543+07"), 1796384743);
    assert_int_equal(date("D:20261204044543-07'00'"), 1796384743);
    assert_int_equal(date("D:20261204114543Z00'00'"), 1796384743);
    assert_int_equal(date("20261204114543Z"), 1796384743); /* "D:" left out */
    /* parts after the year optional; no offset: UTC */
    assert_int_equal(date("D:1970"), 0);
    assert_int_equal(date("D:19700102"), 86400);
    assert_int_equal(date("D:20000229000000Z"), 951782400); /* a leap day */
    assert_int_equal(date("D:20500101000000Z"), 2524608000);
    /* not dates */
    assert_int_equal(date(""), -1);
    assert_int_equal(date("D:"), -1);
    assert_int_equal(date("D:202"), -1);
    assert_int_equal(date("D:2026120"), -1);         /* half a field */
    assert_int_equal(date("D:20261304000000Z"), -1); /* month 13 */
    assert_int_equal(date("D:20260230000000Z"), -1);
    assert_int_equal(date("D:21000229000000Z"), -1); /* not a leap year */
    assert_int_equal(date("D:20261204246000Z"), -1);
    assert_int_equal(date("D:20261204114543+24'00'"), -1);
    assert_int_equal(date("D:20261204114543+07'60'"), -1);
    assert_int_equal(date("D:20261204114543 "), -1);
    assert_int_equal(date("D:20261204114543Zx"), -1);
    assert_int_equal(date("Thu Dec 4 2026"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gap),
        cmocka_unit_test(test_signature_verdict),
        cmocka_unit_test(test_file_verdict),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_date),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
