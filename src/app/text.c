/* text.c — UTF-8 length and character-class checks for names and codes. */
#include "app/text.h"

#include <string.h>

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
