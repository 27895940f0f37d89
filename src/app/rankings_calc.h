/* rankings_calc.h — internals shared by rankings.c, rankings_range.c and the .xlsx export: one
 * level of one round, totalled and ranked. */
#ifndef DTI_APP_RANKINGS_CALC_H
#define DTI_APP_RANKINGS_CALC_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/app_err.h"
#include "app/frameworks_cache.h"
#include "core/ranking.h"
#include "store/db.h"

struct rk_level {
    char fw_id[80];
    int64_t fw_version;
    struct fw_cache_entry *entry;
    struct fw_compiled cf;
    db_rows *units; /* unit_id, code, name; ordered by unit_id */
    size_t n, np;   /* units, pillars */
    int64_t *pts, *max, *key; /* approved points, applicable maximum (hundredths), index e4 */
    int *rank;
    int64_t *pillar_pts, *pillar_max; /* n × np */
};

/* 422 when the round has no set for the level; 500. */
int rk_level_load(db_conn *c, int64_t round_id, const char *level, struct rk_level *l,
                  struct app_err *err);
void rk_level_free(struct rk_level *l);
long rk_unit_pos(const struct rk_level *l, int64_t unit_id);
/* unit positions in rank order, then code (malloc) */
size_t *rk_order(const struct rk_level *l);

/* Rank ranges of a level under the alternative readings the round declares. */
struct rk_ranges {
    size_t n, k;
    const struct framework *fw;
    const struct fw_criterion **crit; /* k ambiguous criteria (borrowed from the level's set) */
    struct rr_unit *unit;             /* n */
    int *swing;                       /* k × n */
    bool exact;
    uint64_t combos;
};
int rk_ranges(db_conn *c, int64_t round_id, const struct rk_level *l, struct rk_ranges **out,
              struct app_err *err);
/* {"best","worst","exact","criteria":[{"criterion_key","code","swing"}]} of unit u: the
 * criteria that move its rank (swing > 0), most first, at most 3. */
json_t *rk_range_json(const struct rk_ranges *r, size_t u);
/* {"exact","combinations","criteria"} */
json_t *rk_ranges_meta_json(const struct rk_ranges *r);
void rk_ranges_free(struct rk_ranges *r);

#endif
