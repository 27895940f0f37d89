/* sb.c — the bounded text writer (snprintf per piece is too slow for bulk scoring). */
#include "core/sb.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void sb_mem(struct sb *b, const char *s, size_t len)
{
    if (b->n + len >= b->cap) {
        len = b->cap - 1 - b->n;
        /* never cut a UTF-8 sequence in half */
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
    }
    memcpy(b->p + b->n, s, len);
    b->n += len;
    b->p[b->n] = 0;
}

void sb_s(struct sb *b, const char *s) { sb_mem(b, s, strlen(s)); }

void sb_f(struct sb *b, const char *fmt, ...)
{
    char t[1024];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(t, sizeof t, fmt, ap);
    va_end(ap);
    if (k < 0)
        return;
    size_t len = (size_t)k < sizeof t ? (size_t)k : sizeof t - 1;
    while (len < (size_t)k && len > 0 && ((unsigned char)t[len] & 0xC0) == 0x80)
        len--; /* cut by vsnprintf: drop a partial UTF-8 sequence */
    sb_mem(b, t, len);
}

void sb_h(struct sb *b, int64_t h)
{
    char t[32];
    sb_mem(b, t, hundredths_format(h, t, sizeof t));
}

void sb_r(struct sb *b, rat v)
{
    char t[64];
    sb_mem(b, t, rat_format(v, t, sizeof t));
}

void sb_noun(struct sb *b, const struct fw_input *in)
{
    if (in->unit && in->unit[0]) {
        sb_s(b, " ");
        sb_s(b, in->unit);
    }
}
