/* schemas_unitpage.c — request and success-response schemas of the unit page routes (gains,
 * what-if, progress report; docs/results-api.md "Unit page and progress report"), in the format
 * of route_schema.h. Generated from scripts/schemas_unitpage.py; edit that and rerun it. */
#include <stddef.h>

#include "api/route_schema.h"

const struct route_schema schemas_unitpage[] = {
    {"GET", "/api/v1/rounds/{id}/units/{unit}/gains",
     NULL,
     "{\"200\":{\"$ref\":\"#/components/schemas/UnitGains\"}}"},
    {"POST", "/api/v1/rounds/{id}/units/{unit}/what-if",
     "{\"type\":\"object\",\"properties\":{\"changes\":{\"type\":\"array\",\"minItems\":1,\"maxItems\""
     ":100,\"items\":{\"type\":\"object\",\"properties\":{\"task_id\":{\"type\":\"integer\",\"minimum"
     "\":1},\"inputs\":{\"type\":\"object\"}},\"required\":[\"task_id\",\"inputs\"],\"additionalProp"
     "erties\":false}}},\"required\":[\"changes\"],\"additionalProperties\":false}",
     "{\"200\":{\"$ref\":\"#/components/schemas/UnitWhatIf\"}}"},
    {"GET", "/api/v1/rounds/{id}/units/{unit}/progress",
     NULL,
     "{\"200\":{\"$ref\":\"#/components/schemas/UnitProgress\"}}"},
    {"GET", "/api/v1/rounds/{id}/units/{unit}/progress.xlsx",
     NULL,
     "{\"200\":{\"type\":\"string\",\"format\":\"binary\",\"x-content-type\":\"application/vnd.open"
     "xmlformats-officedocument.spreadsheetml.sheet\"}}"},
    {NULL, NULL, NULL, NULL}};

