/* fuzz_json_read.c — any body: no crash, and an accepted body obeys the limits. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/json_read.h"

static int depth(const json_t *v)
{
    int d = 0;
    if (json_is_object(v)) {
        const char *k;
        json_t *c;
        json_object_foreach((json_t *)v, k, c) {
            int x = depth(c);
            if (x > d)
                d = x;
        }
        return d + 1;
    }
    if (json_is_array(v)) {
        size_t i;
        json_t *c;
        json_array_foreach((json_t *)v, i, c) {
            int x = depth(c);
            if (x > d)
                d = x;
        }
        return d + 1;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct json_err err;
    json_t *j = json_read_body((const char *)data, size, &err);
    if (!j) {
        if (err.status != 400 || !err.code[0] || !err.message[0])
            abort();
        return 0;
    }
    if (!json_is_object(j) || depth(j) > JSON_MAX_DEPTH)
        abort();
    const char *s;
    int64_t n;
    bool b;
    json_req_string(j, "name", 1, 10, false, &s, &err);
    json_req_int(j, "n", 0, 100, false, &n, &err);
    json_req_bool(j, "b", false, &b, &err);
    const char *const allowed[] = {"name", "n", "b", NULL};
    json_reject_unknown(j, allowed, &err);
    json_decref(j);
    return 0;
}
