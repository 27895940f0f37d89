/* schemas_users.c — schemas of /users. Lengths (users.h): username 64, full_name 200, email 254
 * characters. A leader's list is their own unit's (the route row enforces it). */
#include <stddef.h>

#include "api/route_schema.h"
#include "api/schema_text.h"

#define USER_ROLE "{\"type\":\"string\",\"enum\":[\"admin\",\"appraiser\",\"staff\",\"leader\"]}"
#define OTP J_OBJ(Q("one_time_password"), P("one_time_password", J_STR))

const struct route_schema schemas_users[] = {
    {"GET", "/api/v1/users", NULL,
     J_RESP("200", J_OBJ(Q("users"), P("users", J_ARRAY(J_REF("User")))))},
    {"POST", "/api/v1/users",
     J_OBJ(Q("username") "," Q("full_name") "," Q("role") "," Q("unit_id"),
           P("username", J_TEXT(64)) "," P("full_name", J_TEXT(200)) ","
           P("email", J_TEXT_NULL(254)) "," P("role", USER_ROLE) "," P("unit_id", J_ID)),
     J_RESP("201", J_OBJ(Q("user") "," Q("one_time_password"),
                         P("user", J_REF("User")) "," P("one_time_password", J_STR)))},
    /* partial; full_name, role and unit_id are never null (email null: none) */
    {"PATCH", "/api/v1/users/{id}",
     J_OBJ_OPT(P("full_name", J_TEXT(200)) "," P("email", J_TEXT_NULL(254)) ","
               P("role", USER_ROLE) "," P("unit_id", J_ID)),
     J_RESP("200", J_REF("User"))},
    {"POST", "/api/v1/users/{id}/disable", NULL, J_RESP("200", J_REF("User"))},
    {"POST", "/api/v1/users/{id}/enable", NULL, J_RESP("200", J_REF("User"))},
    {"POST", "/api/v1/users/{id}/reset-password", NULL, J_RESP("200", OTP)},
    {"POST", "/api/v1/users/{id}/totp-reset", NULL, J_NO_CONTENT("204")},
    {NULL, NULL, NULL, NULL}};

const struct schema_component components_users[] = {
    /* never a password hash or a TOTP secret */
    {"User", J_OBJ(Q("id") "," Q("username") "," Q("full_name") "," Q("email") "," Q("role") ","
                   Q("unit_id") "," Q("disabled") "," Q("totp_enabled") ","
                   Q("must_change_password") "," Q("created_at") "," Q("last_login_at"),
                   P("id", J_ID) "," P("username", J_STR) "," P("full_name", J_STR) ","
                   P("email", J_STR_NULL) "," P("role", J_REF("Role")) "," P("unit_id", J_ID) ","
                   P("disabled", J_BOOL) "," P("totp_enabled", J_BOOL) ","
                   P("must_change_password", J_BOOL) "," P("created_at", J_TIME) ","
                   P("last_login_at", J_TIME_NULL))},
    {NULL, NULL}};
