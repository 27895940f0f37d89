/* schemas_readings.c — request and success-response schemas of the readings routes
 * (GET/PUT /rounds/{id}/readings, GET/PUT /rounds/{id}/external-values, POST …/import; docs/rounds-api.md
 * "Readings and external values"), in the format of route_schema.h. */
#include <stddef.h>

#include "api/route_schema.h"

const struct route_schema schemas_readings[] = {
    {"GET", "/api/v1/rounds/{id}/readings",
     NULL,
     "{\"200\": {\"type\": \"object\", \"properties\": {\"round_id\": {\"type\": \"integer\"}, \"readings\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/components/schemas/CriterionReadings\"}}}, \"required\": [\"round_id\", \"readings\"], \"additionalProperties\": false}}"},
    {"PUT", "/api/v1/rounds/{id}/readings",
     "{\"type\": \"object\", \"properties\": {\"framework_id\": {\"type\": \"string\", \"minLength\": 1, \"maxLength\": 64}, \"criterion_key\": {\"type\": \"string\", \"minLength\": 1, \"maxLength\": 64}, \"alternative\": {\"type\": \"string\", \"minLength\": 1, \"maxLength\": 64}}, \"required\": [\"framework_id\", \"criterion_key\", \"alternative\"], \"additionalProperties\": false}",
     "{\"200\": {\"type\": \"object\", \"properties\": {\"framework_id\": {\"type\": \"string\"}, \"criterion_key\": {\"type\": \"string\"}, \"previous\": {\"type\": \"string\"}, \"alternative\": {\"type\": \"string\"}, \"rescored\": {\"type\": \"integer\", \"minimum\": 0}}, \"required\": [\"framework_id\", \"criterion_key\", \"previous\", \"alternative\", \"rescored\"], \"additionalProperties\": false}}"},
    {"GET", "/api/v1/rounds/{id}/external-values",
     NULL,
     "{\"200\": {\"type\": \"object\", \"properties\": {\"round_id\": {\"type\": \"integer\"}, \"criteria\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/components/schemas/ExternalCriterion\"}}, \"values\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/components/schemas/ExternalValue\"}}}, \"required\": [\"round_id\", \"criteria\", \"values\"], \"additionalProperties\": false}}"},
    {"PUT", "/api/v1/rounds/{id}/external-values",
     "{\"type\": \"object\", \"properties\": {\"values\": {\"type\": \"array\", \"maxItems\": 5000, \"items\": {\"type\": \"object\", \"properties\": {\"unit_id\": {\"type\": \"integer\", \"minimum\": 1}, \"criterion_key\": {\"type\": \"string\", \"minLength\": 1, \"maxLength\": 64}, \"value\": {\"type\": \"object\"}, \"source\": {\"type\": \"string\", \"minLength\": 1}}, \"required\": [\"unit_id\", \"criterion_key\", \"value\", \"source\"], \"additionalProperties\": false}}}, \"required\": [\"values\"], \"additionalProperties\": false}",
     "{\"200\": {\"type\": \"object\", \"properties\": {\"round_id\": {\"type\": \"integer\"}, \"criteria\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/components/schemas/ExternalCriterion\"}}, \"values\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/components/schemas/ExternalValue\"}}, \"stored\": {\"type\": \"integer\", \"minimum\": 0}, \"rescored\": {\"type\": \"integer\", \"minimum\": 0}}, \"required\": [\"round_id\", \"criteria\", \"values\", \"stored\", \"rescored\"], \"additionalProperties\": false}}"},
    {"POST", "/api/v1/rounds/{id}/external-values/import",
     "{\"type\": \"string\", \"description\": \"CSV text (Content-Type text/csv), ',' or ';' separated: header unit_id, criterion_key, source, then one column per input name; an empty cell leaves the input out\"}",
     "{\"200\": {\"type\": \"object\", \"properties\": {\"round_id\": {\"type\": \"integer\"}, \"criteria\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/components/schemas/ExternalCriterion\"}}, \"values\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/components/schemas/ExternalValue\"}}, \"stored\": {\"type\": \"integer\", \"minimum\": 0}, \"rescored\": {\"type\": \"integer\", \"minimum\": 0}}, \"required\": [\"round_id\", \"criteria\", \"values\", \"stored\", \"rescored\"], \"additionalProperties\": false}}"},
    {NULL, NULL, NULL, NULL}};

