/* rounds.h — evaluation rounds (docs/rounds-api.md): create one with its index sets, units and
 * dated phases, generating every task in the same transaction; read; change title and phases.
 *
 * Changing functions run inside the caller's open transaction and append their audit entry;
 * on refusal they return -1 with err filled (field named) and the caller rolls back. The
 * request body is validated here, so the API and `dti demo` share one set of rules. */
#ifndef DTI_APP_ROUNDS_H
#define DTI_APP_ROUNDS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/app_err.h"
#include "store/db.h"

#define ROUND_TITLE_MAX 200
#define ROUND_YEAR_MIN 2000
#define ROUND_YEAR_MAX 2100

/* What round_create made: for the audit entry, the CLI and the benchmark. */
struct round_counts {
    int64_t units, tasks;
};

/* body: {"title", "year", "frameworks": [...], "units": {...}, "phases": [...]} (borrowed).
 * *id_out = the new round. */
int round_create(db_conn *c, const struct app_actor *who, json_t *body, int64_t now,
                 int64_t *id_out, struct round_counts *counts, struct app_err *err);
/* body: {"title"?, "phases"?}; phases given replace every window of the round. 409
 * round_finalised once the round is finalised. */
int round_update(db_conn *c, const struct app_actor *who, int64_t id, json_t *body,
                 int64_t now, struct app_err *err);

/* Round as the API shows it (frameworks, phases, current_phase at `now`, counts), NULL when
 * there is no such round or the database failed (*missing tells which). */
json_t *round_get(db_conn *c, int64_t id, int64_t now, bool *missing);
/* {"rounds": [Round…]} newest first; NULL on a database error. */
json_t *rounds_list(db_conn *c, int64_t now);

/* 404 round_not_found / 409 round_finalised / 500: the check every write on a round makes. */
int round_check_open(db_conn *c, int64_t id, struct app_err *err);

#endif
