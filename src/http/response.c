/* response.c — building and queueing responses: JSON, errors, bytes, cookies, and the
 * security headers every response carries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/json_read.h"
#include "core/json_oom.h"
#include "http/server_internal.h"

static const char csp[] = "default-src 'self'; script-src 'self'; style-src 'self'; "
                          "img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                          "frame-ancestors 'none'; form-action 'self'";

bool http_add_security_headers(struct MHD_Response *resp, bool api)
{
    return MHD_add_response_header(resp, "Content-Security-Policy", csp) == MHD_YES &&
           MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff") == MHD_YES &&
           MHD_add_response_header(resp, "Referrer-Policy", "no-referrer") == MHD_YES &&
           MHD_add_response_header(resp, "X-Frame-Options", "DENY") == MHD_YES &&
           (!api ||
            MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store") == MHD_YES);
}

/* The body of the prebuilt 500: static, so answering it needs no memory at all. */
static const char oom_body[] =
    "{\"error\":{\"code\":\"internal_error\",\"message\":\"Máy chủ tạm thời không đủ bộ nhớ để "
    "xử lý yêu cầu; vui lòng thử lại sau.\"}}";

bool http_server_prebuild(struct http_server *s)
{
    s->oom = MHD_create_response_from_buffer(sizeof oom_body - 1, (void *)oom_body,
                                             MHD_RESPMEM_PERSISTENT);
    if (!s->oom)
        return false;
    if (!http_add_security_headers(s->oom, true) ||
        MHD_add_response_header(s->oom, MHD_HTTP_HEADER_CONTENT_TYPE,
                                "application/json; charset=utf-8") != MHD_YES) {
        MHD_destroy_response(s->oom);
        s->oom = NULL;
        return false;
    }
    return true;
}

/* Queues resp (MHD reference-counts it; the caller still destroys its own reference, and
 * prebuilt shared responses are simply never destroyed). Records status and size for the
 * access log. Only the first reply of a request counts. */
int http_queue(http_req *r, int status, struct MHD_Response *resp, size_t bytes)
{
    if (r->replied)
        return 0;
    if (!r->srv->queue(r, (unsigned)status, resp))
        return 0;
    r->replied = true;
    r->status = status;
    r->bytes = bytes;
    return 0;
}

static void free_extra(http_req *r)
{
    for (int i = 0; i < r->nextra; i++) {
        free(r->extra_name[i]);
        free(r->extra_value[i]);
    }
    r->nextra = 0;
}

int http_reply_oom(http_req *r)
{
    free_extra(r);
    if (r->srv->oom) {
        r->reply_body = NULL;
        http_queue(r, 500, r->srv->oom, 0);
    }
    /* Without even the prebuilt reply (never expected), MHD closes the connection. */
    return 0;
}

static int send_buffer(http_req *r, int status, const char *type, void *data, size_t len,
                       enum MHD_ResponseMemoryMode mode)
{
    if (r->replied) {
        if (mode == MHD_RESPMEM_MUST_FREE)
            free(data);
        return 0;
    }
    if (r->header_failed) {
        /* A header the handler set (a session cookie) could not be stored: never send the
         * success without it. */
        if (mode == MHD_RESPMEM_MUST_FREE)
            free(data);
        return http_reply_oom(r);
    }
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, data, mode);
    if (!resp) {
        if (mode == MHD_RESPMEM_MUST_FREE)
            free(data);
        return http_reply_oom(r);
    }
    bool ok = http_add_security_headers(resp, r->route != NULL ||
                                                  strncmp(r->raw_url, "/api/", 5) == 0);
    if (ok && type)
        ok = MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type) == MHD_YES;
    for (int i = 0; ok && i < r->nextra; i++)
        ok = MHD_add_response_header(resp, r->extra_name[i], r->extra_value[i]) == MHD_YES;
    if (!ok) {
        MHD_destroy_response(resp); /* frees data for MUST_FREE */
        return http_reply_oom(r);
    }
    free_extra(r);
    r->reply_body = data;
    r->reply_len = len;
    http_queue(r, status, resp, len);
    r->reply_body = NULL;
    MHD_destroy_response(resp);
    return 0;
}

