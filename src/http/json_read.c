/* json_read.c — a JSON body parser with limits, and field readers with Vietnamese errors. */
#include "http/json_read.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/json_error_vi.h"
#include "core/json_oom.h"
#include "http/router.h"

void json_err_set(struct json_err *err, int status, const char *code, const char *field,
                  const char *fmt, ...)
{
    if (!err)
        return;
    err->status = status;
    snprintf(err->code, sizeof err->code, "%s", code);
    snprintf(err->field, sizeof err->field, "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
}

size_t utf8_length(const char *s, size_t bytes)
{
    size_t n = 0;
    for (size_t i = 0; i < bytes; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

/* jansson refuses depth past 2048 only; this scan bounds the recursion of everything that
 * walks a body afterwards, and runs before any allocation. */
int json_text_depth(const char *buf, size_t len)
{
    int depth = 0, max = 0;
    bool in_str = false;
    for (size_t i = 0; i < len; i++) {
        char c = buf[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = false;
        } else if (c == '"') {
            in_str = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max)
                max = depth;
        } else if (c == ']' || c == '}') {
            depth--;
        }
    }
    return max;
}

/* Appends a path step to a field path ("a.b[3]"), truncating quietly. */
static void path_push(char *path, size_t cap, const char *key, long index)
{
    size_t n = strlen(path);
    if (n + 1 >= cap)
        return; /* full: the path stays as it is */
    if (key)
        snprintf(path + n, cap - n, "%s%s", n ? "." : "", key);
    else
        snprintf(path + n, cap - n, "[%ld]", index);
}

static bool check_strings(const json_t *v, char *path, size_t cap, int depth, struct json_err *err)
{
    if (depth > JSON_MAX_DEPTH) {
        json_err_set(err, 400, "json_too_deep", NULL,
                     "Dữ liệu JSON lồng nhau quá %d cấp.", JSON_MAX_DEPTH);
        return false;
    }
    size_t mark = strlen(path);
    if (json_is_string(v)) {
        if (utf8_length(json_string_value(v), json_string_length(v)) > JSON_MAX_STRING) {
            json_err_set(err, 400, "string_too_long", path,
                         "Trường “%s” dài quá %d ký tự.", path, JSON_MAX_STRING);
            return false;
        }
    } else if (json_is_object(v)) {
        const char *key;
        json_t *child;
        json_object_foreach((json_t *)v, key, child) {
            if (utf8_length(key, strlen(key)) > JSON_MAX_STRING) {
                json_err_set(err, 400, "string_too_long", NULL,
                             "Tên trường dài quá %d ký tự.", JSON_MAX_STRING);
                return false;
            }
            path_push(path, cap, key, 0);
            if (!check_strings(child, path, cap, depth + 1, err))
                return false;
            path[mark] = '\0';
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *child;
        json_array_foreach((json_t *)v, i, child) {
            path_push(path, cap, NULL, (long)i);
            if (!check_strings(child, path, cap, depth + 1, err))
                return false;
            path[mark] = '\0';
        }
    }
    return true;
}

#define JSON_ERR_KEY_MAX 101

/* The key jansson names in its duplicate-key error ("duplicate object key near '\"k\"'"): the
 * token is the key as written in JSON, so it is decoded as a JSON string. False when the text
 * has another shape or was truncated by jansson's 160-byte buffer. */
static bool duplicate_key(const json_error_t *je, char key[JSON_ERR_KEY_MAX])
{
    const char *open = strstr(je->text, "near '");
    const char *close = strrchr(je->text, '\'');
    if (!open || !close || close <= open + 6)
        return false;
    open += 6;
    bool oom;
    json_t *k = json_oom_loadb(open, (size_t)(close - open), JSON_DECODE_ANY, NULL, &oom);
    bool ok = json_is_string(k) && json_string_length(k) > 0 &&
              json_string_length(k) < JSON_ERR_KEY_MAX &&
              strlen(json_string_value(k)) == json_string_length(k);
    if (ok)
        snprintf(key, JSON_ERR_KEY_MAX, "%s", json_string_value(k));
    json_decref(k);
    return ok;
}

static json_t *read_body(const char *buf, size_t len, struct json_err *err)
{
    /* A UTF-8 BOM (Windows tools write one: PowerShell 5's Out-File, Notepad) is skipped, as
     * the index-set file reader does (RFC 8259 §8.1 allows it): it was refused as an invalid
     * token "near ''" quoting the invisible character. */
    buf = json_skip_bom(buf, &len);
    size_t ws = 0;
    while (ws < len && (buf[ws] == ' ' || buf[ws] == '\t' || buf[ws] == '\n' || buf[ws] == '\r'))
        ws++;
    if (ws == len) { /* blank is empty, not "ends too early" */
        json_err_set(err, 400, "invalid_json", NULL, "Nội dung yêu cầu trống, cần một đối tượng JSON.");
        return NULL;
    }
    if (memchr(buf, '\0', len) || !utf8_valid(buf, len)) {
        json_err_set(err, 400, "invalid_json", NULL,
                     "Nội dung yêu cầu không phải văn bản UTF-8 hợp lệ.");
        return NULL;
    }
    if (json_text_depth(buf, len) > JSON_MAX_DEPTH) {
        json_err_set(err, 400, "json_too_deep", NULL,
                     "Dữ liệu JSON lồng nhau quá %d cấp.", JSON_MAX_DEPTH);
        return NULL;
    }
    json_error_t je;
    /* No JSON_ALLOW_NUL: "\u0000" in a string is refused as well. */
    bool oom;
    json_t *root = json_oom_loadb(buf, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je, &oom);
    if (oom)
        return NULL; /* json_read_body sees the flag and answers 500 */
    if (!root) {
        char key[JSON_ERR_KEY_MAX];
        if (json_error_code(&je) == json_error_duplicate_key && duplicate_key(&je, key))
            json_err_set(err, 400, "invalid_json", key,
                         "Trường “%s” xuất hiện hai lần trong nội dung JSON (dòng %d, cột %d).",
                         key, je.line, je.column);
        else {
            /* what is wrong and where, in Vietnamese ("cần tên trường ... (có dấu phẩy thừa?)") */
            char msg[sizeof err->message];
            json_error_vi(&je, buf, len, msg, sizeof msg);
            json_err_set(err, 400, "invalid_json", NULL, "%s.", msg);
        }
        return NULL;
    }
    if (!json_is_object(root)) {
        json_decref(root);
        json_err_set(err, 400, "body_not_object", NULL,
                     "Nội dung yêu cầu phải là một đối tượng JSON ({...}).");
        return NULL;
    }
    char path[160] = "";
    if (!check_strings(root, path, sizeof path, 1, err)) {
        json_decref(root);
        return NULL;
    }
    return root;
}

json_t *json_read_body(const char *buf, size_t len, struct json_err *err)
{
    json_oom_clear();
    json_t *root = read_body(buf, len, err);
    /* An allocation failed somewhere in jansson: the server's fault, not the body's. jansson
     * words it as a syntax error, or drops a byte and returns a document, so neither the error
     * nor the document can be trusted. */
    if (json_oom_seen()) {
        json_decref(root);
        json_err_set(err, 500, "internal_error", NULL,
                     "Máy chủ tạm thời không đủ bộ nhớ để đọc yêu cầu; hãy thử lại.");
        return NULL;
    }
    return root;
}

static const json_t *field_get(const json_t *obj, const char *name, bool required,
                               struct json_err *err, bool *absent)
{
    const json_t *v = json_is_object(obj) ? json_object_get(obj, name) : NULL;
    *absent = v == NULL || json_is_null(v);
    if (*absent && required)
        json_err_set(err, 400, "missing_field", name, "Thiếu trường bắt buộc “%s”.", name);
    return *absent ? NULL : v;
}

bool json_req_string(const json_t *obj, const char *name, size_t min_len, size_t max_len,
                     bool required, const char **out, struct json_err *err)
{
    bool absent;
    const json_t *v = field_get(obj, name, required, err, &absent);
    if (absent) {
        if (!required)
            *out = NULL;
        return !required;
    }
    if (!json_is_string(v)) {
        json_err_set(err, 400, "invalid_type", name, "Trường “%s” phải là một chuỗi ký tự.", name);
        return false;
    }
    size_t n = utf8_length(json_string_value(v), json_string_length(v));
    if (n < min_len || n > max_len) {
        if (min_len > 0 && n == 0)
            json_err_set(err, 400, "invalid_length", name, "Trường “%s” không được để trống.", name);
        else
            json_err_set(err, 400, "invalid_length", name,
                         "Trường “%s” phải có từ %zu đến %zu ký tự (hiện có %zu).", name, min_len,
                         max_len, n);
        return false;
    }
    *out = json_string_value(v);
    return true;
}

bool json_req_int(const json_t *obj, const char *name, int64_t min, int64_t max, bool required,
                  int64_t *out, struct json_err *err)
{
    bool absent;
    const json_t *v = field_get(obj, name, required, err, &absent);
    if (absent)
        return !required;
    if (!json_is_integer(v)) {
        json_err_set(err, 400, "invalid_type", name, "Trường “%s” phải là một số nguyên.", name);
        return false;
    }
    json_int_t x = json_integer_value(v);
    if (x < min || x > max) {
        json_err_set(err, 400, "out_of_range", name,
                     "Trường “%s” phải nằm trong khoảng từ %lld đến %lld.", name, (long long)min,
                     (long long)max);
        return false;
    }
    *out = (int64_t)x;
    return true;
}

bool json_req_bool(const json_t *obj, const char *name, bool required, bool *out,
                   struct json_err *err)
{
    bool absent;
    const json_t *v = field_get(obj, name, required, err, &absent);
    if (absent)
        return !required;
    if (!json_is_boolean(v)) {
        json_err_set(err, 400, "invalid_type", name,
                     "Trường “%s” phải là true hoặc false.", name);
        return false;
    }
    *out = json_is_true(v);
    return true;
}

bool json_reject_unknown(const json_t *obj, const char *const allowed[], struct json_err *err)
{
    if (!json_is_object(obj)) {
        json_err_set(err, 400, "body_not_object", NULL,
                     "Nội dung yêu cầu phải là một đối tượng JSON ({...}).");
        return false;
    }
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v) {
        bool ok = false;
        for (size_t i = 0; allowed[i]; i++)
            if (strcmp(allowed[i], key) == 0) {
                ok = true;
                break;
            }
        if (!ok) {
            json_err_set(err, 400, "unknown_field", key, "Trường “%.100s” không được hỗ trợ.", key);
            return false;
        }
    }
    return true;
}
