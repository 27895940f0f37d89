/* response.c — building and queueing responses: JSON, errors, bytes, cookies, and the
 * security headers every response carries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/json_read.h"
#include "http/server_internal.h"

static const char csp[] = "default-src 'self'; script-src 'self'; style-src 'self'; "
                          "img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                          "frame-ancestors 'none'; form-action 'self'";

void http_add_security_headers(struct MHD_Response *resp, bool api)
{
    MHD_add_response_header(resp, "Content-Security-Policy", csp);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    if (api)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
}

/* Queues resp (MHD reference-counts it; the caller still destroys its own reference, and
 * prebuilt shared responses are simply never destroyed). Records status and size for the
 * access log. Only the first reply of a request counts. */
int http_queue(http_req *r, int status, struct MHD_Response *resp, size_t bytes)
{
    if (r->replied)
        return 0;
    if (MHD_queue_response(r->conn, (unsigned)status, resp) != MHD_YES)
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

static int send_buffer(http_req *r, int status, const char *type, void *data, size_t len,
                       enum MHD_ResponseMemoryMode mode)
{
    if (r->replied) {
        if (mode == MHD_RESPMEM_MUST_FREE)
            free(data);
        return 0;
    }
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, data, mode);
    if (!resp) {
        if (mode == MHD_RESPMEM_MUST_FREE)
            free(data);
        free_extra(r);
        return 0; /* MHD closes the connection: nothing else we can do without memory */
    }
    http_add_security_headers(resp, r->route != NULL || strncmp(r->raw_url, "/api/", 5) == 0);
    if (type)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    for (int i = 0; i < r->nextra; i++)
        MHD_add_response_header(resp, r->extra_name[i], r->extra_value[i]);
    free_extra(r);
    http_queue(r, status, resp, len);
    MHD_destroy_response(resp);
    return 0;
}

int http_reply_json(http_req *r, int status, json_t *body)
{
    char *text = body ? json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;
    json_decref(body);
    if (!text)
        return http_reply_error(r, 500, "internal_error", "Lỗi máy chủ nội bộ.", NULL);
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
    json_object_set_new(e, "code", json_string(code));
    json_object_set_new(e, "message", safe_string(message_vi));
    if (field && field[0])
        json_object_set_new(e, "field", safe_string(field));
    return http_reply_json(r, status, json_pack("{s:o}", "error", e));
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

void http_add_header(http_req *r, const char *name, const char *value)
{
    if (r->nextra == HTTP_MAX_EXTRA_HEADERS)
        return;
    /* Header injection: a CR or LF in a value would split the response. */
    if (strpbrk(name, "\r\n:") || strpbrk(value, "\r\n"))
        return;
    r->extra_name[r->nextra] = strdup(name);
    r->extra_value[r->nextra] = strdup(value);
    if (!r->extra_name[r->nextra] || !r->extra_value[r->nextra]) {
        free(r->extra_name[r->nextra]);
        free(r->extra_value[r->nextra]);
        return;
    }
    r->nextra++;
}

void http_set_cookie(http_req *r, const char *name, const char *value, int max_age_seconds)
{
    /* Cookie names and values are ours (tokens in hex/base64url); refuse anything that could
     * add attributes. */
    if (strpbrk(name, "=;, \t\r\n") || strpbrk(value, ";, \t\r\n\""))
        return;
    char buf[512];
    int n = snprintf(buf, sizeof buf, "%s=%s; Max-Age=%d; Path=/; HttpOnly; SameSite=Strict%s",
                     name, value, max_age_seconds < 0 ? 0 : max_age_seconds,
                     r->srv->o.secure_cookies ? "; Secure" : "");
    if (n < 0 || (size_t)n >= sizeof buf)
        return;
    http_add_header(r, MHD_HTTP_HEADER_SET_COOKIE, buf);
}
