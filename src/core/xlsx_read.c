/* xlsx_read.c — the safe streaming .xlsx reader (see xlsx_read.h).
 *
 * The archive is opened from memory with libzip (never extracted); each XML part is inflated in
 * 64 KiB chunks with zip_fread and fed to expat as it comes, so the bytes counted against the
 * limits are the bytes really inflated, whatever the zip headers claim. Every expat parser refuses
 * DOCTYPE, entity declarations and external entities before they can expand.
 *
 * Order: member names (paths, duplicates, encryption, vbaProject) → [Content_Types].xml (macro
 * content types) → _rels/.rels (the workbook part) → workbook.xml (sheets) → its rels (targets)
 * → styles.xml (date formats) → sharedStrings.xml → each worksheet in workbook order. */
#include "core/xlsx_read.h"
#include "core/file_kind.h"
#include "core/xml_fast.h"

#include <ctype.h>
#include <expat.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#define CHUNK 65536
#define FAST_MAX ((4u << 20) - 1024) /* a part the fast XML path takes whole (a buffer under 4 MB) */
#define MAX_XFS 65536          /* Excel's own cap on cell formats is 64,000 */
#define MAX_NUMFMTS 65536
#define MAX_RELS 100000
#define NS_SEP '\x01'          /* expat namespace separator: "uri\x01local" */
/* What one expat parser may hold. Expat 2.5 buffers a whole token (a start tag with its
 * attributes, a comment) and re-scans it from its start on every chunk: quadratic in the token's
 * length (CVE-2023-52425). The largest real token is a few KB; 4 MB keeps that re-scan small. */
#define XML_MEM_CAP (4u << 20)

/* ---------- growable byte buffer ---------- */

struct buf {
    char *p;
    size_t n, cap;
};

static int buf_add(struct buf *b, const char *s, size_t len)
{
    if (b->n + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + len + 1)
            cap *= 2;
        char *np = realloc(b->p, cap);
        if (!np)
            return -1;
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, len);
    b->n += len;
    b->p[b->n] = 0;
    return 0;
}

static void buf_reset(struct buf *b)
{
    b->n = 0;
    if (b->p)
        b->p[0] = 0;
}

/* ---------- reader state ---------- */

struct sheet {
    char *name;
    char *rid;
    char *part;   /* resolved member name, NULL when the rel is not a worksheet */
    bool hidden;
};

struct rel {
    char *id, *type, *target;
    bool external;
};

struct rd {
    zip_t *za;
    const struct xlsx_limits *lim;
    struct xlsx_error *err;
    xlsx_cell_fn fn;
    void *ud;
    enum xlsx_err_code code;
    uint64_t inflated;
    const char *part;           /* member being parsed, for messages */
    XML_Parser xp;

    /* workbook */
    char *wb_part;              /* "xl/workbook.xml" */
    struct sheet *sheets;
    uint32_t n_sheets;
    bool in_sheets;
    struct rel *rels;
    uint32_t n_rels;

    /* styles */
    uint32_t *xf_fmt;           /* cellXfs[i].numFmtId */
    uint32_t n_xf;
    uint32_t *nf_id;            /* custom numFmts: ids and the class of each (enum fmt_class) */
    uint8_t *nf_class;
    uint32_t n_nf;
    uint8_t *xf_class;
    int styles_depth_cellxfs;   /* > 0 inside <cellXfs> */
    bool in_numfmts;

    /* shared strings: each NUL-terminated in ss_text, starting at ss_off[i] */
    struct buf ss_text;
    size_t *ss_off;
    uint32_t n_ss, cap_ss;
    bool in_si, in_rph;
    int t_depth;                /* > 0 inside a <t> that counts */

    /* the cell being read */
    struct buf text;            /* <v> or the <t>s of <is> */
    const struct sheet *sh;
    bool in_sheetdata, in_c, in_v, in_is, has_v, has_is, has_f;
    uint32_t row, col;          /* current row; last column seen in this row */
    uint32_t c_row, c_col, c_style;
    uint64_t last_pos;          /* row << 16 | col of the previous <c> of this sheet */
    char c_t[12];
    uint64_t cells;
};

/* ---------- errors ---------- */

/* Printable ASCII only (member names come from the file): at most 80 characters. */
static void clean_name(char *out, size_t cap, const char *s)
{
    size_t n = 0;
    for (; *s && n + 1 < cap && n < 80; s++)
        out[n++] = (*s >= 0x20 && *s < 0x7f && *s != '"') ? *s : '?';
    out[n] = 0;
}

/* Drops a UTF-8 sequence cut short at the end of s (after a truncating snprintf). */
static void utf8_trim_tail(char *s)
{
    size_t n = strlen(s), i = n;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i == 0)
        return;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (n - (i - 1) < want)
        s[i - 1] = 0;
}

/* snprintf "%s" that never leaves half a character at the end. */
static void copy_utf8(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src);
    utf8_trim_tail(dst);
}

static enum xlsx_err_code fail(struct rd *r, enum xlsx_err_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum xlsx_err_code fail(struct rd *r, enum xlsx_err_code code, const char *fmt, ...)
{
    if (r->code != XLSX_OK)
        return r->code; /* the first error wins */
    r->code = code;
    r->err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err->message, sizeof r->err->message, fmt, ap);
    va_end(ap);
    utf8_trim_tail(r->err->message);
    if (r->xp)
        XML_StopParser(r->xp, XML_FALSE);
    return code;
}

static enum xlsx_err_code nomem(struct rd *r)
{
    return fail(r, XLSX_E_NOMEM, "Không đủ bộ nhớ để đọc tệp Excel");
}

static void make_ref(char out[16], uint32_t col, uint32_t row);

/* "Trang X, ô F12: " before a message about one cell (the one being read). */
static enum xlsx_err_code fail_cell(struct rd *r, enum xlsx_err_code code, const char *what)
{
    char ref[16];
    make_ref(ref, r->c_col, r->c_row);
    if (r->code == XLSX_OK)
        memcpy(r->err->ref, ref, sizeof ref);
    return fail(r, code, "Trang %s, ô %s: %s", r->err->sheet, ref, what);
}

/* ---------- small helpers ---------- */

static const char *local_name(const char *name)
{
    const char *s = strrchr(name, NS_SEP);
    return s ? s + 1 : name;
}

static const char *attr(const XML_Char **a, const char *local)
{
    for (; a[0]; a += 2)
        if (strcmp(local_name(a[0]), local) == 0)
            return a[1];
    return NULL;
}

static char *dupstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

/* Decimal without sign or junk, at most 10 digits; -1 when not one. */
static int64_t parse_uint(const char *s)
{
    int64_t v = 0;
    int n = 0;
    while (*s == ' ')
        s++;
    for (; *s >= '0' && *s <= '9'; s++, n++) {
        if (n >= 10)
            return -1;
        v = v * 10 + (*s - '0');
    }
    while (*s == ' ')
        s++;
    return (n == 0 || *s) ? -1 : v;
}

