/* http.h — what a request handler sees, and the route table row.
 *
 * The server (server.c, on libmicrohttpd) reads the request, matches it against the one route
 * table (src/api/routes.c), and *before* calling the handler enforces what the row declares:
 *   - authentication (session cookie `dti_session`, or `Authorization: Bearer <api token>`),
 *     401 if missing/expired;
 *   - the caller's role is in row->roles, else 403;
 *   - unit scope (src/api/unit_scope.c): row->unit_of names the resolver that finds which unit
 *     the resource belongs to; with ROUTE_OWN_UNIT that unit must be the caller's (admin and
 *     appraiser exempt), else 403 — also for an id that does not exist or is malformed, so a
 *     caller never learns what exists in another unit; otherwise a nonexistent resource is 404,
 *     and a resource of a retired unit is 404 for everyone but admins;
 *   - ROUTE_WRITE: CSRF (header X-CSRF-Token equal to the session's token, constant-time; API
 *     tokens are exempt since they are never sent automatically by a browser), 403 otherwise;
 *   - a user whose password must be changed may only call rows with ROUTE_PWCHANGE_OK (403
 *     `password_change_required` otherwise);
 *   - query parameters: only those listed in row->query, each at most once, valid UTF-8 and
 *     well %-encoded (400 naming the parameter otherwise);
 *   - an admin without TOTP may only call rows with ROUTE_TOTP_SETUP_OK (403
 *     `totp_enrolment_required` otherwise);
 *   - the body (JSON only, Content-Type application/json) is limited in size (413 before reading
 *     when Content-Length is too big), parsed with jansson with depth/length limits; invalid
 *     JSON / invalid UTF-8 / NUL bytes -> 400 before the handler runs.
 * A handler therefore never re-checks any of the above; it checks only what is specific to it
 * (e.g. that a user it edits belongs to the caller's unit, for a leader).
 */
#ifndef DTI_HTTP_HTTP_H
#define DTI_HTTP_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

typedef struct http_req http_req;

struct blobstore; /* src/app/blobstore.h */

/* Roles (bit flags, so a route can list several). */
enum role {
    ROLE_ADMIN = 1u << 0,     /* quản trị */
    ROLE_APPRAISER = 1u << 1, /* cán bộ thẩm định */
    ROLE_STAFF = 1u << 2,     /* cán bộ nhập liệu */
    ROLE_LEADER = 1u << 3,    /* lãnh đạo đơn vị */
    ROLE_FEED = 1u << 4,      /* data feed: API tokens only */
};
#define ROLE_ANY_USER (ROLE_ADMIN | ROLE_APPRAISER | ROLE_STAFF | ROLE_LEADER)
#define ROLE_PUBLIC 0u /* roles == 0: no authentication at all */

enum route_flags {
    ROUTE_WRITE = 1u << 0,       /* changes state: CSRF applies, body may be JSON */
    ROUTE_OWN_UNIT = 1u << 1,    /* the row's unit_of must be the caller's unit (admin/appraiser exempt) */
    ROUTE_PWCHANGE_OK = 1u << 2, /* callable while the password must still be changed */
    ROUTE_RAW_BODY = 1u << 3,    /* body is not JSON: handler reads it with http_body() */
    ROUTE_OPTIONAL_AUTH = 1u << 4, /* roles==0 but identify the caller if a session is present */
    ROUTE_LARGE_BODY = 1u << 5,  /* body up to HTTP_MAX_BODY_LARGE (index set uploads) */
    ROUTE_TOTP_SETUP_OK = 1u << 6, /* callable by an admin who has not enrolled TOTP yet */
    /* part: tasks — an appraiser only where an appraiser_assignments row covers the resource
     * (unit_scope.c; docs/rounds-api.md "Appraiser") */
    ROUTE_ASSIGNED = 1u << 7,
    /* evidence: the body is never buffered; see http_stream_body() (limit: --max-upload-mb) */
    ROUTE_STREAM_BODY = 1u << 8,
};

/* Body limits (413 payload_too_large past them, refused before reading when announced). */
#define HTTP_MAX_BODY (1u << 20)        /* 1 MiB: every JSON route */
#define HTTP_MAX_BODY_LARGE (4u << 20)  /* 4 MiB: rows with ROUTE_LARGE_BODY */

/* Which unit a route's resource belongs to. Each value is one row of the resolver table in
 * src/api/unit_scope.c (name for openapi.json, how to find the unit, the 404 message). */
