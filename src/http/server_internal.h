/* server_internal.h — the request and server structures shared by the src/http/ files. */
#ifndef DTI_HTTP_SERVER_INTERNAL_H
#define DTI_HTTP_SERVER_INTERNAL_H

#include <microhttpd.h>
#include <stdatomic.h>
#include <time.h>

#include "http/conn_guard.h"
#include "http/http.h"
#include "http/router.h"
#include "http/server.h"
#include "http/static_files.h"

struct http_server {
    struct MHD_Daemon *mhd;
    struct conn_guard *guard; /* conn_guard.c: head deadline */
    struct http_server_opts o;
    struct static_files *web;
    atomic_int in_flight;
    struct MHD_Response *not_found_asset; /* prebuilt 404 for /assets/ misses */
};

#define HTTP_MAX_EXTRA_HEADERS 6
#define HTTP_MAX_QUERY 32

struct http_req {
    struct MHD_Connection *conn;
    struct http_server *srv;
    const struct route *route;
    struct router_match match;
    const char *method; /* MHD's copy, valid for the request */
    const char *raw_url;
    struct timespec start;
    struct caller caller;

    size_t max_body;
    char *body;
    size_t body_len, body_cap, discarded;
    bool has_body, body_too_large, deferred;
    json_t *json;

    db_conn *db;

    bool replied;
    int status;
    size_t bytes;
    int nextra;
    char *extra_name[HTTP_MAX_EXTRA_HEADERS];
    char *extra_value[HTTP_MAX_EXTRA_HEADERS];

    bool query_parsed, query_too_many, query_invalid;
    char query_bad[72]; /* name of the first undecodable parameter (query_check.c) */
    int nquery;
    char *query_key[HTTP_MAX_QUERY];
    char *query_value[HTTP_MAX_QUERY];
    char client_addr[64];
};

/* response.c */
void http_add_security_headers(struct MHD_Response *resp, bool api);
int http_queue(http_req *r, int status, struct MHD_Response *resp, size_t bytes);
/* query_check.c */
/* Refuses (400, naming the parameter) a query parameter the route row does not list, one sent
 * twice, one that is not valid UTF-8 or badly %-encoded, or more than HTTP_MAX_QUERY of them.
 * Returns true when the handler may run. */
bool http_query_check(http_req *r);
/* A parameter name fit for an error message: printable ASCII kept (non-ASCII bytes shown as
 * '?' unless the name is valid UTF-8), cut to fit `cap`. */
void http_query_name_for_error(const char *name, char *out, size_t cap);
/* access_log.c */
void http_access_log(const http_req *r);

#endif
