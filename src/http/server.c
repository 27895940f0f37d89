/* server.c — libmicrohttpd daemon, and what happens to every request before its handler:
 *   accept -> limits -> route match -> auth / role / own unit / password gate / CSRF
 *   -> body (413 past the limit, JSON with limits) -> handler -> security headers -> access log.
 * Everything a route row declares is enforced here, never in a handler (see http.h).
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "http/json_read.h"
#include "http/server_internal.h"

/* Request line + headers are capped at HTTP_MAX_HEADERS by begin(), with the JSON error. MHD's
 * per-connection pool must hold more than that: it also keeps the read buffer, a copy of the
 * Cookie header and the response headers, and when it runs out it closes the connection without
 * a word or sends its own English page (sometimes twice over, in 0.9.75). */
#define HTTP_MAX_HEADERS (16u * 1024)
#define HEADER_MEMORY (64u * 1024)

static const char msg_unauth[] = "Bạn cần đăng nhập để thực hiện thao tác này.";
static const char msg_forbidden[] = "Bạn không có quyền thực hiện thao tác này.";

/* ---- body handling ---- */

static bool parse_content_length(const char *s, uint64_t *out)
{
    if (!s || !*s)
        return false;
    uint64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > UINT64_MAX / 10 - 1)
            return false;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *out = v;
    return true;
}

static bool is_json_type(const char *ct)
{
    if (!ct || strncasecmp(ct, "application/json", 16) != 0)
        return false;
    char c = ct[16];
    return c == '\0' || c == ';' || c == ' ' || c == '\t';
}

static int reply_too_large(http_req *r)
{
    char msg[160];
    snprintf(msg, sizeof msg, "Nội dung gửi lên quá lớn (tối đa %zu MiB).", r->max_body >> 20);
    return http_reply_error(r, 413, "payload_too_large", msg, NULL);
}

static void append_body(http_req *r, const char *data, size_t n)
{
    if (r->body_too_large)
        return;
    if (r->body_len + n > r->max_body) {
        r->body_too_large = true;
        free(r->body);
        r->body = NULL;
        r->body_len = r->body_cap = 0;
        return;
    }
    if (r->body_len + n + 1 > r->body_cap) {
        size_t cap = r->body_cap ? r->body_cap : 4096;
        while (cap < r->body_len + n + 1)
            cap *= 2;
        if (cap > r->max_body + 1)
            cap = r->max_body + 1;
        char *b = realloc(r->body, cap);
        if (!b) {
            r->body_too_large = true;
            return;
        }
        r->body = b;
        r->body_cap = cap;
    }
    memcpy(r->body + r->body_len, data, n);
    r->body_len += n;
    r->body[r->body_len] = '\0';
}

/* ---- what the route row declares ---- */

static bool csrf_ok(const http_req *r)
{
    const char *sent = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-CSRF-Token");
    size_t n = strlen(r->caller.csrf);
    if (!sent || n == 0 || strlen(sent) != n)
        return false;
    return sodium_memcmp(sent, r->caller.csrf, n) == 0;
}

static bool is_safe_method(const char *m)
{
    return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0;
}

