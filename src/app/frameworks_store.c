/* frameworks_store.c — placeholder until the index set engine lands. */
#include "app/frameworks_store.h"

int frameworks_sync_dir(db_conn *c, const char *dir, char *err, size_t errlen)
{
    (void)c;
    (void)dir;
    (void)err;
    (void)errlen;
    return 0;
}
