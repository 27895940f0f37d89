/* schema.h — the numbered migrations of the platform's database (see schema.c). */
#ifndef DTI_APP_SCHEMA_H
#define DTI_APP_SCHEMA_H

#include "store/db.h"

extern const struct db_migration dti_migrations[];
extern const int dti_migrations_count;

#endif
