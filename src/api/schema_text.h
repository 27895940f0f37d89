/* schema_text.h — short spellings of the JSON Schema fragments the schemas_<part>.c files repeat
 * (string literals, concatenated at compile time; the result is plain JSON text). */
#ifndef DTI_API_SCHEMA_TEXT_H
#define DTI_API_SCHEMA_TEXT_H

#define Q(name) "\"" name "\""
/* one property: P("id", J_ID) */
#define P(name, schema) Q(name) ":" schema
/* a closed object (no other keys): J_OBJ(Q("a") "," Q("b"), P("a", J_STR) "," P("b", J_INT)) */
#define J_OBJ(required, props)                                                       \
    "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[" required "]," \
    "\"properties\":{" props "}}"
/* a closed object with no required key */
#define J_OBJ_OPT(props) \
    "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{" props "}}"
#define J_REF(name) "{\"$ref\":\"#/components/schemas/" name "\"}"
#define J_ARRAY(items) "{\"type\":\"array\",\"items\":" items "}"
#define J_INT "{\"type\":\"integer\"}"
#define J_COUNT "{\"type\":\"integer\",\"minimum\":0}"
#define J_ID "{\"type\":\"integer\",\"minimum\":1}"
#define J_ID_NULL "{\"type\":\"integer\",\"minimum\":1,\"nullable\":true}"
#define J_STR "{\"type\":\"string\"}"
#define J_STR_NULL "{\"type\":\"string\",\"nullable\":true}"
#define J_TEXT(max) "{\"type\":\"string\",\"maxLength\":" #max "}"
#define J_TEXT_NULL(max) "{\"type\":\"string\",\"maxLength\":" #max ",\"nullable\":true}"
#define J_BOOL "{\"type\":\"boolean\"}"
#define J_TRUE "{\"type\":\"boolean\",\"enum\":[true]}"
#define J_FALSE "{\"type\":\"boolean\",\"enum\":[false]}"
#define J_POINTS "{\"type\":\"number\"}"
#define J_TIME "{\"type\":\"string\",\"format\":\"date-time\"}"
#define J_TIME_NULL "{\"type\":\"string\",\"format\":\"date-time\",\"nullable\":true}"
/* exactly null (OpenAPI 3.0 has no "type": "null") */
#define J_NULL "{\"type\":\"object\",\"nullable\":true,\"enum\":[null]}"
/* a component or null ("nullable" next to "$ref" is ignored in OpenAPI 3.0) */
#define J_REF_NULL(name) "{\"anyOf\":[" J_REF(name) "," J_NULL "]}"
/* any JSON value, null included */
#define J_ANY "{}"
/* responses: J_RESP("200", schema), or J_NO_CONTENT("204") for an empty body */
#define J_RESP(status, schema) "{\"" status "\":" schema "}"
#define J_NO_CONTENT(status) "{\"" status "\":null}"

#endif
