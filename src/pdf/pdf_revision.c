/* pdf_revision.c — (internal to src/pdf) what a reader shows of a revision, reduced to one
 * SHA-256: a signed revision and the final file compare equal when the later updates only added
 * signatures (docs/signatures.md, "Revisions after a signature"). Also the qpdf helpers the
 * signature collection shares. */
#include "pdf/pdf_revision.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#define FIELD_DEPTH 16      /* /Parent nesting of form fields */
#define HASH_DEPTH 64       /* direct nesting while hashing a page */
#define HASH_BUDGET 2000000 /* objects visited while hashing one revision */

bool pdf_name_is(qpdf_data q, qpdf_oh o, const char *name)
{
    return qpdf_oh_is_name(q, o) && !strcmp(qpdf_oh_get_name(q, o), name);
}

/* The field type, inherited through /Parent (a widget's field may be its parent). */
bool pdf_is_sig_field(qpdf_data q, qpdf_oh f)
{
    for (int d = 0; d < FIELD_DEPTH && qpdf_oh_is_dictionary(q, f); d++) {
        if (qpdf_oh_has_key(q, f, "/FT"))
            return pdf_name_is(q, qpdf_oh_get_key(q, f, "/FT"), "/Sig");
        f = qpdf_oh_get_key(q, f, "/Parent");
    }
    return false;
}

/* ------------------------------------------------------------------ resource names in use */
/* The resource names a page's content streams use (tokens "/Name", #xx decoded), sorted. A
 * page's resource dictionaries (/Font, /XObject, ...) are hashed by these names only: a later
 * revision that adds a name no content uses (pdfsig adding its appearance font to a font
 * dictionary LibreOffice shares between the page and the AcroForm's /DR) changes nothing a
 * reader shows; a used name that changes, appears or disappears does. */
#define NAMES_MAX 4096
#define NAME_LEN_MAX 127
struct names {
    char *v[NAMES_MAX];
    size_t n;
    bool unusable; /* too many, or a content stream that cannot be decoded: hash everything */
};

struct hasher {
    qpdf_data q;
    EVP_MD_CTX *md;
    unsigned char *seen; /* bitmap by object id */
    size_t seencap;      /* bits */
    long budget;
    bool fail;
    struct names *names; /* the page being hashed, NULL outside pages */
};

static void h_bytes(struct hasher *h, const void *p, size_t n)
{
    EVP_DigestUpdate(h->md, p, n);
}

static void h_tag(struct hasher *h, char t, long long v)
{
    char b[32];
    int n = snprintf(b, sizeof b, "%c%lld;", t, v);
    h_bytes(h, b, (size_t)n);
}

static bool seen_mark(struct hasher *h, int id)
{
    if (id <= 0)
        return false;
    if ((size_t)id >= h->seencap) {
        size_t cap = h->seencap ? h->seencap : 1024;
        while (cap <= (size_t)id)
            cap *= 2;
        unsigned char *p = realloc(h->seen, cap / 8);
        if (!p) {
            h->fail = true;
            return true;
        }
        memset(p + h->seencap / 8, 0, (cap - h->seencap) / 8);
        h->seen = p;
        h->seencap = cap;
    }
    bool was = h->seen[id / 8] & (1u << (id % 8));
    h->seen[id / 8] |= (unsigned char)(1u << (id % 8));
    return was;
}

static void h_obj(struct hasher *h, qpdf_oh o, int depth, bool page);

/* The keys of d, copied: qpdf's key iteration is one cursor per document, and values recurse.
 * Free with free_keys. */
static char **dict_keys(struct hasher *h, qpdf_oh d, size_t *np)
{
    qpdf_data q = h->q;
    size_t n = 0, cap = 0;
    char **keys = NULL;
    qpdf_oh_begin_dict_key_iter(q, d);
    while (qpdf_oh_dict_more_keys(q)) {
        const char *k = qpdf_oh_dict_next_key(q);
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **nk = realloc(keys, cap * sizeof *nk);
            if (!nk) {
                h->fail = true;
                break;
            }
            keys = nk;
        }
        if (!(keys[n] = strdup(k))) {
            h->fail = true;
            break;
        }
        n++;
    }
    *np = n;
    return keys;
}

