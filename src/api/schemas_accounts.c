/* schemas_accounts.c — request and response schemas of the accounts part (issue 8): bulk
 * accounts of a round, the inbox, the round summary (route_schema.h).
 *
 * POST /rounds/{id}/accounts answers with the file itself: text/csv (UTF-8 with BOM) for
 * "csv", application/vnd.openxmlformats-officedocument.spreadsheetml.sheet for "xlsx" (the
 * created count in the X-Accounts-Created header), and the JSON body below for "json" — the
 * only variant a JSON Schema describes. 201 when at least one account was created, else 200. */
#include <stddef.h>

#include "api/route_schema.h"

#define ID "{\"type\": \"integer\", \"minimum\": 1}"
#define ID_OR_NULL "{\"type\": \"integer\", \"minimum\": 1, \"nullable\": true}"
#define POINTS "{\"type\": \"number\", \"minimum\": 0}"
#define COUNT "{\"type\": \"integer\", \"minimum\": 0}"

const struct schema_component components_accounts[] = {
    {"AccountsBatch",
     "{\"type\": \"object\", \"additionalProperties\": false,"
     " \"required\": [\"round_id\", \"units\", \"created\", \"accounts\"],"
     " \"properties\": {\"round_id\": " ID ", \"units\": " COUNT ", \"created\": " COUNT ","
     " \"accounts\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/components/schemas/BulkAccount\"}}}}"},
    {"BulkAccount",
     "{\"type\": \"object\", \"additionalProperties\": false,"
     " \"required\": [\"user_id\", \"unit_id\", \"unit_code\", \"unit_name\", \"role\", \"role_label\","
     " \"username\", \"one_time_password\"],"
     " \"properties\": {\"user_id\": " ID ", \"unit_id\": " ID ", \"unit_code\": {\"type\": \"string\"},"
     " \"unit_name\": {\"type\": \"string\"}, \"role\": {\"type\": \"string\", \"enum\": [\"staff\", \"leader\"]},"
     " \"role_label\": {\"type\": \"string\"}, \"username\": {\"type\": \"string\", \"pattern\": \"^[a-z0-9._-]{3,64}$\"},"
     " \"one_time_password\": {\"type\": \"string\", \"minLength\": 16, \"maxLength\": 16}}}"},
    {"InboxItem",
     "{\"type\": \"object\", \"additionalProperties\": false,"
     " \"required\": [\"kind\", \"label\", \"round_id\", \"task_id\", \"unit_id\", \"criterion_key\", \"phase\", \"due\"],"
     " \"properties\": {\"kind\": {\"type\": \"string\", \"enum\": [\"task_returned\", \"explanation_requested\","
     " \"due_soon\", \"awaiting_leader\", \"awaiting_appraisal\", \"phase_starts\", \"phase_ends\", \"unit_not_reported\"]},"
     " \"label\": {\"type\": \"string\"}, \"round_id\": " ID ", \"task_id\": " ID_OR_NULL ","
     " \"unit_id\": " ID_OR_NULL ", \"criterion_key\": {\"type\": \"string\", \"nullable\": true},"
     " \"phase\": {\"type\": \"string\", \"nullable\": true},"
     " \"due\": {\"type\": \"string\", \"format\": \"date-time\", \"nullable\": true}}}"},
    {"TaskCounts",
     "{\"type\": \"object\", \"additionalProperties\": false, \"required\": [\"dat\", \"chua_dat\", \"khong_dat\"],"
     " \"properties\": {\"dat\": " COUNT ", \"chua_dat\": " COUNT ", \"khong_dat\": " COUNT "}}"},
    {"SummaryTotals",
     "{\"type\": \"object\", \"additionalProperties\": false,"
     " \"required\": [\"tasks\", \"self_points\", \"approved_points\", \"max_points\", \"counts\"],"
     " \"properties\": {\"tasks\": " COUNT ", \"self_points\": " POINTS ", \"approved_points\": " POINTS ","
     " \"max_points\": " POINTS ", \"counts\": {\"$ref\": \"#/components/schemas/TaskCounts\"}}}"},
    {"SummaryUnit",
     "{\"type\": \"object\", \"additionalProperties\": false,"
     " \"required\": [\"unit_id\", \"code\", \"name\", \"level\", \"tasks\", \"self_points\", \"approved_points\","
     " \"max_points\", \"counts\"],"
     " \"properties\": {\"unit_id\": " ID ", \"code\": {\"type\": \"string\"}, \"name\": {\"type\": \"string\"},"
     " \"level\": {\"type\": \"string\", \"enum\": [\"province\", \"department\", \"district\", \"commune\", \"other\"]},"
     " \"tasks\": " COUNT ", \"self_points\": " POINTS ", \"approved_points\": " POINTS ","
     " \"max_points\": " POINTS ", \"counts\": {\"$ref\": \"#/components/schemas/TaskCounts\"}}}"},
    {NULL, NULL}};

const struct route_schema schemas_accounts[] = {
    {"POST", "/api/v1/rounds/{id}/accounts",
     "{\"type\": \"object\", \"additionalProperties\": false,"
     " \"properties\": {\"format\": {\"type\": \"string\", \"enum\": [\"csv\", \"xlsx\", \"json\"], \"default\": \"csv\"}}}",
     "{\"201\": {\"$ref\": \"#/components/schemas/AccountsBatch\"},"
     " \"200\": {\"$ref\": \"#/components/schemas/AccountsBatch\"}}"},
    {"GET", "/api/v1/inbox", NULL,
     "{\"200\": {\"type\": \"object\", \"additionalProperties\": false,"
     " \"required\": [\"counts\", \"total\", \"limit\", \"items\"],"
     " \"properties\": {\"counts\": {\"type\": \"object\", \"additionalProperties\": " COUNT "},"
     " \"total\": " COUNT ", \"limit\": {\"type\": \"integer\", \"minimum\": 1, \"maximum\": 200},"
     " \"items\": {\"type\": \"array\", \"maxItems\": 200, \"items\": {\"$ref\": \"#/components/schemas/InboxItem\"}}}}}"},
    {"GET", "/api/v1/rounds/{id}/summary", NULL,
     "{\"200\": {\"type\": \"object\", \"additionalProperties\": false,"
     " \"required\": [\"round_id\", \"level\", \"units\", \"totals\"],"
     " \"properties\": {\"round_id\": " ID ","
     " \"level\": {\"type\": \"string\", \"nullable\": true, \"enum\": [\"province\", \"department\", \"district\", \"commune\", \"other\", null]},"
     " \"units\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/components/schemas/SummaryUnit\"}},"
     " \"totals\": {\"$ref\": \"#/components/schemas/SummaryTotals\"}}}}"},
    {NULL, NULL, NULL, NULL}};
