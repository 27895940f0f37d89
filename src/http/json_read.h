/* json_read.h — reading a JSON request body with limits, and reading its fields.
 *
 * Errors come back in a struct json_err that maps 1:1 onto the DESIGN §9 error body
 * (send it with http_reply_json_err()). Every message is Vietnamese and names the field.
 * Lengths of strings are counted in characters (Unicode code points), not bytes.
 */
#ifndef DTI_HTTP_JSON_READ_H
#define DTI_HTTP_JSON_READ_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_DEPTH 32
#define JSON_MAX_STRING 10000 /* characters, for every string and key of a body */

struct json_err {
    int status;        /* HTTP status: 400, or 500 when memory ran out while parsing */
    char code[48];     /* snake_case */
    char message[320]; /* Vietnamese sentence */
    char field[160];   /* "" when the error concerns no single input */
};

/* Parses buf[0..len) as a JSON object: valid UTF-8, no NUL, no duplicate keys, nesting depth
 * <= JSON_MAX_DEPTH, every string and key <= JSON_MAX_STRING characters. Returns a new
 * reference, or NULL with err filled (codes: invalid_json, json_too_deep, string_too_long,
 * body_not_object). */
json_t *json_read_body(const char *buf, size_t len, struct json_err *err);

/* Nesting depth of a JSON text without parsing it (brackets outside strings). */
int json_text_depth(const char *buf, size_t len);

/* Number of code points of a UTF-8 string. */
size_t utf8_length(const char *s, size_t bytes);

/* Field readers. Return true when the field is acceptable. An absent field (or JSON null) is
 * acceptable when !required: *out is then left untouched (strings: set to NULL).
 * Error codes: missing_field, invalid_type, invalid_length, out_of_range, unknown_field. */
bool json_req_string(const json_t *obj, const char *name, size_t min_len, size_t max_len,
                     bool required, const char **out, struct json_err *err);
bool json_req_int(const json_t *obj, const char *name, int64_t min, int64_t max, bool required,
                  int64_t *out, struct json_err *err);
bool json_req_bool(const json_t *obj, const char *name, bool required, bool *out,
                   struct json_err *err);
/* Refuses any key not in allowed (NULL-terminated). 400 unknown_field, field = the key. */
bool json_reject_unknown(const json_t *obj, const char *const allowed[], struct json_err *err);

/* Fills err (printf-style message). */
void json_err_set(struct json_err *err, int status, const char *code, const char *field,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
