/* text.c — UTF-8 length and character-class checks for names and codes. */
#include "app/text.h"

#include <string.h>

long text_utf8_chars(const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    long n = 0;
    while (*s) {
        unsigned c = *s, cp;
        int len;
        if (c < 0x80) {
            s++;
            n++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            len = 2;
            cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            len = 3;
            cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            len = 4;
            cp = c & 0x07;
        } else {
            return -1;
        }
        for (int i = 1; i < len; i++) {
            if ((s[i] & 0xc0) != 0x80)
                return -1;
            cp = (cp << 6) | (s[i] & 0x3f);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
            return -1;
        s += len;
        n++;
    }
    return n;
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
