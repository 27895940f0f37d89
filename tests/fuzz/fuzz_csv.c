/* fuzz_csv.c — the CSV reader of imports (core/csv.h) on arbitrary bytes: no crash, no leak, no
 * undefined behaviour; a result is rows of {"line", "fields"} within the limits. */
#include <stdint.h>
#include <stdlib.h>

#include "core/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536)
        return 0;
    char err[200];
    json_t *rows = csv_parse((const char *)data, size, err, sizeof err);
    if (rows) {
        if (json_array_size(rows) > CSV_MAX_ROWS)
            abort();
        for (size_t i = 0; i < json_array_size(rows); i++)
            if (json_array_size(json_object_get(json_array_get(rows, i), "fields")) > CSV_MAX_FIELDS)
                abort();
        json_decref(rows);
    }
    return 0;
}
