/* external_values.h — results taken from another index (CCHC) per unit and criterion, with
 * their source (table external_values; tasks.external_value). docs/rounds-api.md
 * "External values". */
#ifndef DTI_APP_EXTERNAL_VALUES_H
#define DTI_APP_EXTERNAL_VALUES_H

#include <jansson.h>
#include <stdint.h>

#include "app/app_err.h"
#include "store/db.h"

/* {"round_id", "criteria": [criteria of the round's sets taken from another index, with their
 * inputs], "values": [{unit_id, unit_name, criterion_key, value, source, entered_at, entered_by,
 * task_id, self_points, self_status, self_explanation}]}; NULL with err. */
json_t *external_values_list(db_conn *c, int64_t round_id, struct app_err *err);
/* body {"values": [{"unit_id", "criterion_key", "value": {input: value}, "source"}]}: all or
 * nothing; each changed value stored, audited (round.external_value), copied to the unit's task
 * and the task rescored (task.rescore). *result {"stored", "rescored"}. */
int external_values_put(db_conn *c, const struct app_actor *who, int64_t round_id,
                        const json_t *body, int64_t now, json_t **result, struct app_err *err);

/* The same from a CSV text (header unit_id, criterion_key, source, then the input names; an
 * empty cell leaves the input out; ',' or ';' separated). Errors name the line of the file. */
int external_values_import_csv(db_conn *c, const struct app_actor *who, int64_t round_id,
                               const char *text, size_t len, int64_t now, json_t **result,
                               struct app_err *err);

#endif
