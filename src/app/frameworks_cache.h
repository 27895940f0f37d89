/* frameworks_cache.h — stored index sets kept compiled, process-wide.
 *
 * A stored set is immutable per (id, version), so it is parsed and validated once and shared
 * by every reader (thread-safe; entries are reference-counted, so an entry evicted while a
 * request still reads it stays alive until released). The key includes the stored file's
 * sha256, so a different database with the same (id, version) never gets another's set.
 * Bounded: at most FW_CACHE_MAX_ENTRIES sets and FW_CACHE_MAX_BYTES of stored file text,
 * least recently used evicted first. DTI_FW_CACHE=0 in the environment turns it off (for the
 * benchmark's "before" figure). */
#ifndef DTI_APP_FRAMEWORKS_CACHE_H
#define DTI_APP_FRAMEWORKS_CACHE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app_err.h"
#include "core/framework.h"
#include "store/db.h"

/* the flags http_reply_json serializes with (src/http/response.c) */
#define FW_REPLY_JSON_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(15))

#define FW_CACHE_MAX_ENTRIES 16
#define FW_CACHE_MAX_BYTES ((size_t)32 << 20)

struct fw_compiled {
    const struct framework *fw;
    /* the stored file parsed, with "criteria_count", "max_points" and "totals" added: the part
     * of GET /frameworks/{id} that depends on (id, version) only. Shared: never modify it;
     * copy it (members checked, see frameworks_store.c) to add per-request fields. */
    const json_t *doc;
    /* doc serialized as a reply serializes it, without its closing '}', so a reader appends
     * its per-request fields without serializing the whole set again */
    const char *text_open;
    size_t text_open_len;
};

struct fw_cache_entry;

/* The compiled set (id, version) whose stored file has sha256 `sha`: from the cache, or read
 * from the database, validated and cached. NULL with err (500) on failure. Release it with
 * frameworks_cache_release when done. */
struct fw_cache_entry *frameworks_cache_get(db_conn *c, const char *id, int64_t version,
                                            const char *sha, struct fw_compiled *out,
                                            struct app_err *err);
void frameworks_cache_release(struct fw_cache_entry *e);

/* For tests and the benchmark: entries held, and the number of compilations so far. */
size_t frameworks_cache_size(void);
uint64_t frameworks_cache_compiles(void);
/* Drops every entry not in use (tests). */
void frameworks_cache_clear(void);

#endif
