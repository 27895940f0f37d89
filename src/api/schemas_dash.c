/* schemas_dash.c — the dashboard's schemas (part: dash, issue 9; route_schema.h). The rows and
 * totals are the round summary's (SummaryUnit, SummaryTotals of schemas_accounts.c). */
#include <stddef.h>

#include "api/route_schema.h"

#define LEVELS "\"province\", \"department\", \"district\", \"commune\", \"other\""

const struct schema_component components_dash[] = {
    {"DashboardLevel",
     "{\"type\": \"object\", \"additionalProperties\": false, \"required\": [\"level\", \"units\"],"
     " \"properties\": {\"level\": {\"type\": \"string\", \"enum\": [" LEVELS "]},"
     " \"units\": {\"type\": \"integer\", \"minimum\": 1}}}"},
    {NULL, NULL}};

const struct route_schema schemas_dash[] = {
    {"GET", "/api/v1/rounds/{id}/dashboard", NULL,
     "{\"200\": {\"type\": \"object\", \"additionalProperties\": false,"
     " \"required\": [\"round_id\", \"level\", \"q\", \"sort\", \"dir\", \"offset\", \"limit\", \"total\","
     " \"units\", \"totals\", \"levels\"],"
     " \"properties\": {\"round_id\": {\"type\": \"integer\", \"minimum\": 1},"
     " \"level\": {\"type\": \"string\", \"nullable\": true, \"enum\": [" LEVELS ", null]},"
     " \"q\": {\"type\": \"string\", \"maxLength\": 200},"
     " \"sort\": {\"type\": \"string\", \"enum\": [\"name\", \"code\", \"tasks\", \"approved_points\","
     " \"max_points\", \"self_points\", \"dat\", \"chua_dat\", \"khong_dat\"]},"
     " \"dir\": {\"type\": \"string\", \"enum\": [\"asc\", \"desc\"]},"
     " \"offset\": {\"type\": \"integer\", \"minimum\": 0},"
     " \"limit\": {\"type\": \"integer\", \"minimum\": 1, \"maximum\": 10000},"
     " \"total\": {\"type\": \"integer\", \"minimum\": 0},"
     " \"units\": {\"type\": \"array\", \"maxItems\": 10000, \"items\": {\"$ref\": \"#/components/schemas/SummaryUnit\"}},"
     " \"totals\": {\"$ref\": \"#/components/schemas/SummaryTotals\"},"
     " \"levels\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/components/schemas/DashboardLevel\"}}}}}"},
    {NULL, NULL, NULL, NULL}};
