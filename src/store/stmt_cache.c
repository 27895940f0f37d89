/* stmt_cache.c — per-connection map from SQL text to a prepared statement handle. The SQL
 * texts are string constants of the code base, so the map stays small and never evicts. */
#include <stdlib.h>
#include <string.h>

#include "store/db_internal.h"

static unsigned bucket_of(const char *sql)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)sql; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h % (sizeof ((struct stmt_cache *)0)->buckets / sizeof(void *));
}

void *stmt_cache_get(struct stmt_cache *sc, const char *sql)
{
    for (struct stmt_cache_entry *e = sc->buckets[bucket_of(sql)]; e; e = e->next)
        if (!strcmp(e->sql, sql))
            return e->handle;
    return NULL;
}

bool stmt_cache_put(struct stmt_cache *sc, const char *sql, void *handle)
{
    struct stmt_cache_entry *e = malloc(sizeof *e);
    if (!e || !(e->sql = strdup(sql))) {
        free(e);
        return false;
    }
    unsigned b = bucket_of(sql);
    e->handle = handle;
    e->next = sc->buckets[b];
    sc->buckets[b] = e;
    sc->count++;
    return true;
}

void stmt_cache_clear(struct stmt_cache *sc, void (*drop)(void *handle))
{
    for (size_t b = 0; b < sizeof sc->buckets / sizeof sc->buckets[0]; b++) {
        struct stmt_cache_entry *e = sc->buckets[b];
        while (e) {
            struct stmt_cache_entry *next = e->next;
            if (drop)
                drop(e->handle);
            free(e->sql);
            free(e);
            e = next;
        }
        sc->buckets[b] = NULL;
    }
    sc->count = 0;
}
