/* schemas_auth.c — schemas of /auth/... (login, second factor, logout, password, TOTP) and
 * GET /me. Lengths are the handlers' (api_auth.c): username 64, password 1024, pending token
 * 64, code 32 characters. */
#include <stddef.h>

#include "api/route_schema.h"
#include "api/schema_text.h"

#define PASSWORD "{\"type\":\"string\",\"maxLength\":1024}"
#define CODE J_TEXT(32)

const struct route_schema schemas_auth[] = {
    {"POST", "/api/v1/auth/login",
     J_OBJ(Q("username") "," Q("password"),
           P("username", J_TEXT(64)) "," P("password", PASSWORD)),
     J_RESP("200", J_REF("LoginResult"))},
    {"POST", "/api/v1/auth/login/second-factor",
     J_OBJ(Q("pending_token") "," Q("code"), P("pending_token", J_TEXT(64)) "," P("code", CODE)),
     J_RESP("200", J_REF("LoginResult"))},
    {"POST", "/api/v1/auth/logout", NULL, J_NO_CONTENT("204")},
    {"POST", "/api/v1/auth/password",
     J_OBJ(Q("current_password") "," Q("new_password"),
           P("current_password", PASSWORD) "," P("new_password", PASSWORD)),
     J_NO_CONTENT("204")},
    {"GET", "/api/v1/me", NULL,
     J_RESP("200", "{\"oneOf\":[" J_REF("MeSession") "," J_REF("MeToken") "]}")},
    {"POST", "/api/v1/auth/totp/enrol", NULL,
     J_RESP("200", J_OBJ(Q("secret") "," Q("otpauth_uri"),
                         P("secret", "{\"type\":\"string\",\"pattern\":\"^[A-Z2-7]+=*$\"}") ","
                         P("otpauth_uri", "{\"type\":\"string\",\"pattern\":\"^otpauth://totp/\"}")))},
    {"POST", "/api/v1/auth/totp/confirm", J_OBJ(Q("code"), P("code", CODE)),
     J_RESP("200",
            J_OBJ(Q("recovery_codes"),
                  P("recovery_codes",
                    "{\"type\":\"array\",\"minItems\":10,\"maxItems\":10,\"items\":{\"type\":"
                    "\"string\",\"pattern\":\"^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$\"}}")))},
    {"POST", "/api/v1/auth/totp/disable", J_OBJ(Q("code"), P("code", CODE)),
     J_NO_CONTENT("204")},
    {NULL, NULL, NULL, NULL}};

const struct schema_component components_auth[] = {
    /* a session (cookies set), or the second step of a login with TOTP (no session yet) */
    {"LoginResult", "{\"oneOf\":[" J_REF("LoginSession") "," J_REF("LoginSecondFactor") "]}"},
    {"LoginSession", J_OBJ(Q("user") "," Q("csrf_token"),
                           P("user", J_REF("User")) "," P("csrf_token", J_STR))},
    {"LoginSecondFactor",
     J_OBJ(Q("second_factor_required") "," Q("pending_token") "," Q("expires_in"),
           P("second_factor_required", J_TRUE) "," P("pending_token", J_STR) ","
           P("expires_in", J_ID))},
    /* GET /me of a signed-in user */
    {"MeSession", J_OBJ(Q("user") "," Q("unit") "," Q("csrf_token"),
                        P("user", J_REF("User")) "," P("unit", J_REF("Unit")) ","
                        P("csrf_token", J_STR))},
    /* GET /me of an API token: which token it is, never its secret */
    {"MeToken", J_OBJ(Q("user") "," Q("unit") "," Q("token"),
                      P("user", J_NULL) "," P("unit", J_REF("Unit")) ","
                      P("token", J_REF("ApiToken")))},
    {NULL, NULL}};
