/* server.c — libmicrohttpd daemon, and what happens to every request before its handler:
 *   accept -> limits -> route match -> auth / role / unit scope / password gate / CSRF
 *   -> query parameters -> body (413 past the limit, JSON with limits) -> handler -> security headers -> access log.
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

/* A `charset` parameter of a JSON Content-Type, if any, must say UTF-8: the body is read as
 * UTF-8 whatever is declared, so "charset=latin1" would have its "é" read as other letters or
 * refused as invalid UTF-8 with a message about the JSON rather than the charset. */
static bool json_charset_ok(const char *ct)
{
    for (const char *p = strchr(ct, ';'); p; p = strchr(p + 1, ';')) {
        const char *q = p + 1;
        while (*q == ' ' || *q == '\t')
            q++;
        if (strncasecmp(q, "charset", 7) != 0)
            continue;
        q += 7;
        while (*q == ' ' || *q == '\t')
            q++;
        if (*q++ != '=')
            return false;
        while (*q == ' ' || *q == '\t')
            q++;
        bool quoted = *q == '"';
        q += quoted;
        size_t n = strcspn(q, quoted ? "\"" : "; \t");
        if (!((n == 5 && strncasecmp(q, "utf-8", 5) == 0) ||
              (n == 4 && strncasecmp(q, "utf8", 4) == 0)))
            return false;
    }
    return true;
}

/* Content-Encoding other than identity: the server decodes none (gzip, br, deflate), so such
 * a body would reach the JSON parser or the file reader as compressed bytes. */
static bool identity_encoding(const char *ce)
{
    if (!ce)
        return true;
    while (*ce == ' ' || *ce == '\t')
        ce++;
    size_t n = strcspn(ce, " \t");
    const char *rest = ce + n;
    while (*rest == ' ' || *rest == '\t')
        rest++;
    return n == 8 && strncasecmp(ce, "identity", 8) == 0 && !*rest;
}

