/* rankings.h — a round's ranking of one level (docs/results-api.md "Rankings"): approved points,
 * index = points / applicable maximum (4 decimals), rank with ties sharing a rank (judged on the
 * index as displayed), band, per-pillar points, the change against the previous round, and on
 * request each unit's rank range under the alternative readings the round declares. */
#ifndef DTI_APP_RANKINGS_H
#define DTI_APP_RANKINGS_H

#include <jansson.h>
#include <stdint.h>

#include "app/app_err.h"
#include "store/db.h"

#define RANKINGS_WITH_RANGE 1

/* {"round_id", "level", "framework": {"id","version"}, "bands": [{"band","label","min_index"}],
 *  "units": [{"unit_id","unit_code","unit_name","points","max_points","index","rank","band",
 *             "pillars": [{"key","title","points","max_points"}],
 *             "previous": {"round_id","points","rank","points_change","rank_change"} | null,
 *             "new_unit": bool,
 *             "rank_range": {"best","worst","criteria":[{"criterion_key","code","swing"}]} | null}]}
 * Units in rank order (then code). NULL with err: 404 unknown round, 422 level not in the round,
 * 500. */
json_t *rankings_level(db_conn *c, int64_t round_id, const char *level, int flags,
                       struct app_err *err);

#endif
