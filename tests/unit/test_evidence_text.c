/* test_evidence_text.c — the evidence text of the Excel exports (app/evidence_text.h): one line
 * per file with the API's verdict label, signer, organisation and signing date (UTC+7); the
 * warning line only when the criterion needs a signed file and not every file (or no file) is
 * signed_valid; a non-PDF explained only where it matters; a too small buffer cut at a UTF-8
 * boundary; an unknown task says nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "app/evidence_text.h"
#include "core/pdfsig.h"

/* 2026-12-03 17:30 UTC = 04/12/2026 00:30 in Hà Nội */
#define T_EDGE 1796319000

static struct evtext_file files[] = {
    {"quyet-dinh.pdf", "Nguyễn Văn An", "Sở Nội vụ", PDFSIG_SIGNED_VALID, T_EDGE, true},
    {"bao-cao.pdf", NULL, NULL, PDFSIG_UNSIGNED, 0, false},
    {"anh.jpg", NULL, NULL, -1, 0, false},
    {"ke-hoach.pdf", NULL, NULL, PDFSIG_SIGNED_UNTRUSTED, T_EDGE, true},
};
static struct evtext_task tasks[] = {
    {10, true, 0, 3},  /* required: valid + unsigned + image */
    {11, true, 0, 1},  /* required: valid only */
    {12, true, 0, 0},  /* required: nothing yet */
    {13, false, 1, 3}, /* not required */
    {14, false, 0, 0}, /* nothing to say */
};
static const struct evtext ev = {tasks, 5, files, 4};

static void lines_and_warning(void **state)
{
    (void)state;
    char b[2048];
    bool warn;
    assert_true(evtext_task(&ev, 10, b, sizeof b, &warn));
    assert_true(warn);
    assert_string_equal(b, "Cảnh báo: tiêu chí yêu cầu tệp điện tử có ký số hợp lệ; 2/3 tệp chưa đạt.\n"
                           "quyet-dinh.pdf — Chữ ký số hợp lệ — Nguyễn Văn An (Sở Nội vụ), 04/12/2026\n"
                           "bao-cao.pdf — Tệp chưa được ký số\n"
                           "anh.jpg — không phải tệp PDF, không kiểm tra được chữ ký số");
    assert_true(evtext_task(&ev, 11, b, sizeof b, &warn));
    assert_false(warn);
    assert_string_equal(b, "quyet-dinh.pdf — Chữ ký số hợp lệ — Nguyễn Văn An (Sở Nội vụ), 04/12/2026");
    assert_true(evtext_task(&ev, 12, b, sizeof b, &warn));
    assert_true(warn);
    assert_string_equal(b, "Cảnh báo: tiêu chí yêu cầu tệp điện tử có ký số; chưa có tệp nào.");
    /* not required: no warning whatever the verdicts; an image is just its name */
    assert_true(evtext_task(&ev, 13, b, sizeof b, &warn));
    assert_false(warn);
    assert_non_null(strstr(b, "bao-cao.pdf — Tệp chưa được ký số\nanh.jpg\nke-hoach.pdf — "));
    assert_non_null(strstr(b, " — ký ngày 04/12/2026")); /* a time without a signer name */
    assert_false(evtext_task(&ev, 14, b, sizeof b, &warn));
    assert_string_equal(b, "");
    assert_false(evtext_task(&ev, 99, b, sizeof b, &warn));
    assert_false(warn);
}

static void cut_at_utf8_boundary(void **state)
{
    (void)state;
    char b[12]; /* "Cảnh báo: t": 'ả' is 3 bytes, 'á' 2 */
    bool warn;
    assert_true(evtext_task(&ev, 12, b, sizeof b, &warn));
    assert_true(strlen(b) < sizeof b);
    assert_string_equal(b, "Cảnh báo");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lines_and_warning),
        cmocka_unit_test(cut_at_utf8_boundary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
