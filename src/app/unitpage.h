/* unitpage.h — a unit's own page in a round (docs/results-api.md "Unit page and progress
 * report"): where it can still gain points, what-if (the engine on changed inputs, never saved)
 * and the progress report. Reads only; nothing here writes to the database. */
#ifndef DTI_APP_UNITPAGE_H
#define DTI_APP_UNITPAGE_H

#include <jansson.h>
#include <stdint.h>

#include "app/app_err.h"
#include "store/db.h"

/* GET /rounds/{id}/units/{unit}/gains → {"round_id","unit_id","unit_name","level","points",
 * "max_points","missing_points","windows":[...],"criteria":[Gain…]} sorted by missing points
 * (most first). NULL with err: 404 unknown round / unit not in it, 500. */
json_t *unitpage_gains(db_conn *c, int64_t round_id, int64_t unit_id, int64_t now,
                       struct app_err *err);

/* POST /rounds/{id}/units/{unit}/what-if: changes = [{"task_id","inputs"}] (inputs merged over
 * the task's stored ones; null removes one). → {"tasks":[…],"points","max_points","index",
 * "rank","units_in_level","before":{"points","max_points","index","rank"}}. */
json_t *unitpage_what_if(db_conn *c, int64_t round_id, int64_t unit_id, const json_t *changes,
                         struct app_err *err);

/* GET /rounds/{id}/units/{unit}/progress?period=YYYY-Qn|YYYY-MM-DD. as_of = the exclusive end
 * of the period (unix seconds), 0 = now (the tasks as they are). */
json_t *unitpage_progress(db_conn *c, int64_t round_id, int64_t unit_id, int64_t as_of,
                          const char *period, struct app_err *err);

/* Parses a period: "2024-Q2" (end of the quarter) or "2024-06-30" (end of that day), both in
 * Asia/Ho_Chi_Minh; *as_of = the exclusive end. false when not one of those forms. */
bool unitpage_parse_period(const char *s, int64_t *as_of);

struct evtext;
/* Writes the progress report (the JSON above) as an .xlsx file at path; with ev (NULL: none),
 * a column of each criterion's evidence files and their signature verdicts (app/evidence_text.h).
 * 0, or -1 with err. */
int unitpage_progress_xlsx(const json_t *report, const struct evtext *ev, const char *path,
                           struct app_err *err);

#endif
