/* schemas_tasks.c — request and response schemas of the task routes (part: tasks), in the
 * format of src/api/route_schema.h. Generated once from a Python description and kept by hand
 * since; keep them exact (required fields, additionalProperties: false on requests). */
#include <stddef.h>

#include "api/route_schema.h"

const struct route_schema schemas_tasks[] = {
    {"GET", "/api/v1/workflow",
     NULL,
     "{\"200\":{\"$ref\":\"#/components/schemas/Workflow\"}}"},
    {"GET", "/api/v1/tasks",
     NULL,
     "{\"200\":{\"type\":\"object\",\"properties\":{\"tasks\":{\"type\":\"array\",\"items\":{\""
     "$ref\":\"#/components/schemas/TaskRow\"}},\"total\":{\"type\":\"integer\"}},\"required\""
     ":[\"tasks\",\"total\"],\"additionalProperties\":false}}"},
    {"GET", "/api/v1/tasks/{id}",
     NULL,
     "{\"200\":{\"$ref\":\"#/components/schemas/Task\"}}"},
    {"PUT", "/api/v1/tasks/{id}/report",
     "{\"type\":\"object\",\"properties\":{\"inputs\":{\"type\":\"object\"},\"content\":{\"typ"
     "e\":\"string\",\"nullable\":true},\"note\":{\"type\":\"string\",\"nullable\":true},\"ver"
     "sion\":{\"type\":\"integer\",\"minimum\":1}},\"required\":[\"version\"],\"additionalProp"
     "erties\":false}",
     "{\"200\":{\"$ref\":\"#/components/schemas/Task\"}}"},
    {"POST", "/api/v1/tasks/{id}/preview",
     "{\"type\":\"object\",\"properties\":{\"inputs\":{\"type\":\"object\"}},\"required\":[\"i"
     "nputs\"],\"additionalProperties\":false}",
     "{\"200\":{\"type\":\"object\",\"properties\":{\"points\":{\"type\":\"number\",\"nullable"
     "\":true},\"status\":{\"type\":\"string\",\"enum\":[\"scored\",\"not_applicable\",\"missi"
     "ng\",\"error\"]},\"status_label\":{\"type\":\"string\"},\"explanation\":{\"type\":\"stri"
     "ng\"}},\"required\":[\"points\",\"status\",\"status_label\",\"explanation\"],\"additiona"
     "lProperties\":false}}"},
    {"POST", "/api/v1/tasks/{id}/transitions",
     "{\"type\":\"object\",\"properties\":{\"action\":{\"type\":\"string\",\"enum\":[\"save\","
     "\"submit\",\"return\",\"send\",\"approve\",\"request_explanation\",\"explain\",\"reopen\""
     "]},\"comment\":{\"type\":\"string\",\"nullable\":true},\"points\":{\"type\":\"number\",\""
     "minimum\":0,\"nullable\":true},\"version\":{\"type\":\"integer\",\"minimum\":1}},\"requi"
     "red\":[\"action\",\"version\"],\"additionalProperties\":false}",
     "{\"200\":{\"$ref\":\"#/components/schemas/Task\"}}"},
    {"POST", "/api/v1/rounds/{id}/units/{unit}/transitions",
     "{\"type\":\"object\",\"properties\":{\"action\":{\"type\":\"string\",\"enum\":[\"save\","
     "\"submit\",\"return\",\"send\",\"approve\",\"request_explanation\",\"explain\",\"reopen\""
     "]},\"comment\":{\"type\":\"string\",\"nullable\":true}},\"required\":[\"action\"],\"addi"
     "tionalProperties\":false}",
     "{\"200\":{\"type\":\"object\",\"properties\":{\"applied\":{\"type\":\"integer\"},\"skipp"
     "ed\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"task_id\":{\"t"
     "ype\":\"integer\"},\"code\":{\"type\":\"string\"},\"error\":{\"type\":\"string\"},\"reas"
     "on\":{\"type\":\"string\"}},\"required\":[\"task_id\",\"code\",\"error\",\"reason\"],\"a"
     "dditionalProperties\":false}}},\"required\":[\"applied\",\"skipped\"],\"additionalProper"
     "ties\":false}}"},
    {"POST", "/api/v1/rounds/{id}/units/{unit}/standardise",
     "{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}",
     "{\"200\":{\"type\":\"object\",\"properties\":{\"recomputed\":{\"type\":\"integer\"},\"mi"
     "ssing\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"task_id\":{"
     "\"type\":\"integer\"},\"code\":{\"type\":\"string\"},\"what\":{\"type\":\"string\"}},\"r"
     "equired\":[\"task_id\",\"code\",\"what\"],\"additionalProperties\":false}}},\"required\""
     ":[\"recomputed\",\"missing\"],\"additionalProperties\":false}}"},
    {"GET", "/api/v1/tasks/{id}/comments",
     NULL,
     "{\"200\":{\"type\":\"object\",\"properties\":{\"comments\":{\"type\":\"array\",\"items\""
     ":{\"$ref\":\"#/components/schemas/TaskComment\"}}},\"required\":[\"comments\"],\"additio"
     "nalProperties\":false}}"},
    {"POST", "/api/v1/tasks/{id}/comments",
     "{\"type\":\"object\",\"properties\":{\"body\":{\"type\":\"string\"}},\"required\":[\"bod"
     "y\"],\"additionalProperties\":false}",
     "{\"201\":{\"type\":\"object\",\"properties\":{\"comments\":{\"type\":\"array\",\"items\""
     ":{\"$ref\":\"#/components/schemas/TaskComment\"}}},\"required\":[\"comments\"],\"additio"
     "nalProperties\":false}}"},
    {"PUT", "/api/v1/tasks/{id}/appraiser-inputs",
     "{\"type\":\"object\",\"properties\":{\"inputs\":{\"type\":\"object\",\"additionalPropert"
     "ies\":{\"type\":\"object\",\"properties\":{\"value\":{},\"source\":{\"type\":\"string\"}"
     "},\"required\":[\"value\",\"source\"],\"additionalProperties\":false}}},\"required\":[\""
     "inputs\"],\"additionalProperties\":false}",
     "{\"200\":{\"$ref\":\"#/components/schemas/Task\"}}"},
    {NULL, NULL, NULL, NULL}};

