/* schemas_frameworks.c — schemas of /frameworks: the index set file of docs/framework-format.md
 * (the upload's raw body, and the detail's body with the computed fields added). The file's
 * own rules (sums, keys, rule types) are the validator's (src/core/framework.c); these
 * schemas give its shape. */
#include <stddef.h>

#include "api/route_schema.h"
#include "api/schema_text.h"

#define FW_LEVEL "{\"type\":\"string\",\"enum\":[\"province\",\"department\",\"district\",\"commune\"]}"
/* the top-level keys of the file */
#define FW_FILE_PROPS                                                                         \
    P("format", J_STR) "," P("id", "{\"type\":\"string\",\"pattern\":\"^[a-z0-9-]{3,64}$\"}") \
    "," P("version", J_ID) "," P("title", J_STR) "," P("level", FW_LEVEL) ","                 \
    P("year", J_INT) "," P("status", "{\"type\":\"string\",\"enum\":[\"official\",\"draft\"]}") \
    "," P("draft_note", J_STR) "," P("source", J_STR) "," P("notes", J_STR) ","               \
    P("max_points", J_POINTS) "," P("info_fields", J_ARRAY(J_REF("InfoField"))) ","           \
    P("pillars", J_ARRAY(J_REF("Pillar")))
#define FW_FILE_REQUIRED                                                                     \
    Q("format") "," Q("id") "," Q("version") "," Q("title") "," Q("level") "," Q("year") "," \
    Q("status") "," Q("max_points") "," Q("pillars")
#define SUMMARY_REQUIRED                                                                   \
    Q("id") "," Q("version") "," Q("title") "," Q("level") "," Q("year") "," Q("status") "," \
    Q("max_points") "," Q("criteria_count")
#define SUMMARY_PROPS                                                                         \
    P("id", J_STR) "," P("version", J_ID) "," P("title", J_STR) "," P("level", FW_LEVEL) "," \
    P("year", J_INT) "," P("status", J_STR) "," P("max_points", J_POINTS) ","                 \
    P("criteria_count", J_COUNT)
/* the totals of one node, computed by the server */
#define TOTAL_PROPS P("key", J_STR) "," P("code", J_STR) "," P("title", J_STR) "," P("max_points", J_POINTS)

const struct route_schema schemas_frameworks[] = {
    {"GET", "/api/v1/frameworks", NULL,
     J_RESP("200", J_OBJ(Q("frameworks"), P("frameworks", J_ARRAY(J_REF("FrameworkSummary")))))},
    {"GET", "/api/v1/frameworks/{id}", NULL, J_RESP("200", J_REF("Framework"))},
    /* the raw body is the file itself (ROUTE_RAW_BODY, up to 4 MiB) */
    {"POST", "/api/v1/frameworks", J_REF("FrameworkFile"), J_RESP("201", J_REF("FrameworkSummary"))},
    {NULL, NULL, NULL, NULL}};

