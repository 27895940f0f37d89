/* schemas.c — the list of every part's schema tables (src/api/schemas_<part>.c; format in
 * route_schema.h). Adding a part is one line below: X(part) declares and lists
 * schemas_<part> and components_<part>. */
#include <string.h>

#include "api/schemas.h"

#define SCHEMA_PARTS(X) \
    X(core)             \
    X(auth)             \
    X(units)            \
    X(users)            \
    X(audit)            \
    X(tokens)           \
    X(frameworks)       \
    X(rounds)           \
    X(tasks)            \
    X(evidence)         \
    X(readings)         \
    X(accounts)         \
    X(excel)            \
    X(dash)             \
    X(pub)              \
    X(rank)             \
    X(unitpage)

#define DECLARE(p)                                      \
    extern const struct route_schema schemas_##p[];     \
    extern const struct schema_component components_##p[];
SCHEMA_PARTS(DECLARE)

#define ENTRY(p) {#p, schemas_##p, components_##p},
const struct schema_part schema_parts[] = {SCHEMA_PARTS(ENTRY){NULL, NULL, NULL}};

const struct route_schema *schema_find(const struct schema_part *parts, const char *method,
                                       const char *path)
{
    for (const struct schema_part *p = parts; p->name; p++)
        for (const struct route_schema *s = p->routes; s->method; s++)
            if (!strcmp(s->method, method) && !strcmp(s->path, path))
                return s;
    return NULL;
}