static void free_keys(char **keys, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(keys[i]);
    free(keys);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A resource category dictionary (or none: cat 0) by the used names: each with its value or as
 * absent. A category no content uses hashes alike whether it is there or not. */
static void h_used(struct hasher *h, qpdf_oh cat, int depth)
{
    qpdf_data q = h->q;
    for (size_t i = 0; i < h->names->n && !h->fail; i++) {
        const char *k = h->names->v[i];
        if (!cat || !qpdf_oh_has_key(q, cat, k))
            continue; /* absent: nothing, the same as in a revision without it */
        h_bytes(h, k, strlen(k) + 1);
        qpdf_oh v = qpdf_oh_get_key(q, cat, k);
        h_obj(h, v, depth + 1, false);
        qpdf_oh_release(q, v);
    }
}

static const char *const res_cats[] = {"/Font", "/XObject", "/ExtGState", "/ColorSpace",
                                       "/Pattern", "/Shading", "/Properties"};

static bool res_cat(const char *k)
{
    for (size_t c = 0; c < sizeof res_cats / sizeof res_cats[0]; c++)
        if (!strcmp(k, res_cats[c]))
            return true;
    return false;
}

/* A page's /Resources: the other keys as they are, then each named-resource category by the
 * names its content uses. */
static void h_resources(struct hasher *h, qpdf_oh r, int depth)
{
    qpdf_data q = h->q;
    if (!h->names || h->names->unusable || !qpdf_oh_is_dictionary(q, r)) {
        h_obj(h, r, depth, false);
        return;
    }
    size_t n = 0;
    char **keys = dict_keys(h, r, &n);
    h_tag(h, 'r', 0);
    for (size_t i = 0; i < n && !h->fail; i++) {
        qpdf_oh v = qpdf_oh_get_key(q, r, keys[i]);
        if (!res_cat(keys[i]) || !qpdf_oh_is_dictionary(q, v)) {
            h_bytes(h, keys[i], strlen(keys[i]) + 1);
            h_obj(h, v, depth + 1, false);
        }
        qpdf_oh_release(q, v);
    }
    for (size_t c = 0; c < sizeof res_cats / sizeof res_cats[0] && !h->fail; c++) {
        h_bytes(h, res_cats[c], strlen(res_cats[c]) + 1);
        qpdf_oh v = qpdf_oh_has_key(q, r, res_cats[c]) ? qpdf_oh_get_key(q, r, res_cats[c]) : 0;
        h_used(h, v && qpdf_oh_is_dictionary(q, v) ? v : 0, depth + 1);
        if (v)
            qpdf_oh_release(q, v);
    }
    free_keys(keys, n);
}

static bool pdf_delim(unsigned char c)
{
    return c <= ' ' || strchr("()<>[]{}/%", c) != NULL;
}

/* Adds the name tokens of decoded content d[0..len) to ns. */
static void names_scan(struct names *ns, const unsigned char *d, size_t len)
{
    for (size_t i = 0; i < len && !ns->unusable; i++) {
        if (d[i] != '/')
            continue;
        char name[NAME_LEN_MAX + 1] = "/";
        size_t k = 1, j = i + 1;
        for (; j < len && !pdf_delim(d[j]); j++) {
            unsigned char c = d[j];
            if (c == '#' && j + 2 < len && isxdigit(d[j + 1]) && isxdigit(d[j + 2])) {
                char hx[3] = {(char)d[j + 1], (char)d[j + 2], 0};
                c = (unsigned char)strtol(hx, NULL, 16);
                j += 2;
            }
            if (k < NAME_LEN_MAX)
                name[k] = (char)c;
            k++;
        }
        i = j - 1;
        if (k > NAME_LEN_MAX || k == 1) /* no resource has such a name: not a resource use */
            continue;
        name[k] = 0;
        if (ns->n == NAMES_MAX || !(ns->v[ns->n] = strdup(name))) {
            ns->unusable = true;
            return;
        }
        ns->n++;
    }
}

static void names_from_stream(qpdf_data q, struct names *ns, qpdf_oh s)
{
    unsigned char *data = NULL;
    size_t len = 0;
    QPDF_BOOL filtered = QPDF_FALSE;
    if ((qpdf_oh_get_stream_data(q, s, qpdf_dl_generalized, &filtered, &data, &len) & QPDF_ERRORS) ||
        !filtered)
        ns->unusable = true;
    else
        names_scan(ns, data, len);
    free(data);
}

/* Names used by the page's content streams and by the Form XObjects that draw with the page's
 * resources (no /Resources of their own; nested up to 4 deep). */
static void names_from_forms(qpdf_data q, struct names *ns, qpdf_oh res, int depth)
{
    qpdf_oh xo = qpdf_oh_is_dictionary(q, res) ? qpdf_oh_get_key(q, res, "/XObject") : 0;
    if (depth > 4 || !xo || !qpdf_oh_is_dictionary(q, xo))
        return;
    size_t n = 0;
    struct hasher tmp = {.q = q};
    char **keys = dict_keys(&tmp, xo, &n);
    for (size_t i = 0; i < n && !ns->unusable; i++) {
        qpdf_oh f = qpdf_oh_get_key(q, xo, keys[i]);
        if (qpdf_oh_is_stream(q, f)) {
            qpdf_oh fd = qpdf_oh_get_dict(q, f);
            if (pdf_name_is(q, qpdf_oh_get_key(q, fd, "/Subtype"), "/Form") &&
                !qpdf_oh_has_key(q, fd, "/Resources")) {
                names_from_stream(q, ns, f);
                names_from_forms(q, ns, res, depth + 1);
            }
        }
    }
    if (tmp.fail)
        ns->unusable = true;
    free_keys(keys, n);
}

static void page_names(qpdf_data q, qpdf_oh pg, struct names *ns)
{
    qpdf_oh c = qpdf_oh_get_key(q, pg, "/Contents");
    if (qpdf_oh_is_stream(q, c)) {
        names_from_stream(q, ns, c);
    } else if (qpdf_oh_is_array(q, c)) {
        int n = qpdf_oh_get_array_n_items(q, c);
        for (int i = 0; i < n && !ns->unusable; i++) {
            qpdf_oh it = qpdf_oh_get_array_item(q, c, i);
            if (qpdf_oh_is_stream(q, it))
                names_from_stream(q, ns, it);
            qpdf_oh_release(q, it);
        }
    }
    names_from_forms(q, ns, qpdf_oh_get_key(q, pg, "/Resources"), 0);
    qsort(ns->v, ns->n, sizeof ns->v[0], cmp_str);
    size_t w = 0; /* duplicates out */
    for (size_t i = 0; i < ns->n; i++) {
        if (w && !strcmp(ns->v[w - 1], ns->v[i]))
            free(ns->v[i]);
        else
            ns->v[w++] = ns->v[i];
    }
    ns->n = w;
}

static void names_free(struct names *ns)
{
    for (size_t i = 0; i < ns->n; i++)
        free(ns->v[i]);
    ns->n = 0;
}

static void h_dict(struct hasher *h, qpdf_oh d, int depth, bool page)
{
    qpdf_data q = h->q;
    size_t n = 0;
    char **keys = dict_keys(h, d, &n);
    h_tag(h, '{', (long long)n);
    for (size_t i = 0; i < n; i++) {
        /* back links (page → tree, annotation → page) would pull in everything */
        if (!strcmp(keys[i], "/P") || (page && !strcmp(keys[i], "/Parent")))
            continue;
        h_bytes(h, keys[i], strlen(keys[i]) + 1);
        qpdf_oh v = qpdf_oh_get_key(q, d, keys[i]);
        if (page && !strcmp(keys[i], "/Annots") && qpdf_oh_is_array(q, v)) {
            int na = qpdf_oh_get_array_n_items(q, v);
            for (int j = 0; j < na; j++) {
                qpdf_oh a = qpdf_oh_get_array_item(q, v, j);
                if (!pdf_is_sig_field(q, a))
                    h_obj(h, a, depth + 1, false);
                qpdf_oh_release(q, a);
            }
        } else if (page && !strcmp(keys[i], "/Resources")) {
            h_resources(h, v, depth + 1);
        } else
            h_obj(h, v, depth + 1, false);
        qpdf_oh_release(q, v);
    }
    free_keys(keys, n);
}

static void h_obj(struct hasher *h, qpdf_oh o, int depth, bool page)
{
    qpdf_data q = h->q;
    if (h->fail || depth > HASH_DEPTH || --h->budget < 0) {
        h->fail = true;
        return;
    }
    if (qpdf_oh_is_indirect(q, o)) {
        int id = qpdf_oh_get_object_id(q, o);
        h_tag(h, 'R', id);
        if (seen_mark(h, id))
            return;
    }
    enum qpdf_object_type_e t = qpdf_oh_get_type_code(q, o);
    switch (t) {
    case ot_array: {
        int n = qpdf_oh_get_array_n_items(q, o);
        h_tag(h, '[', n);
        for (int i = 0; i < n && !h->fail; i++) {
            qpdf_oh it = qpdf_oh_get_array_item(q, o, i);
            h_obj(h, it, depth + 1, false);
            qpdf_oh_release(q, it);
        }
        break;
    }
    case ot_dictionary:
        h_dict(h, o, depth, page);
        break;
    case ot_stream: {
        qpdf_oh d = qpdf_oh_get_dict(q, o);
        h_dict(h, d, depth, false);
        qpdf_oh_release(q, d);
        unsigned char *data = NULL;
        size_t len = 0;
        QPDF_BOOL filtered = QPDF_FALSE;
        if (qpdf_oh_get_stream_data(q, o, qpdf_dl_none, &filtered, &data, &len) & QPDF_ERRORS)
            h->fail = true;
        h_tag(h, 'S', (long long)len);
        if (data)
            h_bytes(h, data, len);
        free(data);
        break;
    }
    case ot_integer:
    case ot_real: {
        /* A number by its value to 1e-4, integer or real alike: a writer that re-issues a page
         * (pdfsig adding its widget to /Annots) re-prints LibreOffice's "595.303937007874" as
         * "595.3039370079", which no reader can show. qpdf unparses strings and names in one
         * canonical form already; a real keeps its text. */
        char b[64];
        int n;
        if (t == ot_integer) {
            n = snprintf(b, sizeof b, "N%lld.0000", qpdf_oh_get_int_value(q, o));
        } else {
            double v = round(qpdf_oh_get_numeric_value(q, o) * 1e4) / 1e4;
            n = snprintf(b, sizeof b, "N%.4f", v == 0 ? 0.0 : v);
        }
        h_bytes(h, b, n < 0 ? 0 : (size_t)n < sizeof b ? (size_t)n : sizeof b - 1);
        break;
    }
    default: {
        h_tag(h, 'T', t);
        const char *s = qpdf_oh_unparse_resolved(q, o);
        size_t len = qpdf_get_last_string_length(q);
        h_bytes(h, s, len);
    }
    }
}

/* 0 and the digest, or -1 when the revision cannot be read as a whole. */
int pdf_revision_digest(qpdf_data q, unsigned char out[32])
{
    struct hasher h = {.q = q, .md = EVP_MD_CTX_new(), .budget = HASH_BUDGET};
    if (!h.md || !EVP_DigestInit_ex(h.md, EVP_sha256(), NULL)) {
        EVP_MD_CTX_free(h.md);
        return -1;
    }
    (void)qpdf_push_inherited_attributes_to_page(q); /* inherited /Resources, /MediaBox count */
    int np = qpdf_get_num_pages(q);
    h_tag(&h, 'P', np);
    struct names *ns = malloc(sizeof *ns);
    if (!ns)
        h.fail = true;
    for (int p = 0; p < np && !h.fail; p++) {
        qpdf_oh pg = qpdf_get_page_n(q, (size_t)p);
        ns->n = 0;
        ns->unusable = false;
        page_names(q, pg, ns);
        h.names = ns;
        h_obj(&h, pg, 0, true);
        h.names = NULL;
        names_free(ns);
        qpdf_oh_release(q, pg);
    }
    free(ns);
    qpdf_oh root = qpdf_get_root(q);
    static const char *const cat_keys[] = {"/OpenAction", "/AA", "/Names"};
    for (size_t i = 0; i < 3 && !h.fail; i++) {
        h_bytes(&h, cat_keys[i], strlen(cat_keys[i]) + 1);
        if (qpdf_oh_has_key(q, root, cat_keys[i]))
            h_obj(&h, qpdf_oh_get_key(q, root, cat_keys[i]), 0, false);
    }
    unsigned int n = 0;
    int ok = !h.fail && !qpdf_has_error(q) && EVP_DigestFinal_ex(h.md, out, &n) == 1 && n == 32;
    EVP_MD_CTX_free(h.md);
    free(h.seen);
    return ok ? 0 : -1;
}
