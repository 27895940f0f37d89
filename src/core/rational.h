/* rational.h — exact arithmetic for scores: rationals of __int128 numerator/denominator.
 *
 * Scores never touch binary floating point: "921/968 × 10" is kept as the fraction 4605/484 and
 * rounded half up to hundredths once, at the end. Every operation detects overflow and returns
 * an error code instead of wrapping. Values are kept normalized (gcd 1, denominator > 0).
 */
#ifndef DTI_CORE_RATIONAL_H
#define DTI_CORE_RATIONAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef __int128 i128;

typedef struct {
    i128 n; /* numerator */
    i128 d; /* denominator, always > 0 */
} rat;

enum { RAT_OK = 0, RAT_OVERFLOW = -1, RAT_DIV_ZERO = -2, RAT_SYNTAX = -3 };

static inline rat rat_int(int64_t v) { return (rat){(i128)v, 1}; }
/* Exact value of hundredths (850 -> 17/2). */
rat rat_from_hundredths(int64_t h);

/* out = n/d normalized; RAT_DIV_ZERO if d == 0. */
int rat_make(rat *out, i128 n, i128 d);
int rat_add(rat *out, rat a, rat b);
int rat_sub(rat *out, rat a, rat b);
int rat_mul(rat *out, rat a, rat b);
int rat_div(rat *out, rat a, rat b);
/* Vietnamese text of an error code, for messages: RAT_OVERFLOW is a value whose exact fraction
 * needs more than 128 bits (a huge number, or a tiny one with too many decimals), never a
 * rounded result. */
const char *rat_error_vi(int rc);
#define RAT_OVERFLOW_VI "vượt quá độ chính xác tính toán (số quá lớn hoặc có quá nhiều chữ số thập phân)"
/* -1, 0, 1. Never overflows (compares by continued division when cross products would). */
int rat_cmp(rat a, rat b);
static inline bool rat_is_zero(rat a) { return a.n == 0; }
static inline bool rat_is_int(rat a) { return a.d == 1; }
static inline bool rat_is_neg(rat a) { return a.n < 0; }

/* Decimal text with a decimal comma or point: "8,5", "8.5", "921", "-3". Surrounding ASCII
 * spaces are ignored. Rejected: "", "abc", "1,2,3", "1.000.000", "1e5", ".5", "5.", "1 000". */
int rat_parse(const char *s, size_t len, rat *out);
/* Like rat_parse, also accepting a trailing '%' ("95%" -> 19/20). */
int rat_parse_percent(const char *s, size_t len, rat *out);
/* A JSON real (jansson gives a double): printed with "%.15g" and parsed back, so 9.51 in the
 * file becomes exactly 951/100 — any decimal written with at most 15 significant digits
 * round-trips through a double, whereas the double itself is 9.50999999999999978684… */
int rat_from_double(double v, rat *out);
/* Nearest double, for display and JSON output only. */
double rat_to_double(rat a);

/* Round half away from zero ("half up" for the non-negative points) to `digits` decimals
 * (0..18). */
int rat_round(rat a, int digits, rat *out);
/* Round half up to two decimals, as hundredths (9,505 -> 951). */
int rat_to_hundredths(rat a, int64_t *out);
/* True when the value has at most two decimals (so hundredths are exact). */
bool rat_has_2_decimals(rat a);

/* "9,51", "1,5", "10", "-0,5": hundredths with a decimal comma, trailing zeros dropped.
 * buf needs at least 24 bytes; returns the length written. */
size_t hundredths_format(int64_t h, char *buf, size_t bufsz);
/* Exact decimal with a comma when the value has at most 6 decimals, else "≈" and 4 decimals.
 * buf needs at least 64 bytes; returns the length written. */
size_t rat_format(rat a, char *buf, size_t bufsz);
/* Decimal with a point, for JSON ("9.51"); same precision rule without the "≈". */
size_t rat_format_json(rat a, char *buf, size_t bufsz);

#endif
