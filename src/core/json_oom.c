/* json_oom.c — see json_oom.h. */
#include "core/json_oom.h"

#include <jansson.h>
#include <stdlib.h>

static _Thread_local bool seen;

static void *watch_malloc(size_t n)
{
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
    seen = false;
    json_t *v = json_loadb(buf, len, flags, e);
    *oom = seen;
    if (*oom) {
        json_decref(v);
        return NULL;
    }
    return v;
}