/* "AB12" → col 28, row 12. Columns A..XFD, rows 1..1048576. */
static bool parse_ref(const char *s, uint32_t *col, uint32_t *row)
{
    uint32_t c = 0, rw = 0;
    int nl = 0, nd = 0;
    for (; *s >= 'A' && *s <= 'Z'; s++, nl++) {
        if (nl >= 3)
            return false;
        c = c * 26 + (uint32_t)(*s - 'A' + 1);
    }
    if (*s == '0')
        return false;
    for (; *s >= '0' && *s <= '9'; s++, nd++) {
        if (nd >= 7)
            return false;
        rw = rw * 10 + (uint32_t)(*s - '0');
    }
    if (*s || nl == 0 || nd == 0 || c > 16384 || rw > 1048576 || rw == 0)
        return false;
    *col = c;
    *row = rw;
    return true;
}

static void make_ref(char out[16], uint32_t col, uint32_t row)
{
    char tmp[16];
    int n = 0;
    do { /* digits, then letters, backwards */
        tmp[n++] = (char)('0' + row % 10);
        row /= 10;
    } while (row && n < 10);
    for (int k = 0; col > 0 && k < 4; k++) {
        col--;
        tmp[n++] = (char)('A' + col % 26);
        col /= 26;
    }
    for (int i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = 0;
}

/* 32767 → "32.767" (Vietnamese digit grouping) */
static const char *thousands(char out[32], uint64_t v)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)v);
    int o = 0;
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            out[o++] = '.';
        out[o++] = tmp[i];
    }
    out[o] = 0;
    return out;
}

/* A byte limit for a message: "50 MB", "900 KB". */
static const char *size_text(char out[32], uint64_t bytes)
{
    if (bytes >= (1u << 20))
        snprintf(out, 32, "%llu MB", (unsigned long long)(bytes >> 20));
    else
        snprintf(out, 32, "%llu KB", (unsigned long long)((bytes + 1023) >> 10));
    return out;
}

/* Characters (code points) in valid UTF-8, as expat delivers it. */
static size_t utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/* A plain decimal number as Excel writes it ("-1.5E-3"): no inf, nan, hex or spaces inside. */
static bool parse_number(const char *s, double *out)
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    size_t len = strlen(s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' || s[len - 1] == '\r'))
        len--;
    if (len == 0 || len > 64)
        return false;
    char tmp[72];
    memcpy(tmp, s, len);
    tmp[len] = 0;
    for (size_t i = 0; i < len; i++)
        if (!strchr("0123456789+-.eE", tmp[i]))
            return false;
    char *end;
    double v = strtod(tmp, &end);
    if (*end || !isfinite(v))
        return false;
    *out = v;
    return true;
}

/* ISO 8601 "2024-03-05" or "2024-03-05T10:30:00[.5][Z]" (t="d" cells) → Excel serial (1900). */
static bool parse_iso_date(const char *s, double *out)
{
    int y, mo, d, h = 0, mi = 0, n = 0;
    double sec = 0;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
        return false;
    s += n;
    if (*s == 'T') {
        int m2 = 0;
        if (sscanf(s, "T%2d:%2d:%lf%n", &h, &mi, &sec, &m2) != 3)
            return false;
        s += m2;
        if (*s == 'Z')
            s++;
    }
    if (*s || y < 1900 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
        !(sec >= 0 && sec < 61))
        return false;
    /* days from civil (Howard Hinnant), relative to 1899-12-30 */
    int yy = y - (mo <= 2);
    int era = yy / 400;
    int yoe = yy - era * 400;
    int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    long days = (long)era * 146097 + doe - 719468; /* since 1970-01-01 */
    days += 25569;                                 /* 1970-01-01 is serial 25569 */
    *out = (double)days + (h * 3600 + mi * 60 + sec) / 86400.0;
    return true;
}

/* ---------- part names ---------- */

static bool bad_path(const char *name)
{
    if (!*name || name[0] == '/' || strchr(name, '\\') ||
        (isalpha((unsigned char)name[0]) && name[1] == ':'))
        return true;
    for (const char *s = name; *s;) {
        const char *e = strchr(s, '/');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        if (len == 2 && s[0] == '.' && s[1] == '.')
            return true;
        if (!e)
            break;
        s = e + 1;
    }
    for (const char *s = name; *s; s++)
        if ((unsigned char)*s < 0x20)
            return true;
    return false;
}

static int cmp_icase(const void *a, const void *b)
{
    return strcasecmp(*(char *const *)a, *(char *const *)b);
}

/* base "xl/workbook.xml" + target "worksheets/sheet1.xml" → "xl/worksheets/sheet1.xml";
 * a target starting with '/' is from the package root. NULL when it leaves the package. */
static char *resolve_target(const char *base, const char *target)
{
    size_t cap = strlen(base) + strlen(target) + 2;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    size_t n = 0;
    if (target[0] != '/') {
        const char *slash = strrchr(base, '/');
        if (slash) {
            n = (size_t)(slash - base) + 1;
            memcpy(out, base, n);
        }
    } else {
        target++;
    }
    out[n] = 0;
    for (const char *s = target; *s;) {
        const char *e = strchr(s, '/');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        if (len == 2 && s[0] == '.' && s[1] == '.') {
            if (n == 0) {
                free(out);
                return NULL;
            }
            n--; /* drop the trailing '/' then the segment */
            while (n > 0 && out[n - 1] != '/')
                n--;
        } else if (!(len == 1 && s[0] == '.') && len > 0) {
            memcpy(out + n, s, len);
            n += len;
            if (e)
                out[n++] = '/';
        }
        out[n] = 0;
        if (!e)
            break;
        s = e + 1;
    }
    return out;
}

/* ---------- expat's memory, capped ----------
 * Expat buffers a whole token however long it is (see XML_MEM_CAP). Its allocator gets no user data, hence these
 * per-thread counters, set around each parse (one parser at a time per thread). */

static _Thread_local size_t t_xml_used;
static _Thread_local bool t_xml_capped;

struct mem_hdr {
    size_t n;
    size_t pad; /* keeps the block 16-byte aligned */
};

static void *xml_malloc(size_t n)
{
    if (n > XML_MEM_CAP - t_xml_used) {
        t_xml_capped = true;
        return NULL;
    }
    struct mem_hdr *h = malloc(sizeof *h + n);
    if (!h)
        return NULL;
    h->n = n;
    t_xml_used += n;
    return h + 1;
}

static void xml_free(void *p)
{
    if (!p)
        return;
    struct mem_hdr *h = (struct mem_hdr *)p - 1;
    t_xml_used -= h->n;
    free(h);
}

static void *xml_realloc(void *p, size_t n)
{
    if (!p)
        return xml_malloc(n);
    struct mem_hdr *h = (struct mem_hdr *)p - 1;
    size_t old = h->n;
    if (n > old && n - old > XML_MEM_CAP - t_xml_used) {
        t_xml_capped = true;
        return NULL;
    }
    struct mem_hdr *nh = realloc(h, sizeof *nh + n);
    if (!nh)
        return NULL;
    t_xml_used = t_xml_used - old + n;
    nh->n = n;
    return nh + 1;
}

static const XML_Memory_Handling_Suite xml_mem = {xml_malloc, xml_realloc, xml_free};

/* ---------- streaming one XML part ---------- */

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal_subset)
{
    struct rd *r = ud;
    char nm[96];
    clean_name(nm, sizeof nm, r->part);
    fail(r, XLSX_E_DOCTYPE, "Tệp Excel không hợp lệ: phần %s có khai báo DOCTYPE (không được phép)", nm);
}

