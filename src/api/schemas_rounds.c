/* schemas_rounds.c — request and success-response schemas of the rounds routes
 * (docs/rounds-api.md), in the format of route_schema.h. A 204 has no body: its schema is
 * null. */
#include <stddef.h>

#include "api/route_schema.h"

const struct route_schema schemas_rounds[] = {
    {"GET", "/api/v1/rounds",
     NULL,
     "{\"200\": {\"type\": \"object\", \"properties\": {\"rounds\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/components/schemas/Round\"}}}, \"required\": [\"rounds\"], \"additionalProperties\": false}}"},
    {"GET", "/api/v1/rounds/{id}",
     NULL,
     "{\"200\": {\"$ref\": \"#/components/schemas/Round\"}}"},
    {"POST", "/api/v1/rounds",
     "{\"type\": \"object\", \"properties\": {\"title\": {\"type\": \"string\"}, \"year\": {\"type\": \"integer\", \"minimum\": 2000, \"maximum\": 2100}, \"frameworks\": {\"type\": \"array\", \"minItems\": 1, \"items\": {\"type\": \"object\", \"properties\": {\"level\": {\"type\": \"string\", \"enum\": [\"province\", \"department\", \"district\", \"commune\", \"other\"]}, \"framework_id\": {\"type\": \"string\"}, \"version\": {\"type\": \"integer\", \"minimum\": 1}}, \"required\": [\"level\", \"framework_id\", \"version\"], \"additionalProperties\": false}}, \"units\": {\"type\": \"object\", \"properties\": {\"levels\": {\"type\": \"array\", \"items\": {\"type\": \"string\", \"enum\": [\"province\", \"department\", \"district\", \"commune\", \"other\"]}, \"nullable\": true}, \"include\": {\"type\": \"array\", \"items\": {\"type\": \"integer\", \"minimum\": 1}, \"nullable\": true}, \"exclude\": {\"type\": \"array\", \"items\": {\"type\": \"integer\", \"minimum\": 1}, \"nullable\": true}}, \"additionalProperties\": false}, \"phases\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/components/schemas/RoundPhaseInput\"}, \"nullable\": true}}, \"required\": [\"title\", \"year\", \"frameworks\", \"units\"], \"additionalProperties\": false}",
     "{\"201\": {\"$ref\": \"#/components/schemas/Round\"}}"},
    {"PATCH", "/api/v1/rounds/{id}",
     "{\"type\": \"object\", \"properties\": {\"title\": {\"type\": \"string\"}, \"phases\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/components/schemas/RoundPhaseInput\"}}}, \"additionalProperties\": false}",
     "{\"200\": {\"$ref\": \"#/components/schemas/Round\"}}"},
    {"POST", "/api/v1/rounds/{id}/finalise",
     NULL,
     "{\"200\": {\"$ref\": \"#/components/schemas/Round\"}}"},
    {"GET", "/api/v1/rounds/{id}/trial-data",
     NULL,
     "{\"200\": {\"$ref\": \"#/components/schemas/RoundTrialCounts\"}}"},
    {"POST", "/api/v1/rounds/{id}/clear-trial",
     "{\"type\": \"object\", \"properties\": {\"confirm\": {\"type\": \"integer\", \"minimum\": 0}}, \"required\": [\"confirm\"], \"additionalProperties\": false}",
     "{\"200\": {\"$ref\": \"#/components/schemas/RoundTrialCounts\"}}"},
    {"GET", "/api/v1/rounds/{id}/appraisers",
     NULL,
     "{\"200\": {\"type\": \"object\", \"properties\": {\"appraisers\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/components/schemas/AppraiserAssignment\"}}}, \"required\": [\"appraisers\"], \"additionalProperties\": false}}"},
    {"POST", "/api/v1/rounds/{id}/appraisers",
     "{\"type\": \"object\", \"properties\": {\"level\": {\"type\": \"string\", \"enum\": [\"province\", \"department\", \"district\", \"commune\", \"other\"]}, \"pillar_key\": {\"type\": \"string\", \"nullable\": true}, \"criterion_key\": {\"type\": \"string\", \"nullable\": true}, \"appraiser_unit_id\": {\"type\": \"integer\", \"minimum\": 1, \"nullable\": true}, \"appraiser_user_id\": {\"type\": \"integer\", \"minimum\": 1, \"nullable\": true}}, \"required\": [\"level\"], \"additionalProperties\": false}",
     "{\"201\": {\"$ref\": \"#/components/schemas/AppraiserAssignment\"}}"},
    {"DELETE", "/api/v1/rounds/{id}/appraisers/{aid}",
     NULL,
     "{\"204\": null}"},
    {"PATCH", "/api/v1/tasks/{id}/assignment",
     "{\"type\": \"object\", \"properties\": {\"unit_id\": {\"type\": \"integer\", \"minimum\": 1}}, \"required\": [\"unit_id\"], \"additionalProperties\": false}",
     "{\"200\": {\"$ref\": \"#/components/schemas/TaskAssignment\"}}"},
    {NULL, NULL, NULL, NULL}};

