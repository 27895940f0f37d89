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

typedef struct http_req http_req;

struct http_server {
    struct MHD_Daemon *mhd;
    struct conn_guard *guard; /* conn_guard.c: head deadline */
    struct http_server_opts o;
    struct static_files *web;
    atomic_int in_flight;
    atomic_bool stopping; /* http_server_stop() began: new connections are closed */
    struct MHD_Response *not_found_asset; /* prebuilt 404 for /assets/ misses */
    /* Prebuilt 500 for when nothing can be allocated any more: answering it allocates nothing. */
    struct MHD_Response *oom;
    /* Hands a finished reply over: MHD_queue_response in production (mhd_queue in server.c);
     * the whole-request fuzzer inspects the reply instead. Returns false if it was not taken. */
    bool (*queue)(http_req *r, unsigned status, struct MHD_Response *resp);
};

#define HTTP_MAX_EXTRA_HEADERS 6
#define HTTP_MAX_QUERY 32
/* Request header fields kept; a request with more is refused (431). */
#define HTTP_MAX_HEADER_FIELDS 100

struct http_req {
    struct MHD_Connection *conn;
    struct http_server *srv;
    const struct route *route;
    struct router_match match;
    const char *method; /* MHD's copy, valid for the request */
    const char *raw_url;
    const char *version; /* "HTTP/1.1", "HTTP/1.0" */
    bool refused_by_mhd;  /* libmicrohttpd answered by itself; method unknown */

    /* The request's header fields and query arguments, as received (undecoded), pointing into
     * MHD's buffer (or the fuzzer's input): the pipeline reads them only from here. */
    int nhdr;
    bool too_many_headers;
    bool malformed_headers; /* the transport saw a NUL or a folded line (see server.c) */
    const char *hdr_name[HTTP_MAX_HEADER_FIELDS];
    const char *hdr_value[HTTP_MAX_HEADER_FIELDS];
    size_t hdr_value_len[HTTP_MAX_HEADER_FIELDS];
    int nqraw;
    const char *qraw_key[HTTP_MAX_QUERY];
    const char *qraw_value[HTTP_MAX_QUERY]; /* NULL for "?flag" */

    struct timespec start;
    struct caller caller;

    size_t max_body;
    char *body;
    size_t body_len, body_cap, discarded;
    bool has_body, body_too_large, body_oom, deferred;
    json_t *json;
    /* ROUTE_STREAM_BODY: the consumer the handler gave (http_stream_body), until end/abort */
    const struct http_body_consumer *stream;
    void *stream_ctx;
    size_t stream_total;
    bool stream_refused; /* consumer->chunk returned false: the rest is dropped */

    db_conn *db;

    bool replied;
    bool header_failed; /* http_add_header/http_set_cookie could not store one: reply 500 */
    int status;
    const char *reply_body; /* what the last reply sent (valid only inside queue()) */
    size_t reply_len;
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

/* request.c: the header fields the transport filled in */
/* Adds one field (false once HTTP_MAX_HEADER_FIELDS are stored; too_many_headers is set). */
bool http_req_add_header(http_req *r, const char *name, const char *value, size_t value_len);
bool http_req_add_query(http_req *r, const char *key, const char *value);
/* First field with this name (case-insensitive), NULL if none. */
const char *http_req_header(const http_req *r, const char *name);
/* Value of cookie `name` from the Cookie header fields into out (NUL-terminated). NONE when
 * absent or longer than cap - 1; CONFLICT when it is sent twice with different values (a
 * cookie set for a parent domain or a narrower path by someone else: which one the browser
 * lists first is no proof of anything, so neither is used). */
enum http_cookie_read { HTTP_COOKIE_NONE = 0, HTTP_COOKIE_FOUND = 1, HTTP_COOKIE_CONFLICT = 2 };
enum http_cookie_read http_req_cookie(const http_req *r, const char *name, char *out, size_t cap);

/* server.c: the request pipeline, independent of libmicrohttpd (the fuzzer drives it).
 * new -> (fields) -> start -> body* -> end -> done. */
http_req *http_req_new(struct http_server *s, void *conn, const char *method, const char *url,
                       const char *version);
void http_pipeline_start(http_req *r);
/* false: drop the connection (a client streaming far past the body limit). */
bool http_pipeline_body(http_req *r, const char *data, size_t n);
void http_pipeline_end(http_req *r);
/* Access log line, then frees everything the request holds. */
void http_req_done(http_req *r);
/* Builds the prebuilt responses a server needs (oom); false without memory. */
bool http_server_prebuild(struct http_server *s);

/* response.c */
bool http_add_security_headers(struct MHD_Response *resp, bool api);
/* Queues the prebuilt 500 (allocates nothing). */
int http_reply_oom(http_req *r);
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
/* Builds the line into buf (never past cap); returns its length, 0 if cap is too small. */
size_t http_access_log_line(const http_req *r, char *buf, size_t cap);

#endif
