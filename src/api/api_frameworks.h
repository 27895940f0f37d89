/* api_frameworks.h — index set endpoints (api_frameworks.c). */
#ifndef DTI_API_API_FRAMEWORKS_H
#define DTI_API_API_FRAMEWORKS_H

#include "http/http.h"

int api_frameworks_list(http_req *r);
int api_framework_get(http_req *r);
int api_framework_create(http_req *r);

#endif
