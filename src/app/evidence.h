/* evidence.h — evidence files linked to tasks (tables blobs, evidence of migration 3): who may
 * add one now, adding (or replacing: the earlier row is kept with superseded_at and linked by
 * replaces_id), listing with earlier versions, removing (removed_at; the row stays in history).
 * Every change is audited in the same transaction (evidence.add / .replace / .remove). The
 * bytes themselves are in the blob store (blobstore.h), under their SHA-256. */
#ifndef DTI_APP_EVIDENCE_H
#define DTI_APP_EVIDENCE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/app_err.h"
#include "pdf/pdf_verify.h"
#include "store/db.h"

#define EVIDENCE_NAME_MAX 255 /* characters of a file name */
#define EVIDENCE_MIME_MAX 96

/* The task an upload goes to, as evidence_may_save found it. */
struct evidence_task {
    int64_t id, unit_id, round_id;
    bool trial; /* the round is in its trial phase: rows are marked trial = 1 */
};

/* Whether evidence of task `task_id` may be changed now: the workflow's `save` (state × current
 * phase of the task's round; a finalised round: never). 404 when there is no such task; 409
 * invalid_transition / wrong_phase / round_finalised with a Vietnamese message otherwise. */
int evidence_may_save(db_conn *c, int64_t task_id, int64_t now, struct evidence_task *t,
                      struct app_err *e);

struct evidence_new {
    const char *file_name; /* raw, cleaned here (text_clean_line: NFC, no control/bidi) */
    const char *sha256, *mime;
    int64_t size;
    int64_t replaces_id; /* 0: a new file */
    const struct pdf_result *sig; /* part: pdfsig — the PDF's signature check; NULL: not a PDF */
};

/* Adds the row (and the blob row when new) after evidence_may_save, inside the caller's
 * transaction; *id = the new row. */
int evidence_add(db_conn *c, const struct app_actor *who, const struct evidence_task *t,
                 const struct evidence_new *in, int64_t now, int64_t *id, struct app_err *e);
/* The file name as it will be stored, or -1 with a 422 naming the field "file". */
int evidence_clean_name(const char *raw, char *out, size_t cap, struct app_err *e);
/* One row as JSON (Evidence), NULL when absent or on error. */
json_t *evidence_get(db_conn *c, int64_t id);
/* Every row of the task, current ones first then earlier versions and removed ones, newest
 * first within each: {"evidence": [...]}; NULL on error. */
json_t *evidence_list(db_conn *c, int64_t task_id);
/* What a download needs; -1 with 404 when there is no such row. */
int evidence_file(db_conn *c, int64_t id, char sha256[65], char *mime, size_t mime_cap,
                  char *name, size_t name_cap, struct app_err *e);
/* Marks the row removed (after evidence_may_save on its task), inside the caller's
 * transaction. 409 when it is already removed or replaced. */
int evidence_remove(db_conn *c, const struct app_actor *who, int64_t id, int64_t now,
                    struct app_err *e);

#endif
