/* utf8.c — strict UTF-8 validation and length. */
#include "core/utf8.h"

#include <string.h>

long utf8_count(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    long n = 0;
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i], cp;
        size_t more;
        if (c < 0x80) {
            i++;
            n++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            more = 1;
            cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            more = 2;
            cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            more = 3;
            cp = c & 0x07;
        } else {
            return -1;
        }
        if (len - i <= more)
            return -1; /* truncated */
        for (size_t k = 1; k <= more; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return -1;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        /* overlong forms, surrogates, beyond Unicode */
        if ((more == 1 && cp < 0x80) || (more == 2 && cp < 0x800) ||
            (more == 3 && cp < 0x10000) || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
            return -1;
        i += more + 1;
        n++;
    }
    return n;
}

void utf8_cut_partial(char *s)
{
    size_t n = strlen(s), lead = n;
    while (lead > 0 && ((unsigned char)s[lead - 1] & 0xc0) == 0x80)
        lead--; /* back over continuation bytes to the sequence's lead byte */
    if (lead == 0)
        return;
    unsigned char c = (unsigned char)s[lead - 1];
    size_t need = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : 4;
    if (n - (lead - 1) < need)
        s[lead - 1] = '\0';
}
