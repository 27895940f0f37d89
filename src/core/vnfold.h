/* vnfold.h — the comparison key of Vietnamese text (pure): case, diacritics and Unicode form
 * ignored, so "so tai chinh", "SỞ TÀI CHÍNH" and the decomposed (NFD) "Sở Tài chính" all give
 * "so tai chinh". Used by the dashboard search (a folded query is a substring of a folded
 * name). */
#ifndef DTI_CORE_VNFOLD_H
#define DTI_CORE_VNFOLD_H

#include <stddef.h>

/* Longest input vnfold accepts, in bytes (a search box or a unit name is far shorter). */
#define VNFOLD_MAX_INPUT 4096

/* The key of s[0..len): compatibility decomposition (NFKD), case folding, every combining
 * mark removed, đ/Đ -> d and also ð/Ð (U+00F0/U+00D0, the Icelandic eth, which looks the same
 * as Đ and is a common mistyping of it in Vietnamese names) -> d; default-ignorable code points
 * (soft hyphen, zero-width joiner…) and control characters dropped; every run of white space
 * becomes one space; leading and trailing space removed. The result is NUL-terminated UTF-8,
 * malloc'd, *out_len its length. Returns NULL (and leaves *out_len alone) when s is not valid
 * UTF-8, is longer than VNFOLD_MAX_INPUT or memory runs out: invalid input is refused, never
 * guessed at. */
char *vnfold(const char *s, size_t len, size_t *out_len);

/* Whether the folded needle occurs in the folded haystack (both results of vnfold). An empty
 * needle matches everything. */
int vnfold_contains(const char *folded_hay, const char *folded_needle);

#endif
