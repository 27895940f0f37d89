/* schemas_tokens.c — schemas of /tokens (API tokens for data feeds). name: 100 characters. */
#include <stddef.h>

#include "api/route_schema.h"
#include "api/schema_text.h"

const struct route_schema schemas_tokens[] = {
    {"GET", "/api/v1/tokens", NULL,
     J_RESP("200", J_OBJ(Q("tokens"), P("tokens", J_ARRAY(J_REF("ApiToken")))))},
    {"POST", "/api/v1/tokens",
     J_OBJ(Q("name") "," Q("unit_id") "," Q("role"),
           P("name", J_TEXT(100)) "," P("unit_id", J_ID) ","
           P("role", "{\"type\":\"string\",\"enum\":[\"feed\",\"staff\",\"leader\","
                     "\"appraiser\"]}")),
     /* the secret is in this answer only */
     J_RESP("201", J_OBJ(Q("token") "," Q("secret"),
                         P("token", J_REF("ApiToken")) ","
                         P("secret", "{\"type\":\"string\",\"pattern\":\"^dti_\"}")))},
    {"POST", "/api/v1/tokens/{id}/revoke", NULL, J_RESP("200", J_REF("ApiToken"))},
    {NULL, NULL, NULL, NULL}};

const struct schema_component components_tokens[] = {
    {"ApiToken",
     J_OBJ(Q("id") "," Q("name") "," Q("unit_id") "," Q("role") "," Q("created_at") ","
           Q("revoked_at") "," Q("last_used_at") "," Q("created_by"),
           P("id", J_ID) "," P("name", J_STR) "," P("unit_id", J_ID) "," P("role", J_REF("Role"))
           "," P("created_at", J_TIME) "," P("revoked_at", J_TIME_NULL) ","
           P("last_used_at", J_TIME_NULL) "," P("created_by", J_ID_NULL))},
    {NULL, NULL}};