const struct schema_component components_unitpage[] = {
    {"UnitPageWindow",
     "{\"type\":\"object\",\"nullable\":true,\"properties\":{\"phase\":{\"type\":\"string\",\"enum\":["
     "\"self_assessment\",\"explanation\"]},\"label\":{\"type\":\"string\"},\"starts_at\":{\"type\":"
     "\"string\",\"format\":\"date-time\",\"nullable\":true},\"ends_at\":{\"type\":\"string\",\"forma"
     "t\":\"date-time\",\"nullable\":true}},\"required\":[\"phase\",\"label\",\"starts_at\",\"ends_a"
     "t\"],\"additionalProperties\":false}"},
    {"UnitGain",
     "{\"type\":\"object\",\"properties\":{\"task_id\":{\"type\":\"integer\"},\"criterion_key\":{\"ty"
     "pe\":\"string\"},\"code\":{\"type\":\"string\"},\"title\":{\"type\":\"string\"},\"pillar\":{\"type"
     "\":\"object\",\"properties\":{\"key\":{\"type\":\"string\"},\"code\":{\"type\":\"string\"},\"title"
     "\":{\"type\":\"string\"}},\"required\":[\"key\",\"code\",\"title\"],\"additionalProperties\":fa"
     "lse},\"state\":{\"type\":\"string\",\"enum\":[\"not_started\",\"draft\",\"submitted\",\"returne"
     "d\",\"in_appraisal\",\"explanation_requested\",\"explained\",\"approved\"]},\"state_label\""
     ":{\"type\":\"string\"},\"max_points\":{\"type\":\"number\"},\"self_points\":{\"type\":\"number\""
     ",\"nullable\":true},\"approved_points\":{\"type\":\"number\",\"nullable\":true},\"points\":{"
     "\"type\":\"number\",\"nullable\":true},\"missing_points\":{\"type\":\"number\"},\"not_applica"
     "ble\":{\"type\":\"boolean\"},\"due\":{\"type\":\"string\",\"nullable\":true},\"due_at\":{\"type\""
     ":\"string\",\"format\":\"date-time\",\"nullable\":true},\"time_state\":{\"type\":\"string\",\"e"
     "num\":[\"on_time\",\"due_soon\",\"overdue\",\"done\"]},\"window\":{\"$ref\":\"#/components/sch"
     "emas/UnitPageWindow\"},\"needs\":{\"type\":\"string\"},\"measured\":{\"type\":\"string\"},\"cr"
     "iterion_inputs\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"name\":{\""
     "type\":\"string\"},\"label\":{\"type\":\"string\",\"nullable\":true},\"type\":{\"type\":\"string"
     "\"},\"unit\":{\"type\":\"string\",\"nullable\":true},\"min\":{\"type\":\"number\",\"nullable\":tr"
     "ue},\"max\":{\"type\":\"number\",\"nullable\":true},\"options\":{\"type\":\"array\",\"items\":{\""
     "type\":\"object\",\"properties\":{\"value\":{\"type\":\"string\"},\"label\":{\"type\":\"string\"}"
     "},\"required\":[\"value\",\"label\"],\"additionalProperties\":false}}},\"required\":[\"name"
     "\",\"label\",\"type\",\"unit\",\"min\",\"max\",\"options\"],\"additionalProperties\":false}},\"i"
     "nputs\":{\"type\":\"object\"}},\"required\":[\"task_id\",\"criterion_key\",\"code\",\"title\",\""
     "pillar\",\"state\",\"state_label\",\"max_points\",\"self_points\",\"approved_points\",\"poin"
     "ts\",\"missing_points\",\"not_applicable\",\"due\",\"due_at\",\"time_state\",\"window\",\"need"
     "s\",\"measured\",\"criterion_inputs\",\"inputs\"],\"additionalProperties\":false}"},
    {"UnitGains",
     "{\"type\":\"object\",\"properties\":{\"round_id\":{\"type\":\"integer\"},\"unit_id\":{\"type\":\""
     "integer\"},\"unit_code\":{\"type\":\"string\"},\"unit_name\":{\"type\":\"string\"},\"level\":{\""
     "type\":\"string\",\"enum\":[\"province\",\"department\",\"district\",\"commune\",\"other\"]},\"b"
     "asis\":{\"type\":\"string\",\"enum\":[\"current\"]},\"points\":{\"type\":\"number\"},\"max_point"
     "s\":{\"type\":\"number\"},\"missing_points\":{\"type\":\"number\"},\"windows\":{\"type\":\"array"
     "\",\"items\":{\"$ref\":\"#/components/schemas/UnitPageWindow\"}},\"criteria\":{\"type\":\"ar"
     "ray\",\"items\":{\"$ref\":\"#/components/schemas/UnitGain\"}}},\"required\":[\"round_id\",\""
     "unit_id\",\"unit_code\",\"unit_name\",\"level\",\"basis\",\"points\",\"max_points\",\"missing_"
     "points\",\"windows\",\"criteria\"],\"additionalProperties\":false}"},
    {"UnitWhatIf",
     "{\"type\":\"object\",\"properties\":{\"points\":{\"type\":\"number\"},\"max_points\":{\"type\":\""
     "number\"},\"index\":{\"type\":\"number\"},\"rank\":{\"type\":\"integer\",\"minimum\":0},\"round_"
     "id\":{\"type\":\"integer\"},\"unit_id\":{\"type\":\"integer\"},\"level\":{\"type\":\"string\",\"en"
     "um\":[\"province\",\"department\",\"district\",\"commune\",\"other\"]},\"units_in_level\":{\"t"
     "ype\":\"integer\",\"minimum\":0},\"before\":{\"type\":\"object\",\"properties\":{\"points\":{\"t"
     "ype\":\"number\"},\"max_points\":{\"type\":\"number\"},\"index\":{\"type\":\"number\"},\"rank\":{"
     "\"type\":\"integer\",\"minimum\":0}},\"required\":[\"points\",\"max_points\",\"index\",\"rank\"]"
     ",\"additionalProperties\":false},\"saved\":{\"type\":\"boolean\",\"enum\":[false]},\"tasks\""
     ":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"task_id\":{\"type\":\"integ"
     "er\"},\"code\":{\"type\":\"string\"},\"inputs\":{\"type\":\"object\"},\"points_before\":{\"type\""
     ":\"number\",\"nullable\":true},\"points\":{\"type\":\"number\",\"nullable\":true},\"max_point"
     "s\":{\"type\":\"number\"},\"status\":{\"type\":\"string\",\"enum\":[\"scored\",\"not_applicable\""
     ",\"missing\",\"error\"]},\"status_label\":{\"type\":\"string\"},\"explanation\":{\"type\":\"str"
     "ing\"}},\"required\":[\"task_id\",\"code\",\"inputs\",\"points_before\",\"points\",\"max_point"
     "s\",\"status\",\"status_label\",\"explanation\"],\"additionalProperties\":false}}},\"requi"
     "red\":[\"points\",\"max_points\",\"index\",\"rank\",\"round_id\",\"unit_id\",\"level\",\"units_i"
     "n_level\",\"before\",\"saved\",\"tasks\"],\"additionalProperties\":false}"},
    {"ProgressCounts",
     "{\"type\":\"object\",\"properties\":{\"done\":{\"type\":\"integer\",\"minimum\":0},\"in_progres"
     "s\":{\"type\":\"integer\",\"minimum\":0},\"not_started\":{\"type\":\"integer\",\"minimum\":0},\""
     "not_applicable\":{\"type\":\"integer\",\"minimum\":0},\"total\":{\"type\":\"integer\",\"minimu"
     "m\":0}},\"required\":[\"done\",\"in_progress\",\"not_started\",\"not_applicable\",\"total\"],"
     "\"additionalProperties\":false}"},
    {"ProgressCriterion",
     "{\"type\":\"object\",\"properties\":{\"task_id\":{\"type\":\"integer\"},\"criterion_key\":{\"ty"
     "pe\":\"string\"},\"code\":{\"type\":\"string\"},\"title\":{\"type\":\"string\"},\"progress\":{\"ty"
     "pe\":\"string\",\"enum\":[\"done\",\"in_progress\",\"not_started\",\"not_applicable\"]},\"prog"
     "ress_label\":{\"type\":\"string\"},\"state\":{\"type\":\"string\",\"enum\":[\"not_started\",\"dr"
     "aft\",\"submitted\",\"returned\",\"in_appraisal\",\"explanation_requested\",\"explained\",\""
     "approved\"]},\"state_label\":{\"type\":\"string\"},\"points\":{\"type\":\"number\",\"nullable\""
     ":true},\"max_points\":{\"type\":\"number\"},\"measured\":{\"type\":\"string\"},\"inputs\":{\"ty"
     "pe\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},\"lab"
     "el\":{\"type\":\"string\"},\"type\":{\"type\":\"string\"},\"value\":{}},\"required\":[\"name\",\"l"
     "abel\",\"type\",\"value\"],\"additionalProperties\":false}}},\"required\":[\"task_id\",\"cri"
     "terion_key\",\"code\",\"title\",\"progress\",\"progress_label\",\"state\",\"state_label\",\"po"
     "ints\",\"max_points\",\"measured\",\"inputs\"],\"additionalProperties\":false}"},
    {"UnitProgress",
     "{\"type\":\"object\",\"properties\":{\"round_id\":{\"type\":\"integer\"},\"unit_id\":{\"type\":\""
     "integer\"},\"unit_code\":{\"type\":\"string\"},\"unit_name\":{\"type\":\"string\"},\"level\":{\""
     "type\":\"string\",\"enum\":[\"province\",\"department\",\"district\",\"commune\",\"other\"]},\"p"
     "eriod\":{\"type\":\"string\",\"nullable\":true},\"as_of\":{\"type\":\"string\",\"format\":\"date"
     "-time\",\"nullable\":true},\"basis\":{\"type\":\"string\",\"enum\":[\"current\",\"audit_trail\""
     "]},\"counts\":{\"$ref\":\"#/components/schemas/ProgressCounts\"},\"summary\":{\"type\":\"st"
     "ring\"},\"pillars\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"key\":{\""
     "type\":\"string\"},\"code\":{\"type\":\"string\"},\"title\":{\"type\":\"string\"},\"counts\":{\"$r"
     "ef\":\"#/components/schemas/ProgressCounts\"},\"summary\":{\"type\":\"string\"},\"criteria"
     "\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/ProgressCriterion\"}}},\"r"
     "equired\":[\"key\",\"code\",\"title\",\"counts\",\"summary\",\"criteria\"],\"additionalPropert"
     "ies\":false}}},\"required\":[\"round_id\",\"unit_id\",\"unit_code\",\"unit_name\",\"level\",\""
     "period\",\"as_of\",\"basis\",\"counts\",\"summary\",\"pillars\"],\"additionalProperties\":fal"
     "se}"},
    {NULL, NULL}};
