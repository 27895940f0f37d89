/* vnfold.c — see vnfold.h. utf8proc does the Unicode work (decomposition, case folding, mark
 * stripping); the only Vietnamese rule it lacks is đ -> d (Đ is a letter of its own, not d
 * with a mark, so no decomposition removes its bar). */
#include "core/vnfold.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Applied to each code point before decomposition. */
static utf8proc_int32_t map_d(utf8proc_int32_t cp, void *data)
{
    (void)data;
    switch (cp) {
    case 0x0110: /* Đ */
    case 0x0111: /* đ */
    case 0x00D0: /* Ð (eth), mistyped for Đ */
    case 0x00F0: /* ð */
        return 'd';
    default:
        return cp;
    }
}

static int is_space(utf8proc_int32_t cp)
{
    if (cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v' || cp == ' ')
        return 1;
    utf8proc_category_t c = utf8proc_category(cp);
    return c == UTF8PROC_CATEGORY_ZS || c == UTF8PROC_CATEGORY_ZL || c == UTF8PROC_CATEGORY_ZP;
}

char *vnfold(const char *s, size_t len, size_t *out_len)
{
    if (!s || len > VNFOLD_MAX_INPUT)
        return NULL;
    if (memchr(s, 0, len))
        return NULL; /* utf8proc reads NUL as the end; a key never holds one */
    utf8proc_uint8_t *mapped = NULL;
    /* STRIPCC would turn tabs and newlines into spaces itself, but drops other controls too;
     * white space is collapsed below. */
    utf8proc_ssize_t n = utf8proc_map_custom(
        (const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &mapped,
        UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK |
            UTF8PROC_IGNORE,
        map_d, NULL);
    if (n < 0)
        return NULL; /* invalid UTF-8 */
    /* Collapse white space, drop control characters. */
    char *out = malloc((size_t)n + 1);
    if (!out) {
        free(mapped);
        return NULL;
    }
    size_t o = 0;
    int pending_space = 0;
    for (utf8proc_ssize_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(mapped + i, n - i, &cp);
        if (k <= 0) { /* cannot happen on utf8proc's own output */
            free(mapped);
            free(out);
            return NULL;
        }
        if (is_space(cp)) {
            pending_space = o > 0;
        } else if (utf8proc_category(cp) != UTF8PROC_CATEGORY_CC) {
            if (pending_space)
                out[o++] = ' ';
            pending_space = 0;
            /* again after decomposition: a compatibility character can decompose to ð
             * (U+1D9E ᶞ does); 'd' is shorter than what it replaces, so `out` still fits */
            o += (size_t)utf8proc_encode_char(map_d(cp, NULL), (utf8proc_uint8_t *)out + o);
        }
        i += k;
    }
    out[o] = 0;
    free(mapped);
    *out_len = o;
    return out;
}

int vnfold_contains(const char *folded_hay, const char *folded_needle)
{
    return !*folded_needle || strstr(folded_hay, folded_needle) != NULL;
}
