/* test_ranking.c — ranks with shared ties, bands, rank ranges (core/ranking.h), on hand-computed
 * cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/ranking.h"
#include "core/score.h"

static void test_ties_share_rank(void **state)
{
    (void)state;
    int64_t k[] = {8000, 9000, 8000, 7000, 9500};
    int r[5];
    assert_int_equal(ranking_ranks(k, 5, r), 0);
    assert_int_equal(r[4], 1);
    assert_int_equal(r[1], 2);
    assert_int_equal(r[0], 3);
    assert_int_equal(r[2], 3);
    assert_int_equal(r[3], 5); /* 1, 2, 3, 3, 5: the rank after a tie skips */
}

static void test_ties_on_displayed_index(void **state)
{
    (void)state;
    /* 1/3 and 3333/10000 of the points: different exact ratios, the same index as displayed
     * (0,3333), so they share a rank; 0,33335 rounds half up to 0,3334 and ranks ahead */
    int64_t k[] = {score_index_e4(100, 300), score_index_e4(3333, 10000),
                   score_index_e4(33335, 100000)};
    assert_int_equal(k[0], 3333);
    assert_int_equal(k[1], 3333);
    assert_int_equal(k[2], 3334);
    int r[3];
    assert_int_equal(ranking_ranks(k, 3, r), 0);
    assert_int_equal(r[2], 1);
    assert_int_equal(r[0], 2);
    assert_int_equal(r[1], 2);
}

static void test_all_equal_and_empty(void **state)
{
    (void)state;
    int64_t k[] = {0, 0, 0};
    int r[3];
    assert_int_equal(ranking_ranks(k, 3, r), 0);
    assert_int_equal(r[0], 1);
    assert_int_equal(r[2], 1);
    assert_int_equal(ranking_ranks(k, 0, r), 0);
}

static void test_bands(void **state)
{
    (void)state;
    const struct rank_band *b = ranking_default_bands;
    assert_string_equal(b[ranking_band(b, RANK_BANDS, 10000)].code, "xuat_sac");
    assert_string_equal(b[ranking_band(b, RANK_BANDS, 9000)].code, "xuat_sac"); /* at the threshold */
    assert_string_equal(b[ranking_band(b, RANK_BANDS, 8999)].code, "tot");
    assert_string_equal(b[ranking_band(b, RANK_BANDS, 6500)].code, "kha");
    assert_string_equal(b[ranking_band(b, RANK_BANDS, 6499)].code, "trung_binh");
    assert_string_equal(b[ranking_band(b, RANK_BANDS, 0)].code, "trung_binh");
    struct rank_band custom[RANK_BANDS];
    memcpy(custom, b, sizeof custom);
    custom[0].min_e4 = 9500;
    assert_string_equal(custom[ranking_band(custom, RANK_BANDS, 9400)].code, "tot");
    assert_int_equal(ranking_band_find("kha"), 2);
    assert_int_equal(ranking_band_find("gioi"), -1);
    int64_t ok[] = {9000, 8000, 6500, 0}, notdesc[] = {9000, 9000, 6500, 0},
            nozero[] = {9000, 8000, 6500, 100}, over[] = {10001, 8000, 6500, 0};
    assert_true(ranking_bands_valid(ok, 4));
    assert_false(ranking_bands_valid(notdesc, 4));
    assert_false(ranking_bands_valid(nozero, 4));
    assert_false(ranking_bands_valid(over, 4));
}

/* Three units with max 100 points each (10000 hundredths). */
static const int64_t MAX3[] = {10000, 10000, 10000};
static const int64_t Z3[9] = {0};

static void test_range_no_alternatives(void **state)
{
    (void)state;
    int64_t base[] = {5000, 6000, 6000};
    struct rr_problem p = {.n = 3, .k = 0, .base_pts = base, .base_max = MAX3};
    struct rr_unit out[3];
    bool exact;
    uint64_t combos;
    assert_int_equal(rank_ranges(&p, out, NULL, &exact, &combos), 0);
    assert_true(exact);
    assert_int_equal(combos, 1);
    assert_int_equal(out[0].best, 3);
    assert_int_equal(out[0].worst, 3);
    assert_int_equal(out[1].best, 1);
    assert_int_equal(out[2].worst, 1);
}

