/* schemas_excel.c — request and response schemas of the Excel part (issue 10, docs/excel.md).
 *
 * GET .../template answers with the workbook itself (application/vnd.openxmlformats-
 * officedocument.spreadsheetml.sheet), GET .../templates.zip with a zip; POST .../import takes
 * the .xlsx bytes as its body and always answers 200 with the report: "ok" false when the file
 * is refused (every error listed, nothing saved), "saved" true once it was saved. */
#include <stddef.h>

#include "api/route_schema.h"

#define ID_OR_NULL "{\"type\": \"integer\", \"minimum\": 1, \"nullable\": true}"
#define STR "{\"type\": \"string\"}"
#define STR_OR_NULL "{\"type\": \"string\", \"nullable\": true}"
#define PTS_OR_NULL "{\"type\": \"number\", \"minimum\": 0, \"nullable\": true}"

const struct schema_component components_excel[] = {
    {"ImportIssue",
     "{\"type\": \"object\", \"additionalProperties\": false,"
     " \"required\": [\"sheet\", \"cell\", \"criterion\", \"code\", \"message\"],"
     " \"properties\": {\"sheet\": " STR_OR_NULL ", \"cell\": " STR_OR_NULL ","
     " \"criterion\": " STR_OR_NULL ", \"code\": " STR ", \"message\": " STR "}}"},
    {"ImportCriterion",
     "{\"type\": \"object\", \"additionalProperties\": false,"
     " \"required\": [\"task_id\", \"sheet\", \"cell\", \"criterion_key\", \"code\", \"title\","
     " \"max_points\", \"changed\", \"state\", \"old\", \"new\"],"
     " \"properties\": {\"task_id\": {\"type\": \"integer\", \"minimum\": 1}, \"sheet\": " STR ","
     " \"cell\": " STR ", \"criterion_key\": " STR ", \"code\": " STR ", \"title\": " STR ","
     " \"max_points\": {\"type\": \"number\", \"minimum\": 0}, \"changed\": {\"type\": \"boolean\"},"
     " \"state\": " STR ","
     " \"old\": {\"type\": \"object\", \"additionalProperties\": false,"
     "  \"required\": [\"inputs\", \"content\", \"note\", \"points\"],"
     "  \"properties\": {\"inputs\": {\"type\": \"object\"}, \"content\": " STR_OR_NULL ","
     "  \"note\": " STR_OR_NULL ", \"points\": " PTS_OR_NULL "}},"
     " \"new\": {\"type\": \"object\", \"additionalProperties\": false,"
     "  \"required\": [\"inputs\", \"content\", \"note\", \"points\", \"status\", \"explanation\"],"
     "  \"properties\": {\"inputs\": {\"type\": \"object\"}, \"content\": " STR_OR_NULL ","
     "  \"note\": " STR_OR_NULL ", \"points\": " PTS_OR_NULL ", \"status\": " STR_OR_NULL ","
     "  \"explanation\": " STR_OR_NULL "}}}}"},
    {"ImportReport",
     "{\"type\": \"object\", \"additionalProperties\": false,"
     " \"required\": [\"ok\", \"dry_run\", \"saved\", \"round_id\", \"unit_id\", \"unit_code\","
     " \"unit_name\", \"changed\", \"errors\", \"warnings\", \"criteria\", \"standardise\"],"
     " \"properties\": {\"ok\": {\"type\": \"boolean\"}, \"dry_run\": {\"type\": \"boolean\"},"
     " \"saved\": {\"type\": \"boolean\"}, \"round_id\": " ID_OR_NULL ", \"unit_id\": " ID_OR_NULL ","
     " \"unit_code\": " STR_OR_NULL ", \"unit_name\": " STR_OR_NULL ", \"changed\": {\"type\": \"integer\", \"minimum\": 0},"
     " \"errors\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/components/schemas/ImportIssue\"}},"
     " \"warnings\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/components/schemas/ImportIssue\"}},"
     " \"criteria\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/components/schemas/ImportCriterion\"}},"
     " \"standardise\": {\"type\": \"object\", \"nullable\": true, \"additionalProperties\": false,"
     "  \"required\": [\"recomputed\", \"missing\"],"
     "  \"properties\": {\"recomputed\": {\"type\": \"integer\"}, \"missing\": {\"type\": \"array\","
     "   \"items\": {\"type\": \"object\", \"additionalProperties\": false,"
     "   \"required\": [\"task_id\", \"code\", \"what\"], \"properties\": {\"task_id\": {\"type\": \"integer\"},"
     "   \"code\": " STR ", \"what\": " STR "}}}}}}}"},
    {NULL, NULL}};

const struct route_schema schemas_excel[] = {
    {"GET", "/api/v1/rounds/{id}/units/{unit}/template", NULL,
     "{\"200\": {\"type\": \"string\", \"format\": \"binary\", \"x-content-type\": "
     "\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\"}}"},
    {"GET", "/api/v1/rounds/{id}/templates.zip", NULL,
     "{\"200\": {\"type\": \"string\", \"format\": \"binary\", \"x-content-type\": "
     "\"application/zip\"}}"},
    {"POST", "/api/v1/rounds/{id}/units/{unit}/import",
     "{\"type\": \"string\", \"format\": \"binary\", \"x-content-type\": "
     "\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\", "
     "\"description\": \"the filled .xlsx template "
     "(Content-Type application/vnd.openxmlformats-officedocument.spreadsheetml.sheet), at most "
     "4 MiB\"}",
     "{\"200\": {\"$ref\": \"#/components/schemas/ImportReport\"}}"},
    {"POST", "/api/v1/rounds/{id}/import",
     "{\"type\": \"string\", \"format\": \"binary\", \"x-content-type\": "
     "\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\", "
     "\"description\": \"one filled .xlsx "
     "template of any unit of the round (the unit comes from its fingerprint), at most 4 MiB\"}",
     "{\"200\": {\"$ref\": \"#/components/schemas/ImportReport\"}}"},
    {NULL, NULL, NULL, NULL}};
