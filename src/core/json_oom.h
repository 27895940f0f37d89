/* json_oom.h — telling "out of memory" from "bad JSON" when jansson fails.
 *
 * jansson reports an allocation failure inside its parser as a syntax error ("invalid token
 * near …") or with no message at all, so a request body would be answered 400 and a stored
 * value read as garbage. json_oom_install() routes jansson's allocations through a wrapper that
 * notes a failure in a per-thread flag; a caller clears the flag, parses, and asks. */
#ifndef DTI_CORE_JSON_OOM_H
#define DTI_CORE_JSON_OOM_H

#include <jansson.h>
#include <stdbool.h>

/* Once, at start-up, before any other thread uses jansson (json_set_alloc_funcs is global). */
void json_oom_install(void);
/* Clears this thread's flag. */
void json_oom_clear(void);
/* Whether one of jansson's allocations failed on this thread since json_oom_clear(). Always
 * false when json_oom_install() was not called. */
bool json_oom_seen(void);

/* json_loadb, but NULL with *oom set when an allocation failed during the parse, even if
 * jansson returned a document: its lexer drops a byte it cannot store ("Sở Tài chính" comes
 * back as "Sở Tài chíh"), so such a document cannot be trusted. After a failure every further
 * allocation of the parse is refused, which keeps jansson 2.14 from overrunning a buffer.
 * Every parse in src/ goes through here. e may be NULL. */
json_t *json_oom_loadb(const char *buf, size_t len, size_t flags, json_error_t *e, bool *oom);

/* json_dumps, but NULL when an allocation failed while dumping: jansson 2.14 ignores a failed
 * write of an object key and goes on, so the text can come back with a key missing
 * ({"code":"STC",":"2026-…"}). Use it for every text that is stored, hashed or sent. */
char *json_oom_dumps(const json_t *v, size_t flags);

#endif
