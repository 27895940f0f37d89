/* api_health.h — health and API description handlers. */
#ifndef DTI_API_API_HEALTH_H
#define DTI_API_API_HEALTH_H

#include "http/http.h"

int api_health(http_req *r);  /* GET /api/v1/health */
int api_openapi(http_req *r); /* GET /api/v1/openapi.json */

/* The OpenAPI 3.0 document of a route table (new reference). */
json_t *openapi_document(const struct route *table);

#endif
