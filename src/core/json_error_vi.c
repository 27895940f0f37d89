/* json_error_vi.c — Vietnamese messages for jansson's parse errors (jansson >= 2.11 gives an
 * error code; within json_error_invalid_syntax the English message is the only finer detail, so
 * its fixed prefixes are matched too, and anything unrecognised still gets a Vietnamese text). */
#include "core/json_error_vi.h"
#include "core/json_oom.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *json_skip_bom(const char *text, size_t *len)
{
    if (text && *len >= 3 && (unsigned char)text[0] == 0xef && (unsigned char)text[1] == 0xbb &&
        (unsigned char)text[2] == 0xbf) {
        *len -= 3;
        return text + 3;
    }
    return text;
}

/* Copies at most max bytes of s (cut on a UTF-8 boundary, control characters shown as '?') so
 * that a piece of the user's file can be quoted safely in one line. */
static void quote_piece(char *dst, size_t dstlen, const char *s, size_t n, size_t max)
{
    bool cut = false;
    if (n > max) {
        n = max;
        while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
            n--;
        cut = true;
    }
    size_t o = 0;
    for (size_t i = 0; i < n && o + 4 < dstlen; i++)
        dst[o++] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
    if (cut && o + 4 < dstlen) {
        memcpy(dst + o, "…", 3);
        o += 3;
    }
    dst[o] = 0;
}

/* jansson appends " near '<up to 20 bytes of the token>'" (or " near end of file"). */
static bool near_text(const json_error_t *je, char *dst, size_t dstlen)
{
    const char *p = strstr(je->text, " near '");
    if (!p)
        return false;
    p += 7;
    size_t n = strlen(p);
    if (n == 0 || p[n - 1] != '\'')
        return false;
    quote_piece(dst, dstlen, p, n - 1, 40);
    return dst[0] != 0;
}

/* The duplicate key ends right before je->position: find its opening quote (one not escaped by
 * an odd run of backslashes) and decode the JSON string, escapes included. */
static bool dup_key_from_text(const json_error_t *je, const char *text, size_t len, char *dst,
                              size_t dstlen)
{
    if (!text || je->position < 2 || (size_t)je->position > len || text[je->position - 1] != '"')
        return false;
    size_t end = (size_t)je->position;
    for (size_t i = end - 1; i-- > 0;) {
        if (text[i] != '"')
            continue;
        size_t bs = 0;
        while (bs < i && text[i - 1 - bs] == '\\')
            bs++;
        if (bs % 2)
            continue;
        json_t *s = json_loadb(text + i, end - i, JSON_DECODE_ANY, NULL);
        bool ok = json_is_string(s);
        if (ok)
            quote_piece(dst, dstlen, json_string_value(s), json_string_length(s), 60);
        json_decref(s);
        return ok;
    }
    return false;
}

/* jansson leaves the message empty when an allocation fails outside its lexer's own checks */
bool json_error_is_oom(const json_error_t *je)
{
    return json_error_code(je) == json_error_out_of_memory || !je->text[0];
}

static bool starts(const char *s, const char *prefix) { return !strncmp(s, prefix, strlen(prefix)); }

