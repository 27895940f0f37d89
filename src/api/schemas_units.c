/* schemas_units.c — schemas of /units. Lengths (units.h): code 32 ([A-Za-z0-9._-]), name 200,
 * official_code 32, info texts 500, retire reason 1000; counts 0..10^8. */
#include <stddef.h>

#include "api/route_schema.h"
#include "api/schema_text.h"

/* code, name and kind are never null (PATCH refuses it; POST requires them) */
#define UNIT_PROPS                                                                            \
    P("code", "{\"type\":\"string\",\"maxLength\":32,\"pattern\":\"^[A-Za-z0-9._-]+$\"}") ","   \
    P("name", J_TEXT(200)) "," P("kind", J_REF("UnitKind")) ","                                \
    P("parent_id", J_ID_NULL) "," P("official_code", J_TEXT_NULL(32)) ","                     \
    P("info", J_REF_NULL("UnitInfoInput"))

#define INFO_COUNT(nullable) \
    "{\"type\":\"integer\",\"minimum\":0,\"maximum\":100000000" nullable "}"
#define INFO_PROPS(text, count)                                                        \
    P("address", text) "," P("website", text) "," P("subunits_count", count) ","        \
    P("civil_servants_count", count) "," P("public_employees_count", count) ","         \
    P("servers_count", count) "," P("workstations_count", count) ","                    \
    P("information_systems_count", count) "," P("admin_procedures_count", count)

const struct route_schema schemas_units[] = {
    {"GET", "/api/v1/units", NULL,
     J_RESP("200", J_OBJ(Q("units"), P("units", J_ARRAY(J_REF("Unit")))))},
    {"GET", "/api/v1/units/{id}", NULL, J_RESP("200", J_REF("Unit"))},
    /* parent_id: required but for the one root (null or absent: the root, kind province) */
    {"POST", "/api/v1/units", J_OBJ(Q("code") "," Q("name") "," Q("kind"), UNIT_PROPS),
     J_RESP("201", J_REF("Unit"))},
    /* partial: a key given replaces, info merged key by key (null removes a key) */
    {"PATCH", "/api/v1/units/{id}", J_OBJ_OPT(UNIT_PROPS), J_RESP("200", J_REF("Unit"))},
    {"POST", "/api/v1/units/{id}/retire",
     J_OBJ(Q("reason"), P("reason", J_TEXT_NULL(1000))), J_RESP("200", J_REF("Unit"))},
    {NULL, NULL, NULL, NULL}};

const struct schema_component components_units[] = {
    {"Unit", J_OBJ(Q("id") "," Q("code") "," Q("name") "," Q("kind") "," Q("parent_id") ","
                   Q("official_code") "," Q("info") "," Q("created_at") "," Q("retired_at") ","
                   Q("retired_reason"),
                   P("id", J_ID) "," P("code", J_STR) "," P("name", J_STR) ","
                   P("kind", J_REF("UnitKind")) "," P("parent_id", J_ID_NULL) ","
                   P("official_code", J_STR_NULL) "," P("info", J_REF("UnitInfo")) ","
                   P("created_at", J_TIME) "," P("retired_at", J_TIME_NULL) ","
                   P("retired_reason", J_STR_NULL))},
    /* the general information of seed 002's "Thông tin chung"; a key absent = not given */
    {"UnitInfo", J_OBJ_OPT(INFO_PROPS(J_STR, INFO_COUNT("")))},
    /* as written: null (or a blank text) removes the key */
    {"UnitInfoInput",
     J_OBJ_OPT(INFO_PROPS(J_TEXT_NULL(500), INFO_COUNT(",\"nullable\":true")))},
    {NULL, NULL}};
