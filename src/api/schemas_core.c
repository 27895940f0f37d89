/* schemas_core.c — schemas of GET /health and GET /openapi.json. */
#include <stddef.h>

#include "api/route_schema.h"
#include "api/schema_text.h"

const struct route_schema schemas_core[] = {
    {"GET", "/api/v1/health", NULL,
     "{\"200\":" J_OBJ(Q("status") "," Q("database"),
                       P("status", "{\"type\":\"string\",\"enum\":[\"ok\"]}") ","
                       P("database", "{\"type\":\"string\",\"enum\":[\"ok\"]}"))
     ",\"503\":" J_OBJ(Q("status") "," Q("database"),
                       P("status", "{\"type\":\"string\",\"enum\":[\"error\"]}") ","
                       P("database", "{\"type\":\"string\",\"enum\":[\"unreachable\"]}")) "}"},
    /* this document itself: only its frame (the rest is OpenAPI 3.0.3's own schema) */
    {"GET", "/api/v1/openapi.json", NULL,
     J_RESP("200", "{\"type\":\"object\",\"required\":[\"openapi\",\"info\",\"paths\","
                   "\"components\"],\"properties\":{"
                   P("openapi", "{\"type\":\"string\",\"pattern\":\"^3\\\\.0\\\\.\"}") ","
                   P("info", "{\"type\":\"object\"}") "," P("paths", "{\"type\":\"object\"}") ","
                   P("components", "{\"type\":\"object\"}") "}}")},
    {NULL, NULL, NULL, NULL}};

/* Shared by every part: roles and unit kinds. */
const struct schema_component components_core[] = {
    {"Role", "{\"type\":\"string\",\"enum\":[\"admin\",\"appraiser\",\"staff\",\"leader\","
             "\"feed\"]}"},
    {"UnitKind", "{\"type\":\"string\",\"enum\":[\"province\",\"department\",\"district\","
                 "\"commune\",\"other\"]}"},
    {NULL, NULL}};
