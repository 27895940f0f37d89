/* xml_fast.h — a fast path for the XML of worksheets and shared strings (core/xlsx_read.c).
 *
 * Expat costs ~100 instructions a byte on a worksheet; this scanner accepts only a strict,
 * common subset of XML that it can prove well-formed (and namespace-well-formed) by itself, and
 * says "not mine" for anything else, so the caller parses that part with expat exactly as before:
 * every check of the reader stays expat's whenever this scanner has any doubt.
 *
 * The subset: an optional XML declaration (version 1.0, UTF-8, standalone) at the very start;
 * one root element; elements and attributes with ASCII names (at most one ':'); namespace
 * declarations on the root element, or prefixed ones on an empty element for its own use
 * (openpyxl writes <legacyDrawing xmlns:r=".." r:id=".."/>); prefixes used must be declared there
 * or be "xml";
 * attribute values in either quotes without '<', tab, CR or LF; text and values in valid UTF-8
 * of XML characters, without CR and "]]>"; the references &lt; &gt; &amp; &quot; &apos; and
 * character references of XML characters; no comment, CDATA section, processing instruction or
 * DOCTYPE; tags under XF_TAG_MAX bytes; nesting under XF_DEPTH_MAX; nothing but whitespace
 * around the root. Duplicate attribute local names are refused to expat too.
 *
 * Callbacks get what expat's would under namespace processing, as far as the reader's handlers
 * look: local names (the handlers strip "uri\x01" anyway), attributes as a NULL-terminated
 * name/value array without the xmlns declarations, text in pieces (references decoded). */
#ifndef DTI_CORE_XML_FAST_H
#define DTI_CORE_XML_FAST_H

#include <stdbool.h>
#include <stddef.h>

#define XF_TAG_MAX 16384u
#define XF_DEPTH_MAX 256u
#define XF_ATTRS_MAX 32u

struct xf_handlers {
    void (*start)(void *ud, const char *name, const char **attrs);
    void (*end)(void *ud, const char *name);
    void (*text)(void *ud, const char *s, int len); /* may be NULL */
    bool (*stopped)(void *ud);                      /* checked after every callback */
};

/* Validates buf[0..n) (h NULL) or, once validated, delivers it (h set). false: not in the
 * subset (nothing delivered when h was NULL), or memory ran out — parse it with expat. */
bool xf_scan(const char *buf, size_t n, const struct xf_handlers *h, void *ud);

#endif
