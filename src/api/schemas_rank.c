/* schemas_rank.c — request and response schemas of the rank part (issue 9): rankings per level
 * with rank ranges, the .xlsx export, band thresholds (route_schema.h; docs/results-api.md). */
#include <stddef.h>

#include "api/route_schema.h"

#define ID "{\"type\": \"integer\", \"minimum\": 1}"
#define POINTS "{\"type\": \"number\", \"minimum\": 0}"
#define DPOINTS "{\"type\": \"number\"}"
#define INDEX "{\"type\": \"number\", \"minimum\": 0, \"maximum\": 1}"
#define RANK "{\"type\": \"integer\", \"minimum\": 1}"
#define LEVEL "{\"type\": \"string\", \"enum\": [\"province\", \"department\", \"district\", \"commune\", \"other\"]}"
#define BAND "{\"type\": \"string\", \"enum\": [\"xuat_sac\", \"tot\", \"kha\", \"trung_binh\"]}"

const struct schema_component components_rank[] = {
    {"RankBand",
     "{\"type\": \"object\", \"additionalProperties\": false, \"required\": [\"band\", \"label\", \"min_index\"],"
     " \"properties\": {\"band\": " BAND ", \"label\": {\"type\": \"string\"}, \"min_index\": " INDEX "}}"},
    {"RankPillar",
     "{\"type\": \"object\", \"additionalProperties\": false, \"required\": [\"key\", \"title\", \"points\", \"max_points\"],"
     " \"properties\": {\"key\": {\"type\": \"string\"}, \"title\": {\"type\": \"string\"},"
     " \"points\": " POINTS ", \"max_points\": " POINTS "}}"},
    {"RankPrevious",
     "{\"type\": \"object\", \"nullable\": true, \"additionalProperties\": false,"
     " \"required\": [\"round_id\", \"points\", \"rank\", \"points_change\", \"rank_change\"],"
     " \"properties\": {\"round_id\": " ID ", \"points\": " POINTS ", \"rank\": " RANK ","
     " \"points_change\": " DPOINTS ", \"rank_change\": {\"type\": \"integer\"}}}"},
    {"RankRange",
     "{\"type\": \"object\", \"nullable\": true, \"additionalProperties\": false,"
     " \"required\": [\"best\", \"worst\", \"exact\", \"criteria\"],"
     " \"properties\": {\"best\": " RANK ", \"worst\": " RANK ", \"exact\": {\"type\": \"boolean\"},"
     " \"criteria\": {\"type\": \"array\", \"maxItems\": 3, \"items\": {\"type\": \"object\", \"additionalProperties\": false,"
     " \"required\": [\"criterion_key\", \"code\", \"swing\"], \"properties\": {\"criterion_key\": {\"type\": \"string\"},"
     " \"code\": {\"type\": \"string\"}, \"swing\": {\"type\": \"integer\", \"minimum\": 1}}}}}}"},
    {"RankUnit",
     "{\"type\": \"object\", \"additionalProperties\": false,"
     " \"required\": [\"unit_id\", \"unit_code\", \"unit_name\", \"points\", \"max_points\", \"index\", \"rank\", \"band\","
     " \"pillars\", \"previous\", \"new_unit\", \"rank_range\"],"
     " \"properties\": {\"unit_id\": " ID ", \"unit_code\": {\"type\": \"string\"}, \"unit_name\": {\"type\": \"string\"},"
     " \"points\": " POINTS ", \"max_points\": " POINTS ", \"index\": " INDEX ", \"rank\": " RANK ", \"band\": " BAND ","
     " \"pillars\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/components/schemas/RankPillar\"}},"
     " \"previous\": {\"$ref\": \"#/components/schemas/RankPrevious\"},"
     " \"new_unit\": {\"type\": \"boolean\"},"
     " \"rank_range\": {\"$ref\": \"#/components/schemas/RankRange\"}}}"},
    {"RankBands",
     "{\"type\": \"object\", \"additionalProperties\": false, \"required\": [\"round_id\", \"level\", \"custom\", \"bands\"],"
     " \"properties\": {\"round_id\": " ID ", \"level\": " LEVEL ", \"custom\": {\"type\": \"boolean\"},"
     " \"bands\": {\"type\": \"array\", \"minItems\": 4, \"maxItems\": 4, \"items\": {\"$ref\": \"#/components/schemas/RankBand\"}}}}"},
    {NULL, NULL}};

const struct route_schema schemas_rank[] = {
    {"GET", "/api/v1/rounds/{id}/rankings", NULL,
     "{\"200\": {\"type\": \"object\", \"additionalProperties\": false,"
     " \"required\": [\"round_id\", \"level\", \"framework\", \"bands\", \"units\"],"
     " \"properties\": {\"round_id\": " ID ", \"level\": " LEVEL ","
     " \"framework\": {\"type\": \"object\", \"additionalProperties\": false, \"required\": [\"id\", \"version\"],"
     " \"properties\": {\"id\": {\"type\": \"string\"}, \"version\": {\"type\": \"integer\", \"minimum\": 1}}},"
     " \"bands\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/components/schemas/RankBand\"}},"
     " \"units\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/components/schemas/RankUnit\"}},"
     " \"ranges\": {\"type\": \"object\", \"additionalProperties\": false, \"required\": [\"exact\", \"combinations\", \"ambiguous_criteria\"],"
     " \"properties\": {\"exact\": {\"type\": \"boolean\"}, \"combinations\": {\"type\": \"integer\", \"minimum\": 1},"
     " \"ambiguous_criteria\": {\"type\": \"integer\", \"minimum\": 0}}}}}}"},
    {"GET", "/api/v1/rounds/{id}/rankings.xlsx", NULL,
     "{\"200\": {\"type\": \"string\", \"format\": \"binary\", \"x-content-type\": "
     "\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\"}}"},
    {"GET", "/api/v1/rounds/{id}/bands", NULL,
     "{\"200\": {\"$ref\": \"#/components/schemas/RankBands\"}}"},
    {"PUT", "/api/v1/rounds/{id}/bands",
     "{\"type\": \"object\", \"additionalProperties\": false, \"required\": [\"level\", \"bands\"],"
     " \"properties\": {\"level\": " LEVEL ","
     " \"bands\": {\"type\": \"array\", \"minItems\": 4, \"maxItems\": 4, \"items\": {\"type\": \"object\","
     " \"additionalProperties\": false, \"required\": [\"band\", \"min_index\"],"
     " \"properties\": {\"band\": " BAND ", \"min_index\": " INDEX "}}}}}",
     "{\"200\": {\"$ref\": \"#/components/schemas/RankBands\"}}"},
    {NULL, NULL, NULL, NULL}};
