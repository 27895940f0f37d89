/* schemas.h — every part's schema tables (route_schema.h), listed once in src/api/schemas.c,
 * and the check that keeps them and the route table in step (run by tests/unit/test_openapi.c
 * and by `dti openapi`, which the web build calls). */
#ifndef DTI_API_SCHEMAS_H
#define DTI_API_SCHEMAS_H

#include <stddef.h>

#include "api/route_schema.h"
#include "http/http.h"

struct schema_part {
    const char *name;
    const struct route_schema *routes;          /* {NULL...}-terminated */
    const struct schema_component *components;  /* {NULL, NULL}-terminated */
};

/* Every part, ending with {NULL, NULL, NULL}. */
extern const struct schema_part schema_parts[];

/* The entry of method + path in parts, or NULL. */
const struct route_schema *schema_find(const struct schema_part *parts, const char *method,
                                       const char *path);

/* 0 when the route table and the schema tables agree: every route has exactly one schema entry
 * and every entry names a route; every schema text is JSON (the right kind: object, or
 * status -> object|null for responses), every status a 3-digit code; component names are
 * unique and not "Error"; every request body of an object type refuses unknown fields
 * (additionalProperties: false); every "$ref" of the generated document resolves. Otherwise
 * -1 with the first problem in why. */
/* The OpenAPI 3.0.3 document of a route table and schema tables (new reference; NULL when memory
 * ran out or a schema text is not JSON). openapi_document(table) uses schema_parts. */
json_t *openapi_document_parts(const struct route *table, const struct schema_part *parts);

int openapi_check(const struct route *table, const struct schema_part *parts, char *why,
                  size_t why_len);

#endif
