/* xml_fast.c — see xml_fast.h. Two passes over the same code: the first (no handlers) proves
 * the part is in the subset, the second delivers it; so nothing is ever delivered twice, and a
 * part this scanner gives up on goes to expat whole. */
#include "core/xml_fast.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef const unsigned char *cp;

struct span {
    cp s;
    size_t n;
};

struct sc {
    cp p, end;
    const struct xf_handlers *h;
    void *ud;
    char *scratch; /* one tag's names and values, NUL-terminated */
    size_t sn, scap;
    struct span pfx[XF_ATTRS_MAX]; /* prefixes the root element declares */
    size_t npfx;
    struct span stack[XF_DEPTH_MAX]; /* open elements' qualified names */
    size_t depth;
    bool stop;
};

/* Byte classes (one table lookup a byte in the loops below). */
enum {
    C_TEXT = 1,   /* plain text: printable ASCII but '<', '&', ']'; tab, LF */
    C_VALUE = 2,  /* plain in an attribute value: printable ASCII but '<', '&', quotes */
    C_START = 4,  /* starts a name (ASCII letters, '_') */
    C_NAME = 8,   /* goes on a name (and digits, '-', '.') */
    C_SPACE = 16, /* space, tab, LF (CR: expat's) */
};
#define PRINT (C_TEXT | C_VALUE)
static const unsigned char cls[256] = {
    ['\t'] = C_TEXT | C_SPACE, ['\n'] = C_TEXT | C_SPACE, [' '] = PRINT | C_SPACE,
    ['!'] = PRINT, ['"'] = C_TEXT, ['#' ... '%'] = PRINT, ['\''] = C_TEXT, ['(' ... ','] = PRINT,
    ['-'] = PRINT | C_NAME, ['.'] = PRINT | C_NAME, ['/'] = PRINT,
    ['0' ... '9'] = PRINT | C_NAME, [':' ... ';'] = PRINT, ['='] = PRINT, ['>' ... '@'] = PRINT,
    ['A' ... 'Z'] = PRINT | C_START | C_NAME, ['['] = PRINT, ['\\'] = PRINT, [']'] = C_VALUE,
    ['^'] = PRINT, ['_'] = PRINT | C_START | C_NAME, ['`'] = PRINT,
    ['a' ... 'z'] = PRINT | C_START | C_NAME, ['{' ... '~'] = PRINT,
};

static bool name_start(unsigned c)
{
    return cls[c & 0xFF] & C_START;
}

static bool is_space(unsigned c)
{
    return cls[c & 0xFF] & C_SPACE;
}

/* A QName: NCName (':' NCName)?; *colon is the offset of ':' or 0. */
static bool qname(struct sc *s, struct span *out, size_t *colon)
{
    cp q = s->p, b = s->p, e = s->end;
    if (q >= e || !name_start(*q))
        return false;
    *colon = 0;
    for (q++;;) {
        while (q < e && (cls[*q] & C_NAME))
            q++;
        if (q < e && *q == ':' && !*colon && q + 1 < e && name_start(q[1])) {
            *colon = (size_t)(q - b);
            q += 2;
            continue;
        }
        break;
    }
    out->s = b;
    out->n = (size_t)(q - b);
    s->p = q;
    return true;
}

/* The length of one valid UTF-8 sequence of an XML character at p, 0 if not. */
static size_t utf8_xml(cp p, cp end)
{
    unsigned c = p[0], v;
    size_t n;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2, v = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3, v = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4, v = c & 0x07;
    else
        return 0;
    if ((size_t)(end - p) < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        v = v << 6 | (p[i] & 0x3F);
    }
    if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
        (v >= 0xD800 && v <= 0xDFFF) || v == 0xFFFE || v == 0xFFFF)
        return 0;
    return n;
}