enum unit_of {
    UNIT_OF_NONE = 0,   /* not one unit's data (the caller's own account, global data, lists) */
    UNIT_OF_PATH_UNIT,  /* the {unit} path parameter */
    UNIT_OF_UNIT_ID,    /* the unit {id} of /units/{id} itself */
    UNIT_OF_USER,       /* the unit of user {id} */
    UNIT_OF_TOKEN,      /* the unit API token {id} acts for */
    UNIT_OF_QUERY_UNIT, /* the ?unit_id= query parameter; absent = the caller's own unit */
    UNIT_OF_TASK,       /* part: tasks — the unit that reports task {id} (tasks.unit_id) */
    UNIT_OF_ROUND_UNIT, /* part: tasks — {unit} of /rounds/{id}/units/{unit}, a unit of round {id} */
    UNIT_OF_EVIDENCE,   /* part: evidence — the unit of the task of evidence {id} */
    UNIT_OF_COUNT
};

typedef int (*http_handler)(http_req *req);

struct route {
    const char *method;  /* "GET", "POST", "PUT", "PATCH", "DELETE" */
    const char *pattern; /* "/api/v1/units/{id}"; {name} matches one non-empty segment */
    http_handler handler;
    unsigned roles; /* bitmask of enum role; ROLE_PUBLIC = anyone */
    unsigned flags; /* enum route_flags */
    const char *summary; /* one line for openapi.json */
    enum unit_of unit_of; /* whose unit the resource is (UNIT_OF_NONE: no unit scope) */
    const char *query;    /* allowed query parameters, "limit,before_id"; NULL: none */
};

/* The route table, defined in src/api/routes.c, terminated by a row with method == NULL. */
extern const struct route dti_routes[];

/* Who is calling (filled by the server from the session or API token). */
struct caller {
    bool authenticated;
    int64_t user_id;   /* 0 for an API token */
    int64_t token_id;  /* 0 for a session */
    int64_t session_id;
    int64_t unit_id;
    unsigned role;     /* one enum role bit */
    bool must_change_password;
    bool totp_enrol_required; /* an admin without TOTP: only ROUTE_TOTP_SETUP_OK rows */
    char username[128];
    char csrf[65];     /* session CSRF token (hex), empty for API tokens */
    /* Set by a lookup that recognised the credential but refuses it (it then returns false):
     * the router answers 403 with this code and message instead of 401 (e.g. unit_retired). */
    const char *refused_code;
    const char *refused_message;
};

/* ---- request accessors ---- */
const char *http_method(const http_req *r);
const char *http_path(const http_req *r);
/* Path parameter by name ({id} -> "id"), NULL if the pattern has none. Already URL-decoded. */
const char *http_param(const http_req *r, const char *name);
/* Path parameter parsed as a positive int64; false if absent or not a number. */
bool http_param_id(const http_req *r, const char *name, int64_t *out);
/* Query string value (decoded), NULL if absent. */
const char *http_query(const http_req *r, const char *name);
/* Decimal text in canonical form (ASCII digits only, no sign, blank, exponent or leading zero)
 * whose value lies in [min, max] (min >= 0): false otherwise, *out untouched. */
bool http_parse_uint(const char *s, int64_t min, int64_t max, int64_t *out);
/* ?name= as http_parse_uint: absent leaves *out and returns true; otherwise replies 400
 * invalid_value naming the parameter and its range, and returns false. */
bool http_query_int(http_req *r, const char *name, int64_t min, int64_t max, int64_t *out);
const char *http_header(const http_req *r, const char *name);
/* Cookie value by name, NULL if absent. */
const char *http_cookie(const http_req *r, const char *name);
/* Parsed JSON body (borrowed), NULL when the request had none. */
json_t *http_json(const http_req *r);
/* Raw body for ROUTE_RAW_BODY routes. */
const char *http_body(const http_req *r, size_t *len);
const struct caller *http_caller(const http_req *r);
/* A pooled connection, acquired lazily and released by the server after the handler. */
db_conn *http_db(http_req *r);
db *http_pool(http_req *r);
/* Client address as text (IPv4/IPv6), for audit and throttling. */
const char *http_client_addr(const http_req *r);
/* Server-wide settings a handler may need. */
bool http_cookie_secure(const http_req *r);

