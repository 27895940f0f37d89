/* route_schema.h — request and response schemas of the API, the one source openapi.json is built
 * from (with the route table) and the API tests validate every response against.
 *
 * Each part of the API keeps its schemas in its own file, src/api/schemas_<part>.c, as two
 * NULL-terminated tables (JSON Schema texts in the OpenAPI 3.0 dialect; "$ref":
 * "#/components/schemas/Name" refers to a component of any part):
 *
 *   const struct route_schema schemas_<part>[] = {
 *       {"POST", "/api/v1/rounds", "{...request body schema...}",
 *        "{\"201\": {...}, \"200\": {...}}"},
 *       {NULL, NULL, NULL, NULL}};
 *   const struct schema_component components_<part>[] = {{"Round", "{...}"}, {NULL, NULL}};
 *
 * and is listed once in src/api/schemas.c. Error responses (4xx/5xx) share one component
 * ("Error") added by the generator; list only the success responses. */
#ifndef DTI_API_ROUTE_SCHEMA_H
#define DTI_API_ROUTE_SCHEMA_H

struct route_schema {
    const char *method, *path; /* exactly as in the route table */
    const char *request;       /* JSON Schema of the body, NULL when the route takes none */
    const char *responses;     /* JSON object: status code -> schema of the success body */
};

struct schema_component {
    const char *name, *schema;
};

#endif
