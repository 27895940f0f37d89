/* text.h — small checks on user-supplied UTF-8 text, and THE rule for human-readable
 * single-line text fields. */
#ifndef DTI_APP_TEXT_H
#define DTI_APP_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "app/app_err.h"

/* Number of code points when s is valid UTF-8 (no overlongs, no surrogates), else -1. */
long text_utf8_chars(const char *s);
/* True when s contains a C0 control character (other than none) or DEL. */
bool text_has_control(const char *s);
/* True when every byte of s is in [A-Za-z0-9._-] and 1 <= length <= max. */
bool text_is_code(const char *s, int max);

/* The rule for multi-line free text (report content, notes, comments, sources): valid UTF-8
 * (else 400 invalid_value), at most max characters (else 400 too_long), and refused with 422
 * invalid_value naming `field` and the code point when it contains a control character other
 * than tab, CR and LF (C0, DEL, C1 such as U+0085) or a bidirectional formatting character
 * (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069: they reorder what a reader sees,
 * "Trojan Source"). NULL is accepted (absent). Returns 0, or -1 with err filled. */
int text_check_multiline(const char *s, const char *field, const char *label, size_t max,
                         struct app_err *err);

/* A human-readable single-line text field: what it is called in errors and its limits. */
struct text_field {
    const char *field;  /* API field name for the error, e.g. "name", "info.address" */
    const char *label;  /* Vietnamese, capitalised, e.g. "Tên đơn vị" */
    size_t max_chars;   /* after normalisation */
    bool required;      /* empty after trimming is refused */
};

/* Bytes a buffer needs for a cleaned value of at most max_chars characters. */
#define TEXT_BUF(max_chars) ((max_chars) * 4 + 1)

/* The one rule for every name, official code, full name, e-mail, token name, unit info text
 * and reason, used by the application layer for the API and the CLI alike:
 *   1. valid UTF-8 (else 400 invalid_value);
 *   2. normalised to NFC, so "Sở Tài chi\u0301nh" and "Sở Tài chính" are the same text;
 *   3. refused (422 invalid_value naming the field and the code point) when it contains a
 *      control character (Cc: C0, DEL, C1 such as U+0085, so also tab and newline), a format
 *      character (Cf: U+200B–U+200F zero-width and direction marks, U+202A–U+202E bidi
 *      embeddings/overrides, U+2066–U+2069 isolates, U+FEFF, soft hyphen…) or a line/paragraph
 *      separator (Zl U+2028, Zp U+2029) — anywhere, ends included;
 *   4. trimmed of space separators (Zs: U+0020, U+00A0, U+2000–U+200A, U+3000 …; the other
 *      White_Space characters are refused by 3) at both ends;
 *   5. empty -> 422 invalid_value when f->required (else "" is returned: the caller decides
 *      what an empty optional value means);
 *   6. longer than f->max_chars characters -> 400 too_long.
 * On success writes the cleaned value to out (cap >= TEXT_BUF(f->max_chars)) and returns 0;
 * else returns -1 with err filled. */
int text_clean_line(const char *in, const struct text_field *f, char *out, size_t cap,
                    struct app_err *err);

/* THE rule for a display name someone could pass off as another (unit names, people's full
 * names, API token names): text_clean_line, then
 *   7. every run of space separators (NBSP, U+2000–U+200A, U+3000 …) becomes one U+0020;
 *   8. refused (422 invalid_value naming the field and the code point): unassigned code points
 *      and noncharacters (Cn: U+FFFE, U+FFFF, U+FDD0–U+FDEF …), private use (Co), and any
 *      character with a compatibility decomposition (NFKC differs from NFC: fullwidth "Ｓ",
 *      mathematical "𝐒", ligatures, superscripts…);
 *   9. refused (422) unless it passes Unicode UTS #39 (ICU uspoof) at the "highly restrictive"
 *      level: one script (Latin with Vietnamese letters, or Han+Kana, Han+Hangul…), never
 *      Latin mixed with Cyrillic or Greek look-alikes ("Сở Тài chính"), one set of digits, no
 *      repeated combining marks.
 * Same contract as text_clean_line. */
int text_clean_name(const char *in, const struct text_field *f, char *out, size_t cap,
                    struct app_err *err);
/* The comparison key of a cleaned name: NFC + Unicode case folding ("SỞ TÀI CHÍNH" and
 * "sở tài chính" have the same key). malloc'd; NULL when out of memory. */
char *text_name_key(const char *name);
/* The UTS #39 confusable skeleton of the name's key: two names with the same skeleton look
 * alike ("Sở Tài chính" and one written with Cyrillic "о"). malloc'd; NULL on failure. */
char *text_name_skeleton(const char *name);

#endif
