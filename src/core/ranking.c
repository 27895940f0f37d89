/* ranking.c — ranks with shared ties, bands, rank ranges (ranking.h). Every rank is computed
 * from a histogram of the displayed index (10001 possible values), so ranking n units is
 * O(n + 10001) with no sort: the exact enumeration of reading combinations stays linear. */
#include "core/ranking.h"

#include <stdlib.h>
#include <string.h>

#include "core/score.h"

#define NKEYS (RANK_INDEX_SCALE + 1)

const struct rank_band ranking_default_bands[RANK_BANDS] = {
    {"xuat_sac", "Xuất sắc", 9000},
    {"tot", "Tốt", 8000},
    {"kha", "Khá", 6500},
    {"trung_binh", "Trung bình", 0},
};

static int64_t clamp_key(int64_t k)
{
    return k < 0 ? 0 : k > RANK_INDEX_SCALE ? RANK_INDEX_SCALE : k;
}

/* greater[v] = number of keys strictly above v, from a histogram (NKEYS + 1 entries). */
static void fill_greater(const int64_t *key, size_t n, int *hist)
{
    memset(hist, 0, sizeof *hist * (NKEYS + 1));
    for (size_t i = 0; i < n; i++)
        hist[clamp_key(key[i])]++;
    int above = 0;
    for (int v = NKEYS - 1; v >= 0; v--) {
        int here = hist[v];
        hist[v] = above;
        above += here;
    }
}

int ranking_ranks(const int64_t *key_e4, size_t n, int *ranks)
{
    int *g = malloc(sizeof *g * (NKEYS + 1));
    if (!g)
        return -1;
    fill_greater(key_e4, n, g);
    for (size_t i = 0; i < n; i++)
        ranks[i] = 1 + g[clamp_key(key_e4[i])];
    free(g);
    return 0;
}

size_t ranking_band(const struct rank_band *bands, size_t n, int64_t idx_e4)
{
    for (size_t i = 0; i < n; i++)
        if (idx_e4 >= bands[i].min_e4)
            return i;
    return n ? n - 1 : 0;
}

int ranking_band_find(const char *code)
{
    for (int i = 0; i < RANK_BANDS; i++)
        if (!strcmp(ranking_default_bands[i].code, code))
            return i;
    return -1;
}

bool ranking_bands_valid(const int64_t *min_e4, size_t n)
{
    if (n == 0 || min_e4[n - 1] != 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (min_e4[i] < 0 || min_e4[i] > RANK_INDEX_SCALE)
            return false;
        if (i && min_e4[i] >= min_e4[i - 1])
            return false;
    }
    return true;
}

uint64_t rank_range_combos(const struct rr_problem *p)
{
    uint64_t c = 1;
    for (size_t i = 0; i < p->k; i++) {
        uint64_t o = p->opts[i] ? p->opts[i] : 1;
        if (c > UINT64_MAX / o)
            return UINT64_MAX;
        c *= o;
    }
    return c;
}

static int64_t key_of(int64_t pts, int64_t max)
{
    return clamp_key(score_index_e4(pts < 0 ? 0 : pts, max));
}

/* Working state: the current totals and the histogram scratch. */
struct work {
    const struct rr_problem *p;
    int64_t *pts, *max, *key;
    int *hist;
};

/* Ranks every unit under the current totals; widens lo/hi. */
static void eval(struct work *w, int *lo, int *hi)
{
    size_t n = w->p->n;
    for (size_t u = 0; u < n; u++)
        w->key[u] = key_of(w->pts[u], w->max[u]);
    fill_greater(w->key, n, w->hist);
    for (size_t u = 0; u < n; u++) {
        int r = 1 + w->hist[w->key[u]];
        if (r < lo[u])
            lo[u] = r;
        if (r > hi[u])
            hi[u] = r;
    }
}

/* Criterion c read as option b instead of option a. */
static void shift(struct work *w, size_t c, size_t a, size_t b)
{
    size_t n = w->p->n;
    const int64_t *pa = w->p->d_pts[c] + a * n, *pb = w->p->d_pts[c] + b * n;
    const int64_t *ma = w->p->d_max[c] + a * n, *mb = w->p->d_max[c] + b * n;
    for (size_t u = 0; u < n; u++) {
        w->pts[u] += pb[u] - pa[u];
        w->max[u] += mb[u] - ma[u];
    }
}