/* One criterion, two readings. A 50, B 55, C 60 points; read the other way, A gains 10 and C
 * loses 10: A 60, B 55, C 50. Ranks: A 3 → 1, B 2 → 2, C 1 → 3. */
static void test_range_one_criterion(void **state)
{
    (void)state;
    int64_t base[] = {5000, 5500, 6000};
    int64_t dp[] = {0, 0, 0, 1000, 0, -1000};
    const int64_t *dps[] = {dp}, *dms[] = {Z3};
    size_t opts[] = {2};
    struct rr_problem p = {3, 1, base, MAX3, opts, dps, dms};
    struct rr_unit out[3];
    int swing[3];
    bool exact;
    uint64_t combos;
    assert_int_equal(rank_ranges(&p, out, swing, &exact, &combos), 0);
    assert_true(exact);
    assert_int_equal(combos, 2);
    assert_int_equal(out[0].best, 1);
    assert_int_equal(out[0].worst, 3);
    assert_int_equal(out[1].best, 2);
    assert_int_equal(out[1].worst, 2);
    assert_int_equal(out[2].best, 1);
    assert_int_equal(out[2].worst, 3);
    assert_int_equal(swing[0], 2);
    assert_int_equal(swing[1], 0); /* B's rank never moves */
    assert_int_equal(swing[2], 2);
}

/* Every combination applies to all units at once: the exact range is tighter than the bound.
 * A 50, B 55; one criterion whose other reading gives BOTH +10. Exact: B stays ahead (A is 2nd
 * under either reading). The bound compares A's best (60) with B's worst (55) and says A could
 * be 1st. */
static void test_exact_tighter_than_bound(void **state)
{
    (void)state;
    int64_t base[] = {5000, 5500};
    int64_t dp[] = {0, 0, 1000, 1000};
    int64_t dm[4] = {0};
    const int64_t *dps[] = {dp}, *dms[] = {dm};
    size_t opts[] = {2};
    struct rr_problem p = {2, 1, base, MAX3, opts, dps, dms};
    struct rr_unit out[2];
    bool exact;
    assert_int_equal(rank_ranges(&p, out, NULL, &exact, NULL), 0);
    assert_true(exact);
    assert_int_equal(out[0].best, 2);
    assert_int_equal(out[0].worst, 2);
    assert_int_equal(out[1].best, 1);
    assert_int_equal(out[1].worst, 1);

    /* the same problem over the exact budget: 17 copies of a 2-reading criterion whose other
     * reading changes nothing but one that gives both +10 → distinct options survive */
    enum { K = 17 };
    const int64_t *dps2[K], *dms2[K];
    size_t opts2[K];
    int64_t dpk[K][4];
    for (int c = 0; c < K; c++) {
        /* each criterion: A and B gain c+1 hundredths under its other reading */
        dpk[c][0] = dpk[c][1] = 0;
        dpk[c][2] = dpk[c][3] = c + 1;
        dps2[c] = dpk[c];
        dms2[c] = dm;
        opts2[c] = 2;
    }
    int64_t base2[] = {5000, 5010};
    struct rr_problem q = {2, K, base2, MAX3, opts2, dps2, dms2};
    uint64_t combos;
    assert_int_equal(rank_ranges(&q, out, NULL, &exact, &combos), 0);
    assert_false(exact); /* 2^17 combinations: over the exact budget */
    assert_int_equal(combos, (uint64_t)1 << K);
    /* the bound: A's highest 5000 + 153 = 51,53 % is above B's lowest 50,10 %: A may be 1st */
    assert_int_equal(out[0].best, 1);
    assert_int_equal(out[0].worst, 2);
    assert_int_equal(out[1].best, 1);
    assert_int_equal(out[1].worst, 2);
}

/* Two criteria, the best combination for A is a mix: exact enumeration finds it. A 50, B 52,
 * C 54. c1 other reading: A +3, C +3. c2 other reading: A +3, B +3. Combinations:
 * (0,0) A50 B52 C54 → A 3rd; (1,0) A53 B52 C57 → A 2nd; (0,1) A53 B55 C54 → A 3rd;
 * (1,1) A56 B55 C57 → A 2nd. So A: best 2, worst 3. B: (0,0) 2nd, (1,0) 3rd, (0,1) 1st,
 * (1,1) 3rd → 1..3. C: 1st, 1st, 2nd, 1st → 1..2. */
