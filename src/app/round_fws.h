/* round_fws.h — the index sets a round uses, compiled (through the frameworks cache), one per
 * level. Shared by the readings and the external values of a round. */
#ifndef DTI_APP_ROUND_FWS_H
#define DTI_APP_ROUND_FWS_H

#include <stdint.h>

#include "app/app_err.h"
#include "app/frameworks_cache.h"
#include "store/db.h"

#define ROUND_FWS_MAX 8

struct round_fw {
    char level[16], id[80];
    int64_t version;
    struct fw_cache_entry *entry;
    struct fw_compiled cf;
};

/* Fills out[ROUND_FWS_MAX] ordered by level; returns the count, or -1 with err. */
int round_fws_load(db_conn *c, int64_t round_id, struct round_fw *out, struct app_err *err);
void round_fws_release(struct round_fw *f, int n);

#endif
