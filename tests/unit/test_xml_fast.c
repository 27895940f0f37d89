/* test_xml_fast.c — the fast XML path (core/xml_fast.h) against expat with namespace processing:
 * on documents in its subset it delivers exactly expat's events (local names, attributes
 * without xmlns declarations, decoded text); anything outside, well-formed or not, it gives
 * back (false) so the reader parses it with expat. fuzz_xlsx_read compares the two on every
 * input as well. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <expat.h>
#include <string.h>

#include "core/xml_fast.h"

struct rec {
    char s[4096];
    size_t n;
    bool in_text;
};

static void addn(struct rec *r, const char *a, size_t n)
{
    assert_true(r->n + n < sizeof r->s);
    memcpy(r->s + r->n, a, n);
    r->n += n;
    r->s[r->n] = 0;
}

static void adds(struct rec *r, const char *a)
{
    addn(r, a, strlen(a));
}

static const char *local(const char *name)
{
    const char *s = strrchr(name, '\x01');
    return s ? s + 1 : name;
}

static void on_start(void *ud, const char *name, const char **a)
{
    struct rec *r = ud;
    r->in_text = false;
    adds(r, "<");
    adds(r, local(name));
    for (; a[0]; a += 2) {
        adds(r, " ");
        adds(r, local(a[0]));
        adds(r, "=[");
        adds(r, a[1]);
        adds(r, "]");
    }
    adds(r, ">");
}

static void on_end(void *ud, const char *name)
{
    struct rec *r = ud;
    r->in_text = false;
    adds(r, "</");
    adds(r, local(name));
    adds(r, ">");
}

static void on_text(void *ud, const char *s, int len)
{
    struct rec *r = ud;
    if (!r->in_text)
        adds(r, "T:");
    r->in_text = true;
    addn(r, s, (size_t)len); /* pieces joined: expat and the scanner split text differently */
}

static bool never(void *ud)
{
    (void)ud;
    return false;
}

static bool expat_events(const char *doc, struct rec *r)
{
    XML_Parser p = XML_ParserCreateNS(NULL, '\x01');
    XML_SetUserData(p, r);
    XML_SetElementHandler(p, on_start, on_end);
    XML_SetCharacterDataHandler(p, on_text);
    bool ok = XML_Parse(p, doc, (int)strlen(doc), 1) == XML_STATUS_OK;
    XML_ParserFree(p);
    return ok;
}

static bool fast_events(const char *doc, struct rec *r)
{
    const struct xf_handlers h = {on_start, on_end, on_text, never};
    if (!xf_scan(doc, strlen(doc), NULL, NULL))
        return false;
    assert_true(xf_scan(doc, strlen(doc), &h, r));
    return true;
}

static const char *const same[] = {
    "<a/>",
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<a>x</a>\n",
    "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<sheetData><row r=\"1\"><c r=\"A1\" s=\"3\" t=\"s\"><v>0</v></c>"
    "<c r=\"B1\" t=\"inlineStr\"><is><t xml:space=\"preserve\"> B&#193;O &#7920; </t></is></c>"
    "<c r=\"C1\" t='str'><f>A1&amp;B1</f><v>a &lt;b&gt; &quot;c&quot; &apos;d&apos;</v></c>"
    "</row></sheetData></worksheet>",
    "<x:sst xmlns:x=\"urn:x\" count=\"2\"><x:si><x:t>Điểm tự đánh giá 8,5 ✓ 𝄞</x:t></x:si>"
    "<x:si><x:r><x:t>a</x:t></x:r><x:rPh><x:t>b</x:t></x:rPh></x:si></x:sst>",
    "<a  b = \"1\"\tc='2'\n/>",
    "<a>&#x10FFFF;&#13;&#9;]>]]</a>",
    "<a>\n  <b>text &gt; more</b>\n</a>",
    /* openpyxl's worksheets: a prefix declared on the empty element that uses it */
    "<worksheet xmlns=\"urn:m\"><legacyDrawing xmlns:r=\"urn:r\" r:id=\"anysvml\"/></worksheet>",
    "<a xmlns:r=\"urn:r\"><b xmlns:r=\"urn:other\" r:id=\"1\"/><c r:id=\"2\"/></a>",
};

static const char *const refused[] = {
    "<a><!-- comment --></a>",             /* comments: expat's */
    "<a><![CDATA[x]]></a>",                /* CDATA */
    "<!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>",
    "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>",
    "<?pi x?><a/>",
    "<a><?pi x?></a>",
    "<a>x\r\ny</a>",                       /* CR: expat normalises */
    "<a b=\"x\ny\"/>",                     /* attribute whitespace: expat normalises */
    "<a>]]></a>",                          /* not well-formed */
    "<a>&foo;</a>",
    "<a>&#0;</a>",
    "<a>&#xD800;</a>",
    "<a>\xC3\x28</a>",                     /* invalid UTF-8 */
    "<a>\xEF\xBF\xBE</a>",                 /* U+FFFE */
    "<a>\x01</a>",
    "<a b=\"1\" b=\"2\"/>",
    "<a x:b=\"1\" y:b=\"2\" xmlns:x=\"u\" xmlns:y=\"v\"/>",
    "<x:a/>",                              /* unbound prefix */
    "<a><b xmlns:x=\"u\"><c x:d=\"1\"/></b></a>", /* below the root, on a non-empty element */
    "<a><b xmlns=\"u\"/></a>",             /* a default namespace below the root */
    "<a><b xmlns:x=\"u\"/><c x:d=\"1\"/></a>", /* an empty element's prefix used after it */
    "<a><b xmlns:x=\"u\" xmlns:x=\"v\"/></a>",
    "<a><b xmlns:x=\"\"/></a>",
    "<a xmlns:x=\"\"/>",
    "<a></b>",
    "<a>",
    "<a/><b/>",
    "<a/>text",
    "text<a/>",
    "<a b=\"<\"/>",
    "<a b=1/>",
    "<a b=\"1\"c=\"2\"/>",
    "<1a/>",
    "<a:/>",
    "<\xC3\xA9/>",
    "",
};

static void same_as_expat(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        struct rec e = {0}, f = {0};
        assert_true(expat_events(same[i], &e));
        if (!fast_events(same[i], &f))
            fail_msg("case %zu: the fast path gave up on %s", i, same[i]);
        if (strcmp(e.s, f.s))
            fail_msg("case %zu:\n expat %s\n  fast %s", i, e.s, f.s);
    }
}

static void outside_the_subset(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
        if (xf_scan(refused[i], strlen(refused[i]), NULL, NULL))
            fail_msg("case %zu: the fast path took %s", i, refused[i]);
}

/* A handler that stops: nothing is delivered after it. */
static int calls;
static void count_start(void *ud, const char *name, const char **a)
{
    (void)ud;
    (void)name;
    (void)a;
    calls++;
}
static void count_end(void *ud, const char *name)
{
    (void)ud;
    (void)name;
}
static bool stop_after_two(void *ud)
{
    (void)ud;
    return calls >= 2;
}

static void stops(void **state)
{
    (void)state;
    const char *doc = "<a><b/><c/><d/></a>";
    const struct xf_handlers h = {count_start, count_end, NULL, stop_after_two};
    assert_true(xf_scan(doc, strlen(doc), &h, NULL));
    assert_int_equal(calls, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_as_expat),
        cmocka_unit_test(outside_the_subset),
        cmocka_unit_test(stops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
