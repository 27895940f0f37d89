/* evidence_text.h — a task's evidence files with their signature verdicts (issue 11, migration 7)
 * as Vietnamese text for the Excel exports: the progress report's evidence column and the note
 * on the evidence cell of a unit's template (docs/signatures.md "Excel exports"). The verdict
 * labels are pdfsig_verdict_label's, the same the API serves. */
#ifndef DTI_APP_EVIDENCE_TEXT_H
#define DTI_APP_EVIDENCE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/db.h"

struct evtext_file {
    char *name, *signer, *org;
    int verdict; /* enum pdfsig_verdict; -1: not a PDF (not checked) */
    int64_t signing_time;
    bool has_time;
};

struct evtext_task {
    int64_t task_id;
    bool required; /* the criterion has "signed_evidence": true */
    size_t first, n; /* its files in evtext.files */
};

struct evtext {
    struct evtext_task *tasks; /* sorted by task_id */
    size_t n_tasks;
    struct evtext_file *files;
    size_t n_files;
};

/* Loads the tasks of round `round_id` that unit `unit_id` reports or is assessed by, with the
 * evidence files current at `as_of` (unix seconds, exclusive; 0 = now: neither replaced nor
 * removed), in upload order. -1 on a database error or when memory ran out. */
int evtext_load(db_conn *c, int64_t round_id, int64_t unit_id, int64_t as_of, struct evtext *out);
void evtext_free(struct evtext *ev);

/* Writes task_id's text into buf (size n; cut at a UTF-8 boundary when too long): a warning
 * line first when the criterion requires a digitally signed file and not every file is
 * signed_valid (or there is none), then one line per file:
 *   "quyet-dinh.pdf — Chữ ký số hợp lệ — Nguyễn Văn An (Sở Nội vụ), 04/12/2026".
 * *warn tells whether the warning was written. Returns false (buf "") when there is nothing to
 * say: no file and no warning, or a task not loaded. */
bool evtext_task(const struct evtext *ev, int64_t task_id, char *buf, size_t n, bool *warn);

#endif