static void reset(struct work *w)
{
    memcpy(w->pts, w->p->base_pts, sizeof *w->pts * w->p->n);
    memcpy(w->max, w->p->base_max, sizeof *w->max * w->p->n);
}

static void init_lohi(int *lo, int *hi, size_t n)
{
    for (size_t u = 0; u < n; u++) {
        lo[u] = (int)n + 1;
        hi[u] = 0;
    }
}

/* Every combination in odometer order; each step shifts the criteria whose digit moved. */
static void exact(struct work *w, int *lo, int *hi)
{
    const struct rr_problem *p = w->p;
    size_t *digit = calloc(p->k ? p->k : 1, sizeof *digit);
    if (!digit)
        return;
    reset(w);
    for (;;) {
        eval(w, lo, hi);
        size_t c = 0;
        for (; c < p->k; c++) {
            size_t o = digit[c];
            if (o + 1 < p->opts[c]) {
                digit[c] = o + 1;
                shift(w, c, o, o + 1);
                break;
            }
            if (o != 0)
                shift(w, c, o, 0);
            digit[c] = 0;
        }
        if (c == p->k)
            break;
    }
    free(digit);
}

/* Each unit's lowest and highest possible index, criteria chosen independently (sound even when
 * the applicable maximum changes: highest points over lowest maximum and the reverse). */
static int bound(struct work *w, struct rr_unit *out)
{
    const struct rr_problem *p = w->p;
    size_t n = p->n;
    int64_t *klo = w->key, *khi = w->pts; /* pts is free scratch here */
    for (size_t u = 0; u < n; u++) {
        int64_t plo = p->base_pts[u], phi = plo, mlo = p->base_max[u], mhi = mlo;
        for (size_t c = 0; c < p->k; c++) {
            int64_t dpl = 0, dph = 0, dml = 0, dmh = 0;
            for (size_t o = 0; o < p->opts[c]; o++) {
                int64_t dp = p->d_pts[c][o * n + u], dm = p->d_max[c][o * n + u];
                dpl = dp < dpl ? dp : dpl;
                dph = dp > dph ? dp : dph;
                dml = dm < dml ? dm : dml;
                dmh = dm > dmh ? dm : dmh;
            }
            plo += dpl;
            phi += dph;
            mlo += dml;
            mhi += dmh;
        }
        klo[u] = mhi > 0 ? key_of(plo, mhi) : 0;
        khi[u] = mlo > 0 ? key_of(phi, mlo) : RANK_INDEX_SCALE;
        if (khi[u] < klo[u])
            khi[u] = klo[u];
    }
    int *glo = w->hist, *ghi = malloc(sizeof *ghi * (NKEYS + 1));
    if (!ghi)
        return -1;
    fill_greater(klo, n, glo);
    fill_greater(khi, n, ghi);
    for (size_t u = 0; u < n; u++) {
        out[u].best = 1 + glo[khi[u]];
        out[u].worst = 1 + ghi[klo[u]] - (khi[u] > klo[u] ? 1 : 0);
    }
    free(ghi);
    return 0;
}

/* The problem without options that change nothing another option does not (same deltas for
 * every unit as an earlier one, option 0 included), and without criteria left with one option:
 * readings that agree on every unit's data do not multiply the combinations. */
struct reduced {
    struct rr_problem p;
    size_t *opts;
    int64_t **dp, **dm;
};

static void reduced_free(struct reduced *r, size_t k)
{
    for (size_t c = 0; r->dp && c < k; c++) {
        free(r->dp[c]);
        free(r->dm[c]);
    }
    free(r->dp);
    free(r->dm);
    free(r->opts);
}

static bool same_option(const struct rr_problem *p, size_t c, size_t a, size_t b)
{
    size_t n = p->n;
    return !memcmp(p->d_pts[c] + a * n, p->d_pts[c] + b * n, sizeof(int64_t) * n) &&
           !memcmp(p->d_max[c] + a * n, p->d_max[c] + b * n, sizeof(int64_t) * n);
}

