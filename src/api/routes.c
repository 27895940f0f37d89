/* routes.c — the one route table (placeholder until the API lands). */
#include <stddef.h>

#include "http/http.h"

const struct route dti_routes[] = {
    {NULL, NULL, NULL, 0, 0, NULL},
};
