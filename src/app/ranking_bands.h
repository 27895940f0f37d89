/* ranking_bands.h — a round's band thresholds per level (table ranking_bands, migration 5):
 * xuất sắc / tốt / khá / trung bình, defaults from core/ranking.c when the round sets none. */
#ifndef DTI_APP_RANKING_BANDS_H
#define DTI_APP_RANKING_BANDS_H

#include <jansson.h>
#include <stdint.h>

#include "app/app_err.h"
#include "core/ranking.h"
#include "store/db.h"

/* out[RANK_BANDS], best first: the round's thresholds for the level, else the defaults.
 * *custom = true when the round set them. -1 with err (500). */
int ranking_bands_load(db_conn *c, int64_t round_id, const char *level,
                       struct rank_band *out, bool *custom, struct app_err *err);
/* [{"band","label","min_index"}] */
json_t *ranking_bands_json(const struct rank_band *b);
/* PUT /rounds/{id}/bands {"level", "bands": [{"band","min_index"}]} (every band once): stores
 * the thresholds, audited round.bands (old/new). *result {"round_id","level","custom","bands"}.
 * Inside the caller's transaction. */
int ranking_bands_set(db_conn *c, const struct app_actor *who, int64_t round_id,
                      const json_t *body, int64_t now, json_t **result, struct app_err *err);
/* GET: {"round_id","level","custom","bands"} */
json_t *ranking_bands_get(db_conn *c, int64_t round_id, const char *level, struct app_err *err);

#endif
