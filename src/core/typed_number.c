/* typed_number.c — see typed_number.h. */
#include "core/typed_number.h"

#include <stdlib.h>
#include <string.h>

#include "core/vnfold.h"

#define TN_MAX_RUNS 16 /* digit runs: "1 234 567 890 123,5" has 6; more is not a typed number */

/* Digit runs and the single separators between them, of a folded, trimmed body. */
struct runs {
    const char *p[TN_MAX_RUNS];
    size_t n[TN_MAX_RUNS];
    char sep[TN_MAX_RUNS]; /* sep[i] follows run i */
    size_t count;
};

static bool split(const char *s, size_t len, struct runs *r)
{
    r->count = 0;
    size_t i = 0;
    while (i < len) {
        size_t start = i;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == start || r->count == TN_MAX_RUNS)
            return false; /* a separator first, two in a row, or too many groups */
        r->p[r->count] = s + start;
        r->n[r->count] = i - start;
        r->sep[r->count] = '\0';
        r->count++;
        if (i == len)
            return true;
        if (s[i] != '.' && s[i] != ',' && s[i] != ' ')
            return false;
        r->sep[r->count - 1] = s[i++];
        if (i == len)
            return false; /* "5." */
    }
    return false;
}

/* Runs [0, n) as thousands groups: the first 1–3 digits, every other exactly 3. */
static bool grouped(const struct runs *r, size_t n)
{
    if (r->n[0] < 1 || r->n[0] > 3)
        return false;
    for (size_t i = 1; i < n; i++)
        if (r->n[i] != 3)
            return false;
    return true;
}

enum typed_number_rc typed_number_parse(const char *s, size_t len, bool percent, rat *out)
{
    size_t klen;
    char *k = vnfold(s, len, &klen);
    if (!k)
        return TN_SYNTAX;
    enum typed_number_rc rc = TN_SYNTAX;
    const char *b = k;
    size_t n = klen;
    if (n && *b == '\'') { /* Excel's text marker, typed or pasted literally */
        b++;
        n--;
    }
    while (n && *b == ' ') {
        b++;
        n--;
    }
    bool pct = false;
    if (percent && n && b[n - 1] == '%') {
        pct = true;
        n--;
        while (n && b[n - 1] == ' ')
            n--;
    }
    bool neg = n && *b == '-';
    if (neg) {
        b++;
        n--;
    }
    struct runs r;
    if (!n || !split(b, n, &r))
        goto done;
    /* which runs are the integer part (thousands groups) and which one, if any, the decimals */
    size_t int_runs = r.count;
    if (r.count == 2 && r.sep[0] != ' ') {
        if (r.n[1] == 3 && r.n[0] <= 3 && r.p[0][0] != '0') {
            rc = TN_AMBIGUOUS;
            goto done;
        }
        int_runs = 1;
    } else if (r.count > 2) {
        char last = r.sep[r.count - 2], group = r.sep[0];
        for (size_t i = 0; i + 2 < r.count; i++)
            if (r.sep[i] != group)
                goto done; /* "1.234 567,5": two kinds of grouping */
        if (last != group) {
            if (last == ' ')
                goto done; /* "1.234 567" */
            int_runs = r.count - 1;
        }
    }
    if (int_runs > 1 && !grouped(&r, int_runs))
        goto done;
    /* "-" + digits + "." + decimals, for rat_parse */
    char *t = malloc(n + 2);
    if (!t)
        goto done;
    size_t o = 0;
    if (neg)
        t[o++] = '-';
    for (size_t i = 0; i < r.count; i++) {
        if (i == int_runs)
            t[o++] = '.';
        memcpy(t + o, r.p[i], r.n[i]);
        o += r.n[i];
    }
    rat v;
    int prc = rat_parse(t, o, &v);
    free(t);
    if (prc == RAT_OK && pct)
        prc = rat_div(&v, v, rat_int(100));
    if (prc == RAT_OK) {
        *out = v;
        rc = TN_OK;
    } else {
        rc = prc == RAT_OVERFLOW ? TN_OVERFLOW : TN_SYNTAX;
    }
done:
    free(k);
    return rc;
}
