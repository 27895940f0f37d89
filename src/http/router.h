/* router.h — matching a request line against the route table (pure: no I/O, no globals).
 *
 * The raw path (as sent, before any decoding) is split on '/', each segment is percent-decoded
 * on its own, and the request is refused as `bad_path` when a segment decodes to something a
 * file system or a proxy could read differently than we do: NUL or another control byte, an
 * invalid escape, invalid UTF-8, '/' or '\\' inside a segment, a "." or ".." segment, or an
 * empty segment ("//"). Only the last segment may be empty (a trailing slash).
 */
#ifndef DTI_HTTP_ROUTER_H
#define DTI_HTTP_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "http/http.h"

#define ROUTER_MAX_PARAMS 8
#define ROUTER_MAX_PATH 2048

enum router_status {
    ROUTER_MATCH = 0,
    ROUTER_NOT_FOUND,          /* no pattern has this path */
    ROUTER_METHOD_NOT_ALLOWED, /* some pattern has this path, none with this method */
    ROUTER_BAD_PATH,           /* the path itself is malformed (400 bad_path) */
};

struct router_match {
    const struct route *route;
    int nparams;
    const char *param_name[ROUTER_MAX_PARAMS]; /* points into the pattern, not NUL-terminated */
    size_t param_name_len[ROUTER_MAX_PARAMS];
    const char *param_value[ROUTER_MAX_PARAMS]; /* NUL-terminated, into `path` */
    char path[ROUTER_MAX_PATH];                  /* decoded path */
    char segbuf[ROUTER_MAX_PATH];                /* decoded segments, param values point here */
    char allow[64];                              /* methods for a 405, "GET, POST" */
};

/* Decodes one percent-encoded component into out (capacity cap, NUL-terminated).
 * plus_is_space: '+' means ' ' (query strings). Returns the decoded length, or -1 when the
 * input has an invalid escape, decodes to NUL or invalid UTF-8, or does not fit. */
long router_decode(const char *in, size_t len, char *out, size_t cap, bool plus_is_space);

/* Validates and decodes a raw path into m->path (segments joined by '/'). false = bad path. */
bool router_normalize(const char *raw_path, struct router_match *m);

/* Matches method + raw path against table (terminated by method == NULL). HEAD matches GET.
 * On ROUTER_MATCH, m->route and the params are set. On 405, m->allow lists the methods. */
enum router_status router_match(const struct route *table, const char *method,
                                const char *raw_path, struct router_match *m);

/* Value of the path parameter `name`, NULL if absent. */
const char *router_param(const struct router_match *m, const char *name);

/* true when s is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
bool utf8_valid(const char *s, size_t len);

#endif
