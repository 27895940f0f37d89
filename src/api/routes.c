/* routes.c — the one route table (placeholder until the API lands). */
#include <stddef.h>

#include "api/api_health.h"
#include "http/http.h"

const struct route dti_routes[] = {
    {"GET", "/api/v1/health", api_health, ROLE_PUBLIC, 0, "Tình trạng máy chủ và cơ sở dữ liệu"},
    {"GET", "/api/v1/openapi.json", api_openapi, ROLE_PUBLIC, 0, "Mô tả API (OpenAPI 3.0)"},
    {NULL, NULL, NULL, 0, 0, NULL},
};
