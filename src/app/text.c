/* text.c — UTF-8 length and character-class checks for names and codes, the one
 * normalisation rule for human-readable single-line text, and the stricter one for display
 * names (mixed scripts by ICU's UTS #39 spoof checker) (text.h). */
#include "app/text.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uspoof.h>
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

static bool bidi_control(utf8proc_int32_t cp)
{
    return cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

int text_check_multiline(const char *s, const char *field, const char *label, size_t max,
                         struct app_err *err)
{
    if (!s)
        return 0;
    long n = text_utf8_chars(s);
    if (n < 0)
        return app_fail(err, 400, "invalid_value", field, "%s không phải UTF-8 hợp lệ.", label);
    for (size_t i = 0; s[i];) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, -1, &cp);
        if (k <= 0)
            return app_fail_internal(err); /* cannot happen: checked valid above */
        bool control = utf8proc_category(cp) == UTF8PROC_CATEGORY_CC && cp != '\t' &&
                       cp != '\n' && cp != '\r';
        if (control || bidi_control(cp))
            return app_fail(err, 422, "invalid_value", field,
                            "%s không được chứa ký tự điều khiển hay ký tự đổi chiều văn bản "
                            "(gặp U+%04X).",
                            label, (unsigned)cp);
        i += (size_t)k;
    }
    if ((size_t)n > max)
        return app_fail(err, 400, "too_long", field, "%s dài quá %zu ký tự.", label, max);
    return 0;
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

/* ---- display names (text.h: text_clean_name) ---- */

static USpoofChecker *spoof; /* configured once, then only read (ICU: thread-safe checks) */
static pthread_once_t spoof_once = PTHREAD_ONCE_INIT;

static void spoof_init(void)
{
    UErrorCode st = U_ZERO_ERROR;
    USpoofChecker *sc = uspoof_open(&st);
    uspoof_setChecks(sc, USPOOF_RESTRICTION_LEVEL | USPOOF_MIXED_NUMBERS | USPOOF_INVISIBLE,
                     &st);
    uspoof_setRestrictionLevel(sc, USPOOF_HIGHLY_RESTRICTIVE);
    if (U_FAILURE(st)) {
        uspoof_close(sc);
        return; /* spoof stays NULL: every name check fails closed (500) */
    }
    spoof = sc;
}

/* What each failed UTS #39 check means, in the order they are reported. */
static const struct {
    int32_t check;
    const char *text;
} spoof_reasons[] = {
    {USPOOF_RESTRICTION_LEVEL,
     "trộn lẫn chữ của nhiều hệ chữ viết (ví dụ chữ Kirin hay chữ Hy Lạp trông giống chữ "
     "Latinh), dễ bị nhầm với một tên khác; hãy gõ lại bằng chữ tiếng Việt"},
    {USPOOF_MIXED_NUMBERS, "trộn lẫn chữ số của nhiều hệ chữ số"},
    {USPOOF_INVISIBLE, "có dấu thanh hay dấu phụ bị lặp lại trên cùng một chữ"},
};

int text_clean_name(const char *in, const struct text_field *f, char *out, size_t cap,
                    struct app_err *err)
{
    if (text_clean_line(in, f, out, cap, err))
        return -1;
    size_t w = 0;
    bool in_space = false;
    for (size_t i = 0; out[i];) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)out + i, -1, &cp);
        if (k <= 0)
            return app_fail_internal(err); /* text_clean_line returned valid UTF-8 */
        utf8proc_category_t cat = utf8proc_category(cp);
        if (cat == UTF8PROC_CATEGORY_ZS) {
            if (!in_space)
                out[w++] = ' ';
            in_space = true;
            i += (size_t)k;
            continue;
        }
        in_space = false;
        if (cat == UTF8PROC_CATEGORY_CN || cat == UTF8PROC_CATEGORY_CO ||
            cat == UTF8PROC_CATEGORY_CS)
            return app_fail(err, 422, "invalid_value", f->field,
                            "%s chứa ký tự chưa được định nghĩa trong Unicode, ký tự không dùng "
                            "cho văn bản hay ký tự dùng riêng (gặp U+%04X).",
                            f->label, (unsigned)cp);
        if (utf8proc_get_property(cp)->decomp_type != 0)
            return app_fail(err, 422, "invalid_value", f->field,
                            "%s chứa ký tự dạng tương thích như chữ toàn chiều rộng, chữ kiểu "
                            "toán học hay chữ số mũ (gặp U+%04X); hãy gõ chữ thường.",
                            f->label, (unsigned)cp);
        memmove(out + w, out + i, (size_t)k);
        w += (size_t)k;
        i += (size_t)k;
    }
    out[w] = '\0';
    pthread_once(&spoof_once, spoof_init);
    if (!spoof)
        return app_fail_internal(err);
    UErrorCode st = U_ZERO_ERROR;
    int32_t failed = uspoof_checkUTF8(spoof, out, (int32_t)w, NULL, &st);
    if (U_FAILURE(st))
        return app_fail_internal(err);
    for (size_t i = 0; i < sizeof spoof_reasons / sizeof *spoof_reasons; i++)
        if (failed & spoof_reasons[i].check)
            return app_fail(err, 422, "invalid_value", f->field, "%s %s.", f->label,
                            spoof_reasons[i].text);
    return 0;
}

char *text_name_key(const char *name)
{
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t n =
        utf8proc_map((const utf8proc_uint8_t *)name, 0, &out,
                     UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
    return n < 0 ? NULL : (char *)out;
}

char *text_name_skeleton(const char *name)
{
    pthread_once(&spoof_once, spoof_init);
    char *key = text_name_key(name);
    if (!key || !spoof) {
        free(key);
        return NULL;
    }
    UErrorCode st = U_ZERO_ERROR;
    int32_t n = uspoof_getSkeletonUTF8(spoof, 0, key, -1, NULL, 0, &st);
    char *sk = NULL;
    if (st == U_BUFFER_OVERFLOW_ERROR && n >= 0 && (sk = malloc((size_t)n + 1))) {
        st = U_ZERO_ERROR;
        uspoof_getSkeletonUTF8(spoof, 0, key, -1, sk, n + 1, &st);
        if (U_FAILURE(st)) {
            free(sk);
            sk = NULL;
        }
    }
    free(key);
    return sk;
}