static void test_range_two_criteria(void **state)
{
    (void)state;
    int64_t base[] = {5000, 5200, 5400};
    int64_t d1[] = {0, 0, 0, 300, 0, 300}, d2[] = {0, 0, 0, 300, 300, 0};
    const int64_t *dps[] = {d1, d2}, *dms[] = {Z3, Z3};
    size_t opts[] = {2, 2};
    struct rr_problem p = {3, 2, base, MAX3, opts, dps, dms};
    struct rr_unit out[3];
    int swing[6];
    bool exact;
    assert_int_equal(rank_ranges(&p, out, swing, &exact, NULL), 0);
    assert_true(exact);
    assert_int_equal(out[0].best, 2);
    assert_int_equal(out[0].worst, 3);
    assert_int_equal(out[1].best, 1);
    assert_int_equal(out[1].worst, 3);
    assert_int_equal(out[2].best, 1);
    assert_int_equal(out[2].worst, 2);
    /* c1 alone: A 53 B 52 C 57 → A 2nd (from 3rd): swing 1; B 3rd (from 2nd): 1; C 1st: 0 */
    assert_int_equal(swing[0 * 3 + 0], 1);
    assert_int_equal(swing[0 * 3 + 1], 1);
    assert_int_equal(swing[0 * 3 + 2], 0);
    /* c2 alone: A 53 B 55 C 54 → A 3rd: 0; B 1st: 1; C 2nd: 1 */
    assert_int_equal(swing[1 * 3 + 0], 0);
    assert_int_equal(swing[1 * 3 + 1], 1);
    assert_int_equal(swing[1 * 3 + 2], 1);
}

/* A reading under which a criterion is not applicable changes the maximum too: A 45/90 when
 * the 10-point criterion it got 0 on does not apply = 0,5000, ties with B 50/100. */
static void test_range_changes_maximum(void **state)
{
    (void)state;
    int64_t base[] = {4500, 5000}, max[] = {10000, 10000};
    int64_t dp[] = {0, 0, 0, 0}, dm[] = {0, 0, -1000, 0};
    const int64_t *dps[] = {dp}, *dms[] = {dm};
    size_t opts[] = {2};
    struct rr_problem p = {2, 1, base, max, opts, dps, dms};
    struct rr_unit out[2];
    bool exact;
    assert_int_equal(rank_ranges(&p, out, NULL, &exact, NULL), 0);
    assert_int_equal(out[0].best, 1); /* tie at 0,5000 */
    assert_int_equal(out[0].worst, 2);
    assert_int_equal(out[1].best, 1);
    assert_int_equal(out[1].worst, 1);
}

/* Readings that agree on every unit's data are merged and do not multiply the combinations. */
static void test_identical_readings_merged(void **state)
{
    (void)state;
    int64_t base[] = {5000, 6000, 7000};
    enum { K = 40 };
    const int64_t *dps[K], *dms[K];
    size_t opts[K];
    for (int c = 0; c < K; c++) {
        dps[c] = Z3;
        dms[c] = Z3;
        opts[c] = 3;
    }
    int64_t moving[] = {0, 0, 0, 2500, 0, 0, 2500, 0, 0}; /* options 1 and 2 the same */
    dps[7] = moving;
    struct rr_problem p = {3, K, base, MAX3, opts, dps, dms};
    struct rr_unit out[3];
    bool exact;
    uint64_t combos;
    assert_int_equal(rank_ranges(&p, out, NULL, &exact, &combos), 0);
    assert_true(exact);
    assert_int_equal(combos, 2);
    assert_int_equal(out[0].best, 1);
    assert_int_equal(out[0].worst, 3);
    assert_int_equal(out[1].worst, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ties_share_rank),
        cmocka_unit_test(test_ties_on_displayed_index),
        cmocka_unit_test(test_all_equal_and_empty),
        cmocka_unit_test(test_bands),
        cmocka_unit_test(test_range_no_alternatives),
        cmocka_unit_test(test_range_one_criterion),
        cmocka_unit_test(test_exact_tighter_than_bound),
        cmocka_unit_test(test_range_two_criteria),
        cmocka_unit_test(test_range_changes_maximum),
        cmocka_unit_test(test_identical_readings_merged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