const struct schema_component components_frameworks[] = {
    {"FrameworkSummary", J_OBJ(SUMMARY_REQUIRED, SUMMARY_PROPS)},
    {"FrameworkFile", J_OBJ(FW_FILE_REQUIRED, FW_FILE_PROPS)},
    /* GET /frameworks/{id}: the stored file plus what the server computes */
    {"Framework",
     J_OBJ(FW_FILE_REQUIRED "," Q("criteria_count") "," Q("totals") "," Q("sha256") ","
           Q("created_at") "," Q("versions"),
           FW_FILE_PROPS "," P("criteria_count", J_COUNT) "," P("totals", J_REF("FrameworkTotals"))
           "," P("sha256", "{\"type\":\"string\",\"pattern\":\"^[0-9a-f]{64}$\"}") ","
           P("created_at", J_TIME) "," P("versions", J_ARRAY(J_ID)))},
    {"InfoField", J_OBJ(Q("key") "," Q("label") "," Q("type"),
                        P("key", J_STR) "," P("label", J_STR) ","
                        P("type", "{\"type\":\"string\",\"enum\":[\"text\",\"url\",\"count\"]}"))},
    {"Pillar", J_OBJ(Q("key") "," Q("code") "," Q("title") "," Q("max_points") "," Q("groups"),
                     P("key", J_STR) "," P("code", J_STR) "," P("title", J_STR) ","
                     P("max_points", J_POINTS) "," P("groups", J_ARRAY(J_REF("Group"))) ","
                     P("notes", J_STR))},
    {"Group", J_OBJ(Q("key") "," Q("code") "," Q("title") "," Q("criteria"),
                    P("key", J_STR) "," P("code", J_STR) "," P("title", J_STR) ","
                    P("criteria", J_ARRAY(J_REF("Criterion"))) "," P("notes", J_STR) ","
                    P("max_points", J_POINTS))},
    {"Criterion",
     J_OBJ(Q("key") "," Q("code") "," Q("title") "," Q("max_points"),
           P("key", J_STR) "," P("code", J_STR) "," P("title", J_STR) "," P("max_points", J_POINTS)
           "," P("due", J_STR) "," P("guidance", J_STR) "," P("conditions", J_STR) ","
           P("evidence", J_STR) "," P("notes", J_STR) "," P("signed_evidence", J_BOOL) ","
           P("applies_to", J_ARRAY(J_STR)) "," P("na_allowed", J_STR) ","
           P("data_source", J_OBJ(Q("kind"), P("kind", J_STR) "," P("system", J_STR) ","
                                          P("index", J_STR) "," P("note", J_STR))) ","
           P("max_reachable", J_POINTS) ","
           /* named alternative readings (docs/framework-format.md): the same shape as the main
            * rule and examples, with a name, label and why */
           P("alternatives", J_ARRAY("{\"type\":\"object\"}")) ","
           P("responsible_unit", J_STR) "," P("demo", J_BOOL) "," P("source_issue", J_STR) ","
           P("inputs", J_ARRAY(J_REF("Input"))) "," P("rule", J_REF("Rule")) ","
           P("examples", J_ARRAY(J_REF("Example"))))},
    {"Input", J_OBJ(Q("name") "," Q("label") "," Q("type"),
                    P("name", J_STR) "," P("label", J_STR) ","
                    P("type", "{\"type\":\"string\",\"enum\":[\"bool\",\"count\",\"number\","
                              "\"ratio\",\"choice\",\"date\",\"points\"]}") ","
                    P("unit", J_STR) "," P("min", J_POINTS) "," P("max", J_POINTS) ","
                    P("options", J_ARRAY(J_OBJ(Q("value") "," Q("label"),
                                               P("value", J_STR) "," P("label", J_STR)))))},
    /* a rule's fields depend on its type (docs/framework-format.md "Rules") */
    {"Rule", "{\"type\":\"object\",\"required\":[\"type\"],\"properties\":{\"type\":"
             "{\"type\":\"string\"}},\"additionalProperties\":true}"},
    {"Example", J_OBJ(Q("inputs"), P("inputs", "{\"type\":\"object\"}") ","
                      P("points", J_POINTS) "," P("note", J_STR) "," P("unit_kind", J_STR) ","
                      P("status", "{\"type\":\"string\",\"enum\":[\"scored\",\"not_applicable\"]}"))},
    /* the summary and per-node totals; rule_text is the rule in Vietnamese, shown as is */
    {"FrameworkTotals",
     J_OBJ(SUMMARY_REQUIRED "," Q("pillars"),
           SUMMARY_PROPS "," P("pillars",
             J_ARRAY(J_OBJ(Q("key") "," Q("code") "," Q("title") "," Q("max_points") ","
                           Q("criteria_count") "," Q("groups"),
                           TOTAL_PROPS "," P("criteria_count", J_COUNT) ","
                           P("groups",
                             J_ARRAY(J_OBJ(Q("key") "," Q("code") "," Q("title") ","
                                           Q("max_points") "," Q("criteria_count") ","
                                           Q("criteria"),
                                           TOTAL_PROPS "," P("criteria_count", J_COUNT) ","
                                           P("criteria", J_ARRAY(J_OBJ(
                                               Q("key") "," Q("code") "," Q("title") ","
                                               Q("max_points") "," Q("rule_type") ","
                                               Q("rule_text"),
                                               TOTAL_PROPS "," P("rule_type", J_STR) ","
                                               P("rule_text", J_STR)))))))))))},
    {NULL, NULL}};
