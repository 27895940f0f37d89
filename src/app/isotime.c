/* isotime.c — the platform's one time zone is UTC+7 (Vietnam has no daylight saving), so a
 * fixed offset is exact and needs no tz database. */
#include "app/isotime.h"

#include <time.h>

static void local_tm(int64_t t, struct tm *out)
{
    time_t lt = (time_t)(t + 7 * 3600);
    gmtime_r(&lt, out);
}

void isotime_format(int64_t t, char out[ISOTIME_LEN])
{
    struct tm tm;
    local_tm(t, &tm);
    strftime(out, ISOTIME_LEN, "%Y-%m-%dT%H:%M:%S+07:00", &tm);
}

json_t *isotime_json(int64_t t, int is_null)
{
    if (is_null)
        return json_null();
    char b[ISOTIME_LEN];
    isotime_format(t, b);
    return json_string(b);
}

void isotime_human(int64_t t, char out[ISOTIME_LEN])
{
    struct tm tm;
    local_tm(t, &tm);
    strftime(out, ISOTIME_LEN, "%H:%M ngày %d/%m/%Y", &tm);
}