/* ---- streamed bodies (ROUTE_STREAM_BODY rows; evidence part) ----
 * The handler of such a row runs once every gate has passed and BEFORE any byte of the body is
 * read (Content-Length over the upload limit has already been answered 413). It either replies
 * (a refusal: the body is then never read) or hands the body to a consumer with
 * http_stream_body() and returns without replying. Each chunk libmicrohttpd delivers then goes
 * to consumer->chunk, never buffered by the server; at the end of the body consumer->end runs
 * (with a pooled connection available through http_db again) and must reply. A chunked body
 * that grows past the limit: consumer->abort, then 413 at its end. When the request ends any
 * other way (client gone, connection dropped), consumer->abort. Either end or abort is called,
 * exactly once; both own ctx. */
struct http_body_consumer {
    /* false: the consumer refuses the body; the rest is read and dropped, end still replies. */
    bool (*chunk)(void *ctx, const char *data, size_t n);
    int (*end)(http_req *r, void *ctx);
    void (*abort)(void *ctx);
};
void http_stream_body(http_req *r, const struct http_body_consumer *c, void *ctx);
/* Upload limit in bytes of a file (dti serve --max-upload-mb); a streamed body may exceed it by
 * HTTP_STREAM_SLACK for its framing (multipart headers and boundaries). */
size_t http_max_upload(const http_req *r);
#define HTTP_STREAM_SLACK (64u * 1024)
#define HTTP_DEFAULT_MAX_UPLOAD ((size_t)20 << 20)
/* The blob store of the server (evidence files), NULL when none is configured. */
struct blobstore *http_blobstore(const http_req *r);

/* ---- responses (each returns 0; call exactly one) ---- */
/* Sends JSON and takes ownership of `body` (decref'd). */
int http_reply_json(http_req *r, int status, json_t *body);
/* DESIGN §9 error: {"error":{"code","message","field"}}; field may be NULL. */
int http_reply_error(http_req *r, int status, const char *code, const char *message_vi,
                     const char *field);
int http_reply_bytes(http_req *r, int status, const char *content_type, const void *data,
                     size_t len);
int http_reply_no_content(http_req *r);
/* Streams size bytes of the open file fd (taken: closed when sent or on failure), never read
 * whole into memory. */
int http_reply_fd(http_req *r, int status, const char *content_type, int fd, uint64_t size);
/* Adds a Set-Cookie header to the response about to be sent (call before reply).
 * Always HttpOnly; SameSite=Strict; Path=/ (+ Secure with --secure-cookies).
 * max_age_seconds 0 clears the cookie (Max-Age=0).
 * false when it cannot be stored (no memory, too many headers, forbidden bytes): the reply
 * that follows then becomes a 500, so a success is never sent without its header. */
bool http_set_cookie(http_req *r, const char *name, const char *value, int max_age_seconds);
/* Adds a response header to the response about to be sent (call before reply); false and a
 * 500 instead of the reply, as for http_set_cookie. */
bool http_add_header(http_req *r, const char *name, const char *value);
/* Sends a json_read.h error (struct json_err) as the DESIGN §9 body with its status. */
struct json_err;
int http_reply_json_err(http_req *r, const struct json_err *e);

/* ---- unit scope, implemented by the application (src/api/unit_scope.c) ---- */
/* Enforces the row's unit_of (and ROUTE_OWN_UNIT) for an authenticated caller. Returns true
 * when the handler may run, else a reply (403/404/500) has been queued. */
bool unit_scope_enforce(http_req *r, const struct route *rt);
/* The resolver's name for openapi.json ("unit", "user", ...), NULL for UNIT_OF_NONE. */
const char *unit_scope_name(enum unit_of u);
/* True when `name` is one of the comma-separated names in `list` (a row's query column). */
bool http_query_allowed(const char *list, const char *name);

/* ---- authentication hooks, implemented by the application (src/app/auth.c) ---- */
/* Looks up a session by its raw cookie token; fills `out` and returns true if valid.
 * Applies idle/absolute timeouts and refreshes last-seen (at most once a minute).
 * Both lookups may return false with out->refused_code/message set (see struct caller). */
bool auth_session_lookup(db_conn *c, const char *token, int64_t now, struct caller *out);
/* Looks up an API token ("dti_..." bearer value); fills `out` and returns true if valid. */
bool auth_token_lookup(db_conn *c, const char *bearer, int64_t now, struct caller *out);

#endif
