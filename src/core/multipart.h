/* multipart.h — an incremental multipart/form-data reader for evidence uploads (pure: no I/O,
 * no allocation; everything lives in struct multipart).
 *
 * Fed chunk by chunk exactly as the body arrives (any split, down to one byte), it accepts one
 * shape only: a part named `file` with a file name (required, once) and optionally a part named
 * `replaces` (a short text, once). The file's bytes are handed to a callback as they are read;
 * nothing else is kept. Refused, each with its own code (multipart_error_*): a body that ends
 * before the closing boundary, a second `file` part, any other part, a part without
 * Content-Disposition form-data, a header other than Content-Disposition / Content-Type, a header
 * line or header block over the bounds, a bare LF, a preamble, a file over `max_file` bytes, a
 * file name that is not valid UTF-8, is empty, contains a NUL, '/', '\' or is "." / "..".
 * The file name is taken from filename*=UTF-8''… (RFC 5987/6266) when present, else filename=.
 * Control, bidi and format characters and NFC are the application's rule (text_clean_line). */
#ifndef DTI_CORE_MULTIPART_H
#define DTI_CORE_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MP_BOUNDARY_MAX 70       /* RFC 2046 */
#define MP_LINE_MAX 2048         /* one header line */
#define MP_HEADERS_MAX 8192      /* a part's header block */
#define MP_FILENAME_MAX 1024     /* bytes of the decoded file name */
#define MP_FIELD_MAX 32          /* the `replaces` value */
#define MP_OUT_BUF 65536         /* file bytes are handed over in pieces of this size (fewer writes) */

enum mp_error {
    MP_OK = 0,
    MP_ERR_CONTENT_TYPE, /* not multipart/form-data, or no/invalid boundary */
    MP_ERR_TRUNCATED,    /* no closing boundary */
    MP_ERR_SYNTAX,       /* preamble, bad delimiter line, bare LF */
    MP_ERR_HEADER,       /* header line malformed, unknown or too long */
    MP_ERR_DISPOSITION,  /* Content-Disposition missing or not form-data with a name */
    MP_ERR_UNKNOWN_PART, /* a part other than file / replaces */
    MP_ERR_DUPLICATE,    /* a second file (or replaces) part */
    MP_ERR_NO_FILE,      /* no file part */
    MP_ERR_FILENAME,     /* missing, empty, not UTF-8, NUL, too long */
    MP_ERR_FILENAME_PATH,/* '/', '\', ".", ".." */
    MP_ERR_FIELD,        /* `replaces` too long */
    MP_ERR_TOO_LARGE,    /* the file is over max_file bytes */
    MP_ERR_CALLBACK,     /* the file callback refused (storage failed) */
    MP_ERR_COUNT
};

/* Receives the file's bytes; false stops the reader (MP_ERR_CALLBACK). */
typedef bool (*mp_data_fn)(void *ctx, const char *data, size_t n);

struct multipart {
    /* result */
    char filename[MP_FILENAME_MAX + 1];
    char replaces[MP_FIELD_MAX + 1];
    bool has_file, has_replaces;
    uint64_t file_size;
    enum mp_error error;
    /* private */
    mp_data_fn on_data;
    void *ctx;
    uint64_t max_file;
    char delim[MP_BOUNDARY_MAX + 4]; /* "\r\n--" boundary */
    size_t dlen, k;                  /* k: bytes of delim matched so far */
    int state, part;                 /* part: 0 none, 1 file, 2 replaces */
    size_t replaces_len, skipped, pad;
    char line[MP_LINE_MAX + 1];
    size_t line_len, header_bytes;
    bool line_cr, seen_disposition;
    char out[MP_OUT_BUF];
    size_t out_len;
};

/* Boundary of a Content-Type value "multipart/form-data; boundary=…" (quoted or not) into out
 * (cap > MP_BOUNDARY_MAX); false when absent, not multipart/form-data, or not RFC 2046. */
bool multipart_boundary(const char *content_type, char *out, size_t cap);
/* Starts a reader. */
void multipart_init(struct multipart *m, const char *boundary, uint64_t max_file, mp_data_fn fn,
                    void *ctx);
/* Feeds the next bytes; MP_OK or the (sticky) error. */
enum mp_error multipart_feed(struct multipart *m, const char *data, size_t n);
/* The body has ended: MP_OK when it was complete and had a file part. */
enum mp_error multipart_finish(struct multipart *m);
/* Vietnamese message, HTTP status and error code for an error. */
const char *multipart_error_vi(enum mp_error e);
int multipart_error_status(enum mp_error e);
const char *multipart_error_code(enum mp_error e);

#endif
