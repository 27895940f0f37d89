/* utf8.h — the one strict UTF-8 decoder (pure): names, passwords, URL paths and bodies all
 * accept exactly the same byte sequences. */
#ifndef DTI_CORE_UTF8_H
#define DTI_CORE_UTF8_H

#include <stddef.h>

/* Number of code points in s[0..len) when it is valid UTF-8 (no overlong forms, no
 * surrogates, nothing past U+10FFFF, no truncated sequence), else -1. NUL counts as ASCII. */
long utf8_count(const char *s, size_t len);
/* Cuts a NUL-terminated string that snprintf may have truncated inside a multi-byte character
 * back to the last whole character, so it stays valid UTF-8 (jansson refuses it otherwise). */
void utf8_cut_partial(char *s);

#endif