static int reply_too_large(http_req *r)
{
    if (r->body_oom)
        return http_reply_error(r, 503, "out_of_memory",
                                "Máy chủ tạm thời không đủ bộ nhớ để nhận nội dung này; vui lòng "
                                "thử lại sau.",
                                NULL);
    char msg[160];
    if (r->route && (r->route->flags & ROUTE_STREAM_BODY))
        snprintf(msg, sizeof msg, "Tệp tải lên quá lớn (tối đa %zu MB).", http_max_upload(r) >> 20);
    else
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
            /* Out of memory is not the client's fault: 503 at the end, not 413. */
            r->body_oom = true;
            r->body_too_large = true;
            free(r->body);
            r->body = NULL;
            r->body_len = r->body_cap = 0;
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
    const char *sent = http_req_header(r, "X-CSRF-Token");
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

    const char *authz = http_req_header(r, "Authorization");
    char cookie_buf[256]; /* session tokens are far shorter; a longer value is no session */
    enum http_cookie_read cr = http_req_cookie(r, "dti_session", cookie_buf, sizeof cookie_buf);
    const char *cookie = cr == HTTP_COOKIE_FOUND ? cookie_buf : NULL;
    if (cr == HTTP_COOKIE_CONFLICT && rt->roles != ROLE_PUBLIC && !(authz && *authz)) {
        http_reply_error(r, 400, "duplicate_cookie",
                         "Trình duyệt gửi hai cookie phiên “dti_session” khác nhau; hãy xoá "
                         "cookie của trang này rồi đăng nhập lại.",
                         NULL);
        return false;
    }
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
    if (!unit_scope_enforce(r, rt)) /* the row's unit_of / ROUTE_OWN_UNIT (unit_scope.c) */
        return false;
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

/* ---- streamed bodies (ROUTE_STREAM_BODY, http.h): never buffered here ---- */

void http_stream_body(http_req *r, const struct http_body_consumer *c, void *ctx)
{
    if (r->stream || r->replied) {
        if (c && c->abort)
            c->abort(ctx);
        return;
    }
    r->stream = c;
    r->stream_ctx = ctx;
}

size_t http_max_upload(const http_req *r)
{
    return r->srv->o.max_upload ? r->srv->o.max_upload : HTTP_DEFAULT_MAX_UPLOAD;
}

struct blobstore *http_blobstore(const http_req *r)
{
    return r->srv->o.blobs;
}

/* Takes the consumer off the request first, so it is ended or aborted exactly once. */
static void stream_abort(http_req *r)
{
    const struct http_body_consumer *c = r->stream;
    void *ctx = r->stream_ctx;
    r->stream = NULL;
    r->stream_ctx = NULL;
    if (c)
        c->abort(ctx);
}

static void stream_end(http_req *r)
{
    const struct http_body_consumer *c = r->stream;
    void *ctx = r->stream_ctx;
    r->stream = NULL;
    r->stream_ctx = NULL;
    c->end(r, ctx);
    if (!r->replied)
        http_reply_error(r, 500, "internal_error", "Lỗi máy chủ nội bộ.", NULL);
    release_db(r);
}

/* The handler's first (and only) call, before the body: it replies or sets a consumer. */
static void stream_start(http_req *r)
{
    r->route->handler(r);
    if (!r->replied && !r->stream)
        http_reply_error(r, 500, "internal_error", "Lỗi máy chủ nội bộ.", NULL);
    release_db(r); /* never held while a slow client uploads */
    if (r->stream && !r->has_body)
        stream_end(r);
}

static bool stream_body(http_req *r, const char *data, size_t n)
{
    r->stream_total += n;
    if (r->body_too_large || r->stream_refused) {
        /* Dropped as it comes; a client still streaming far past the limit is cut off. */
        r->discarded += n;
        return r->stream_total <= r->max_body + 4 * (size_t)HTTP_MAX_BODY_LARGE;
    }
    if (r->stream_total > r->max_body) {
        /* A chunked body past the limit: nothing of it is kept (413 at its end). */
        r->body_too_large = true;
        stream_abort(r);
        return true;
    }
    if (r->stream && !r->stream->chunk(r->stream_ctx, data, n))
        r->stream_refused = true;
    return true;
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
    const char *inm = http_req_header(r, "If-None-Match");
    struct MHD_Response *resp =
        static_files_lookup(r->srv->web, r->match.path, inm, &status, &bytes);
    if (!resp) {
        http_reply_error(r, 404, "not_found", "Không tìm thấy tệp này.", NULL);
        return;
    }
    http_queue(r, status, resp, bytes);
}

static bool headers_too_large(const http_req *r)
{
    size_t n = strlen(r->method) + strlen(r->raw_url) + 11; /* " HTTP/1.1\r\n" */
    for (int i = 0; i < r->nhdr; i++)
        n += strlen(r->hdr_name[i]) + r->hdr_value_len[i] + 4; /* ": " and CRLF */
    /* MHD hands the query string over as arguments, not as part of the URL. */
    for (int i = 0; i < r->nqraw; i++)
        n += strlen(r->qraw_key[i]) + (r->qraw_value[i] ? strlen(r->qraw_value[i]) : 0) + 2;
    return n > HTTP_MAX_HEADERS;
}

/* ---- framing: what a proxy in front could read differently than we do ---- */

static int count_fields(const http_req *r, const char *name)
{
    int n = 0;
    for (int i = 0; i < r->nhdr; i++)
        n += strcasecmp(r->hdr_name[i], name) == 0;
    return n;
}

static bool field_bytes_ok(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\0' || s[i] == '\r' || s[i] == '\n')
            return false;
    return true;
}

static bool is_token(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!strchr("!#$%&'*+-.^_`|~", *s) && !(*s >= '0' && *s <= '9') &&
            !(*s >= 'a' && *s <= 'z') && !(*s >= 'A' && *s <= 'Z'))
            return false;
    return true;
}

