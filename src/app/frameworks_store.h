/* frameworks_store.h — index sets in the database (table frameworks). */
#ifndef DTI_APP_FRAMEWORKS_STORE_H
#define DTI_APP_FRAMEWORKS_STORE_H

#include <stddef.h>

#include "store/db.h"

/* Loads every JSON index set in DIR that is valid and whose (id, version) is not stored yet.
 * Returns the number installed, or -1 with a message in err (an invalid shipped file is an error). */
int frameworks_sync_dir(db_conn *c, const char *dir, char *err, size_t errlen);

#endif
