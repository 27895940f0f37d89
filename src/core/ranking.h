/* ranking.h — ranks, bands and rank ranges (docs/results-api.md "Rankings").
 *
 * Pure: no I/O. The value that ranks is the index AS DISPLAYED: points / applicable maximum
 * rounded half up to 4 decimals (ten-thousandths, score_index_e4). Units with the same displayed
 * index share a rank, the next rank skips (1, 2, 2, 4): rank = 1 + the number of units whose
 * displayed index is strictly greater. */
#ifndef DTI_CORE_RANKING_H
#define DTI_CORE_RANKING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RANK_INDEX_SCALE 10000 /* index 1 = 10000 ten-thousandths */

/* ranks[i] = 1 + #{j : key[j] > key[i]}. Keys are ten-thousandths in [0, RANK_INDEX_SCALE]
 * (values outside are clamped). Returns 0, -1 when memory runs out. */
int ranking_ranks(const int64_t *key_e4, size_t n, int *ranks);

/* Bands, best first: a unit gets the first band whose min_e4 its index reaches. */
#define RANK_BANDS 4
struct rank_band {
    const char *code, *label;
    int64_t min_e4;
};
/* The default thresholds: xuat_sac 0,9000; tot 0,8000; kha 0,6500; trung_binh 0. */
extern const struct rank_band ranking_default_bands[RANK_BANDS];
/* Index of the band for idx_e4 in bands (n entries with descending min_e4), n - 1 when none
 * is reached. */
size_t ranking_band(const struct rank_band *bands, size_t n, int64_t idx_e4);
/* Band code → position in ranking_default_bands, -1 when unknown. */
int ranking_band_find(const char *code);
/* Thresholds valid: strictly descending, each in [0, 10000], the last exactly 0. */
bool ranking_bands_valid(const int64_t *min_e4, size_t n);

/* ---- Rank ranges under alternative readings ------------------------------------------------
 * n units; k ambiguous criteria, criterion c having opts[c] readings (option 0 = the chosen one,
 * the one the base totals are under). d_pts[c][o * n + u] / d_max[c][o * n + u]: how much unit
 * u's points / applicable maximum (hundredths) change when criterion c is read as option o
 * instead of the chosen one (so option 0 rows are all 0). One combination = one option per
 * criterion, applied to every unit at once. */
struct rr_problem {
    size_t n, k;
    const int64_t *base_pts, *base_max; /* n each */
    const size_t *opts;                 /* k */
    const int64_t *const *d_pts, *const *d_max;
};

struct rr_unit {
    int best, worst; /* ranks; best <= worst */
};

/* Work budget of the exact enumeration: combinations × (n + 10001) steps. */
#define RR_EXACT_MAX_COMBOS ((uint64_t)1 << 16)
#define RR_EXACT_MAX_WORK ((uint64_t)1 << 28)

/* Fills out[n] with each unit's best and worst rank. Exact (every combination enumerated,
 * totals updated incrementally) when the number of combinations and the work stay within the
 * budget above, *exact = true; otherwise a sound bound (*exact = false): best = 1 + the units
 * whose lowest index is above u's highest, worst = 1 + the units (other than u) whose highest
 * index is above u's lowest. swing (k × n, may be NULL): for criterion c and unit u, the spread
 * of u's rank (worst − best) when only c changes reading, every other at the chosen one.
 * Options that change nothing another option of the criterion does not are merged first;
 * *combos (may be NULL) gets the number of distinct combinations. Returns 0, -1 when memory
 * runs out. */
int rank_ranges(const struct rr_problem *p, struct rr_unit *out, int *swing, bool *exact,
                uint64_t *combos);
/* The number of combinations (saturating at UINT64_MAX). */
uint64_t rank_range_combos(const struct rr_problem *p);

#endif
