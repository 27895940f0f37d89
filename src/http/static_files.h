/* static_files.h — the web UI, read into memory at start and served from prebuilt responses. */
#ifndef DTI_HTTP_STATIC_FILES_H
#define DTI_HTTP_STATIC_FILES_H

#include <microhttpd.h>
#include <stddef.h>

struct static_files;

/* Loads every regular file under dir (symlinks and dot files skipped, so nothing outside dir
 * can be served). A missing or empty dir gives a built-in Vietnamese "UI not built" page.
 * Returns NULL only on a real error (unreadable file, out of memory), with err. */
struct static_files *static_files_load(const char *dir, char *err, size_t errlen);
void static_files_free(struct static_files *s);
size_t static_files_count(const struct static_files *s);

/* The response for a validated, decoded path: the file itself, or index.html for any other path
 * outside /assets/ (client-side routes). NULL: not found (only under /assets/).
 * if_none_match may be NULL; a matching ETag gives a 304. *status gets 200 or 304. */
struct MHD_Response *static_files_lookup(const struct static_files *s, const char *path,
                                         const char *if_none_match, int *status, size_t *bytes);

/* Content type from a file name's extension. */
const char *static_content_type(const char *name);

#endif