const struct schema_component components_readings[] = {
    {"ReadingOption",
     "{\"type\": \"object\", \"properties\": {\"name\": {\"type\": \"string\"}, \"label\": {\"type\": \"string\"}, \"why\": {\"type\": \"string\"}, \"rule\": {\"type\": \"string\"}, \"rule_text\": {\"type\": \"string\"}}, \"required\": [\"name\", \"label\", \"rule\", \"rule_text\"], \"additionalProperties\": false}"},
    {"CriterionReadings",
     "{\"type\": \"object\", \"properties\": {\"framework_id\": {\"type\": \"string\"}, \"framework_version\": {\"type\": \"integer\"}, \"level\": {\"type\": \"string\", \"enum\": [\"province\", \"department\", \"district\", \"commune\", \"other\"]}, \"criterion_key\": {\"type\": \"string\"}, \"code\": {\"type\": \"string\"}, \"title\": {\"type\": \"string\"}, \"source_issue\": {\"type\": \"string\"}, \"chosen\": {\"type\": \"string\"}, \"readings\": {\"type\": \"array\", \"minItems\": 2, \"items\": {\"$ref\": \"#/components/schemas/ReadingOption\"}}}, \"required\": [\"framework_id\", \"framework_version\", \"level\", \"criterion_key\", \"code\", \"title\", \"chosen\", \"readings\"], \"additionalProperties\": false}"},
    {"ExternalCriterion",
     "{\"type\": \"object\", \"properties\": {\"framework_id\": {\"type\": \"string\"}, \"framework_version\": {\"type\": \"integer\"}, \"level\": {\"type\": \"string\", \"enum\": [\"province\", \"department\", \"district\", \"commune\", \"other\"]}, \"criterion_key\": {\"type\": \"string\"}, \"code\": {\"type\": \"string\"}, \"title\": {\"type\": \"string\"}, \"index\": {\"type\": \"string\"}, \"system\": {\"type\": \"string\"}, \"note\": {\"type\": \"string\"}, \"inputs\": {\"type\": \"array\", \"items\": {\"type\": \"object\", \"properties\": {\"name\": {\"type\": \"string\"}, \"label\": {\"type\": \"string\"}, \"type\": {\"type\": \"string\"}}, \"required\": [\"name\", \"label\", \"type\"], \"additionalProperties\": false}}}, \"required\": [\"framework_id\", \"framework_version\", \"level\", \"criterion_key\", \"code\", \"title\", \"index\", \"inputs\"], \"additionalProperties\": false}"},
    {"ExternalValue",
     "{\"type\": \"object\", \"properties\": {\"unit_id\": {\"type\": \"integer\"}, \"unit_name\": {\"type\": \"string\"}, \"criterion_key\": {\"type\": \"string\"}, \"value\": {\"type\": \"object\"}, \"source\": {\"type\": \"string\"}, \"entered_at\": {\"type\": \"string\", \"format\": \"date-time\"}, \"entered_by\": {\"type\": \"integer\", \"nullable\": true}, \"task_id\": {\"type\": \"integer\", \"nullable\": true}, \"self_points\": {\"type\": \"number\", \"nullable\": true}, \"self_status\": {\"type\": \"string\", \"enum\": [\"scored\", \"not_applicable\", \"missing\", \"error\", null], \"nullable\": true}, \"self_explanation\": {\"type\": \"string\", \"nullable\": true}}, \"required\": [\"unit_id\", \"unit_name\", \"criterion_key\", \"value\", \"source\", \"entered_at\", \"entered_by\", \"task_id\", \"self_points\", \"self_status\", \"self_explanation\"], \"additionalProperties\": false}"},
    {NULL, NULL}};
