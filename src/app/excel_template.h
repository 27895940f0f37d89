/* excel_template.h — a unit's report of a round as an Excel workbook (issue 10, docs/excel.md):
 * the model both the export and the import work on (the unit's tasks grouped into one sheet
 * per level, laid out by core/template_layout.h), and the writer (libxlsxwriter). */
#ifndef DTI_APP_EXCEL_TEMPLATE_H
#define DTI_APP_EXCEL_TEMPLATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/app_err.h"
#include "app/frameworks_cache.h"
#include "core/template_layout.h"
#include "store/db.h"

#define XT_MAX_SHEETS 8

struct xt_task {
    int64_t id, version, max_h, self_h;
    bool has_self;
    char state[24];
    const struct fw_criterion *crit;
    char reading[64];
    json_t *inputs; /* owned: {name: value} as saved */
    char *content;  /* owned, NULL when none: the evidence column */
    char *note;     /* owned, NULL when none */
};

struct xt_sheet {
    char name[32], level[16], fw_id[80], fw_title[256];
    int64_t fw_version, subject_unit_id;
    struct fw_cache_entry *entry;
    struct fw_compiled cf;
    struct xt_task *tasks;
    size_t n;
    struct tl_layout lay;
};

struct evtext;

struct xt_model {
    int64_t round_id, unit_id, year;
    bool finalised;
    char round_title[256], unit_code[64], unit_name[256];
    struct xt_sheet sheets[XT_MAX_SHEETS];
    size_t n_sheets;
    struct evtext *evidence; /* owned; NULL: the export shows no evidence files (the import) */
};

/* The tasks unit `unit_id` reports in round `round_id`. -1 with err: 404 (no such round, or
 * the unit reports nothing in it), 500. */
int xt_load(db_conn *c, int64_t round_id, int64_t unit_id, struct xt_model *m,
            struct app_err *err);
void xt_free(struct xt_model *m);
/* Loads the model's current evidence files and their signature verdicts, which the writer
 * shows as a note on each criterion's evidence cell (the importer never reads notes). -1 with
 * err (500). */
int xt_load_evidence(db_conn *c, struct xt_model *m, struct app_err *err);

/* Writes the workbook to path (created 0600 by the caller's umask). -1 with err (500). */
int xt_write(const struct xt_model *m, const char *path, struct app_err *err);

/* xt_load + xt_load_evidence + xt_write. */
int excel_template_file(db_conn *c, int64_t round_id, int64_t unit_id, const char *path,
                        struct app_err *err);
/* Every reporting unit's template of the round in one zip at path ("<unit code>.xlsx" each).
 * *count gets the number of files. -1 with err. */
int excel_templates_zip(db_conn *c, int64_t round_id, const char *path, size_t *count,
                        struct app_err *err);
/* The file name of a unit's template: "mau-<round>-<code>.xlsx" with the code made safe. */
void excel_template_name(int64_t round_id, const char *unit_code, char *buf, size_t n);

#endif
