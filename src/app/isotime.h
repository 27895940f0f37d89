/* isotime.h — times in the API: ISO 8601 in Asia/Ho_Chi_Minh (UTC+7, no daylight saving). */
#ifndef DTI_APP_ISOTIME_H
#define DTI_APP_ISOTIME_H

#include <jansson.h>
#include <stdint.h>

#define ISOTIME_LEN 32
/* "2026-11-23T18:07:00+07:00" */
void isotime_format(int64_t unix_seconds, char out[ISOTIME_LEN]);
/* A JSON string for the time, or JSON null when is_null. */
json_t *isotime_json(int64_t unix_seconds, int is_null);
/* "18:07 ngày 23/11/2026", for Vietnamese messages. */
void isotime_human(int64_t unix_seconds, char out[ISOTIME_LEN]);

#endif
