/* demo.h — the province tree a new installation starts with. */
#ifndef DTI_APP_DEMO_H
#define DTI_APP_DEMO_H

#include <stdint.h>

#include "app/app_err.h"
#include "store/db.h"

/* The demo province of docs/demo-province.md (codes and names exactly as listed), inside the
 * caller's transaction, audited. *province_id = the root unit (HUE). */
int demo_create_units(db_conn *c, const struct app_actor *who, int64_t now,
                      int64_t *province_id, struct app_err *err);

/* A single province unit (code "TINH") named `name`, for a real installation. */
int demo_create_province(db_conn *c, const struct app_actor *who, const char *name,
                         int64_t now, int64_t *province_id, struct app_err *err);

#endif