/* Returns true when the handler may run; otherwise a reply has been queued. */
static bool enforce_route(http_req *r)
{
    const struct route *rt = r->route;
    if (rt->roles == ROLE_PUBLIC && !(rt->flags & ROUTE_OPTIONAL_AUTH))
        return true;

    const char *authz = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Authorization");
    const char *cookie = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "dti_session");
    int64_t now = (int64_t)time(NULL);
    bool ok = false;
    if ((authz && *authz) || (cookie && *cookie)) {
        db_conn *c = r->srv->o.pool ? http_db(r) : NULL;
        if (r->srv->o.pool && !c) {
            http_reply_error(r, 503, "database_unavailable",
                             "Cơ sở dữ liệu tạm thời không truy cập được, vui lòng thử lại sau.",
                             NULL);
            return false;
        }
        /* A bearer header is never sent by a browser on its own, so it wins over a cookie. */
        if (authz && strncasecmp(authz, "Bearer ", 7) == 0) {
            const char *tok = authz + 7;
            while (*tok == ' ')
                tok++;
            ok = r->srv->o.token_lookup(c, tok, now, &r->caller);
        } else if (cookie && *cookie && !(authz && *authz)) {
            ok = r->srv->o.session_lookup(c, cookie, now, &r->caller);
        }
    }
    const char *refused_code = ok ? NULL : r->caller.refused_code;
    const char *refused_message = ok ? NULL : r->caller.refused_message;
    if (ok) {
        r->caller.authenticated = true;
    } else {
        memset(&r->caller, 0, sizeof r->caller);
    }
    if (rt->roles == ROLE_PUBLIC)
        return true; /* ROUTE_OPTIONAL_AUTH: identified if possible, never refused */

    if (!ok && refused_code && refused_message) {
        http_reply_error(r, 403, refused_code, refused_message, NULL);
        return false;
    }
    if (!ok) {
        http_reply_error(r, 401, "unauthenticated", msg_unauth, NULL);
        return false;
    }
    if (r->caller.must_change_password && !(rt->flags & ROUTE_PWCHANGE_OK)) {
        http_reply_error(r, 403, "password_change_required",
                         "Bạn phải đổi mật khẩu trước khi tiếp tục sử dụng hệ thống.", NULL);
        return false;
    }
    if (r->caller.totp_enrol_required && !(rt->flags & ROUTE_TOTP_SETUP_OK)) {
        http_reply_error(r, 403, "totp_enrolment_required",
                         "Tài khoản quản trị phải bật xác thực hai bước trước khi tiếp tục sử "
                         "dụng hệ thống.", NULL);
        return false;
    }
    if (!(r->caller.role & rt->roles)) {
        http_reply_error(r, 403, "forbidden", msg_forbidden, NULL);
        return false;
    }
    if ((rt->flags & ROUTE_OWN_UNIT) && !(r->caller.role & (ROLE_ADMIN | ROLE_APPRAISER))) {
        int64_t unit;
        if (!http_param_id(r, "unit", &unit) || unit != r->caller.unit_id) {
            http_reply_error(r, 403, "forbidden",
                             "Bạn chỉ được xem và thao tác trên dữ liệu của đơn vị mình.", "unit");
            return false;
        }
    }
    /* CSRF: sessions only (API tokens are never sent automatically by a browser). */
    if (((rt->flags & ROUTE_WRITE) || !is_safe_method(r->method)) && r->caller.token_id == 0 &&
        !csrf_ok(r)) {
        http_reply_error(r, 403, "csrf_invalid",
                         "Mã chống giả mạo yêu cầu (CSRF) không hợp lệ; hãy tải lại trang rồi thử lại.",
                         NULL);
        return false;
    }
    return true;
}

static void release_db(http_req *r)
{
    if (r->db) {
        db_release(r->db);
        r->db = NULL;
    }
}

static void run_handler(http_req *r)
{
    if (!(r->route->flags & ROUTE_RAW_BODY) && r->body_len > 0) {
        struct json_err e;
        r->json = json_read_body(r->body, r->body_len, &e);
        if (!r->json) {
            http_reply_json_err(r, &e);
            return;
        }
    }
    r->route->handler(r);
    if (!r->replied)
        http_reply_error(r, 500, "internal_error", "Lỗi máy chủ nội bộ.", NULL);
    release_db(r); /* back to the pool now, not when the client has read the response */
}

/* ---- the request's first call: everything before the body ---- */

static void serve_static(http_req *r)
{
    if (!is_safe_method(r->method)) {
        http_add_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
        http_reply_error(r, 405, "method_not_allowed", "Phương thức không được hỗ trợ.", NULL);
        return;
    }
    int status;
    size_t bytes;
    const char *inm = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "If-None-Match");
    struct MHD_Response *resp =
        static_files_lookup(r->srv->web, r->match.path, inm, &status, &bytes);
    if (!resp) {
        http_reply_error(r, 404, "not_found", "Không tìm thấy tệp này.", NULL);
        return;
    }
    http_queue(r, status, resp, bytes);
}

static enum MHD_Result add_header_size(void *cls, enum MHD_ValueKind kind, const char *key,
                                       const char *value)
{
    (void)kind;
    *(size_t *)cls += strlen(key) + (value ? strlen(value) : 0) + 4; /* ": " and CRLF */
    return MHD_YES;
}

