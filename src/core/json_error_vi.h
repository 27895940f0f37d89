/* json_error_vi.h — JSON text typed by a person (an index set file, an inputs file, a request
 * body) parsed into a document, with jansson's English parser errors told in Vietnamese.
 * Pure: no I/O, no globals. */
#ifndef DTI_CORE_JSON_ERROR_VI_H
#define DTI_CORE_JSON_ERROR_VI_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Skips a leading UTF-8 byte order mark (EF BB BF), as Windows Notepad writes one; returns the
 * text after it and shortens *len. Any other text is returned unchanged. */
const char *json_skip_bom(const char *text, size_t *len);

/* Writes to out the Vietnamese message for a jansson parse error, never English:
 * "JSON không hợp lệ (dòng 1, cột 59): trường \"id\" bị lặp lại trong cùng một đối tượng".
 * `text`/`len` are the bytes that were parsed (optional, NULL allowed): they give the name of a
 * duplicate key longer than jansson's 20-byte context. Line and column are omitted when jansson
 * has none. */
void json_error_vi(const json_error_t *je, const char *text, size_t len, char *out, size_t outlen);

/* json_loadb(text without BOM, flags | JSON_REJECT_DUPLICATES); on failure NULL and the
 * Vietnamese message (json_error_vi) in msg. */
/* Whether the parse failed for want of memory rather than because of the text. */
bool json_error_is_oom(const json_error_t *je);
json_t *json_load_vi(const char *text, size_t len, size_t flags, char *msg, size_t msglen);

#endif
