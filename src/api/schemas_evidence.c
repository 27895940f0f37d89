/* schemas_evidence.c — request and success-response schemas of the evidence routes
 * (docs/rounds-api.md "Evidence", docs/evidence.md), in the format of route_schema.h.
 *
 * Two bodies are not JSON, marked with "x-content-type" for the generator: the upload's request
 * is multipart/form-data (a part `file`, the bytes, and an optional part `replaces`, an evidence
 * id as text), and the download's 200 is the file itself (its stored type, one of the allowed
 * ones, as an attachment). */
#include <stddef.h>

#include "api/route_schema.h"

#define EVIDENCE_REF "{\"$ref\": \"#/components/schemas/Evidence\"}"

const struct route_schema schemas_evidence[] = {
    {"POST", "/api/v1/tasks/{id}/evidence",
     "{\"type\": \"object\", \"x-content-type\": \"multipart/form-data\", \"properties\": "
     "{\"file\": {\"type\": \"string\", \"format\": \"binary\"}, \"replaces\": {\"type\": "
     "\"string\", \"pattern\": \"^[1-9][0-9]{0,18}$\"}}, \"required\": [\"file\"], "
     "\"additionalProperties\": false}",
     "{\"201\": " EVIDENCE_REF "}"},
    {"GET", "/api/v1/tasks/{id}/evidence",
     NULL,
     "{\"200\": {\"type\": \"object\", \"properties\": {\"evidence\": {\"type\": \"array\", "
     "\"items\": " EVIDENCE_REF "}}, \"required\": [\"evidence\"], \"additionalProperties\": "
     "false}}"},
    {"GET", "/api/v1/evidence/{id}/download",
     NULL,
     "{\"200\": {\"type\": \"string\", \"format\": \"binary\", \"x-content-type\": "
     "\"application/octet-stream\"}}"},
    {"DELETE", "/api/v1/evidence/{id}",
     NULL,
     "{\"200\": " EVIDENCE_REF "}"},
    {NULL, NULL, NULL, NULL}};

const struct schema_component components_evidence[] = {
    {"Evidence",
     "{\"type\": \"object\", \"properties\": {"
     "\"id\": {\"type\": \"integer\"}, "
     "\"task_id\": {\"type\": \"integer\"}, "
     "\"file_name\": {\"type\": \"string\", \"minLength\": 1}, "
     "\"mime\": {\"type\": \"string\", \"enum\": [\"application/pdf\", "
     "\"application/vnd.openxmlformats-officedocument.wordprocessingml.document\", "
     "\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\", "
     "\"application/vnd.oasis.opendocument.text\", "
     "\"application/vnd.oasis.opendocument.spreadsheet\", \"image/png\", \"image/jpeg\", "
     "\"application/zip\"]}, "
     "\"size\": {\"type\": \"integer\", \"minimum\": 1}, "
     "\"sha256\": {\"type\": \"string\", \"pattern\": \"^[0-9a-f]{64}$\"}, "
     "\"uploaded_by\": {\"type\": \"integer\", \"nullable\": true}, "
     "\"uploaded_by_name\": {\"type\": \"string\", \"nullable\": true}, "
     "\"uploaded_at\": {\"type\": \"string\", \"format\": \"date-time\"}, "
     "\"replaces_id\": {\"type\": \"integer\", \"nullable\": true}, "
     "\"superseded_at\": {\"type\": \"string\", \"format\": \"date-time\", \"nullable\": true}, "
     "\"removed_at\": {\"type\": \"string\", \"format\": \"date-time\", \"nullable\": true}, "
     "\"trial\": {\"type\": \"boolean\"}, "
     "\"current\": {\"type\": \"boolean\"}, "
     /* part: pdfsig — the PDF signature check (docs/signatures.md); null: not a PDF */
     "\"signature\": {\"type\": \"object\", \"nullable\": true, \"properties\": {"
     "\"verdict\": {\"type\": \"string\", \"enum\": [\"signed_valid\", \"signed_untrusted\", "
     "\"signed_invalid\", \"signed_partial\", \"unsigned\", \"encrypted\", \"not_pdf\"]}, "
     "\"verdict_label\": {\"type\": \"string\"}, "
     "\"reasons\": {\"type\": \"array\", \"items\": {\"type\": \"object\", \"properties\": "
     "{\"code\": {\"type\": \"string\"}, \"text\": {\"type\": \"string\"}}, \"required\": "
     "[\"code\", \"text\"], \"additionalProperties\": false}}, "
     "\"signer\": {\"type\": \"string\", \"nullable\": true}, "
     "\"organization\": {\"type\": \"string\", \"nullable\": true}, "
     "\"issuer\": {\"type\": \"string\", \"nullable\": true}, "
     "\"signing_time\": {\"type\": \"string\", \"format\": \"date-time\", \"nullable\": true}, "
     "\"active_content\": {\"type\": \"boolean\"}}, "
     "\"required\": [\"verdict\", \"verdict_label\", \"reasons\", \"signer\", \"organization\", "
     "\"issuer\", \"signing_time\", \"active_content\"], \"additionalProperties\": false}, "
     "\"signature_required\": {\"type\": \"boolean\"}, "
     "\"signature_warning\": {\"type\": \"string\", \"nullable\": true}}, "
     "\"required\": [\"id\", \"task_id\", \"file_name\", \"mime\", \"size\", \"sha256\", "
     "\"uploaded_by\", \"uploaded_by_name\", \"uploaded_at\", \"replaces_id\", "
     "\"superseded_at\", \"removed_at\", \"trial\", \"current\", \"signature\", "
     "\"signature_required\", \"signature_warning\"], "
     "\"additionalProperties\": false}"},
    {NULL, NULL}};