static bool headers_too_large(const http_req *r)
{
    size_t n = strlen(r->method) + strlen(r->raw_url) + 11; /* " HTTP/1.1\r\n" */
    /* MHD hands the query string over as arguments, not as part of the URL. */
    MHD_get_connection_values(r->conn, MHD_HEADER_KIND | MHD_GET_ARGUMENT_KIND, add_header_size,
                              &n);
    return n > HTTP_MAX_HEADERS;
}

static void begin(http_req *r)
{
    if (headers_too_large(r)) {
        r->match.path[0] = '\0';
        http_reply_error(r, 431, "headers_too_large",
                         "Phần đầu của yêu cầu (header) quá lớn (tối đa 16 KiB).", NULL);
        return;
    }
    enum router_status st = router_match(r->srv->o.routes, r->method, r->raw_url, &r->match);
    bool api = strncmp(r->raw_url, "/api/", 5) == 0;
    if (st == ROUTER_BAD_PATH) {
        r->match.path[0] = '\0';
        http_reply_error(r, 400, "bad_path", "Đường dẫn không hợp lệ.", NULL);
        return;
    }
    if (st == ROUTER_METHOD_NOT_ALLOWED) {
        http_add_header(r, MHD_HTTP_HEADER_ALLOW, r->match.allow);
        http_reply_error(r, 405, "method_not_allowed",
                         "Phương thức này không được hỗ trợ cho địa chỉ này.", NULL);
        return;
    }
    if (st == ROUTER_NOT_FOUND) {
        if (api)
            http_reply_error(r, 404, "not_found", "Không tìm thấy địa chỉ này.", NULL);
        else
            serve_static(r);
        return;
    }
    r->route = r->match.route;

    /* Limits come before authentication: they cost nothing and need no database. */
    r->max_body = (r->route->flags & ROUTE_LARGE_BODY) ? HTTP_MAX_BODY_LARGE : HTTP_MAX_BODY;
    const char *cl = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Length");
    const char *te = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Transfer-Encoding");
    uint64_t len = 0;
    if (cl && !parse_content_length(cl, &len)) {
        http_reply_error(r, 400, "bad_request", "Độ dài nội dung (Content-Length) không hợp lệ.",
                         NULL);
        return;
    }
    if (len > r->max_body) {
        reply_too_large(r);
        return;
    }
    r->has_body = len > 0 || (te && *te);
    if (r->has_body && !(r->route->flags & ROUTE_RAW_BODY) &&
        !is_json_type(MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type"))) {
        http_reply_error(r, 415, "unsupported_media_type",
                         "Nội dung gửi lên phải là JSON (Content-Type: application/json).", NULL);
        return;
    }
    if (!enforce_route(r))
        return;
    if (r->has_body) {
        /* Never hold a pooled connection while a slow client uploads. */
        release_db(r);
        return;
    }
    run_handler(r);
}

/* ---- libmicrohttpd callbacks ---- */

static void client_addr(http_req *r)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    r->client_addr[0] = '\0';
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, r->client_addr,
                  sizeof r->client_addr);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, r->client_addr,
                  sizeof r->client_addr);
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *conn, const char *url,
                                 const char *method, const char *version,
                                 const char *upload_data, size_t *upload_data_size, void **con_cls)
{
    (void)version;
    http_req *r = *con_cls;
    if (!r) {
        r = calloc(1, sizeof *r);
        if (!r)
            return MHD_NO;
        *con_cls = r;
        r->conn = conn;
        r->srv = cls;
        r->method = method;
        r->raw_url = url;
        clock_gettime(CLOCK_MONOTONIC, &r->start);
        client_addr(r);
        atomic_fetch_add(&r->srv->in_flight, 1);
        /* Without a body, wait for MHD's second call: a response queued in the first call
         * makes MHD close the connection (it cannot know the request is complete). With a body,
         * decide everything now so that a refused body is never read. */
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        const char *te = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Transfer-Encoding");
        if ((cl && strcmp(cl, "0") != 0) || (te && *te))
            begin(r);
        else
            r->deferred = true;
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (!r->replied) {
            /* A chunked body that grows past the limit is dropped as it comes, and answered
             * with 413 at its end (MHD cannot queue a response in the middle of a body); a
             * client that keeps streaming far past the limit is disconnected. */
            append_body(r, upload_data, *upload_data_size);
            if (r->body_too_large) {
                r->discarded += *upload_data_size;
                if (r->discarded > 4 * (size_t)HTTP_MAX_BODY_LARGE)
                    return MHD_NO;
            }
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (r->deferred) {
        r->deferred = false;
        begin(r);
    } else if (!r->replied) {
        if (r->body_too_large)
            reply_too_large(r);
        else
            run_handler(r);
    }
    return MHD_YES;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)conn;
    (void)toe;
    struct http_server *srv = cls;
    http_req *r = *con_cls;
    if (!r)
        return;
    *con_cls = NULL;
    if (srv->o.access_log)
        http_access_log(r);
    release_db(r);
    json_decref(r->json);
    free(r->body);
    for (int i = 0; i < r->nquery; i++) {
        free(r->query_key[i]);
        free(r->query_value[i]);
    }
    for (int i = 0; i < r->nextra; i++) {
        free(r->extra_name[i]);
        free(r->extra_value[i]);
    }
    free(r);
    atomic_fetch_sub(&srv->in_flight, 1);
}

/* Keep the URL exactly as sent: the router decodes each segment itself and refuses what it
 * cannot decode safely (MHD's own unescaping would turn %00 into a string terminator). */
static size_t unescape_identity(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    return strlen(s);
}

http_server *http_server_start(const struct http_server_opts *o, char *err, size_t errlen)
{
    if (sodium_init() < 0) {
        snprintf(err, errlen, "không khởi tạo được libsodium");
        return NULL;
    }
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_NUMERICSERV | AI_PASSIVE};
    struct addrinfo *ai = NULL;
    char port[16];
    snprintf(port, sizeof port, "%u", o->port);
    int rc = getaddrinfo(o->host, port, &hints, &ai);
    if (rc != 0 || !ai) {
        snprintf(err, errlen, "địa chỉ lắng nghe không hợp lệ: %s", o->host);
        return NULL;
    }
    struct http_server *s = calloc(1, sizeof *s);
    if (!s) {
        freeaddrinfo(ai);
        snprintf(err, errlen, "hết bộ nhớ");
        return NULL;
    }
    s->o = *o;
    if (!s->o.session_lookup)
        s->o.session_lookup = auth_session_lookup;
    if (!s->o.token_lookup)
        s->o.token_lookup = auth_token_lookup;
    s->web = static_files_load(o->web_dir, err, errlen);
    if (!s->web) {
        freeaddrinfo(ai);
        free(s);
        return NULL;
    }
    /* TURBO: read/write/accept opportunistically before asking epoll (fewer syscalls). */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_TURBO;
    if (ai->ai_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    s->mhd = MHD_start_daemon(
        flags, (uint16_t)o->port, NULL, NULL, on_access, s,
        MHD_OPTION_SOCK_ADDR, ai->ai_addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(o->threads > 1 ? o->threads : 1),
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)o->conn_timeout,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HEADER_MEMORY,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)(o->max_connections ? o->max_connections : 1000),
        MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)511,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_UNESCAPE_CALLBACK, unescape_identity, NULL,
        MHD_OPTION_END);
    freeaddrinfo(ai);
    if (!s->mhd) {
        snprintf(err, errlen, "không mở được cổng %s:%u (cổng đã bị dùng hoặc không có quyền)",
                 o->host, o->port);
        static_files_free(s->web);
        free(s);
        return NULL;
    }
    return s;
}

unsigned http_server_port(const http_server *s)
{
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_BIND_PORT);
    return di ? di->port : 0;
}

void http_server_stop(http_server *s, int grace_ms)
{
    if (!s)
        return;
    MHD_socket lfd = MHD_quiesce_daemon(s->mhd); /* stop accepting; in-flight requests go on */
    for (int waited = 0; atomic_load(&s->in_flight) > 0 && waited < grace_ms; waited += 10) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    MHD_stop_daemon(s->mhd);
    if (lfd != MHD_INVALID_SOCKET)
        close(lfd);
    static_files_free(s->web);
    free(s);
}