static void framing_error(http_req *r, int status, const char *code, const char *message)
{
    /* The connection cannot be trusted to be in step with the client any more: close it. */
    http_add_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
    r->match.path[0] = '\0';
    http_reply_error(r, status, code, message, NULL);
}

/* Returns true when the request is framed without ambiguity; otherwise replies (and closes). */
static bool framing_ok(http_req *r)
{
    static const char bad_header[] = "Phần đầu của yêu cầu (header) không hợp lệ.";
    if (r->too_many_headers) {
        framing_error(r, 431, "headers_too_large",
                      "Yêu cầu có quá nhiều trường header (tối đa 100).");
        return false;
    }
    if (r->malformed_headers) {
        framing_error(r, 400, "bad_request", bad_header);
        return false;
    }
    for (int i = 0; i < r->nhdr; i++)
        if (!is_token(r->hdr_name[i]) || !field_bytes_ok(r->hdr_value[i], r->hdr_value_len[i])) {
            framing_error(r, 400, "bad_request", bad_header);
            return false;
        }
    if (strpbrk(r->raw_url, " \t")) {
        /* libmicrohttpd (not strict) keeps blanks inside the request target; a proxy would
         * have split the line there. */
        framing_error(r, 400, "bad_path", "Đường dẫn không hợp lệ.");
        return false;
    }
    int ncl = count_fields(r, "Content-Length"), nte = count_fields(r, "Transfer-Encoding");
    if (ncl > 1) {
        /* Even twice the same value: a proxy may join them into "5, 5" or take either. */
        framing_error(r, 400, "bad_request",
                      "Yêu cầu có nhiều hơn một trường Content-Length.");
        return false;
    }
    if (nte > 0 && ncl > 0) {
        framing_error(r, 400, "bad_request",
                      "Yêu cầu không được có cả Content-Length và Transfer-Encoding.");
        return false;
    }
    if (nte > 1 || (nte == 1 && strcasecmp(http_req_header(r, "Transfer-Encoding"), "chunked"))) {
        framing_error(r, 400, "bad_request",
                      "Chỉ hỗ trợ một trường Transfer-Encoding với giá trị chunked.");
        return false;
    }
    int nhost = count_fields(r, "Host");
    bool v11 = r->version && strcmp(r->version, "HTTP/1.0") != 0;
    if (nhost > 1 || (nhost == 0 && v11)) {
        framing_error(r, 400, "bad_request",
                      "Yêu cầu HTTP/1.1 phải có đúng một trường Host.");
        return false;
    }
    return true;
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
    bool streamed = r->route->flags & ROUTE_STREAM_BODY;
    r->max_body = streamed ? http_max_upload(r) + HTTP_STREAM_SLACK
                  : (r->route->flags & ROUTE_LARGE_BODY) ? HTTP_MAX_BODY_LARGE
                                                         : HTTP_MAX_BODY;
    const char *cl = http_req_header(r, "Content-Length");
    const char *te = http_req_header(r, "Transfer-Encoding");
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
    if (r->has_body && !identity_encoding(http_req_header(r, "Content-Encoding"))) {
        http_reply_error(r, 415, "unsupported_encoding",
                         "Máy chủ không nhận nội dung nén hay mã hoá (Content-Encoding); hãy gửi "
                         "nội dung gốc, không nén.",
                         NULL);
        return;
    }
    bool json_body = r->has_body && !(r->route->flags & (ROUTE_RAW_BODY | ROUTE_STREAM_BODY));
    if (json_body && !is_json_type(http_req_header(r, "Content-Type"))) {
        http_reply_error(r, 415, "unsupported_media_type",
                         "Nội dung gửi lên phải là JSON (Content-Type: application/json).", NULL);
        return;
    }
    if (json_body && !json_charset_ok(http_req_header(r, "Content-Type"))) {
        http_reply_error(r, 415, "unsupported_media_type",
                         "Nội dung JSON phải dùng bảng mã UTF-8 (Content-Type: application/json; "
                         "charset=utf-8).",
                         NULL);
        return;
    }
    if (!enforce_route(r) || !http_query_check(r))
        return;
    if (streamed) {
        stream_start(r);
        return;
    }
    if (r->has_body) {
        /* Never hold a pooled connection while a slow client uploads. */
        release_db(r);
        return;
    }
    run_handler(r);
}

