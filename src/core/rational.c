/* rational.c — exact rational arithmetic over __int128, overflow-checked. */
#include "core/rational.h"

#include <stdio.h>
#include <string.h>

typedef unsigned __int128 u128;

static u128 uabs128(i128 v) { return v < 0 ? (u128)0 - (u128)v : (u128)v; }

static u128 gcd128(u128 a, u128 b)
{
    /* Most scores are small: 64-bit division is several times faster than 128-bit. */
    while (b) {
        if ((a >> 64) == 0 && (b >> 64) == 0) {
            uint64_t x = (uint64_t)a, y = (uint64_t)b;
            while (y) {
                uint64_t t = x % y;
                x = y;
                y = t;
            }
            return x;
        }
        u128 t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* INT128_MIN has no positive counterpart; refusing it keeps negation and abs safe everywhere. */
#define I128_MIN ((i128)((u128)1 << 127))

const char *rat_error_vi(int rc)
{
    switch (rc) {
    case RAT_OK:
        return "";
    case RAT_OVERFLOW:
        return RAT_OVERFLOW_VI;
    case RAT_DIV_ZERO:
        return "chia cho 0";
    default:
        return "số không hợp lệ";
    }
}

int rat_make(rat *out, i128 n, i128 d)
{
    if (d == 0)
        return RAT_DIV_ZERO;
    if (n == I128_MIN || d == I128_MIN)
        return RAT_OVERFLOW;
    if (d < 0) {
        n = -n;
        d = -d;
    }
    if (d == 1 || n == 0) {
        out->n = n;
        out->d = n == 0 ? 1 : d;
        return RAT_OK;
    }
    u128 g = gcd128(uabs128(n), (u128)d);
    if (g > 1) {
        n /= (i128)g;
        d /= (i128)g;
    }
    out->n = n;
    out->d = d;
    return RAT_OK;
}

rat rat_from_hundredths(int64_t h)
{
    rat r;
    rat_make(&r, h, 100);
    return r;
}

int rat_add(rat *out, rat a, rat b)
{
    i128 n1, n2, n, d;
    if (a.d == b.d) {
        if (__builtin_add_overflow(a.n, b.n, &n))
            return RAT_OVERFLOW;
        return rat_make(out, n, a.d);
    }
    if (__builtin_mul_overflow(a.n, b.d, &n1) || __builtin_mul_overflow(b.n, a.d, &n2) ||
        __builtin_add_overflow(n1, n2, &n) || __builtin_mul_overflow(a.d, b.d, &d))
        return RAT_OVERFLOW;
    return rat_make(out, n, d);
}

int rat_sub(rat *out, rat a, rat b)
{
    if (b.n == I128_MIN)
        return RAT_OVERFLOW;
    b.n = -b.n;
    return rat_add(out, a, b);
}

int rat_mul(rat *out, rat a, rat b)
{
    i128 n, d;
    if (a.d == 1 && b.d == 1) {
        if (__builtin_mul_overflow(a.n, b.n, &n))
            return RAT_OVERFLOW;
        return rat_make(out, n, 1);
    }
    /* Cross-reduce first so intermediate products stay small. */
    u128 g1 = gcd128(uabs128(a.n), (u128)b.d), g2 = gcd128(uabs128(b.n), (u128)a.d);
    if (g1 > 1) {
        a.n /= (i128)g1;
        b.d /= (i128)g1;
    }
    if (g2 > 1) {
        b.n /= (i128)g2;
        a.d /= (i128)g2;
    }
    if (__builtin_mul_overflow(a.n, b.n, &n) || __builtin_mul_overflow(a.d, b.d, &d))
        return RAT_OVERFLOW;
    return rat_make(out, n, d);
}

int rat_div(rat *out, rat a, rat b)
{
    if (b.n == 0)
        return RAT_DIV_ZERO;
    rat inv = {b.d, b.n};
    if (inv.d < 0) {
        inv.n = -inv.n;
        inv.d = -inv.d;
    }
    return rat_mul(out, a, inv);
}

/* floor division for d > 0 */
static i128 floordiv(i128 n, i128 d, i128 *rem)
{
    i128 q = n / d, r = n % d;
    if (r < 0) {
        q -= 1;
        r += d;
    }
    *rem = r;
    return q;
}

int rat_cmp(rat a, rat b)
{
    i128 x, y;
    if (!__builtin_mul_overflow(a.n, b.d, &x) && !__builtin_mul_overflow(b.n, a.d, &y))
        return (x > y) - (x < y);
    /* Continued-fraction comparison: compare integer parts, then the reciprocals of the
     * fractional parts (order reverses at each step). */
    int sign = 1;
    for (;;) {
        i128 ra, rb;
        i128 qa = floordiv(a.n, a.d, &ra), qb = floordiv(b.n, b.d, &rb);
        if (qa != qb)
            return sign * ((qa > qb) - (qa < qb));
        if (ra == 0 || rb == 0)
            return sign * ((ra > rb) - (ra < rb));
        a = (rat){a.d, ra};
        b = (rat){b.d, rb};
        sign = -sign;
    }
}

static void trim(const char **s, size_t *len)
{
    while (*len && **s == ' ') {
        (*s)++;
        (*len)--;
    }
    while (*len && (*s)[*len - 1] == ' ')
        (*len)--;
}

int rat_parse(const char *s, size_t len, rat *out)
{
    trim(&s, &len);
    size_t i = 0;
    bool neg = false;
    if (i < len && s[i] == '-') {
        neg = true;
        i++;
    }
    i128 n = 0, d = 1;
    int int_digits = 0, frac_digits = 0, zeros = 0;
    bool sep = false;
    for (; i < len; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            if (sep) {
                frac_digits++;
                /* Zeros after the separator count only once a non-zero digit follows, so
                 * "1,50000000000000000000000000000000000000000" is exactly 3/2, not an overflow. */
                if (c == '0') {
                    zeros++;
                    continue;
                }
                for (; zeros >= 0; zeros--)
                    if (__builtin_mul_overflow(d, 10, &d) ||
                        __builtin_mul_overflow(n, 10, &n))
                        return RAT_OVERFLOW;
                zeros = 0;
                if (__builtin_add_overflow(n, c - '0', &n))
                    return RAT_OVERFLOW;
            } else {
                if (__builtin_mul_overflow(n, 10, &n) || __builtin_add_overflow(n, c - '0', &n))
                    return RAT_OVERFLOW;
                int_digits++;
            }
        } else if ((c == ',' || c == '.') && !sep && int_digits > 0) {
            sep = true;
        } else {
            return RAT_SYNTAX;
        }
    }
    if (int_digits == 0 || (sep && frac_digits == 0))
        return RAT_SYNTAX;
    return rat_make(out, neg ? -n : n, d);
}

int rat_parse_percent(const char *s, size_t len, rat *out)
{
    trim(&s, &len);
    if (len && s[len - 1] == '%') {
        rat p;
        int rc = rat_parse(s, len - 1, &p);
        if (rc)
            return rc;
        return rat_div(out, p, rat_int(100));
    }
    return rat_parse(s, len, out);
}

int rat_from_double(double v, rat *out)
{
    if (v != v || v > 1e30 || v < -1e30)
        return RAT_OVERFLOW;
    char buf[64];
    int len = snprintf(buf, sizeof buf, "%.15g", v);
    if (len <= 0 || (size_t)len >= sizeof buf)
        return RAT_SYNTAX;
    /* "%.15g" switches to an exponent for very small or large magnitudes ("1e-05"). */
    char *e = strchr(buf, 'e');
    if (!e)
        return rat_parse(buf, (size_t)len, out);
    int exp = 0;
    if (sscanf(e + 1, "%d", &exp) != 1 || exp < -30 || exp > 30)
        return RAT_OVERFLOW;
    rat m;
    int rc = rat_parse(buf, (size_t)(e - buf), &m);
    if (rc)
        return rc;
    i128 p = 1;
    for (int k = 0; k < (exp < 0 ? -exp : exp); k++)
        p *= 10;
    return exp < 0 ? rat_div(out, m, (rat){p, 1}) : rat_mul(out, m, (rat){p, 1});
}

double rat_to_double(rat a)
{
    return (double)a.n / (double)a.d;
}

static const i128 pow10_tab[19] = {
    1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
    10000000000LL, 100000000000LL, 1000000000000LL, 10000000000000LL, 100000000000000LL,
    1000000000000000LL, 10000000000000000LL, 100000000000000000LL, 1000000000000000000LL};

/* round(|a| × 10^digits) half up, as an integer, with sign restored. */
static int round_scaled(rat a, int digits, i128 *out)
{
    if (digits < 0 || digits > 18)
        return RAT_OVERFLOW;
    bool neg = a.n < 0;
    i128 n = neg ? -a.n : a.n, x, twice, d2;
    if (__builtin_mul_overflow(n, pow10_tab[digits], &x) || __builtin_mul_overflow(x, 2, &twice) ||
        __builtin_add_overflow(twice, a.d, &twice) || __builtin_mul_overflow(a.d, 2, &d2))
        return RAT_OVERFLOW;
    i128 q = twice / d2; /* floor((2x + d) / 2d) = floor(x/d + 1/2) */
    *out = neg ? -q : q;
    return RAT_OK;
}

int rat_round(rat a, int digits, rat *out)
{
    i128 q;
    int rc = round_scaled(a, digits, &q);
    if (rc)
        return rc;
    return rat_make(out, q, pow10_tab[digits]);
}

int rat_to_hundredths(rat a, int64_t *out)
{
    i128 q;
    if (a.d == 1) {
        if (__builtin_mul_overflow(a.n, 100, &q) || q > INT64_MAX || q < -INT64_MAX)
            return RAT_OVERFLOW;
        *out = (int64_t)q;
        return RAT_OK;
    }
    int rc = round_scaled(a, 2, &q);
    if (rc)
        return rc;
    if (q > INT64_MAX || q < -INT64_MAX)
        return RAT_OVERFLOW;
    *out = (int64_t)q;
    return RAT_OK;
}

bool rat_has_2_decimals(rat a)
{
    return 100 % a.d == 0;
}

/* Writes the decimal digits of u (u128) backwards into tmp; returns the count. */
static size_t u128_digits(u128 u, char *tmp)
{
    size_t k = 0;
    while (u >> 64) { /* 128-bit division is slow: only for the digits above 2^64 */
        tmp[k++] = (char)('0' + (int)(u % 10));
        u /= 10;
    }
    uint64_t v = (uint64_t)u;
    do {
        tmp[k++] = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v);
    return k;
}

/* |value| = ip + frac / 10^digits; writes "-ip,frac" with trailing zeros dropped. */
static size_t write_fixed(bool neg, u128 scaled, int digits, char sep, char *buf, size_t bufsz)
{
    char tmp[64], out[96];
    size_t k = u128_digits(scaled, tmp), o = 0;
    while (k <= (size_t)digits) /* pad to at least one integer digit */
        tmp[k++] = '0';
    size_t last = 0; /* drop trailing zeros of the fraction */
    while (last < (size_t)digits && tmp[last] == '0')
        last++;
    if (neg && scaled != 0)
        out[o++] = '-';
    for (size_t i = k; i-- > (size_t)digits;)
        out[o++] = tmp[i];
    if (last < (size_t)digits) {
        out[o++] = sep;
        for (size_t i = (size_t)digits; i-- > last;)
            out[o++] = tmp[i];
    }
    if (o >= bufsz)
        o = bufsz ? bufsz - 1 : 0;
    memcpy(buf, out, o);
    if (bufsz)
        buf[o] = 0;
    return o;
}

size_t hundredths_format(int64_t h, char *buf, size_t bufsz)
{
    bool neg = h < 0;
    u128 u = neg ? (u128)0 - (u128)(i128)h : (u128)h;
    return write_fixed(neg, u, 2, ',', buf, bufsz);
}

static size_t rat_format_sep(rat a, char sep, bool approx_mark, char *buf, size_t bufsz)
{
    /* Exact when the denominator divides 10^6 (at most 6 decimals). */
    if (1000000 % a.d == 0 && uabs128(a.n) <= ((u128)1 << 100)) {
        bool neg = a.n < 0;
        u128 u = uabs128(a.n) * (u128)(1000000 / a.d);
        return write_fixed(neg, u, 6, sep, buf, bufsz);
    }
    i128 q;
    size_t o = 0;
    if (approx_mark && bufsz > 4) {
        memcpy(buf, "≈", 3);
        o = 3;
    }
    if (round_scaled(a, 4, &q) != RAT_OK) {
        /* Beyond 1e34: only reachable with absurd inputs; show the fraction instead. */
        return o + (size_t)snprintf(buf + o, bufsz - o, "%.6g", rat_to_double(a));
    }
    bool neg = q < 0;
    return o + write_fixed(neg, uabs128(q), 4, sep, buf + o, bufsz - o);
}

size_t rat_format(rat a, char *buf, size_t bufsz) { return rat_format_sep(a, ',', true, buf, bufsz); }

size_t rat_format_json(rat a, char *buf, size_t bufsz)
{
    return rat_format_sep(a, '.', false, buf, bufsz);
}
