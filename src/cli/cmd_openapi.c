/* cmd_openapi.c — `dti openapi`: prints the API's OpenAPI 3.0.3 document (the one GET
 * /api/v1/openapi.json serves) without a server or a database, after checking that the route
 * table and the schema tables agree (openapi_check): the web build generates the UI's types
 * from it (web/scripts/gen-types.mjs), so a route without a schema stops the build. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_health.h"
#include "api/schemas.h"
#include "cli/cli.h"
#include "core/json_oom.h"


int cmd_openapi(int argc, char **argv)
{
    if (argc > 1) {
        bool help = !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h");
        if (!help)
            fprintf(stderr, "dti openapi: tham số không hợp lệ: %s (lệnh này không nhận tham số)\n",
                    argv[1]);
        fprintf(help ? stdout : stderr,
                "Cách dùng: dti openapi\n  In mô tả API (OpenAPI 3.0.3, JSON) ra đầu ra chuẩn.\n");
        return help ? 0 : 2;
    }
    char why[512];
    if (openapi_check(dti_routes, schema_parts, why, sizeof why)) {
        fprintf(stderr, "dti openapi: mô tả API không khớp bảng định tuyến: %s\n", why);
        return 1;
    }
    json_t *doc = openapi_document(dti_routes);
    char *text = doc ? json_oom_dumps(doc, JSON_INDENT(2) | JSON_SORT_KEYS) : NULL;
    json_decref(doc);
    if (!text) {
        fprintf(stderr, "dti openapi: hết bộ nhớ\n");
        return 1;
    }
    int rc = puts(text) < 0 || fflush(stdout) ? 1 : 0;
    free(text);
    return rc;
}
