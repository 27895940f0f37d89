/* readings.h — a round's choice of reading for each ambiguous criterion (round_readings) and
 * rescoring the affected tasks (docs/rounds-api.md "Readings"). Run inside the caller's
 * transaction; every change audited. */
#ifndef DTI_APP_READINGS_H
#define DTI_APP_READINGS_H

#include <jansson.h>
#include <stdint.h>

#include "app/app_err.h"
#include "core/framework.h"
#include "store/db.h"

/* {"round_id", "readings": [{framework_id, framework_version, level, criterion_key, code, title,
 * source_issue?, chosen, readings: [{name, label, why?, rule, rule_text}]}]}; NULL with err. */
json_t *readings_list(db_conn *c, int64_t round_id, struct app_err *err);
/* body {"framework_id", "criterion_key", "alternative"}: records the choice, rescores every
 * affected task; *result {"framework_id","criterion_key","previous","alternative","rescored"}. */
int readings_set(db_conn *c, const struct app_actor *who, int64_t round_id, const json_t *body,
                 int64_t now, json_t **result, struct app_err *err);
/* Rescores the tasks of criterion cr (of set fw_id) in the round under `reading` (only those of
 * subject unit only_unit when not 0) from their stored inputs, or their external value; one
 * task.rescore audit entry per changed task; *changed counts them. */
int readings_rescore(db_conn *c, const struct app_actor *who, int64_t round_id,
                     const struct fw_criterion *cr, const char *fw_id, const char *reading,
                     int64_t only_unit, int64_t now, int *changed, struct app_err *err);
/* 404 when the round does not exist, 409 round_finalised once it is final. */
int round_check_open_readings(db_conn *c, int64_t round_id, struct app_err *err);

#endif