static void XMLCALL on_entity(void *ud, const XML_Char *name, int is_param, const XML_Char *value,
                              int value_len, const XML_Char *base, const XML_Char *sysid,
                              const XML_Char *pubid, const XML_Char *notation)
{
    struct rd *r = ud;
    char nm[96];
    clean_name(nm, sizeof nm, r->part);
    fail(r, XLSX_E_DOCTYPE, "Tệp Excel không hợp lệ: phần %s có khai báo ENTITY (không được phép)", nm);
}

static int XMLCALL on_ext_entity(XML_Parser p, const XML_Char *context, const XML_Char *base,
                                 const XML_Char *sysid, const XML_Char *pubid)
{
    return XML_STATUS_ERROR; /* never fetched */
}

struct part_handlers {
    XML_StartElementHandler start;
    XML_EndElementHandler end;
    XML_CharacterDataHandler text;
    bool fast; /* may go through core/xml_fast.h: handlers that look at local names only */
};

bool xlsx_read_fast_xml = true;

static bool fast_stopped(void *ud)
{
    return ((struct rd *)ud)->code != XLSX_OK;
}

/* Feeds expat, CHUNK bytes a call as when streaming (expat copies what a call leaves
 * unparsed); false (r->code set) when it or a handler refused. */
static bool feed(struct rd *r, XML_Parser xp, const char *data, size_t len, bool final,
                 const char *nm)
{
    while (len > CHUNK) {
        if (!feed(r, xp, data, CHUNK, false, nm))
            return false;
        data += CHUNK;
        len -= CHUNK;
    }
    if (XML_Parse(xp, data, (int)len, final) != XML_STATUS_OK) {
        if (r->code == XLSX_OK) {
            enum XML_Error xe = XML_GetErrorCode(xp);
            if (xe == XML_ERROR_NO_MEMORY && t_xml_capped)
                fail(r, XLSX_E_TOO_BIG, "Tệp Excel không hợp lệ: phần %s có một thẻ XML quá lớn", nm);
            else if (xe == XML_ERROR_NO_MEMORY)
                nomem(r);
            else
                fail(r, XLSX_E_BAD_XML, "Tệp Excel bị hỏng: phần %s không phải XML hợp lệ (dòng %lu)",
                     nm, (unsigned long)XML_GetCurrentLineNumber(xp));
        }
        return false;
    }
    return r->code == XLSX_OK;
}

static enum xlsx_err_code zip_err_code(struct rd *r, int ze, const char *what)
{
    char nm[96];
    clean_name(nm, sizeof nm, r->part ? r->part : "");
    if (ze == ZIP_ER_NOPASSWD || ze == ZIP_ER_WRONGPASSWD || ze == ZIP_ER_ENCRNOTSUPP)
        return fail(r, XLSX_E_ENCRYPTED, "Tệp có mật khẩu: hãy bỏ mật khẩu rồi tải lên lại");
    if (ze == ZIP_ER_MEMORY)
        return nomem(r);
    if (ze == ZIP_ER_COMPNOTSUPP)
        return fail(r, XLSX_E_TRUNCATED, "Tệp Excel không đọc được: phần %s nén theo cách không hỗ trợ", nm);
    return fail(r, XLSX_E_TRUNCATED, "Tệp Excel bị hỏng hoặc tải lên chưa hết (%s %s): hãy tải lên lại",
                what, nm);
}

/* Streams member `name` through expat with handlers h. Missing: XLSX_E_MISSING_PART when
 * required, else XLSX_OK without calling anything. */
static enum xlsx_err_code parse_part(struct rd *r, const char *name, bool required,
                                     const struct part_handlers *h)
{
    char nm[96];
    clean_name(nm, sizeof nm, name);
    zip_int64_t idx = zip_name_locate(r->za, name, ZIP_FL_NOCASE | ZIP_FL_ENC_RAW);
    if (idx < 0)
        return required ? fail(r, XLSX_E_MISSING_PART, "Tệp Excel thiếu phần %s", nm) : XLSX_OK;
    r->part = name;
    zip_file_t *zf = zip_fopen_index(r->za, (zip_uint64_t)idx, 0);
    if (!zf)
        return zip_err_code(r, zip_error_code_zip(zip_get_error(r->za)), "mở");
    t_xml_used = 0;
    t_xml_capped = false;
    XML_Parser xp = XML_ParserCreate_MM(NULL, &xml_mem, (const XML_Char[]){NS_SEP, 0});
    char *chunk = malloc(CHUNK);
    if (!xp || !chunk) {
        if (xp)
            XML_ParserFree(xp);
        free(chunk);
        zip_fclose(zf);
        return nomem(r);
    }
    r->xp = xp;
    XML_SetUserData(xp, r);
    XML_SetParamEntityParsing(xp, XML_PARAM_ENTITY_PARSING_NEVER);
    XML_SetStartDoctypeDeclHandler(xp, on_doctype);
    XML_SetEntityDeclHandler(xp, on_entity);
    XML_SetExternalEntityRefHandler(xp, on_ext_entity);
    XML_SetElementHandler(xp, h->start, h->end);
    if (h->text)
        XML_SetCharacterDataHandler(xp, h->text);

    /* The fast path takes a part whole (up to FAST_MAX bytes: a worksheet of a template is a
     * few hundred KB); a bigger part, or one it gives up on, is expat's as before. */
    struct buf whole = {0};
    bool gather = h->fast && xlsx_read_fast_xml;
    /* a part that says it is bigger than the fast path takes streams through expat from the
     * start, so a crafted one is refused at its first bad cell, not after 4 MB inflated (the
     * size is only a hint here: a lying header is still cut at FAST_MAX below) */
    zip_stat_t zs;
    if (gather && zip_stat_index(r->za, (zip_uint64_t)idx, 0, &zs) == 0 &&
        (zs.valid & ZIP_STAT_SIZE) && zs.size > FAST_MAX)
        gather = false;
    uint64_t part_bytes = 0;
    for (;;) {
        zip_int64_t got = zip_fread(zf, chunk, CHUNK);
        if (got < 0) {
            zip_err_code(r, zip_error_code_zip(zip_file_get_error(zf)), "đọc");
            break;
        }
        part_bytes += (uint64_t)got;
        r->inflated += (uint64_t)got;
        if (part_bytes > r->lim->max_part_inflated) {
            char sz[32];
            fail(r, XLSX_E_TOO_BIG, "Tệp Excel quá lớn: phần %s vượt %s khi giải nén", nm,
                 size_text(sz, r->lim->max_part_inflated));
            break;
        }
        if (r->inflated > r->lim->max_inflated_total) {
            char sz[32];
            fail(r, XLSX_E_TOO_BIG, "Tệp Excel quá lớn: vượt %s khi giải nén", size_text(sz, r->lim->max_inflated_total));
            break;
        }
        if (gather && part_bytes <= FAST_MAX) {
            if (got > 0 && buf_add(&whole, chunk, (size_t)got)) {
                nomem(r);
                break;
            }
            if (got > 0)
                continue;
            /* the whole part: validated first, delivered only then (never twice) */
            if (xf_scan(whole.p ? whole.p : "", whole.n, NULL, r)) {
                const struct xf_handlers fh = {h->start, h->end, h->text, fast_stopped};
                r->xp = NULL;
                if (!xf_scan(whole.p, whole.n, &fh, r) && r->code == XLSX_OK)
                    nomem(r);
                r->xp = xp;
            } else {
                feed(r, xp, whole.p ? whole.p : "", whole.n, true, nm);
            }
            break;
        }
        if (gather) { /* too big for the fast path: expat from the start */
            gather = false;
            bool ok = feed(r, xp, whole.p ? whole.p : "", whole.n, false, nm);
            free(whole.p);
            whole = (struct buf){0};
            if (!ok)
                break;
        }
        if (!feed(r, xp, chunk, (size_t)got, got == 0, nm) || got == 0)
            break;
    }
    free(whole.p);
    r->xp = NULL;
    XML_ParserFree(xp);
    free(chunk);
    zip_fclose(zf);
    return r->code;
}