int http_reply_fd(http_req *r, int status, const char *content_type, int fd, uint64_t size)
{
    if (r->replied || r->header_failed) {
        close(fd);
        return r->replied ? 0 : http_reply_oom(r);
    }
    /* MHD sends the file with sendfile()/pread in pieces; it owns fd from here on. */
    struct MHD_Response *resp = MHD_create_response_from_fd64(size, fd);
    if (!resp) {
        close(fd);
        return http_reply_oom(r);
    }
    bool ok = http_add_security_headers(resp, true) &&
              MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, content_type) == MHD_YES;
    for (int i = 0; ok && i < r->nextra; i++)
        ok = MHD_add_response_header(resp, r->extra_name[i], r->extra_value[i]) == MHD_YES;
    if (!ok) {
        MHD_destroy_response(resp); /* closes fd */
        return http_reply_oom(r);
    }
    free_extra(r);
    r->reply_body = NULL;
    http_queue(r, status, resp, (size_t)size);
    MHD_destroy_response(resp);
    return 0;
}

int http_reply_json(http_req *r, int status, json_t *body)
{
    char *text = body ? json_oom_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;
    json_decref(body);
    /* No memory for the text (or no body object, itself a failed allocation in the caller):
     * the prebuilt reply, never another allocating reply (that could recurse). */
    if (!text)
        return http_reply_oom(r);
    return send_buffer(r, status, "application/json; charset=utf-8", text, strlen(text),
                       MHD_RESPMEM_MUST_FREE);
}

/* Error texts may carry user input cut at a byte limit; trim a split UTF-8 sequence so
 * jansson accepts the string. */
static json_t *safe_string(const char *s)
{
    size_t n = strlen(s);
    while (n > 0 && !utf8_valid(s, n))
        n--;
    return json_stringn(s, n);
}

int http_reply_error(http_req *r, int status, const char *code, const char *message_vi,
                     const char *field)
{
    json_t *e = json_object();
    json_t *body = e ? json_pack("{s:O}", "error", e) : NULL;
    bool ok = body && json_object_set_new(e, "code", json_string(code)) == 0 &&
              json_object_set_new(e, "message", safe_string(message_vi)) == 0 &&
              (!field || !field[0] || json_object_set_new(e, "field", safe_string(field)) == 0);
    json_decref(e);
    if (!ok) {
        json_decref(body);
        return http_reply_oom(r);
    }
    return http_reply_json(r, status, body);
}

int http_reply_json_err(http_req *r, const struct json_err *e)
{
    return http_reply_error(r, e->status ? e->status : 400, e->code, e->message, e->field);
}

int http_reply_bytes(http_req *r, int status, const char *content_type, const void *data,
                     size_t len)
{
    return send_buffer(r, status, content_type, (void *)data, len, MHD_RESPMEM_MUST_COPY);
}

int http_reply_no_content(http_req *r)
{
    return send_buffer(r, 204, NULL, NULL, 0, MHD_RESPMEM_PERSISTENT);
}

bool http_add_header(http_req *r, const char *name, const char *value)
{
    /* Header injection: a CR or LF in a value would split the response. Refused headers, and
     * headers that cannot be stored, turn the reply into a 500 (header_failed). */
    if (r->nextra == HTTP_MAX_EXTRA_HEADERS || strpbrk(name, "\r\n:") || strpbrk(value, "\r\n")) {
        r->header_failed = true;
        return false;
    }
    r->extra_name[r->nextra] = strdup(name);
    r->extra_value[r->nextra] = strdup(value);
    if (!r->extra_name[r->nextra] || !r->extra_value[r->nextra]) {
        free(r->extra_name[r->nextra]);
        free(r->extra_value[r->nextra]);
        r->header_failed = true;
        return false;
    }
    r->nextra++;
    return true;
}

bool http_set_cookie(http_req *r, const char *name, const char *value, int max_age_seconds)
{
    /* Cookie names and values are ours (tokens in hex/base64url); refuse anything that could
     * add attributes. */
    char buf[512];
    int n = -1;
    if (!strpbrk(name, "=;, \t\r\n") && !strpbrk(value, ";, \t\r\n\""))
        n = snprintf(buf, sizeof buf, "%s=%s; Max-Age=%d; Path=/; HttpOnly; SameSite=Strict%s",
                     name, value, max_age_seconds < 0 ? 0 : max_age_seconds,
                     r->srv->o.secure_cookies ? "; Secure" : "");
    if (n < 0 || (size_t)n >= sizeof buf) {
        r->header_failed = true;
        return false;
    }
    return http_add_header(r, MHD_HTTP_HEADER_SET_COOKIE, buf);
}