void json_error_vi(const json_error_t *je, const char *text, size_t len, char *out, size_t outlen)
{
    char detail[240], near[64], key[80];
    bool has_near = near_text(je, near, sizeof near);
    const char *m = je->text;
    unsigned byte = 0;
    switch (json_error_is_oom(je) ? json_error_out_of_memory : json_error_code(je)) {
    case json_error_out_of_memory:
        snprintf(detail, sizeof detail, "hết bộ nhớ khi đọc dữ liệu");
        break;
    case json_error_stack_overflow:
        snprintf(detail, sizeof detail, "các đối tượng { } và mảng [ ] lồng nhau quá nhiều cấp");
        break;
    case json_error_cannot_open_file:
        snprintf(detail, sizeof detail, "không mở được tệp");
        break;
    case json_error_invalid_utf8:
        if (sscanf(m, "unable to decode byte 0x%x", &byte) == 1)
            snprintf(detail, sizeof detail,
                     "byte 0x%02x không phải mã UTF-8 hợp lệ (hãy lưu tệp với bảng mã UTF-8)", byte);
        else
            snprintf(detail, sizeof detail, "có byte không phải mã UTF-8 hợp lệ (hãy lưu tệp với bảng mã UTF-8)");
        break;
    case json_error_premature_end_of_input:
        if (je->position == 0 || (starts(m, "'[' or '{' expected") && !has_near))
            snprintf(detail, sizeof detail, "tệp rỗng, cần một đối tượng JSON {…}");
        else if (starts(m, "premature end of input"))
            snprintf(detail, sizeof detail, "tệp kết thúc giữa một chuỗi (thiếu dấu \" đóng)");
        else
            snprintf(detail, sizeof detail, "tệp kết thúc giữa chừng (thiếu dấu } hoặc ] đóng)");
        break;
    case json_error_end_of_input_expected:
        snprintf(detail, sizeof detail, "còn nội dung thừa sau khi dữ liệu JSON đã kết thúc");
        break;
    case json_error_null_character:
        snprintf(detail, sizeof detail, "chuỗi chứa ký tự \\u0000 (không được phép)");
        break;
    case json_error_null_byte_in_key:
        snprintf(detail, sizeof detail, "tên trường chứa ký tự \\u0000 (không được phép)");
        break;
    case json_error_duplicate_key:
        if (dup_key_from_text(je, text, len, key, sizeof key)) {
            snprintf(detail, sizeof detail, "trường \"%s\" bị lặp lại trong cùng một đối tượng", key);
            has_near = false;
        } else if (has_near) {
            size_t n = strlen(near);
            if (n >= 2 && near[0] == '"' && near[n - 1] == '"') {
                near[n - 1] = 0;
                snprintf(detail, sizeof detail, "trường \"%s\" bị lặp lại trong cùng một đối tượng",
                         near + 1);
                has_near = false;
            } else {
                snprintf(detail, sizeof detail, "một trường bị lặp lại trong cùng một đối tượng");
            }
        } else {
            snprintf(detail, sizeof detail, "một trường bị lặp lại trong cùng một đối tượng");
        }
        break;
    case json_error_numeric_overflow:
        snprintf(detail, sizeof detail, "số quá lớn");
        break;
    case json_error_invalid_syntax: {
        /* jansson's wording for each syntax error, by prefix, and what we say instead. */
        static const struct { const char *prefix, *vi; } syntax[] = {
            {"unexpected newline", "chuỗi chưa có dấu \" đóng trước khi xuống dòng"},
            {"invalid escape",
             "dấu \\ trong chuỗi không hợp lệ (chỉ dùng \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)"},
            {"invalid Unicode", "mã \\uXXXX không hợp lệ"},
            {"string or '}' expected",
             "cần tên trường trong dấu ngoặc kép hoặc dấu } (có dấu phẩy thừa?)"},
            {"':' expected", "thiếu dấu : sau tên trường"},
            {"'}' expected", "thiếu dấu , hoặc dấu } đóng đối tượng"},
            {"']' expected", "thiếu dấu , hoặc dấu ] đóng mảng"},
            {"'[' or '{' expected", "dữ liệu phải bắt đầu bằng { hoặc ["},
            {"invalid token",
             "giá trị không hợp lệ (chuỗi phải trong dấu ngoặc kép; true, false, null viết thường)"},
            {"unexpected token", "ký hiệu không đúng chỗ"},
        };
        if (sscanf(m, "control character 0x%x", &byte) == 1) {
            snprintf(detail, sizeof detail,
                     "ký tự điều khiển 0x%02x trong chuỗi (xuống dòng viết \\n, tab viết \\t)", byte);
            break;
        }
        snprintf(detail, sizeof detail, "sai cú pháp JSON");
        for (size_t i = 0; i < sizeof syntax / sizeof *syntax; i++)
            if (starts(m, syntax[i].prefix)) {
                snprintf(detail, sizeof detail, "%s", syntax[i].vi);
                break;
            }
        break;
    }
    default: /* unknown, invalid_argument, and the pack/unpack codes a parser never sets */
        snprintf(detail, sizeof detail, "sai cú pháp JSON");
        break;
    }
    char where[64] = "";
    if (je->line > 0)
        snprintf(where, sizeof where, " (dòng %d, cột %d)", je->line, je->column);
    if (has_near)
        snprintf(out, outlen, "JSON không hợp lệ%s: %s, gần '%s'", where, detail, near);
    else
        snprintf(out, outlen, "JSON không hợp lệ%s: %s", where, detail);
}

json_t *json_load_vi(const char *text, size_t len, size_t flags, char *msg, size_t msglen)
{
    json_error_t je;
    text = json_skip_bom(text, &len);
    bool oom;
    json_t *doc = json_oom_loadb(text, len, flags | JSON_REJECT_DUPLICATES, &je, &oom);
    if (oom) /* jansson words it as a syntax error, or drops a byte and succeeds */
        snprintf(msg, msglen, "Không đủ bộ nhớ để đọc dữ liệu JSON.");
    else if (!doc)
        json_error_vi(&je, text, len, msg, msglen);
    return doc;
}