/* ---- the pipeline (no libmicrohttpd calls below this line but through srv->queue) ---- */

http_req *http_req_new(struct http_server *s, void *conn, const char *method, const char *url,
                       const char *version)
{
    http_req *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->conn = conn;
    r->srv = s;
    r->method = method;
    r->raw_url = url;
    r->version = version;
    clock_gettime(CLOCK_MONOTONIC, &r->start);
    atomic_fetch_add(&s->in_flight, 1);
    return r;
}

void http_pipeline_start(http_req *r)
{
    if (!framing_ok(r))
        return;
    /* Without a body, wait for the end of the request: a response queued in MHD's first call
     * makes MHD close the connection (it cannot know the request is complete). With a body,
     * decide everything now so that a refused body is never read. */
    const char *cl = http_req_header(r, "Content-Length");
    const char *te = http_req_header(r, "Transfer-Encoding");
    if ((cl && strcmp(cl, "0") != 0) || (te && *te))
        begin(r);
    else
        r->deferred = true;
}

bool http_pipeline_body(http_req *r, const char *data, size_t n)
{
    if (r->replied)
        return true;
    if (r->route && (r->route->flags & ROUTE_STREAM_BODY))
        return stream_body(r, data, n);
    /* A chunked body that grows past the limit is dropped as it comes, and answered with 413
     * at its end (MHD cannot queue a response in the middle of a body); a client that keeps
     * streaming far past the limit is disconnected. */
    append_body(r, data, n);
    if (r->body_too_large) {
        r->discarded += n;
        if (r->discarded > 4 * (size_t)HTTP_MAX_BODY_LARGE)
            return false;
    }
    return true;
}

void http_pipeline_end(http_req *r)
{
    if (r->deferred) {
        r->deferred = false;
        begin(r);
    } else if (!r->replied) {
        if (r->body_too_large)
            reply_too_large(r);
        else if (r->stream)
            stream_end(r);
        else if (!r->route || !(r->route->flags & ROUTE_STREAM_BODY))
            run_handler(r);
    }
}

void http_req_done(http_req *r)
{
    struct http_server *srv = r->srv;
    if (srv->o.access_log)
        http_access_log(r);
    stream_abort(r); /* the request ended before its body did: the consumer cleans up */
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

/* ---- libmicrohttpd adapter ---- */

static bool mhd_queue(http_req *r, unsigned status, struct MHD_Response *resp)
{
    return MHD_queue_response(r->conn, status, resp) == MHD_YES;
}

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                      size_t key_size, const char *value, size_t value_size)
{
    (void)kind;
    (void)key_size;
    http_req_add_header(cls, key, value, value_size);
    return MHD_YES;
}

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                   size_t key_size, const char *value, size_t value_size)
{
    (void)kind;
    (void)key_size;
    (void)value_size;
    http_req_add_query(cls, key, value);
    return MHD_YES;
}

/* libmicrohttpd 0.9.75 parses the request line and header block in place (CR, LF, the ':'
 * and the separators become NUL) and gives us C strings, so a NUL byte sent inside a field
 * silently cuts it, and a folded (obs-fold) line is glued to the field name in a copy. Both
 * show in the layout: each field must start right after the previous line's end (1 or 2 NULs
 * for LF or CRLF) and the value right after its name's ':' and blanks. Anything else is a
 * field we would read differently than a proxy did. */
struct layout {
    const char *start, *end, *p; /* p: the end of the previous line's content */
    bool ok;
};

static bool next_line_at(struct layout *l, const char *s)
{
    return (s == l->p + 1 || s == l->p + 2) && s < l->end && l->p[0] == '\0' &&
           (s == l->p + 1 || l->p[1] == '\0');
}