static size_t utf8_put(unsigned long v, char out[4])
{
    if (v < 0x80) {
        out[0] = (char)v;
        return 1;
    }
    if (v < 0x800) {
        out[0] = (char)(0xC0 | v >> 6);
        out[1] = (char)(0x80 | (v & 0x3F));
        return 2;
    }
    if (v < 0x10000) {
        out[0] = (char)(0xE0 | v >> 12);
        out[1] = (char)(0x80 | ((v >> 6) & 0x3F));
        out[2] = (char)(0x80 | (v & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | v >> 18);
    out[1] = (char)(0x80 | ((v >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((v >> 6) & 0x3F));
    out[3] = (char)(0x80 | (v & 0x3F));
    return 4;
}

/* A reference at s->p ('&'): what it stands for, in UTF-8. */
static bool reference(struct sc *s, char out[4], size_t *olen)
{
    cp q = s->p + 1, e = s->end;
    if (q < e && *q == '#') {
        bool hex = ++q < e && *q == 'x';
        q += hex;
        unsigned long v = 0;
        int digits = 0;
        for (; q < e && *q != ';'; q++) {
            int d = *q >= '0' && *q <= '9' ? *q - '0'
                    : hex && (*q | 32) >= 'a' && (*q | 32) <= 'f' ? (*q | 32) - 'a' + 10
                                                                  : -1;
            if (d < 0 || ++digits > 7)
                return false;
            v = v * (hex ? 16 : 10) + (unsigned long)d;
        }
        if (q >= e || !digits ||
            !(v == 9 || v == 10 || v == 13 || (v >= 0x20 && v <= 0xD7FF) ||
              (v >= 0xE000 && v <= 0xFFFD) || (v >= 0x10000 && v <= 0x10FFFF)))
            return false;
        *olen = utf8_put(v, out);
        s->p = q + 1;
        return true;
    }
    static const struct {
        const char *name;
        char c;
    } named[] = {{"lt;", '<'}, {"gt;", '>'}, {"amp;", '&'}, {"quot;", '"'}, {"apos;", '\''}};
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
        size_t n = strlen(named[i].name);
        if ((size_t)(e - q) >= n && memcmp(q, named[i].name, n) == 0) {
            out[0] = named[i].c;
            *olen = 1;
            s->p = q + n;
            return true;
        }
    }
    return false;
}

static bool stopped(struct sc *s)
{
    if (s->h && s->h->stopped && s->h->stopped(s->ud))
        s->stop = true;
    return s->stop;
}

static void emit_text(struct sc *s, const void *t, size_t n)
{
    if (n && s->h && s->h->text && !s->stop) {
        s->h->text(s->ud, t, (int)n);
        stopped(s);
    }
}

/* Character data up to the next '<' (or the end). */
static bool text(struct sc *s)
{
    cp run = s->p;
    while (s->p < s->end) {
        while (s->p < s->end && (cls[*s->p] & C_TEXT))
            s->p++;
        if (s->p >= s->end)
            break;
        unsigned c = *s->p;
        if (c == '<') {
            break;
        } else if (c == ']') {
            if (s->end - s->p >= 3 && s->p[1] == ']' && s->p[2] == '>')
                return false;
            s->p++;
        } else if (c == '&') {
            emit_text(s, run, (size_t)(s->p - run));
            char out[4];
            size_t n;
            if (!reference(s, out, &n))
                return false;
            emit_text(s, out, n);
            run = s->p;
        } else if (c >= 0x80) {
            size_t n = utf8_xml(s->p, s->end);
            if (!n)
                return false;
            s->p += n;
        } else {
            return false; /* a control character or CR (expat would normalise CR LF) */
        }
        if (s->stop)
            return true;
    }
    emit_text(s, run, (size_t)(s->p - run));
    return true;
}

static bool skip_space(struct sc *s)
{
    cp b = s->p;
    while (s->p < s->end && is_space(*s->p))
        s->p++;
    return s->p > b;
}

static char *put(struct sc *s, const void *src, size_t n)
{
    if (s->sn + n + 1 > s->scap)
        return NULL;
    char *d = s->scratch + s->sn;
    memcpy(d, src, n);
    d[n] = 0;
    s->sn += n + 1;
    return d;
}

/* Appends to the string put() last wrote (its NUL moves). */
static bool append(struct sc *s, const void *src, size_t n)
{
    if (s->sn + n > s->scap)
        return false;
    memcpy(s->scratch + s->sn - 1, src, n);
    s->sn += n;
    s->scratch[s->sn - 1] = 0;
    return true;
}

/* An attribute value in quotes, decoded into the scratch. */
static char *value(struct sc *s)
{
    if (s->p >= s->end || (*s->p != '"' && *s->p != '\''))
        return NULL;
    unsigned char q = *s->p++;
    char *v = put(s, "", 0);
    if (!v)
        return NULL;
    cp run = s->p;
    for (;;) {
        while (s->p < s->end && (cls[*s->p] & C_VALUE))
            s->p++;
        if (s->p >= s->end || *s->p == q)
            break;
        unsigned c = *s->p;
        if (c == '&') {
            char out[4];
            size_t n;
            if (!append(s, run, (size_t)(s->p - run)) || !reference(s, out, &n) ||
                !append(s, out, n))
                return NULL;
            run = s->p;
        } else if (c >= 0x80) {
            size_t n = utf8_xml(s->p, s->end);
            if (!n)
                return NULL;
            s->p += n;
        } else if (c == '"' || c == '\'') {
            s->p++; /* the other quote */
        } else {
            return NULL; /* tab, CR, LF: expat normalises them to spaces; '<': an error */
        }
    }
    if (s->p >= s->end || !append(s, run, (size_t)(s->p - run)))
        return NULL;
    s->p++;
    return v;
}

static bool span_is(struct span a, const char *lit)
{
    size_t n = strlen(lit);
    return a.n == n && memcmp(a.s, lit, n) == 0;
}

static bool span_in(struct span p, const struct span *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (set[i].n == p.n && memcmp(set[i].s, p.s, p.n) == 0)
            return true;
    return false;
}

/* Is the prefix of this qualified name bound (declared on the root, on this very element when
 * it is an empty one, or "xml")? */
static bool bound(const struct sc *s, const struct span *own, size_t nown, struct span name,
                  size_t colon)
{
    if (!colon)
        return true;
    struct span p = {name.s, colon};
    return span_is(p, "xml") || span_in(p, s->pfx, s->npfx) || span_in(p, own, nown);
}

/* A start tag at s->p ('<' + name start). */
static bool start_tag(struct sc *s)
{
    cp tag = s->p++;
    struct span el;
    size_t ecolon;
    if (!qname(s, &el, &ecolon))
        return false;
    s->sn = 0;
    const char *av[2 * XF_ATTRS_MAX + 1];
    struct span an[XF_ATTRS_MAX];
    size_t acolon[XF_ATTRS_MAX], na = 0;
    /* prefixes an empty element below the root declares for itself (openpyxl writes
     * <legacyDrawing xmlns:r="…" r:id="…"/>): their scope ends with the tag */
    struct span own[XF_ATTRS_MAX];
    size_t nown = 0;
    bool root = s->depth == 0;
    for (;;) {
        bool sp = skip_space(s);
        if (s->p >= s->end)
            return false;
        if (*s->p == '>' || *s->p == '/')
            break;
        if (!sp)
            return false;
        struct span a;
        size_t colon;
        if (!qname(s, &a, &colon))
            return false;
        skip_space(s);
        if (s->p >= s->end || *s->p != '=')
            return false;
        s->p++;
        skip_space(s);
        char *v = value(s);
        if (!v)
            return false;
        bool decl = span_is(a, "xmlns") || (colon == 5 && memcmp(a.s, "xmlns", 5) == 0);
        if (decl) {
            /* namespace declarations: on the root, or prefixed ones on an empty element (checked
             * below); each prefix once a tag, never empty, never xml/xmlns */
            if (!root && !colon)
                return false;
            if (colon) {
                struct span p = {a.s + 6, a.n - 6};
                struct span *set = root ? s->pfx : own;
                size_t *n = root ? &s->npfx : &nown;
                if (!*v || span_is(p, "xml") || span_is(p, "xmlns") || *n == XF_ATTRS_MAX ||
                    span_in(p, set, *n))
                    return false;
                set[(*n)++] = p;
            }
            continue;
        }
        if (na == XF_ATTRS_MAX)
            return false;
        char *local = put(s, a.s + (colon ? colon + 1 : 0), a.n - (colon ? colon + 1 : 0));
        if (!local)
            return false;
        for (size_t i = 0; i < na; i++)
            if (strcmp(av[2 * i], local) == 0)
                return false; /* the same local name twice: expat decides */
        an[na] = a;
        acolon[na] = colon;
        av[2 * na] = local;
        av[2 * na + 1] = v;
        na++;
    }
    bool empty = *s->p == '/';
    if (empty && (s->end - s->p < 2 || s->p[1] != '>'))
        return false;
    s->p += empty ? 2 : 1;
    if ((size_t)(s->p - tag) > XF_TAG_MAX || (nown && !empty))
        return false;
    if (span_is((struct span){el.s, ecolon}, "xmlns") || !bound(s, own, nown, el, ecolon))
        return false;
    for (size_t i = 0; i < na; i++)
        if (!bound(s, own, nown, an[i], acolon[i]))
            return false;
    av[2 * na] = NULL;
    if (!empty) {
        if (s->depth == XF_DEPTH_MAX)
            return false;
        s->stack[s->depth++] = el;
    }
    if (s->h && !s->stop) {
        const char *local = put(s, el.s + (ecolon ? ecolon + 1 : 0), el.n - (ecolon ? ecolon + 1 : 0));
        if (!local)
            return false;
        s->h->start(s->ud, local, av);
        if (!stopped(s) && empty) {
            s->h->end(s->ud, local);
            stopped(s);
        }
    } else if (!s->h && !put(s, el.s, el.n)) {
        return false; /* the same room the delivering pass needs */
    }
    return true;
}

/* An end tag at s->p ('</'). */
static bool end_tag(struct sc *s)
{
    s->p += 2;
    struct span el;
    size_t colon;
    if (!qname(s, &el, &colon) || el.n > XF_TAG_MAX)
        return false;
    skip_space(s);
    if (s->p >= s->end || *s->p != '>' || !s->depth)
        return false;
    s->p++;
    struct span top = s->stack[--s->depth];
    if (top.n != el.n || memcmp(top.s, el.s, el.n))
        return false;
    if (s->h && !s->stop) {
        s->sn = 0;
        const char *local = put(s, el.s + (colon ? colon + 1 : 0), el.n - (colon ? colon + 1 : 0));
        if (!local)
            return false;
        s->h->end(s->ud, local);
        stopped(s);
    }
    return true;
}

/* The XML declaration, when there is one, in its plainest forms only. */
static bool declaration(struct sc *s)
{
    static const char *const parts[][3] = {
        {" version=\"1.0\"", NULL, NULL},
        {" encoding=\"UTF-8\"", " encoding=\"utf-8\"", ""},
        {" standalone=\"yes\"", " standalone=\"no\"", ""},
        {"?>", NULL, NULL},
    };
    if (s->end - s->p < 6 || memcmp(s->p, "<?xml", 5) || !is_space(s->p[5]))
        return true; /* none: fine (UTF-8) */
    s->p += 5;
    for (size_t i = 0; i < 4; i++) {
        bool hit = false;
        for (size_t k = 0; k < 3 && parts[i][k] && !hit; k++) {
            size_t n = strlen(parts[i][k]);
            if ((size_t)(s->end - s->p) >= n && memcmp(s->p, parts[i][k], n) == 0) {
                s->p += n;
                hit = true;
            }
        }
        if (!hit)
            return false;
    }
    return true;
}

static bool scan(struct sc *s)
{
    if (!declaration(s))
        return false;
    bool seen_root = false;
    while (s->p < s->end && !s->stop) {
        if (s->depth == 0) {
            skip_space(s);
            if (s->p >= s->end)
                break;
            if (seen_root || *s->p != '<' || s->end - s->p < 2 || !name_start(s->p[1]))
                return false; /* comments, PIs, DOCTYPE, text or a second root: expat's */
            if (!start_tag(s))
                return false;
            seen_root = true;
            continue;
        }
        if (*s->p != '<') {
            if (!text(s))
                return false;
            continue;
        }
        if (s->end - s->p < 2)
            return false;
        if (s->p[1] == '/') {
            if (!end_tag(s))
                return false;
        } else if (name_start(s->p[1])) {
            if (!start_tag(s))
                return false;
        } else {
            return false; /* <! or <? inside: comments, CDATA, PIs */
        }
    }
    return s->stop || (seen_root && s->depth == 0);
}

bool xf_scan(const char *buf, size_t n, const struct xf_handlers *h, void *ud)
{
    struct sc *s = calloc(1, sizeof *s);
    if (!s)
        return false;
    s->p = (cp)buf;
    s->end = (cp)buf + n;
    s->h = h;
    s->ud = ud;
    s->scap = 2 * XF_TAG_MAX + 64;
    s->scratch = malloc(s->scap);
    bool ok = s->scratch && scan(s);
    free(s->scratch);
    free(s);
    return ok;
}
