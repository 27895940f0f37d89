/* json_oom.c — see json_oom.h. */
#include "core/json_oom.h"

#include <jansson.h>
#include <stdlib.h>

static _Thread_local bool seen, parsing;

static void *watch_malloc(size_t n)
{
    /* Inside json_oom_loadb, once one allocation failed every later one fails too: jansson
     * 2.14's lexer ignores a failure to grow its token buffer, then sizes the string it copies
     * the token into from that buffer and overruns it (a heap overflow, found by
     * tests/unit/test_alloc_fail.c). Failing the copy's allocation ends the parse instead. */
    if (parsing && seen)
        return NULL;
    void *p = malloc(n);
    if (!p)
        seen = true;
    return p;
}

static void watch_free(void *p) { free(p); }

void json_oom_install(void) { json_set_alloc_funcs(watch_malloc, watch_free); }
void json_oom_clear(void) { seen = false; }
bool json_oom_seen(void) { return seen; }

json_t *json_oom_loadb(const char *buf, size_t len, size_t flags, json_error_t *e, bool *oom)
{
    bool before = seen; /* a caller's json_oom_clear() span keeps what it saw */
    seen = false;
    parsing = true;
    json_t *v = json_loadb(buf, len, flags, e);
    parsing = false;
    *oom = seen;
    seen = before || seen;
    if (*oom) {
        json_decref(v);
        return NULL;
    }
    return v;
}

char *json_oom_dumps(const json_t *v, size_t flags)
{
    bool before = seen;
    seen = false;
    char *s = json_dumps(v, flags);
    bool failed = seen;
    seen = before || seen;
    if (failed) {
        free(s);
        return NULL;
    }
    return s;
}
