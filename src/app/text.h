/* text.h — small checks on user-supplied UTF-8 text. */
#ifndef DTI_APP_TEXT_H
#define DTI_APP_TEXT_H

#include <stdbool.h>

/* Number of code points when s is valid UTF-8 (no overlongs, no surrogates), else -1. */
long text_utf8_chars(const char *s);
/* True when s contains a C0 control character (other than none) or DEL. */
bool text_has_control(const char *s);
/* True when every byte of s is in [A-Za-z0-9._-] and 1 <= length <= max. */
bool text_is_code(const char *s, int max);

#endif
