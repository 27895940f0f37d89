/* server.h — starting and stopping the HTTP server (libmicrohttpd). */
#ifndef DTI_HTTP_SERVER_H
#define DTI_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "http/http.h"

struct http_server_opts {
    const char *host;          /* numeric address or name, "127.0.0.1" */
    unsigned port;             /* 0 = ephemeral (see http_server_port) */
    unsigned threads;          /* worker threads (>= 1) */
    unsigned conn_timeout;     /* idle seconds before a connection is dropped (15) */
    unsigned max_connections;  /* simultaneous connections (1000) */
    unsigned max_conn_per_address; /* simultaneous connections from one address; 0 = no limit */
    unsigned header_timeout;   /* seconds to deliver a request head; 0 = no deadline */
    bool secure_cookies;
    bool access_log;           /* one JSON line per request on stderr */
    const char *web_dir;       /* static UI directory; missing -> built-in notice page */
    db *pool;
    size_t max_upload;         /* bytes of an uploaded file (0: HTTP_DEFAULT_MAX_UPLOAD) */
    struct blobstore *blobs;   /* evidence files (src/app/blobstore.h); may be NULL */
    const struct route *routes; /* normally dti_routes */
    /* Authentication hooks; NULL = auth_session_lookup / auth_token_lookup (tests inject fakes). */
    bool (*session_lookup)(db_conn *c, const char *token, int64_t now, struct caller *out);
    bool (*token_lookup)(db_conn *c, const char *bearer, int64_t now, struct caller *out);
};

typedef struct http_server http_server;

http_server *http_server_start(const struct http_server_opts *o, char *err, size_t errlen);
unsigned http_server_port(const http_server *s);
/* Stops accepting, waits (up to grace_ms) for requests in flight, then stops the threads. */
void http_server_stop(http_server *s, int grace_ms);

#endif
