/* csv.h — reading a small CSV text (RFC 4180: quoted fields, "" inside quotes, CRLF or LF) into
 * rows of strings. The separator is ',' or, when the first line has ';' and no ',', ';' (what a
 * spreadsheet in a Vietnamese locale writes). A UTF-8 byte order mark is skipped. */
#ifndef DTI_CORE_CSV_H
#define DTI_CORE_CSV_H

#include <jansson.h>
#include <stddef.h>

#define CSV_MAX_ROWS 5001
#define CSV_MAX_FIELDS 80

/* [{"line": n, "fields": [field, …]}, …] (blank lines skipped; n is where the row starts), or NULL with a Vietnamese message naming the line in
 * err (an unterminated quote, too many rows or fields, bytes after a closing quote, invalid
 * UTF-8, out of memory). */
json_t *csv_parse(const char *s, size_t n, char *err, size_t errlen);

#endif