const struct schema_component components_tasks[] = {
    {"TaskRow",
     "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"round_id\":{\"type\""
     ":\"integer\"},\"unit_id\":{\"type\":\"integer\"},\"unit_name\":{\"type\":\"string\"},\"s"
     "ubject_unit_id\":{\"type\":\"integer\"},\"subject_unit_name\":{\"type\":\"string\"},\"le"
     "vel\":{\"type\":\"string\",\"nullable\":true},\"framework_id\":{\"type\":\"string\"},\"f"
     "ramework_version\":{\"type\":\"integer\"},\"criterion_key\":{\"type\":\"string\"},\"pill"
     "ar_key\":{\"type\":\"string\"},\"seq\":{\"type\":\"integer\"},\"code\":{\"type\":\"strin"
     "g\",\"nullable\":true},\"title\":{\"type\":\"string\",\"nullable\":true},\"max_points\":"
     "{\"type\":\"number\"},\"state\":{\"type\":\"string\",\"enum\":[\"not_started\",\"draft\""
     ",\"submitted\",\"returned\",\"in_appraisal\",\"explanation_requested\",\"explained\",\"a"
     "pproved\"]},\"state_label\":{\"type\":\"string\"},\"version\":{\"type\":\"integer\"},\"t"
     "rial\":{\"type\":\"boolean\"},\"self_points\":{\"type\":\"number\",\"nullable\":true},\""
     "approved_points\":{\"type\":\"number\",\"nullable\":true},\"time_state\":{\"type\":\"str"
     "ing\",\"enum\":[\"on_time\",\"due_soon\",\"overdue\",\"done\"]},\"due_at\":{\"type\":\"s"
     "tring\",\"format\":\"date-time\",\"nullable\":true},\"updated_at\":{\"type\":\"string\","
     "\"format\":\"date-time\",\"nullable\":true}},\"required\":[\"id\",\"round_id\",\"unit_id"
     "\",\"unit_name\",\"subject_unit_id\",\"subject_unit_name\",\"level\",\"framework_id\",\""
     "framework_version\",\"criterion_key\",\"pillar_key\",\"seq\",\"code\",\"title\",\"max_po"
     "ints\",\"state\",\"state_label\",\"version\",\"trial\",\"self_points\",\"approved_points"
     "\",\"time_state\",\"due_at\",\"updated_at\"],\"additionalProperties\":false}"},
    {"Task",
     "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"round_id\":{\"type\""
     ":\"integer\"},\"unit_id\":{\"type\":\"integer\"},\"unit_name\":{\"type\":\"string\"},\"s"
     "ubject_unit_id\":{\"type\":\"integer\"},\"subject_unit_name\":{\"type\":\"string\"},\"le"
     "vel\":{\"type\":\"string\",\"nullable\":true},\"framework_id\":{\"type\":\"string\"},\"f"
     "ramework_version\":{\"type\":\"integer\"},\"criterion_key\":{\"type\":\"string\"},\"pill"
     "ar_key\":{\"type\":\"string\"},\"seq\":{\"type\":\"integer\"},\"code\":{\"type\":\"strin"
     "g\",\"nullable\":true},\"title\":{\"type\":\"string\",\"nullable\":true},\"max_points\":"
     "{\"type\":\"number\"},\"state\":{\"type\":\"string\",\"enum\":[\"not_started\",\"draft\""
     ",\"submitted\",\"returned\",\"in_appraisal\",\"explanation_requested\",\"explained\",\"a"
     "pproved\"]},\"state_label\":{\"type\":\"string\"},\"version\":{\"type\":\"integer\"},\"t"
     "rial\":{\"type\":\"boolean\"},\"self_points\":{\"type\":\"number\",\"nullable\":true},\""
     "approved_points\":{\"type\":\"number\",\"nullable\":true},\"time_state\":{\"type\":\"str"
     "ing\",\"enum\":[\"on_time\",\"due_soon\",\"overdue\",\"done\"]},\"due_at\":{\"type\":\"s"
     "tring\",\"format\":\"date-time\",\"nullable\":true},\"updated_at\":{\"type\":\"string\","
     "\"format\":\"date-time\",\"nullable\":true},\"round_title\":{\"type\":\"string\"},\"roun"
     "d_status\":{\"type\":\"string\",\"enum\":[\"open\",\"finalised\"]},\"current_phase\":{\""
     "type\":\"string\",\"enum\":[\"trial\",\"self_assessment\",\"appraisal1\",\"explanation\""
     ",\"appraisal2\",\"finalised\",null],\"nullable\":true},\"criterion\":{\"$ref\":\"#/components"
     "/schemas/TaskCriterion\"},\"report\":{\"type\":\"object\",\"properties\":{\"inputs\":{\""
     "type\":\"object\"},\"content\":{\"type\":\"string\",\"nullable\":true},\"note\":{\"type\""
     ":\"string\",\"nullable\":true},\"self_points\":{\"type\":\"number\",\"nullable\":true},\""
     "self_status\":{\"type\":\"string\",\"nullable\":true},\"self_explanation\":{\"type\":\"s"
     "tring\",\"nullable\":true}},\"required\":[\"inputs\",\"content\",\"note\",\"self_points\""
     ",\"self_status\",\"self_explanation\"],\"additionalProperties\":false},\"approval\":{\"t"
     "ype\":\"object\",\"properties\":{\"approved_points\":{\"type\":\"number\",\"nullable\":t"
     "rue},\"approval_comment\":{\"type\":\"string\",\"nullable\":true},\"approved_by\":{\"typ"
     "e\":\"integer\",\"nullable\":true},\"approved_at\":{\"type\":\"string\",\"format\":\"dat"
     "e-time\",\"nullable\":true},\"appraisal_round\":{\"type\":\"integer\",\"nullable\":true}"
     "},\"required\":[\"approved_points\",\"approval_comment\",\"approved_by\",\"approved_at\""
     ",\"appraisal_round\"],\"additionalProperties\":false},\"dates\":{\"type\":\"object\",\"p"
     "roperties\":{\"submitted_at\":{\"type\":\"string\",\"format\":\"date-time\",\"nullable\""
     ":true},\"sent_at\":{\"type\":\"string\",\"format\":\"date-time\",\"nullable\":true},\"ap"
     "proved_at\":{\"type\":\"string\",\"format\":\"date-time\",\"nullable\":true},\"updated_a"
     "t\":{\"type\":\"string\",\"format\":\"date-time\",\"nullable\":true}},\"required\":[\"su"
     "bmitted_at\",\"sent_at\",\"approved_at\",\"updated_at\"],\"additionalProperties\":false}"
     ",\"appraiser_inputs\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"object\""
     ",\"properties\":{\"value\":{},\"source\":{\"type\":\"string\"}},\"required\":[\"value\","
     "\"source\"],\"additionalProperties\":false},\"nullable\":true},\"external_value\":{\"type\":\"object\",\"nul"
     "lable\":true},\"leader_comment\":{\"type\":\"string\",\"nullable\":true},\"proposal\":{\""
     "type\":\"object\",\"properties\":{\"from\":{\"type\":\"string\",\"enum\":[\"report\",\"a"
     "ppraiser_inputs\"]},\"points\":{\"type\":\"number\",\"nullable\":true},\"status\":{\"typ"
     "e\":\"string\",\"nullable\":true},\"explanation\":{\"type\":\"string\",\"nullable\":true"
     "}},\"required\":[\"from\",\"points\",\"status\",\"explanation\"],\"additionalProperties\""
     ":false},\"evidence\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/Task"
     "Evidence\"}},\"comments\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas"
     "/TaskComment\"}},\"actions\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"proper"
     "ties\":{\"action\":{\"type\":\"string\",\"enum\":[\"save\",\"submit\",\"return\",\"send\""
     ",\"approve\",\"request_explanation\",\"explain\",\"reopen\"]},\"label\":{\"type\":\"stri"
     "ng\"},\"needs_comment\":{\"type\":\"boolean\"},\"needs_points\":{\"type\":\"boolean\"}},"
     "\"required\":[\"action\",\"label\",\"needs_comment\",\"needs_points\"],\"additionalPrope"
     "rties\":false}}},\"required\":[\"id\",\"round_id\",\"unit_id\",\"unit_name\",\"subject_u"
     "nit_id\",\"subject_unit_name\",\"level\",\"framework_id\",\"framework_version\",\"criter"
     "ion_key\",\"pillar_key\",\"seq\",\"code\",\"title\",\"max_points\",\"state\",\"state_lab"
     "el\",\"version\",\"trial\",\"self_points\",\"approved_points\",\"time_state\",\"due_at\""
     ",\"updated_at\",\"round_title\",\"round_status\",\"current_phase\",\"criterion\",\"repor"
     "t\",\"approval\",\"dates\",\"appraiser_inputs\",\"external_value\",\"leader_comment\",\""
     "proposal\",\"evidence\",\"comments\",\"actions\"],\"additionalProperties\":false}"},
    {"TaskComment",
     "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"author_user_id\":{\""
     "type\":\"integer\",\"nullable\":true},\"author_name\":{\"type\":\"string\"},\"kind\":{\""
     "type\":\"string\"},\"body\":{\"type\":\"string\"},\"at\":{\"type\":\"string\",\"format\""
     ":\"date-time\"}},\"required\":[\"id\",\"author_user_id\",\"author_name\",\"kind\",\"body"
     "\",\"at\"],\"additionalProperties\":false}"},
    {"TaskEvidence",
     "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"file_name\":{\"type"
     "\":\"string\"},\"mime\":{\"type\":\"string\"},\"size\":{\"type\":\"integer\"},\"uploaded"
     "_at\":{\"type\":\"string\",\"format\":\"date-time\"},\"trial\":{\"type\":\"boolean\"},"
     /* part: pdfsig — the PDF signature verdict (docs/signatures.md); null: not a PDF */
     "\"signature_verdict\":{\"type\":\"string\",\"nullable\":true,\"enum\":[\"signed_valid\","
     "\"signed_untrusted\",\"signed_invalid\",\"signed_partial\",\"unsigned\",\"encrypted\","
     "\"not_pdf\",null]},\"signer\":{\"type\":\"string\",\"nullable\":true}},\""
     "required\":[\"id\",\"file_name\",\"mime\",\"size\",\"uploaded_at\",\"trial\","
     "\"signature_verdict\",\"signer\"],\"addition"
     "alProperties\":false}"},
    {"TaskCriterion",
     "{\"type\":\"object\",\"properties\":{\"key\":{\"type\":\"string\"},\"code\":{\"type\":\""
     "string\",\"nullable\":true},\"title\":{\"type\":\"string\",\"nullable\":true},\"guidance"
     "\":{\"type\":\"string\",\"nullable\":true},\"conditions\":{\"type\":\"string\",\"nullabl"
     "e\":true},\"evidence\":{\"type\":\"string\",\"nullable\":true},\"evidence_required\":{\""
     "type\":\"boolean\"},\"signed_evidence\":{\"type\":\"boolean\"},\"max_points\":{\"type\":"
     "\"number\"},\"due\":{\"type\":\"string\",\"nullable\":true},\"reading\":{\"type\":\"stri"
     "ng\"},\"inputs\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"na"
     "me\":{\"type\":\"string\"},\"label\":{\"type\":\"string\",\"nullable\":true},\"type\":{\""
     "type\":\"string\"},\"unit\":{\"type\":\"string\",\"nullable\":true},\"min\":{\"type\":\""
     "number\",\"nullable\":true},\"max\":{\"type\":\"number\",\"nullable\":true},\"options\":"
     "{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"value\":{\"type\":\""
     "string\"},\"label\":{\"type\":\"string\"}},\"required\":[\"value\",\"label\"],\"addition"
     "alProperties\":false}}},\"required\":[\"name\",\"label\",\"type\",\"unit\",\"min\",\"max"
     "\",\"options\"],\"additionalProperties\":false}}},\"required\":[\"key\",\"code\",\"title"
     "\",\"guidance\",\"conditions\",\"evidence\",\"evidence_required\",\"signed_evidence\",\""
     "max_points\",\"due\",\"reading\",\"inputs\"],\"additionalProperties\":false}"},
    {"Workflow",
     "{\"type\":\"object\",\"properties\":{\"states\":{\"type\":\"array\",\"items\":{\"type\":"
     "\"object\",\"properties\":{\"code\":{\"type\":\"string\",\"enum\":[\"not_started\",\"dra"
     "ft\",\"submitted\",\"returned\",\"in_appraisal\",\"explanation_requested\",\"explained\""
     ",\"approved\"]},\"label\":{\"type\":\"string\"}},\"required\":[\"code\",\"label\"],\"add"
     "itionalProperties\":false}},\"actions\":{\"type\":\"array\",\"items\":{\"type\":\"object"
     "\",\"properties\":{\"code\":{\"type\":\"string\",\"enum\":[\"save\",\"submit\",\"return\""
     ",\"send\",\"approve\",\"request_explanation\",\"explain\",\"reopen\"]},\"label\":{\"type"
     "\":\"string\"},\"needs_comment\":{\"type\":\"boolean\"},\"needs_points\":{\"type\":\"boo"
     "lean\"}},\"required\":[\"code\",\"label\",\"needs_comment\",\"needs_points\"],\"addition"
     "alProperties\":false}},\"transitions\":{\"type\":\"array\",\"items\":{\"type\":\"object\""
     ",\"properties\":{\"action\":{\"type\":\"string\",\"enum\":[\"save\",\"submit\",\"return\""
     ",\"send\",\"approve\",\"request_explanation\",\"explain\",\"reopen\"]},\"roles\":{\"type"
     "\":\"array\",\"items\":{\"type\":\"string\",\"enum\":[\"admin\",\"appraiser\",\"staff\","
     "\"leader\"]}},\"from\":{\"type\":\"array\",\"items\":{\"type\":\"string\",\"enum\":[\"no"
     "t_started\",\"draft\",\"submitted\",\"returned\",\"in_appraisal\",\"explanation_requeste"
     "d\",\"explained\",\"approved\"]}},\"to\":{\"type\":\"string\",\"enum\":[\"not_started\","
     "\"draft\",\"submitted\",\"returned\",\"in_appraisal\",\"explanation_requested\",\"explai"
     "ned\",\"approved\",null],\"nullable\":true},\"phases\":{\"type\":\"array\",\"items\":{\"type\""
     ":\"string\",\"enum\":[\"trial\",\"self_assessment\",\"appraisal1\",\"explanation\",\"app"
     "raisal2\",\"finalised\"]}}},\"required\":[\"action\",\"roles\",\"from\",\"to\",\"phases\""
     "],\"additionalProperties\":false}},\"phases\":{\"type\":\"array\",\"items\":{\"type\":\""
     "object\",\"properties\":{\"code\":{\"type\":\"string\",\"enum\":[\"trial\",\"self_assess"
     "ment\",\"appraisal1\",\"explanation\",\"appraisal2\",\"finalised\"]},\"label\":{\"type\""
     ":\"string\"}},\"required\":[\"code\",\"label\"],\"additionalProperties\":false}}},\"requ"
     "ired\":[\"states\",\"actions\",\"transitions\",\"phases\"],\"additionalProperties\":fals"
     "e}"},
    {NULL, NULL}};
