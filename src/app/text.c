/* text.c — UTF-8 length and character-class checks for names and codes, and the one
 * normalisation rule for human-readable single-line text (text.h). */
#include "app/text.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/utf8.h"

long text_utf8_chars(const char *s)
{
    return utf8_count(s, strlen(s));
}

bool text_has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return true;
    return false;
}

bool text_is_code(const char *s, int max)
{
    int n = 0;
    for (; s[n]; n++) {
        char c = s[n];
        if (n >= max || !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return false;
    }
    return n > 0;
}

/* Invisible or layout-changing: a name containing one looks like another name (spoofing) or
 * breaks the line it is shown on. */
static bool forbidden_in_line(utf8proc_int32_t cp)
{
    utf8proc_category_t cat = utf8proc_category(cp);
    return cat == UTF8PROC_CATEGORY_CC || cat == UTF8PROC_CATEGORY_CF ||
           cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP;
}

int text_clean_line(const char *in, const struct text_field *f, char *out, size_t cap,
                    struct app_err *err)
{
    if (text_utf8_chars(in) < 0)
        return app_fail(err, 400, "invalid_value", f->field,
                        "%s chứa ký tự không hợp lệ (không phải UTF-8).", f->label);
    utf8proc_uint8_t *nfc = utf8proc_NFC((const utf8proc_uint8_t *)in);
    if (!nfc)
        return app_fail_internal(err);
    /* One pass: find forbidden characters, the first and last non-space, and count. */
    size_t start = 0, end = 0, chars = 0, kept = 0;
    bool seen = false;
    int ret = 0;
    for (size_t i = 0; nfc[i];) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(nfc + i, -1, &cp);
        if (k <= 0) {
            ret = app_fail_internal(err); /* cannot happen: NFC output is valid UTF-8 */
            break;
        }
        if (forbidden_in_line(cp)) {
            ret = app_fail(err, 422, "invalid_value", f->field,
                           "%s không được chứa ký tự điều khiển, ký tự vô hình hay ký tự xuống "
                           "dòng (gặp U+%04X).",
                           f->label, (unsigned)cp);
            break;
        }
        chars++;
        if (utf8proc_category(cp) != UTF8PROC_CATEGORY_ZS) {
            if (!seen) {
                start = i;
                seen = true;
                chars = 1; /* leading spaces do not count */
            }
            end = i + (size_t)k;
            kept = chars;
        }
        i += (size_t)k;
    }
    if (ret == 0 && !seen && f->required)
        ret = app_fail(err, 422, "invalid_value", f->field, "%s không được để trống.", f->label);
    if (ret == 0 && kept > f->max_chars)
        ret = app_fail(err, 400, "too_long", f->field, "%s dài quá %zu ký tự.", f->label,
                       f->max_chars);
    if (ret == 0 && end - start >= cap)
        ret = app_fail_internal(err); /* caller's buffer is smaller than TEXT_BUF(max_chars) */
    if (ret == 0) {
        memcpy(out, nfc + start, end - start);
        out[end - start] = '\0';
    }
    free(nfc);
    return ret;
}