/* ---------- [Content_Types].xml ---------- */

static void XMLCALL ct_start(void *ud, const XML_Char *name, const XML_Char **a)
{
    struct rd *r = ud;
    const char *ln = local_name(name);
    if (strcmp(ln, "Default") && strcmp(ln, "Override"))
        return;
    const char *ct = attr(a, "ContentType");
    if (ct && strcasestr(ct, "sheet.binary")) { /* .xlsb: its type says macroEnabled too */
        fail(r, XLSX_E_NOT_ZIP, "Tệp là bảng tính nhị phân (.xlsb): hãy lưu thành .xlsx rồi tải lên lại");
        return;
    }
    if (ct && (strcasestr(ct, "macroEnabled") || strcasestr(ct, "vbaProject") ||
               strcasestr(ct, "macrosheet")))
        fail(r, XLSX_E_MACRO, "Tệp có macro: hãy lưu thành bảng tính .xlsx thường (không macro) rồi tải lên lại");
}

static void XMLCALL noop_end(void *ud, const XML_Char *name) {}

/* ---------- relationships ---------- */

static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **a)
{
    struct rd *r = ud;
    if (strcmp(local_name(name), "Relationship"))
        return;
    const char *id = attr(a, "Id"), *type = attr(a, "Type"), *target = attr(a, "Target");
    const char *mode = attr(a, "TargetMode");
    if (!id || !type || !target)
        return;
    if (r->n_rels >= MAX_RELS) {
        fail(r, XLSX_E_TOO_MANY, "Tệp Excel có quá nhiều liên kết nội bộ");
        return;
    }
    if ((r->n_rels & (r->n_rels - 1)) == 0) { /* grow at powers of two */
        struct rel *nr = realloc(r->rels, sizeof *nr * (r->n_rels ? r->n_rels * 2 : 1));
        if (!nr) {
            nomem(r);
            return;
        }
        r->rels = nr;
    }
    struct rel *e = &r->rels[r->n_rels];
    e->id = dupstr(id);
    e->type = dupstr(type);
    e->target = dupstr(target);
    e->external = mode && strcasecmp(mode, "External") == 0;
    r->n_rels++;
    if (!e->id || !e->type || !e->target)
        nomem(r);
}

