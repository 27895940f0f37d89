/* rankings_xlsx.h — a round's rankings and per-criterion results as an .xlsx workbook, one sheet
 * per level (libxlsxwriter), written to a temporary file that is unlinked once open. */
#ifndef DTI_APP_RANKINGS_XLSX_H
#define DTI_APP_RANKINGS_XLSX_H

#include <stdint.h>

#include "app/app_err.h"
#include "store/db.h"

#define RANKINGS_XLSX_MIME "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* *fd: the file open for reading (already unlinked; the caller closes or streams it), *size its
 * length. 404 unknown round, 500. */
int rankings_xlsx(db_conn *c, int64_t round_id, int *fd, uint64_t *size, struct app_err *err);

#endif