static enum MHD_Result check_field(void *cls, enum MHD_ValueKind kind, const char *key,
                                   size_t key_size, const char *value, size_t value_size)
{
    (void)kind;
    struct layout *l = cls;
    if (!l->ok)
        return MHD_NO;
    const char *v = key + key_size + 1;
    while (v < l->end && (*v == ' ' || *v == '\t'))
        v++;
    if (!next_line_at(l, key) || !value || value != v || value + value_size >= l->end) {
        l->ok = false;
        return MHD_NO;
    }
    l->p = value + value_size;
    return MHD_YES;
}

static enum MHD_Result check_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                 size_t key_size, const char *value, size_t value_size)
{
    (void)kind;
    struct layout *l = cls;
    /* Arguments follow each other separated by one NUL ('?', '&' or '='). */
    if (!l->ok || key != l->p + 1 || l->p[0] != '\0') {
        l->ok = false;
        return MHD_NO;
    }
    l->p = key + key_size;
    if (value) {
        if (value != l->p + 1) {
            l->ok = false;
            return MHD_NO;
        }
        l->p = value + value_size;
    }
    return MHD_YES;
}

static bool header_block_intact(http_req *r)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
    if (!ci || !ci->header_size)
        return true; /* nothing to compare with */
    struct layout l = {.start = r->method, .end = r->method + ci->header_size, .ok = true};
    /* Request line: METHOD NUL [spaces] URL [NUL args] NUL VERSION */
    l.p = r->method + strlen(r->method);
    const char *u = l.p + 1;
    while (u < l.end && *u == ' ')
        u++;
    if (l.p >= l.end || *l.p != '\0' || u != r->raw_url)
        return false;
    l.p = r->raw_url + strlen(r->raw_url);
    MHD_get_connection_values_n(r->conn, MHD_GET_ARGUMENT_KIND, check_arg, &l);
    if (!l.ok)
        return false;
    size_t vlen = strlen(r->version);
    if (r->version >= l.start && r->version < l.end) {
        /* A trailing '&' (or a NUL, the same to us) may end the arguments. */
        if (r->version != l.p + 1 && !(r->version == l.p + 2 && l.p[0] == '\0'))
            return false;
        l.p = r->version + vlen;
    }
    MHD_get_connection_values_n(r->conn, MHD_HEADER_KIND, check_field, &l);
    if (!l.ok)
        return false;
    /* Then the empty line: nothing but 1 to 4 NULs up to the end of the block. */
    if (l.end - l.p < 1 || l.end - l.p > 4)
        return false;
    for (const char *q = l.p; q < l.end; q++)
        if (*q != '\0')
            return false;
    return true;
}

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

/* Called by MHD as soon as a request line is read, before the header fields: the request
 * exists from here on, so that one MHD refuses by itself (a malformed field, a bad
 * Content-Length) still gets its access-log line at on_completed. */
static void *on_request_line(void *cls, const char *uri, struct MHD_Connection *conn)
{
    http_req *r = http_req_new(cls, conn, NULL, uri, NULL);
    if (r)
        client_addr(r);
    return r;
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *conn, const char *url,
                                 const char *method, const char *version,
                                 const char *upload_data, size_t *upload_data_size, void **con_cls)
{
    http_req *r = *con_cls;
    if (!r || !r->method) {
        if (!r) {
            r = http_req_new(cls, conn, method, url, version);
            if (!r)
                return MHD_NO;
            *con_cls = r;
            client_addr(r);
        }
        conn_guard_head_received(conn);
        r->method = method;
        r->raw_url = url;
        r->version = version;
        MHD_get_connection_values_n(conn, MHD_HEADER_KIND, collect_header, r);
        MHD_get_connection_values_n(conn, MHD_GET_ARGUMENT_KIND, collect_arg, r);
        r->malformed_headers = !header_block_intact(r);
        http_pipeline_start(r);
        return MHD_YES;
    }
    if (*upload_data_size) {
        bool keep = http_pipeline_body(r, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return keep ? MHD_YES : MHD_NO;
    }
    http_pipeline_end(r);
    return MHD_YES;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)toe;
    conn_guard_request_done(conn);
    http_req *r = *con_cls;
    if (!r)
        return;
    *con_cls = NULL;
    if (!r->replied) {
        /* Refused by libmicrohttpd itself (before our first call, or in a malformed chunked
         * body), or the client went away: log the status MHD sent, if any. */
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_HTTP_STATUS);
        r->status = ci ? (int)ci->http_status : 0;
        r->refused_by_mhd = r->status != 0;
    }
    http_req_done(r);
}