const struct schema_component components_rounds[] = {
    {"RoundFramework",
     "{\"type\": \"object\", \"properties\": {\"level\": {\"type\": \"string\", \"enum\": [\"province\", \"department\", \"district\", \"commune\", \"other\"]}, \"level_label\": {\"type\": \"string\"}, \"framework_id\": {\"type\": \"string\"}, \"version\": {\"type\": \"integer\", \"minimum\": 1}, \"title\": {\"type\": \"string\"}}, \"required\": [\"level\", \"level_label\", \"framework_id\", \"version\", \"title\"], \"additionalProperties\": false}"},
    {"RoundPhase",
     "{\"type\": \"object\", \"properties\": {\"phase\": {\"type\": \"string\", \"enum\": [\"trial\", \"self_assessment\", \"appraisal1\", \"explanation\", \"appraisal2\", \"finalised\"]}, \"label\": {\"type\": \"string\"}, \"starts\": {\"type\": \"string\", \"format\": \"date\"}, \"ends\": {\"type\": \"string\", \"format\": \"date\"}, \"starts_at\": {\"type\": \"string\", \"format\": \"date-time\"}, \"ends_at\": {\"type\": \"string\", \"format\": \"date-time\"}}, \"required\": [\"phase\", \"label\", \"starts\", \"ends\", \"starts_at\", \"ends_at\"], \"additionalProperties\": false}"},
    {"Round",
     "{\"type\": \"object\", \"properties\": {\"id\": {\"type\": \"integer\"}, \"title\": {\"type\": \"string\"}, \"year\": {\"type\": \"integer\"}, \"status\": {\"type\": \"string\", \"enum\": [\"open\", \"finalised\"]}, \"created_at\": {\"type\": \"string\", \"format\": \"date-time\"}, \"created_by\": {\"type\": \"integer\", \"nullable\": true}, \"finalised_at\": {\"type\": \"string\", \"format\": \"date-time\", \"nullable\": true}, \"finalised_by\": {\"type\": \"integer\", \"nullable\": true}, \"trial_cleared_at\": {\"type\": \"string\", \"format\": \"date-time\", \"nullable\": true}, \"version\": {\"type\": \"integer\"}, \"frameworks\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/components/schemas/RoundFramework\"}}, \"phases\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/components/schemas/RoundPhase\"}}, \"current_phase\": {\"type\": \"string\", \"enum\": [\"trial\", \"self_assessment\", \"appraisal1\", \"explanation\", \"appraisal2\", \"finalised\", null], \"nullable\": true}, \"counts\": {\"type\": \"object\", \"properties\": {\"units\": {\"type\": \"integer\"}, \"tasks\": {\"type\": \"integer\"}}, \"required\": [\"units\", \"tasks\"], \"additionalProperties\": false}}, \"required\": [\"id\", \"title\", \"year\", \"status\", \"created_at\", \"created_by\", \"finalised_at\", \"finalised_by\", \"trial_cleared_at\", \"version\", \"frameworks\", \"phases\", \"current_phase\", \"counts\"], \"additionalProperties\": false}"},
    {"RoundTrialCounts",
     "{\"type\": \"object\", \"properties\": {\"tasks\": {\"type\": \"integer\", \"minimum\": 0}, \"evidence\": {\"type\": \"integer\", \"minimum\": 0}}, \"required\": [\"tasks\", \"evidence\"], \"additionalProperties\": false}"},
    {"AppraiserAssignment",
     "{\"type\": \"object\", \"properties\": {\"id\": {\"type\": \"integer\"}, \"round_id\": {\"type\": \"integer\"}, \"level\": {\"type\": \"string\", \"enum\": [\"province\", \"department\", \"district\", \"commune\", \"other\"]}, \"pillar_key\": {\"type\": \"string\", \"nullable\": true}, \"criterion_key\": {\"type\": \"string\", \"nullable\": true}, \"appraiser_unit_id\": {\"type\": \"integer\", \"nullable\": true}, \"appraiser_unit_name\": {\"type\": \"string\", \"nullable\": true}, \"appraiser_user_id\": {\"type\": \"integer\", \"nullable\": true}, \"appraiser_username\": {\"type\": \"string\", \"nullable\": true}, \"created_at\": {\"type\": \"string\", \"format\": \"date-time\"}}, \"required\": [\"id\", \"round_id\", \"level\", \"pillar_key\", \"criterion_key\", \"appraiser_unit_id\", \"appraiser_unit_name\", \"appraiser_user_id\", \"appraiser_username\", \"created_at\"], \"additionalProperties\": false}"},
    {"TaskAssignment",
     "{\"type\": \"object\", \"properties\": {\"id\": {\"type\": \"integer\"}, \"round_id\": {\"type\": \"integer\"}, \"subject_unit_id\": {\"type\": \"integer\"}, \"unit_id\": {\"type\": \"integer\"}, \"unit_name\": {\"type\": \"string\"}, \"criterion_key\": {\"type\": \"string\"}, \"version\": {\"type\": \"integer\"}}, \"required\": [\"id\", \"round_id\", \"subject_unit_id\", \"unit_id\", \"unit_name\", \"criterion_key\", \"version\"], \"additionalProperties\": false}"},
    {"RoundPhaseInput",
     "{\"type\": \"object\", \"properties\": {\"phase\": {\"type\": \"string\", \"enum\": [\"trial\", \"self_assessment\", \"appraisal1\", \"explanation\", \"appraisal2\", \"finalised\"]}, \"starts\": {\"type\": \"string\", \"format\": \"date\"}, \"ends\": {\"type\": \"string\", \"format\": \"date\"}}, \"required\": [\"phase\", \"starts\", \"ends\"], \"additionalProperties\": false}"},
    {NULL, NULL}};
