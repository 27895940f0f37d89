/* api_publication.c — publishing a finalised round (admin) and the public reads of what was
 * published (no login: ROLE_PUBLIC rows). docs/results-api.md "Publication". The public
 * handlers read only the frozen snapshots (app/publication.h): an unpublished round, a round
 * that does not exist and a version that does not exist all get the same 404. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "app/publication.h"

int api_round_publish(http_req *r)
{
    int64_t id;
    if (!in_path_id(r, &id))
        return 0;
    static const char *const fields[] = {"note", NULL};
    json_t *b = in_body(r, fields);
    if (!b)
        return 0;
    const char *note = NULL;
    if (in_string(r, b, "note", IN_TEXT_ANY_LENGTH, &note) == IN_ERROR)
        return 0;
    db_conn *c = api_begin(r);
    if (!c)
        return 0;
    struct app_actor who = api_actor(r);
    struct app_err err;
    json_t *pub = NULL;
    int rc = publication_publish(c, &who, id, note, api_now(), &pub, &err);
    if (!api_end(r, c, rc, &err)) {
        json_decref(pub);
        return 0;
    }
    return api_reply_entity(r, 201, pub);
}

/* ?version= : absent = the current version (0); else a positive integer (400 otherwise). */
static bool query_version(http_req *r, int64_t *out)
{
    *out = 0;
    return http_query_int(r, "version", 1, 1000000, out);
}

int api_public_rounds(http_req *r)
{
    db_conn *c = http_db(r);
    if (!c)
        return api_internal(r);
    struct app_err err;
    json_t *o = publication_list(c, &err);
    return o ? http_reply_json(r, 200, o) : api_fail(r, &err);
}

int api_public_round(http_req *r)
{
    int64_t id, version;
    if (!in_path_id(r, &id) || !query_version(r, &version))
        return 0;
    db_conn *c = http_db(r);
    if (!c)
        return api_internal(r);
    struct app_err err;
    json_t *o = publication_round(c, id, version, &err);
    return o ? http_reply_json(r, 200, o) : api_fail(r, &err);
}

int api_public_rankings(http_req *r)
{
    int64_t id, version;
    const char *level;
    if (!in_path_id(r, &id) || !query_version(r, &version) || !in_query_level(r, &level))
        return 0;
    db_conn *c = http_db(r);
    if (!c)
        return api_internal(r);
    struct app_err err;
    size_t len = 0;
    char *body = publication_rankings(c, id, version, level, &len, &err);
    if (!body)
        return api_fail(r, &err);
    /* stored at publication as the exact response: served without parsing */
    int rc = http_reply_bytes(r, 200, "application/json; charset=utf-8", body, len);
    free(body);
    return rc;
}

/* The frozen bytes as an attachment; X-Content-SHA256 repeats the receipt (of the JSON). */
static int reply_export(http_req *r, bool csv)
{
    int64_t id, version;
    if (!in_path_id(r, &id) || !query_version(r, &version))
        return 0;
    db_conn *c = http_db(r);
    if (!c)
        return api_internal(r);
    struct app_err err;
    struct pub_row row;
    if (publication_get(c, id, version, &row, &err))
        return api_fail(r, &err);
    char cd[128];
    snprintf(cd, sizeof cd, "attachment; filename=\"dti-cong-bo-dot-%lld-v%lld.%s\"",
             (long long)id, (long long)row.version, csv ? "csv" : "json");
    char ver[24];
    snprintf(ver, sizeof ver, "%lld", (long long)row.version);
    int rc;
    if (!http_add_header(r, "Content-Disposition", cd) ||
        !http_add_header(r, "X-Publication-Version", ver) ||
        (!csv && !http_add_header(r, "X-Content-SHA256", row.sha256)))
        rc = api_internal(r);
    else
        rc = csv ? http_reply_bytes(r, 200, "text/csv; charset=utf-8", row.csv, row.csv_len)
                 : http_reply_bytes(r, 200, "application/json; charset=utf-8", row.json,
                                    row.json_len);
    pub_row_free(&row);
    return rc;
}

int api_public_export_json(http_req *r)
{
    return reply_export(r, false);
}

int api_public_export_csv(http_req *r)
{
    return reply_export(r, true);
}
