/* fuzz_router.c — any method/path: no crash, and a matched path is always clean. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/router.h"

static int h(http_req *r)
{
    (void)r;
    return 0;
}

static const struct route table[] = {
    {"GET", "/api/v1/units", h, 0, 0, "", 0, NULL},
    {"GET", "/api/v1/units/{id}", h, 0, 0, "", 0, NULL},
    {"POST", "/api/v1/units/{id}/retire", h, 0, 0, "", 0, NULL},
    {"GET", "/api/v1/rounds/{round}/units/{unit}/tasks/{task}", h, 0, 0, "", 0, NULL},
    {NULL, NULL, NULL, 0, 0, NULL, 0, NULL},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = '\0';
    static struct router_match m;
    const char *method = (size && (data[0] & 1)) ? "POST" : "GET";
    enum router_status st = router_match(table, method, s, &m);
    if (st != ROUTER_BAD_PATH) {
        /* Whatever was accepted decodes to valid UTF-8 with no dot segments or NUL. */
        if (!utf8_valid(m.path, strlen(m.path)) || strstr(m.path, "/../") || strstr(m.path, "//") ||
            strstr(m.path, "/./"))
            abort();
        size_t n = strlen(m.path);
        if ((n >= 3 && !strcmp(m.path + n - 3, "/..")) || (n >= 2 && !strcmp(m.path + n - 2, "/.")))
            abort();
    }
    if (st == ROUTER_MATCH)
        for (int i = 0; i < m.nparams; i++)
            if (!m.param_value[i][0] || strchr(m.param_value[i], '/'))
                abort();
    char out[256];
    router_decode(s, size, out, sizeof out, true);
    free(s);
    return 0;
}
