/* publication.h — publishing a finalised round's results (issue 9, docs/results-api.md
 * "Publication", docs/publication.md): a frozen, numbered snapshot per publication (table
 * publications, migration 6) whose JSON export's SHA-256 is the receipt, and the public reads
 * of those snapshots. Nothing here recomputes a published result: the public reads only the
 * stored bytes. */
#ifndef DTI_APP_PUBLICATION_H
#define DTI_APP_PUBLICATION_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app_err.h"
#include "store/db.h"

#define PUB_NOTE_MAX 1000

/* The document a publication freezes (publication_export.c). */
struct pub_export {
    char *json, *csv; /* malloc'd; json is the exact downloadable bytes */
    size_t json_len, csv_len;
    char sha256[65], csv_sha256[65], content_sha256[65];
    char *title;
    int64_t year;
    json_t *levels; /* [{level, level_label, units}] */
    char *round_info, *methodology; /* compact JSON of the export's parts, for public reads */
    json_t *bodies;                 /* [{level, body}]: each level's public ranking response */
};

/* Builds the export of round `id` as publication `version` (note may be NULL; supersedes_sha256
 * the receipt of the version it corrects, or NULL). 404 unknown round, 409 round_not_finalised. */
int pub_export_build(db_conn *c, int64_t id, int64_t version, const char *note,
                     const char *supersedes_sha256, int64_t now, struct pub_export *out,
                     struct app_err *err);
void pub_export_free(struct pub_export *e);

/* Publishes round `id` inside the caller's transaction: version 1, or the next version when it
 * was published before (then `note` is required and the content must differ); one audit entry
 * round.publish. *result = the Publication (docs/results-api.md). */
int publication_publish(db_conn *c, const struct app_actor *who, int64_t id, const char *note,
                        int64_t now, json_t **result, struct app_err *err);

/* {"rounds": [PublishedRound]}: every published round, newest year first. NULL with err. */
json_t *publication_list(db_conn *c, struct app_err *err);

/* One stored version (0 = the current one) of round `id`; 404 when the round has no such
 * publication (the same answer as for a round that does not exist or is unpublished). */
struct pub_row {
    int64_t round_id, version, current_version;
    char *json, *csv; /* malloc'd */
    size_t json_len, csv_len;
    char sha256[65];
};
int publication_get(db_conn *c, int64_t id, int64_t version, struct pub_row *out,
                    struct app_err *err);
void pub_row_free(struct pub_row *r);

/* The round's current (or given) version as the public page shows it: round, publication,
 * versions, methodology, levels (no rankings). NULL with err. */
json_t *publication_round(db_conn *c, int64_t id, int64_t version, struct app_err *err);
/* The ranking of one level as stored at publication (level NULL: the first level): the exact
 * JSON response body (malloc'd, *len bytes). NULL with err. */
char *publication_rankings(db_conn *c, int64_t id, int64_t version, const char *level,
                           size_t *len, struct app_err *err);

#endif