static int reduce(const struct rr_problem *p, struct reduced *r)
{
    size_t n = p->n, k = p->k, m = 0;
    memset(r, 0, sizeof *r);
    r->opts = calloc(k + 1, sizeof *r->opts);
    r->dp = calloc(k + 1, sizeof *r->dp);
    r->dm = calloc(k + 1, sizeof *r->dm);
    if (!r->opts || !r->dp || !r->dm)
        return -1;
    for (size_t c = 0; c < k; c++) {
        size_t kept[64], nk = 0;
        for (size_t o = 0; o < p->opts[c]; o++) {
            bool dup = false;
            for (size_t j = 0; j < nk && !dup; j++)
                dup = same_option(p, c, kept[j], o);
            if (!dup && nk < 64)
                kept[nk++] = o;
        }
        if (nk < 2)
            continue;
        r->dp[m] = malloc(sizeof(int64_t) * nk * n);
        r->dm[m] = malloc(sizeof(int64_t) * nk * n);
        if (!r->dp[m] || !r->dm[m]) {
            r->p.k = m + 1;
            return -1;
        }
        for (size_t j = 0; j < nk; j++) {
            memcpy(r->dp[m] + j * n, p->d_pts[c] + kept[j] * n, sizeof(int64_t) * n);
            memcpy(r->dm[m] + j * n, p->d_max[c] + kept[j] * n, sizeof(int64_t) * n);
        }
        r->opts[m++] = nk;
    }
    r->p = (struct rr_problem){.n = n,
                               .k = m,
                               .base_pts = p->base_pts,
                               .base_max = p->base_max,
                               .opts = r->opts,
                               .d_pts = (const int64_t *const *)r->dp,
                               .d_max = (const int64_t *const *)r->dm};
    return 0;
}

int rank_ranges(const struct rr_problem *p, struct rr_unit *out, int *swing, bool *exact_out,
                uint64_t *combos_out)
{
    size_t n = p->n;
    *exact_out = true;
    if (combos_out)
        *combos_out = 1;
    if (n == 0)
        return 0;
    struct work w = {.p = p};
    w.pts = malloc(sizeof *w.pts * n);
    w.max = malloc(sizeof *w.max * n);
    w.key = malloc(sizeof *w.key * n);
    w.hist = malloc(sizeof *w.hist * (NKEYS + 1));
    int *lo = malloc(sizeof *lo * n), *hi = malloc(sizeof *hi * n);
    int rc = -1;
    if (!w.pts || !w.max || !w.key || !w.hist || !lo || !hi)
        goto done;
    struct reduced red;
    if (reduce(p, &red)) {
        reduced_free(&red, red.p.k);
        goto done;
    }
    uint64_t combos = rank_range_combos(&red.p);
    if (combos_out)
        *combos_out = combos;
    bool fits = combos <= RR_EXACT_MAX_COMBOS &&
                combos * (uint64_t)(n + NKEYS) <= RR_EXACT_MAX_WORK;
    if (fits) {
        init_lohi(lo, hi, n);
        w.p = &red.p;
        exact(&w, lo, hi);
        w.p = p;
        reduced_free(&red, red.p.k);
        if (lo[0] > (int)n) /* the enumeration could not allocate */
            goto done;
        for (size_t u = 0; u < n; u++) {
            out[u].best = lo[u];
            out[u].worst = hi[u];
        }
    } else {
        reduced_free(&red, red.p.k);
        *exact_out = false;
        if (bound(&w, out))
            goto done;
    }
    /* One criterion at a time, the others at the chosen reading. */
    for (size_t c = 0; swing && c < p->k; c++) {
        init_lohi(lo, hi, n);
        for (size_t o = 0; o < p->opts[c]; o++) {
            reset(&w);
            if (o)
                shift(&w, c, 0, o);
            eval(&w, lo, hi);
        }
        for (size_t u = 0; u < n; u++)
            swing[c * n + u] = p->opts[c] ? hi[u] - lo[u] : 0;
    }
    rc = 0;
done:
    free(w.pts);
    free(w.max);
    free(w.key);
    free(w.hist);
    free(lo);
    free(hi);
    return rc;
}
