/* router.c — path validation, percent-decoding and route matching (pure). */
#include "http/router.h"

#include <string.h>

#include "core/utf8.h"

#define MAX_SEGMENTS 64

bool utf8_valid(const char *str, size_t len)
{
    return utf8_count(str, len) >= 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

long router_decode(const char *in, size_t len, char *out, size_t cap, bool plus_is_space)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        char c = in[i];
        if (c == '%') {
            if (len - i < 3)
                return -1;
            int h = hexval(in[i + 1]), l = hexval(in[i + 2]);
            if (h < 0 || l < 0)
                return -1;
            c = (char)(h * 16 + l);
            i += 2;
        } else if (c == '+' && plus_is_space) {
            c = ' ';
        }
        if (c == '\0')
            return -1;
        if (o + 1 >= cap)
            return -1;
        out[o++] = c;
    }
    if (cap == 0)
        return -1;
    out[o] = '\0';
    if (!utf8_valid(out, o))
        return -1;
    return (long)o;
}

/* A decoded segment that another component (file system, proxy, old browser) might read as
 * something else is refused outright rather than "cleaned up". */
static bool segment_ok(const char *s, size_t n, bool last)
{
    if (n == 0)
        return last;
    if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7F || c == '/' || c == '\\')
            return false;
    }
    return true;
}

bool router_normalize(const char *raw, struct router_match *m)
{
    size_t len = strlen(raw);
    if (len == 0 || raw[0] != '/' || len >= sizeof m->path)
        return false;
    size_t o = 0;
    size_t i = 1;
    for (;;) {
        const char *end = memchr(raw + i, '/', len - i);
        size_t seglen = end ? (size_t)(end - (raw + i)) : len - i;
        m->path[o++] = '/';
        long d = router_decode(raw + i, seglen, m->path + o, sizeof m->path - o, false);
        if (d < 0 || !segment_ok(m->path + o, (size_t)d, end == NULL))
            return false;
        o += (size_t)d;
        if (!end)
            break;
        i += seglen + 1;
    }
    m->path[o] = '\0';
    return true;
}

/* Splits the decoded path (which has no '/' inside a segment) into segments. */
static int split(const char *path, const char *seg[], size_t seglen[])
{
    int n = 0;
    const char *p = path + 1;
    for (;;) {
        if (n == MAX_SEGMENTS)
            return -1;
        const char *e = strchr(p, '/');
        seg[n] = p;
        seglen[n] = e ? (size_t)(e - p) : strlen(p);
        n++;
        if (!e)
            return n;
        p = e + 1;
    }
}

/* Matches one pattern; on success records the params (values point into path segments). */
static bool match_pattern(const char *pattern, const char *seg[], const size_t seglen[], int nseg,
                          struct router_match *m)
{
    if (pattern[0] != '/')
        return false;
    const char *p = pattern + 1;
    m->nparams = 0;
    for (int k = 0; k < nseg; k++) {
        const char *e = strchr(p, '/');
        size_t plen = e ? (size_t)(e - p) : strlen(p);
        if (plen >= 2 && p[0] == '{' && p[plen - 1] == '}') {
            if (seglen[k] == 0 || m->nparams == ROUTER_MAX_PARAMS)
                return false;
            m->param_name[m->nparams] = p + 1;
            m->param_name_len[m->nparams] = plen - 2;
            m->param_value[m->nparams] = seg[k];
            m->nparams++;
        } else if (plen != seglen[k] || memcmp(p, seg[k], plen) != 0) {
            return false;
        }
        if (!e)
            return k == nseg - 1;
        p = e + 1;
    }
    return false;
}

static void allow_add(char *allow, size_t cap, const char *method)
{
    if (strstr(allow, method))
        return;
    size_t n = strlen(allow);
    size_t need = strlen(method) + (n ? 2 : 0);
    if (n + need + 1 > cap)
        return;
    if (n)
        strcat(allow, ", ");
    strcat(allow, method);
}

enum router_status router_match(const struct route *table, const char *method,
                                const char *raw_path, struct router_match *m)
{
    m->route = NULL;
    m->nparams = 0;
    m->allow[0] = '\0';
    if (!router_normalize(raw_path, m))
        return ROUTER_BAD_PATH;

    const char *seg[MAX_SEGMENTS];
    size_t seglen[MAX_SEGMENTS];
    memcpy(m->segbuf, m->path, strlen(m->path) + 1);
    int nseg = split(m->segbuf, seg, seglen);
    if (nseg < 0)
        return ROUTER_BAD_PATH;

    const char *want = strcmp(method, "HEAD") == 0 ? "GET" : method;
    bool path_seen = false;
    for (const struct route *r = table; r->method; r++) {
        if (!match_pattern(r->pattern, seg, seglen, nseg, m))
            continue;
        if (strcmp(r->method, want) == 0) {
            m->route = r;
            /* Terminate the values in segbuf; m->path stays whole for http_path(). */
            for (int k = 0; k < nseg; k++)
                if (k + 1 < nseg)
                    ((char *)seg[k])[seglen[k]] = '\0';
            return ROUTER_MATCH;
        }
        path_seen = true;
        allow_add(m->allow, sizeof m->allow, r->method);
    }
    m->nparams = 0;
    return path_seen ? ROUTER_METHOD_NOT_ALLOWED : ROUTER_NOT_FOUND;
}

const char *router_param(const struct router_match *m, const char *name)
{
    size_t n = strlen(name);
    for (int i = 0; i < m->nparams; i++)
        if (m->param_name_len[i] == n && memcmp(m->param_name[i], name, n) == 0)
            return m->param_value[i];
    return NULL;
}
