/* schemas_audit.c — schemas of GET /audit and GET /audit/verify. */
#include <stddef.h>

#include "api/route_schema.h"
#include "api/schema_text.h"

const struct route_schema schemas_audit[] = {
    {"GET", "/api/v1/audit", NULL,
     J_RESP("200", J_OBJ(Q("entries") "," Q("next_before_id"),
                         P("entries", J_ARRAY(J_REF("AuditEntry"))) ","
                         P("next_before_id", J_ID_NULL)))},
    {"GET", "/api/v1/audit/verify", NULL,
     J_RESP("200", "{\"oneOf\":["
                   J_OBJ(Q("ok") "," Q("entries"), P("ok", J_TRUE) "," P("entries", J_COUNT)) ","
                   J_OBJ(Q("ok") "," Q("first_bad_id") "," Q("reason"),
                         P("ok", J_FALSE) "," P("first_bad_id", J_COUNT) "," P("reason", J_STR))
                   "]}")},
    {NULL, NULL, NULL, NULL}};

const struct schema_component components_audit[] = {
    /* old/new: the changed fields before and after (any JSON, null when none) */
    {"AuditEntry",
     J_OBJ(Q("id") "," Q("at") "," Q("actor") "," Q("client_addr") "," Q("action") ","
           Q("entity") "," Q("entity_id") "," Q("old") "," Q("new"),
           P("id", J_ID) "," P("at", J_TIME) ","
           P("actor", J_OBJ(Q("user_id") "," Q("username"),
                            P("user_id", J_ID_NULL) "," P("username", J_STR))) ","
           P("client_addr", J_STR_NULL) "," P("action", J_STR) "," P("entity", J_STR) ","
           P("entity_id", J_STR_NULL) "," P("old", J_ANY) "," P("new", J_ANY))},
    {NULL, NULL}};