/* Keep the URL exactly as sent: the router decodes each segment itself and refuses what it
 * cannot decode safely (MHD's own unescaping would turn %00 into a string terminator). */
static size_t unescape_identity(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    return strlen(s);
}

/* Every connection is accepted until http_server_stop() begins. */
static enum MHD_Result accept_policy(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
    (void)addr;
    (void)addrlen;
    const struct http_server *s = cls;
    return atomic_load(&s->stopping) ? MHD_NO : MHD_YES;
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
    s->queue = mhd_queue;
    if (!http_server_prebuild(s)) {
        freeaddrinfo(ai);
        free(s);
        snprintf(err, errlen, "hết bộ nhớ");
        return NULL;
    }
    if (!s->o.session_lookup)
        s->o.session_lookup = auth_session_lookup;
    if (!s->o.token_lookup)
        s->o.token_lookup = auth_token_lookup;
    s->web = static_files_load(o->web_dir, err, errlen);
    if (!s->web) {
        freeaddrinfo(ai);
        MHD_destroy_response(s->oom);
        free(s);
        return NULL;
    }
    s->guard = conn_guard_new(o->header_timeout);
    if (!s->guard || !conn_guard_start(s->guard)) {
        snprintf(err, errlen, "không khởi động được luồng giám sát kết nối");
        conn_guard_free(s->guard);
        static_files_free(s->web);
        freeaddrinfo(ai);
        free(s);
        return NULL;
    }
    conn_guard_raise_nofile(o->max_connections ? o->max_connections : 1000);
    /* TURBO: read/write/accept opportunistically before asking epoll (fewer syscalls). */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_TURBO;
    if (ai->ai_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    s->mhd = MHD_start_daemon(
        flags, (uint16_t)o->port, accept_policy, s, on_access, s,
        MHD_OPTION_SOCK_ADDR, ai->ai_addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(o->threads > 1 ? o->threads : 1),
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)o->conn_timeout,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HEADER_MEMORY,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)(o->max_connections ? o->max_connections : 1000),
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)o->max_conn_per_address,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)511,
        MHD_OPTION_NOTIFY_CONNECTION, conn_guard_notify, s->guard,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_UNESCAPE_CALLBACK, unescape_identity, NULL,
        MHD_OPTION_URI_LOG_CALLBACK, on_request_line, s,
        MHD_OPTION_END);
    freeaddrinfo(ai);
    if (!s->mhd) {
        snprintf(err, errlen, "không mở được cổng %s:%u (cổng đã bị dùng hoặc không có quyền)",
                 o->host, o->port);
        conn_guard_free(s->guard);
        static_files_free(s->web);
        MHD_destroy_response(s->oom);
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
    /* Stop taking connections; in-flight requests go on. Not MHD_quiesce_daemon: in 0.9.75 with
     * a thread pool and epoll, it and a worker thread can both remove the listening socket from
     * the worker's epoll set, and the loser aborts the process ("Failed to remove listen FD from
     * epoll set", seen in test_server). The accept policy closes new connections instead. */
    atomic_store(&s->stopping, true);
    for (int waited = 0; atomic_load(&s->in_flight) > 0 && waited < grace_ms; waited += 10) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    MHD_stop_daemon(s->mhd);
    conn_guard_free(s->guard); /* after MHD_stop_daemon: every connection is closed */
    static_files_free(s->web);
    MHD_destroy_response(s->oom);
    free(s);
}
