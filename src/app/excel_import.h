/* excel_import.h — a filled Excel template back into a unit's report (issue 10, docs/excel.md).
 *
 * The workbook is read with core/xlsx_read.h (never evaluated, never extracted), matched against
 * its fingerprint and the structure the template was written with (core/template_layout.h),
 * every cell checked, and the result given as a dry-run report: for every criterion the old and
 * the new values and the points they give, every error and warning with its sheet and cell.
 * Unless it is a dry run and when there is no error, the changed tasks are saved through the
 * report-save path (workflow `save`, version bump, one audit entry each) and the unit's tasks
 * recomputed (standardise), all in the caller's transaction. */
#ifndef DTI_APP_EXCEL_IMPORT_H
#define DTI_APP_EXCEL_IMPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app_err.h"
#include "app/tasks.h"
#include "store/db.h"

struct xi_opts {
    bool dry_run;
    int64_t expect_round, expect_unit; /* 0: taken from the fingerprint */
    const struct task_who *who;
    int64_t now;
    uint64_t max_file_bytes; /* 0: the reader's default */
};

/* The report {"ok", "dry_run", "saved", "round_id", "unit_id", "unit_code", "changed",
 * "errors": [Issue], "warnings": [Issue], "criteria": [...], "standardise": {...} | null}
 * with Issue = {"sheet", "cell", "criterion", "code", "message"} (sheet, cell and criterion
 * may be null). The caller commits only when ok is true and it is not a dry run, else rolls
 * back. NULL with err only on an internal failure (database, memory). */
json_t *excel_import(db_conn *c, const void *data, size_t len, const struct xi_opts *o,
                     struct app_err *err);

#endif