static void free_rels(struct rd *r)
{
    for (uint32_t i = 0; i < r->n_rels; i++) {
        free(r->rels[i].id);
        free(r->rels[i].type);
        free(r->rels[i].target);
    }
    free(r->rels);
    r->rels = NULL;
    r->n_rels = 0;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* The internal rel of type ".../<kind>", resolved against base; NULL when none. */
static const struct rel *find_rel_type(struct rd *r, const char *kind)
{
    for (uint32_t i = 0; i < r->n_rels; i++)
        if (!r->rels[i].external && ends_with(r->rels[i].type, kind))
            return &r->rels[i];
    return NULL;
}

/* ---------- workbook.xml ---------- */

static void XMLCALL wb_start(void *ud, const XML_Char *name, const XML_Char **a)
{
    struct rd *r = ud;
    const char *ln = local_name(name);
    if (strcmp(ln, "sheets") == 0) {
        r->in_sheets = true;
        return;
    }
    if (!r->in_sheets || strcmp(ln, "sheet"))
        return;
    const char *nm = attr(a, "name"), *rid = NULL, *state = attr(a, "state");
    for (const XML_Char **p = a; p[0]; p += 2) /* r:id: "id" in the relationships namespace */
        if (strchr(p[0], NS_SEP) && strcmp(local_name(p[0]), "id") == 0)
            rid = p[1];
    if (!nm || !rid) {
        fail(r, XLSX_E_BAD_XML, "Tệp Excel bị hỏng: một trang không có tên hoặc liên kết");
        return;
    }
    if (r->n_sheets >= r->lim->max_sheets) {
        fail(r, XLSX_E_TOO_MANY, "Tệp Excel có quá nhiều trang (tối đa %u)", r->lim->max_sheets);
        return;
    }
    struct sheet *ns = realloc(r->sheets, sizeof *ns * (r->n_sheets + 1));
    if (!ns) {
        nomem(r);
        return;
    }
    r->sheets = ns;
    for (uint32_t i = 0; i < r->n_sheets; i++)
        if (strcasecmp(r->sheets[i].name, nm) == 0) { /* Excel's names are unique, ignoring case */
            char clean[96];
            copy_utf8(clean, sizeof clean, nm);
            fail(r, XLSX_E_BAD_XML, "Tệp Excel bị hỏng: có hai trang cùng tên \"%s\"", clean);
            return;
        }
    struct sheet *s = &r->sheets[r->n_sheets++];
    s->name = dupstr(nm);
    s->rid = dupstr(rid);
    s->part = NULL;
    s->hidden = state && (strcmp(state, "hidden") == 0 || strcmp(state, "veryHidden") == 0);
    if (!s->name || !s->rid)
        nomem(r);
}

static void XMLCALL wb_end(void *ud, const XML_Char *name)
{
    struct rd *r = ud;
    if (strcmp(local_name(name), "sheets") == 0)
        r->in_sheets = false;
}

/* ---------- styles.xml ---------- */

/* What a number format makes of a number: a date, a percentage (the user sees 95 % and the
 * cell holds 0.95), or a plain number. */
enum fmt_class { FMT_PLAIN, FMT_DATE, FMT_PERCENT };

/* A custom number format is a date/time one when, outside "quoted text", \escapes, [brackets]
 * and _ / * padding, it has d, m, y, h or s; a percentage when it has %. Only the first section
 * (positive numbers) counts. */
static enum fmt_class format_class(const char *f)
{
    bool pct = false;
    for (const char *s = f; *s; s++) {
        switch (*s) {
        case '"':
            s++;
            while (*s && *s != '"')
                s++;
            if (!*s)
                return FMT_PLAIN;
            break;
        case '\\':
        case '_':
        case '*':
            if (!s[1])
                return FMT_PLAIN;
            s++;
            break;
        case '[':
            while (*s && *s != ']')
                s++;
            if (!*s)
                return FMT_PLAIN;
            break;
        case ';':
            return pct ? FMT_PERCENT : FMT_PLAIN;
        case '%':
            pct = true;
            break;
        default:
            if (strchr("dmyhsDMYHS", *s))
                return FMT_DATE;
        }
    }
    return pct ? FMT_PERCENT : FMT_PLAIN;
}

static enum fmt_class builtin_class(uint32_t id)
{
    if ((id >= 14 && id <= 22) || (id >= 45 && id <= 47))
        return FMT_DATE;
    return id == 9 || id == 10 ? FMT_PERCENT : FMT_PLAIN; /* 0% and 0.00% */
}

static void XMLCALL st_start(void *ud, const XML_Char *name, const XML_Char **a)
{
    struct rd *r = ud;
    const char *ln = local_name(name);
    if (strcmp(ln, "numFmts") == 0) {
        r->in_numfmts = true;
    } else if (strcmp(ln, "cellXfs") == 0) {
        r->styles_depth_cellxfs = 1;
    } else if (r->in_numfmts && strcmp(ln, "numFmt") == 0) {
        const char *id = attr(a, "numFmtId"), *code = attr(a, "formatCode");
        int64_t v = id ? parse_uint(id) : -1;
        if (v < 0 || !code)
            return;
        if (r->n_nf >= MAX_NUMFMTS) {
            fail(r, XLSX_E_TOO_MANY, "Tệp Excel có quá nhiều định dạng số");
            return;
        }
        if ((r->n_nf & (r->n_nf - 1)) == 0) {
            uint32_t cap = r->n_nf ? r->n_nf * 2 : 1;
            uint32_t *ni = realloc(r->nf_id, sizeof *ni * cap);
            if (ni)
                r->nf_id = ni;
            uint8_t *nd = realloc(r->nf_class, sizeof *nd * cap);
            if (nd)
                r->nf_class = nd;
            if (!ni || !nd) {
                nomem(r);
                return;
            }
        }
        r->nf_id[r->n_nf] = (uint32_t)v;
        r->nf_class[r->n_nf] = (uint8_t)format_class(code);
        r->n_nf++;
    } else if (r->styles_depth_cellxfs && strcmp(ln, "xf") == 0) {
        const char *id = attr(a, "numFmtId");
        int64_t v = id ? parse_uint(id) : 0;
        if (r->n_xf >= MAX_XFS) {
            fail(r, XLSX_E_TOO_MANY, "Tệp Excel có quá nhiều kiểu ô");
            return;
        }
        if ((r->n_xf & (r->n_xf - 1)) == 0) {
            uint32_t *nx = realloc(r->xf_fmt, sizeof *nx * (r->n_xf ? r->n_xf * 2 : 1));
            if (!nx) {
                nomem(r);
                return;
            }
            r->xf_fmt = nx;
        }
        r->xf_fmt[r->n_xf++] = v < 0 ? 0 : (uint32_t)v;
    }
}

static void XMLCALL st_end(void *ud, const XML_Char *name)
{
    struct rd *r = ud;
    const char *ln = local_name(name);
    if (strcmp(ln, "numFmts") == 0)
        r->in_numfmts = false;
    else if (strcmp(ln, "cellXfs") == 0)
        r->styles_depth_cellxfs = 0;
}

static enum xlsx_err_code styles_finish(struct rd *r)
{
    if (!r->n_xf)
        return XLSX_OK;
    r->xf_class = calloc(r->n_xf, sizeof *r->xf_class);
    if (!r->xf_class)
        return nomem(r);
    for (uint32_t i = 0; i < r->n_xf; i++) {
        uint32_t id = r->xf_fmt[i];
        uint8_t cls = (uint8_t)builtin_class(id);
        for (uint32_t k = 0; k < r->n_nf; k++) /* a custom format may redefine a built-in id */
            if (r->nf_id[k] == id)
                cls = r->nf_class[k];
        r->xf_class[i] = cls;
    }
    return XLSX_OK;
}

/* ---------- text of <t> (shared strings and inline strings) ---------- */

/* Appends while refusing what cannot fit in max_cell_chars characters (4 bytes each at most). */
static void too_long(struct rd *r)
{
    char lim[32], msg[96];
    thousands(lim, r->lim->max_cell_chars);
    if (r->sh) {
        snprintf(msg, sizeof msg, "nội dung dài quá %s ký tự", lim);
        fail_cell(r, XLSX_E_CELL_TOO_LONG, msg);
    } else {
        char nth[32];
        fail(r, XLSX_E_CELL_TOO_LONG, "Tệp Excel có một chuỗi dài quá %s ký tự (chuỗi dùng chung thứ %s)", lim,
             thousands(nth, r->n_ss + 1));
    }
}

static void add_text(struct rd *r, const char *s, int len)
{
    if (r->text.n + (size_t)len > (size_t)r->lim->max_cell_chars * 4) {
        too_long(r);
        return;
    }
    if (buf_add(&r->text, s, (size_t)len))
        nomem(r);
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* OOXML strings escape characters XML cannot hold as "_xHHHH_" (Excel writes a carriage
 * return as "_x000D_", a literal "_x" as "_x005F_x"): decoded in place, since UTF-8 of a
 * code point below U+10000 is never longer than the 7 bytes of its escape. NUL, surrogates and
 * other invalid code points stay as written. */
static void unescape_x(struct buf *b)
{
    if (!b->p || !memchr(b->p, '_', b->n))
        return;
    size_t o = 0;
    for (size_t i = 0; i < b->n;) {
        if (i + 7 <= b->n && b->p[i] == '_' && b->p[i + 1] == 'x' && b->p[i + 6] == '_') {
            int h[4] = {hexval(b->p[i + 2]), hexval(b->p[i + 3]), hexval(b->p[i + 4]), hexval(b->p[i + 5])};
            if (h[0] >= 0 && h[1] >= 0 && h[2] >= 0 && h[3] >= 0) {
                unsigned cp = (unsigned)(h[0] << 12 | h[1] << 8 | h[2] << 4 | h[3]);
                if (cp != 0 && (cp < 0xD800 || cp > 0xDFFF)) {
                    if (cp < 0x80) {
                        b->p[o++] = (char)cp;
                    } else if (cp < 0x800) {
                        b->p[o++] = (char)(0xC0 | cp >> 6);
                        b->p[o++] = (char)(0x80 | (cp & 0x3F));
                    } else {
                        b->p[o++] = (char)(0xE0 | cp >> 12);
                        b->p[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                        b->p[o++] = (char)(0x80 | (cp & 0x3F));
                    }
                    i += 7;
                    continue;
                }
            }
        }
        b->p[o++] = b->p[i++];
    }
    b->n = o;
    b->p[o] = 0;
}

static bool text_too_long(struct rd *r)
{
    return utf8_chars(r->text.p ? r->text.p : "", r->text.n) > r->lim->max_cell_chars;
}

/* ---------- sharedStrings.xml ---------- */

static void XMLCALL ss_start(void *ud, const XML_Char *name, const XML_Char **a)
{
    struct rd *r = ud;
    const char *ln = local_name(name);
    if (strcmp(ln, "si") == 0) {
        r->in_si = true;
        r->in_rph = false;
        r->t_depth = 0;
        buf_reset(&r->text);
    } else if (r->in_si && strcmp(ln, "rPh") == 0) {
        r->in_rph = true; /* phonetic guide: not part of the text */
    } else if (r->in_si && !r->in_rph && strcmp(ln, "t") == 0) {
        r->t_depth = 1;
    }
}

static void XMLCALL ss_text_cb(void *ud, const XML_Char *s, int len)
{
    struct rd *r = ud;
    if (r->t_depth)
        add_text(r, s, len);
}

static void XMLCALL ss_end(void *ud, const XML_Char *name)
{
    struct rd *r = ud;
    const char *ln = local_name(name);
    if (strcmp(ln, "t") == 0) {
        r->t_depth = 0;
    } else if (strcmp(ln, "rPh") == 0) {
        r->in_rph = false;
    } else if (strcmp(ln, "si") == 0 && r->in_si) {
        r->in_si = false;
        unescape_x(&r->text);
        if (text_too_long(r)) {
            too_long(r);
            return;
        }
        if (r->n_ss >= r->lim->max_shared_strings) {
            fail(r, XLSX_E_TOO_MANY, "Tệp Excel có quá nhiều chuỗi (tối đa %u)", r->lim->max_shared_strings);
            return;
        }
        if (r->n_ss >= r->cap_ss) {
            uint32_t cap = r->cap_ss ? r->cap_ss * 2 : 64;
            size_t *no = realloc(r->ss_off, sizeof *no * cap);
            if (!no) {
                nomem(r);
                return;
            }
            r->ss_off = no;
            r->cap_ss = cap;
        }
        r->ss_off[r->n_ss++] = r->ss_text.n;
        /* each string is followed by a NUL counted in n, so string i ends at ss_off[i + 1] - 1 */
        if (buf_add(&r->ss_text, r->text.p ? r->text.p : "", r->text.n) || buf_add(&r->ss_text, "", 1))
            nomem(r);
    }
}

/* ---------- worksheets ---------- */

static void deliver(struct rd *r)
{
    if (!r->has_v && !r->has_is && !r->has_f)
        return; /* an empty (styled) cell: the common case in formatted sheets, kept cheap */
    struct xlsx_cell c = {0};
    c.sheet = r->sh->name;
    c.sheet_hidden = r->sh->hidden;
    c.row = r->c_row;
    c.col = r->c_col;
    make_ref(c.ref, c.col, c.row);
    memcpy(r->err->ref, c.ref, sizeof c.ref); /* where a stopping callback was */
    c.is_formula = r->has_f;
    const char *t = r->c_t;
    if (r->has_is || strcmp(t, "str") == 0)
        unescape_x(&r->text);
    const char *v = r->text.p ? r->text.p : "";
    size_t vlen = r->text.n;
    if (text_too_long(r)) { /* <v> or <is>, whatever the type */
        too_long(r);
        return;
    }

    if (strcmp(t, "inlineStr") == 0) {
        if (!r->has_is && !r->has_v && !r->has_f)
            return;
        c.type = XLSX_TEXT;
        c.text = v;
        c.text_len = vlen;
    } else if (!r->has_v || (vlen == 0 && strcmp(t, "str") && strcmp(t, "s"))) {
        if (!r->has_f)
            return; /* an empty (styled) cell */
        c.type = XLSX_TEXT; /* a formula without a cached value */
        c.text = "";
        c.text_len = 0;
    } else if (t[0] == 0 || strcmp(t, "n") == 0) {
        c.type = XLSX_NUMBER;
        if (!parse_number(v, &c.number)) {
            fail_cell(r, XLSX_E_BAD_XML, "giá trị số không hợp lệ trong tệp");
            return;
        }
        uint8_t cls = r->c_style < r->n_xf && r->xf_class ? r->xf_class[r->c_style] : FMT_PLAIN;
        c.is_date = cls == FMT_DATE;
        c.is_percent = cls == FMT_PERCENT;
    } else if (strcmp(t, "s") == 0) {
        int64_t i = parse_uint(v);
        if (i < 0 || (uint64_t)i >= r->n_ss) {
            fail_cell(r, XLSX_E_BAD_XML, "chỉ số chuỗi dùng chung không hợp lệ");
            return;
        }
        size_t off = r->ss_off[i];
        size_t end = (uint64_t)i + 1 < r->n_ss ? r->ss_off[i + 1] - 1 : r->ss_text.n - 1;
        c.type = XLSX_TEXT;
        c.text = r->ss_text.p + off;
        c.text_len = end - off;
    } else if (strcmp(t, "str") == 0) {
        c.type = XLSX_TEXT;
        c.text = v;
        c.text_len = vlen;
    } else if (strcmp(t, "b") == 0) {
        c.type = XLSX_BOOL;
        if (strcmp(v, "1") == 0 || strcmp(v, "true") == 0)
            c.number = 1;
        else if (strcmp(v, "0") == 0 || strcmp(v, "false") == 0)
            c.number = 0;
        else {
            fail_cell(r, XLSX_E_BAD_XML, "giá trị đúng/sai không hợp lệ trong tệp");
            return;
        }
    } else if (strcmp(t, "e") == 0) {
        c.type = XLSX_ERROR;
        c.text = v;
        c.text_len = vlen;
    } else if (strcmp(t, "d") == 0) {
        c.type = XLSX_NUMBER;
        c.is_date = true;
        if (!parse_iso_date(v, &c.number)) {
            fail_cell(r, XLSX_E_BAD_XML, "ngày tháng không hợp lệ trong tệp");
            return;
        }
    } else {
        fail_cell(r, XLSX_E_BAD_XML, "kiểu ô không hợp lệ trong tệp");
        return;
    }
    if (c.row > r->lim->max_rows) {
        fail_cell(r, XLSX_E_TOO_MANY, "bảng tính có quá nhiều dòng");
        return;
    }
    if (c.col > r->lim->max_cols) {
        fail_cell(r, XLSX_E_TOO_MANY, "bảng tính có quá nhiều cột");
        return;
    }
    if (++r->cells > r->lim->max_cells) {
        fail(r, XLSX_E_TOO_MANY, "Tệp Excel có quá nhiều ô có dữ liệu (tối đa %llu)",
             (unsigned long long)r->lim->max_cells);
        return;
    }
    if (r->fn && r->fn(&c, r->ud) != 0) {
        if (r->code == XLSX_OK) {
            r->code = XLSX_E_STOPPED;
            XML_StopParser(r->xp, XML_FALSE);
        }
    }
}

static void XMLCALL ws_start(void *ud, const XML_Char *name, const XML_Char **a)
{
    struct rd *r = ud;
    const char *ln = local_name(name);
    if (!r->in_sheetdata) {
        if (strcmp(ln, "sheetData") == 0) {
            r->in_sheetdata = true;
            r->row = 0;
        }
        return;
    }
    if (r->in_c) {
        if (strcmp(ln, "v") == 0 && !r->in_is) {
            r->in_v = true;
            r->has_v = true;
            buf_reset(&r->text);
        } else if (strcmp(ln, "f") == 0 && !r->in_is) {
            r->has_f = true;
        } else if (strcmp(ln, "is") == 0) {
            r->in_is = true;
            r->has_is = true;
            r->in_rph = false;
            buf_reset(&r->text);
        } else if (r->in_is && strcmp(ln, "rPh") == 0) {
            r->in_rph = true;
        } else if (r->in_is && !r->in_rph && strcmp(ln, "t") == 0) {
            r->t_depth = 1;
        }
        return;
    }
    if (strcmp(ln, "row") == 0) {
        const char *rr = attr(a, "r");
        if (rr) {
            int64_t v = parse_uint(rr);
            if (v < 1 || v > 1048576) {
                snprintf(r->err->ref, sizeof r->err->ref, "%s", "");
                fail(r, XLSX_E_BAD_XML, "Trang %s: số dòng không hợp lệ trong tệp", r->err->sheet);
                return;
            }
            r->row = (uint32_t)v;
        } else {
            r->row++; /* Excel: a row without r follows the previous one */
        }
        r->col = 0;
    } else if (strcmp(ln, "c") == 0) {
        const char *ref = attr(a, "r"), *t = attr(a, "t"), *s = attr(a, "s");
        uint32_t col, row;
        if (ref) {
            if (!parse_ref(ref, &col, &row)) {
                r->err->ref[0] = 0;
                char clean[24];
                clean_name(clean, sizeof clean, ref);
                fail(r, XLSX_E_BAD_XML, "Trang %s: địa chỉ ô \"%s\" không hợp lệ trong tệp", r->err->sheet, clean);
                return;
            }
        } else {
            /* Excel: a cell without r is the one after the previous cell of its row */
            if (r->row == 0)
                r->row = 1;
            if (r->col >= 16384) {
                fail(r, XLSX_E_BAD_XML, "Trang %s: dòng %u có quá 16.384 cột", r->err->sheet, r->row);
                return;
            }
            row = r->row;
            col = r->col + 1;
        }
        r->col = col;
        r->c_row = row;
        r->c_col = col;
        /* Excel writes (and requires) cells in row-major order, each once: a repeated or
         * out-of-order cell could show one value and import another, so it is refused. */
        uint64_t pos = (uint64_t)row << 16 | col;
        if (pos <= r->last_pos) {
            fail_cell(r, XLSX_E_BAD_XML, "ô lặp lại hoặc sai thứ tự trong tệp");
            return;
        }
        r->last_pos = pos;
        /* empty cells too: with positions strictly increasing, a sheet then holds at most
         * max_rows x max_cols <c> elements, however many bytes of them a file inflates to */
        if (row > r->lim->max_rows) {
            fail_cell(r, XLSX_E_TOO_MANY, "bảng tính có quá nhiều dòng");
            return;
        }
        if (col > r->lim->max_cols) {
            fail_cell(r, XLSX_E_TOO_MANY, "bảng tính có quá nhiều cột");
            return;
        }
        int64_t st = s ? parse_uint(s) : 0;
        r->c_style = st < 0 ? UINT32_MAX : (uint32_t)st;
        if (t && strlen(t) >= sizeof r->c_t) {
            fail_cell(r, XLSX_E_BAD_XML, "kiểu ô không hợp lệ trong tệp");
            return;
        }
        size_t tl = t ? strlen(t) : 0; /* fits: checked above */
        memcpy(r->c_t, t ? t : "", tl + 1);
        r->in_c = true;
        r->in_v = r->in_is = r->has_v = r->has_is = r->has_f = r->in_rph = false;
        r->t_depth = 0;
        buf_reset(&r->text);
    }
}

static void XMLCALL ws_text(void *ud, const XML_Char *s, int len)
{
    struct rd *r = ud;
    if (r->in_v || (r->in_is && r->t_depth))
        add_text(r, s, len);
}

static void XMLCALL ws_end(void *ud, const XML_Char *name)
{
    struct rd *r = ud;
    if (!r->in_sheetdata)
        return;
    const char *ln = local_name(name);
    if (r->in_c) {
        if (strcmp(ln, "v") == 0)
            r->in_v = false;
        else if (strcmp(ln, "t") == 0)
            r->t_depth = 0;
        else if (strcmp(ln, "rPh") == 0)
            r->in_rph = false;
        else if (strcmp(ln, "is") == 0)
            r->in_is = false;
        else if (strcmp(ln, "c") == 0) {
            r->in_c = false;
            deliver(r);
            if (r->code == XLSX_OK)
                r->err->ref[0] = 0; /* a later error is not about this cell */
        }
        return;
    }
    if (strcmp(ln, "sheetData") == 0)
        r->in_sheetdata = false;
}

/* ---------- the archive ---------- */

static enum xlsx_err_code check_members(struct rd *r)
{
    zip_int64_t n = zip_get_num_entries(r->za, 0);
    if (n < 0)
        return fail(r, XLSX_E_TRUNCATED, "Tệp Excel bị hỏng: không đọc được danh mục tệp");
    if ((uint64_t)n > r->lim->max_members)
        return fail(r, XLSX_E_TOO_MANY, "Tệp Excel có quá nhiều phần (tối đa %u)", r->lim->max_members);
    const char **names = malloc(sizeof *names * (size_t)(n ? n : 1));
    if (!names)
        return nomem(r);
    for (zip_int64_t i = 0; i < n && r->code == XLSX_OK; i++) {
        const char *nm = zip_get_name(r->za, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
        char clean[96];
        if (!nm) {
            fail(r, XLSX_E_TRUNCATED, "Tệp Excel bị hỏng: không đọc được tên một phần");
            break;
        }
        clean_name(clean, sizeof clean, nm);
        names[i] = nm;
        if (bad_path(nm)) {
            fail(r, XLSX_E_BAD_PATH, "Tệp Excel không hợp lệ: tên phần \"%s\" không an toàn", clean);
            break;
        }
        if (strcasestr(nm, "vbaProject") || strncasecmp(nm, "xl/macrosheets/", 15) == 0) {
            fail(r, XLSX_E_MACRO, "Tệp có macro: hãy lưu thành bảng tính .xlsx thường (không macro) rồi tải lên lại");
            break;
        }
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(r->za, (zip_uint64_t)i, ZIP_FL_ENC_RAW, &st) != 0) {
            fail(r, XLSX_E_TRUNCATED, "Tệp Excel bị hỏng: không đọc được phần \"%s\"", clean);
            break;
        }
        if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
            fail(r, XLSX_E_ENCRYPTED, "Tệp có mật khẩu: hãy bỏ mật khẩu rồi tải lên lại");
            break;
        }
    }
    if (r->code == XLSX_OK && n > 1) {
        qsort(names, (size_t)n, sizeof *names, cmp_icase);
        for (zip_int64_t i = 1; i < n; i++)
            if (strcasecmp(names[i - 1], names[i]) == 0) {
                char clean[96];
                clean_name(clean, sizeof clean, names[i]);
                fail(r, XLSX_E_DUP_MEMBER, "Tệp Excel không hợp lệ: có hai phần cùng tên \"%s\"", clean);
                break;
            }
    }
    free(names);
    return r->code;
}

static enum xlsx_err_code read_workbook(struct rd *r)
{
    static const struct part_handlers ct = {ct_start, noop_end, NULL, false};
    static const struct part_handlers rels = {rels_start, noop_end, NULL, false};
    static const struct part_handlers wb = {wb_start, wb_end, NULL, false};
    static const struct part_handlers st = {st_start, st_end, NULL, false};
    static const struct part_handlers ss = {ss_start, ss_end, ss_text_cb, true};
    static const struct part_handlers ws = {ws_start, ws_end, ws_text, true};

    if (check_members(r) || parse_part(r, "[Content_Types].xml", true, &ct))
        return r->code;

    /* the workbook part: from the package rels, else where every producer puts it */
    if (parse_part(r, "_rels/.rels", false, &rels))
        return r->code;
    const struct rel *doc = find_rel_type(r, "/officeDocument");
    r->wb_part = doc ? resolve_target("", doc->target) : dupstr("xl/workbook.xml");
    free_rels(r);
    if (!r->wb_part)
        return fail(r, XLSX_E_MISSING_PART, "Tệp Excel thiếu phần workbook");
    if (parse_part(r, r->wb_part, true, &wb))
        return r->code;

    /* xl/_rels/workbook.xml.rels */
    const char *slash = strrchr(r->wb_part, '/');
    size_t dir = slash ? (size_t)(slash - r->wb_part) + 1 : 0;
    size_t cap = strlen(r->wb_part) + 16;
    char *wb_rels = malloc(cap);
    if (!wb_rels)
        return nomem(r);
    snprintf(wb_rels, cap, "%.*s_rels/%s.rels", (int)dir, r->wb_part, r->wb_part + dir);
    parse_part(r, wb_rels, r->n_sheets > 0, &rels);
    free(wb_rels);
    if (r->code)
        return r->code;

    for (uint32_t i = 0; i < r->n_sheets; i++) {
        struct sheet *s = &r->sheets[i];
        for (uint32_t k = 0; k < r->n_rels; k++) {
            struct rel *e = &r->rels[k];
            if (s->part || strcmp(e->id, s->rid) || e->external || !ends_with(e->type, "/worksheet"))
                continue; /* the first rel of a repeated Id wins */
            s->part = resolve_target(r->wb_part, e->target);
            if (!s->part) {
                char clean[96];
                clean_name(clean, sizeof clean, e->target);
                return fail(r, XLSX_E_BAD_PATH, "Tệp Excel không hợp lệ: đường dẫn \"%s\" ra ngoài tệp", clean);
            }
        }
    }
    const struct rel *sty = find_rel_type(r, "/styles");
    const struct rel *sst = find_rel_type(r, "/sharedStrings");
    char *sty_part = sty ? resolve_target(r->wb_part, sty->target) : NULL;
    char *sst_part = sst ? resolve_target(r->wb_part, sst->target) : NULL;
    bool outside = (sty && !sty_part) || (sst && !sst_part);
    free_rels(r);
    if (outside)
        fail(r, XLSX_E_BAD_PATH, "Tệp Excel không hợp lệ: đường dẫn tới kiểu ô hoặc chuỗi dùng chung ra ngoài tệp");
    if (sty_part && !r->code)
        parse_part(r, sty_part, false, &st);
    if (!r->code)
        styles_finish(r);
    if (!r->code && sst_part)
        parse_part(r, sst_part, false, &ss);
    free(sty_part);
    free(sst_part);
    if (r->code)
        return r->code;

    for (uint32_t i = 0; i < r->n_sheets; i++) {
        struct sheet *s = &r->sheets[i];
        if (!s->part)
            continue; /* a chart sheet or dialog sheet: no cells */
        r->sh = s;
        copy_utf8(r->err->sheet, sizeof r->err->sheet, s->name);
        r->err->ref[0] = 0;
        r->in_sheetdata = r->in_c = false;
        r->row = r->col = 0;
        r->last_pos = 0;
        if (parse_part(r, s->part, true, &ws))
            return r->code;
    }
    r->sh = NULL;
    r->err->sheet[0] = 0;
    r->err->ref[0] = 0;
    return r->code;
}

const char *xlsx_err_name(enum xlsx_err_code code)
{
    static const char *const names[] = {
        [XLSX_OK] = "ok",
        [XLSX_E_NOT_ZIP] = "not_zip",
        [XLSX_E_TRUNCATED] = "truncated",
        [XLSX_E_ENCRYPTED] = "encrypted",
        [XLSX_E_MACRO] = "macro",
        [XLSX_E_DUP_MEMBER] = "dup_member",
        [XLSX_E_BAD_PATH] = "bad_path",
        [XLSX_E_DOCTYPE] = "doctype",
        [XLSX_E_TOO_BIG] = "too_big",
        [XLSX_E_TOO_MANY] = "too_many",
        [XLSX_E_CELL_TOO_LONG] = "cell_too_long",
        [XLSX_E_BAD_XML] = "bad_xml",
        [XLSX_E_MISSING_PART] = "missing_part",
        [XLSX_E_NOMEM] = "nomem",
        [XLSX_E_STOPPED] = "stopped",
    };
    return (unsigned)code < sizeof names / sizeof *names && names[code] ? names[code] : "unknown";
}

void xlsx_limits_default(struct xlsx_limits *lim)
{
    lim->max_file_bytes = 20u << 20;
    lim->max_inflated_total = 100u << 20;
    lim->max_part_inflated = 50u << 20;
    lim->max_members = 10000;
    lim->max_sheets = 64;
    lim->max_rows = 100000;
    lim->max_cols = 16384;
    lim->max_cells = 2000000;
    lim->max_shared_strings = 1000000;
    lim->max_cell_chars = 32767;
}

enum xlsx_err_code xlsx_read(const void *data, size_t len, const struct xlsx_limits *lim,
                             xlsx_cell_fn fn, void *ud, struct xlsx_error *err)
{
    struct xlsx_limits def;
    if (!lim) {
        xlsx_limits_default(&def);
        lim = &def;
    }
    memset(err, 0, sizeof *err);
    struct rd r = {.lim = lim, .err = err, .fn = fn, .ud = ud};
    const unsigned char *p = data;

    if (len > lim->max_file_bytes)
    {
        char sz[32];
        return fail(&r, XLSX_E_TOO_BIG, "Tệp quá lớn (tối đa %s)", size_text(sz, lim->max_file_bytes));
    }
    /* another kind of file (.xls, .ods, CSV, PDF…): named, with the way back to .xlsx */
    enum file_kind kind = file_kind_sniff(p, len);
    if (kind == FK_ENCRYPTED || kind == FK_XLS || kind == FK_XLS_PASSWORD || kind == FK_CFB_OTHER)
        return fail(&r, XLSX_E_ENCRYPTED, "%s", file_kind_message(kind));
    if (kind != FK_UNKNOWN || len < 22) /* < 22: shorter than an empty zip's end record */
        return fail(&r, XLSX_E_NOT_ZIP, "%s", file_kind_message(kind));
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(len ? data : "", len, 0, &ze);
    if (!src) {
        zip_error_fini(&ze);
        return nomem(&r);
    }
    r.za = zip_open_from_source(src, ZIP_RDONLY, &ze);
    if (!r.za) {
        int code = zip_error_code_zip(&ze);
        zip_source_free(src);
        zip_error_fini(&ze);
        bool zip_start = len >= 4 && p[0] == 'P' && p[1] == 'K' && p[2] == 3 && p[3] == 4;
        if (code == ZIP_ER_MEMORY)
            return nomem(&r);
        if (code == ZIP_ER_NOZIP && !zip_start)
            return fail(&r, XLSX_E_NOT_ZIP, "%s", file_kind_message(FK_UNKNOWN));
        return fail(&r, XLSX_E_TRUNCATED, "Tệp Excel bị hỏng hoặc tải lên chưa hết: hãy tải lên lại");
    }
    zip_error_fini(&ze);

    read_workbook(&r);

    zip_discard(r.za);
    free_rels(&r);
    for (uint32_t i = 0; i < r.n_sheets; i++) {
        free(r.sheets[i].name);
        free(r.sheets[i].rid);
        free(r.sheets[i].part);
    }
    free(r.sheets);
    free(r.wb_part);
    free(r.xf_fmt);
    free(r.xf_class);
    free(r.nf_id);
    free(r.nf_class);
    free(r.ss_text.p);
    free(r.ss_off);
    free(r.text.p);
    err->code = r.code; /* XLSX_E_STOPPED: the rest of err as the callback left it */
    return r.code;
}
