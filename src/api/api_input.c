/* api_input.c — reading fields of a request body, with the DESIGN §9 error for each problem:
 * unknown field / wrong type / too long -> 400 naming the field. Semantic checks (is the
 * parent unit active? is the code taken?) are the application layer's (422/409). */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "app/text.h"
#include "http/json_read.h"

static json_t *empty_body; /* read-only, shared by every thread */
static pthread_once_t empty_once = PTHREAD_ONCE_INIT;
static void make_empty(void)
{
    empty_body = json_object();
}

json_t *in_body(http_req *r, const char *const allowed[])
{
    json_t *b = http_json(r);
    if (!b) {
        pthread_once(&empty_once, make_empty);
        return empty_body;
    }
    if (!json_is_object(b)) {
        http_reply_error(r, 400, "body_not_object", "Nội dung yêu cầu phải là một đối tượng JSON.",
                         NULL);
        return NULL;
    }
    const char *k;
    json_t *v;
    json_object_foreach(b, k, v) {
        bool ok = false;
        for (int i = 0; allowed[i] && !ok; i++)
            ok = !strcmp(k, allowed[i]);
        if (!ok) {
            char msg[200];
            snprintf(msg, sizeof msg, "Trường “%.80s” không được hỗ trợ.", k);
            http_reply_error(r, 400, "unknown_field", msg, k);
            return NULL;
        }
    }
    return b;
}

json_t *in_body_req(http_req *r, const char *const allowed[])
{
    if (!http_json(r)) {
        /* The same answer json_read_body() gives an empty text: one wording for one problem. */
        struct json_err e;
        json_read_body("", 0, &e);
        http_reply_json_err(r, &e);
        return NULL;
    }
    return in_body(r, allowed);
}

bool in_query_bool(http_req *r, const char *name, bool *out)
{
    const char *q = http_query(r, name);
    *out = false;
    if (!q)
        return true;
    if (!strcmp(q, "1") || !strcmp(q, "true")) {
        *out = true;
        return true;
    }
    if (!strcmp(q, "0") || !strcmp(q, "false"))
        return true;
    char msg[200];
    snprintf(msg, sizeof msg, "Tham số “%s” chỉ nhận 1, 0, true hoặc false.", name);
    http_reply_error(r, 400, "invalid_value", msg, name);
    return false;
}

int in_string(http_req *r, json_t *obj, const char *key, size_t max_chars, const char **out)
{
    json_t *v = json_object_get(obj, key);
    char msg[200];
    *out = NULL;
    if (!v)
        return IN_ABSENT;
    if (json_is_null(v))
        return IN_NULL;
    if (!json_is_string(v)) {
        snprintf(msg, sizeof msg, "Trường “%s” phải là chuỗi ký tự.", key);
        http_reply_error(r, 400, "invalid_type", msg, key);
        return IN_ERROR;
    }
    const char *s = json_string_value(v);
    long n = text_utf8_chars(s);
    if (strlen(s) != json_string_length(v) || n < 0) {
        snprintf(msg, sizeof msg, "Trường “%s” chứa ký tự không hợp lệ.", key);
        http_reply_error(r, 400, "invalid_value", msg, key);
        return IN_ERROR;
    }
    if ((size_t)n > max_chars) {
        snprintf(msg, sizeof msg, "Trường “%s” dài quá %zu ký tự.", key, max_chars);
        http_reply_error(r, 400, "too_long", msg, key);
        return IN_ERROR;
    }
    *out = s;
    return IN_VALUE;
}

bool in_string_req(http_req *r, json_t *obj, const char *key, size_t max_chars,
                   const char **out)
{
    int rc = in_string(r, obj, key, max_chars, out);
    if (rc == IN_ERROR)
        return false;
    if (rc != IN_VALUE) {
        char msg[200];
        snprintf(msg, sizeof msg, "Thiếu trường bắt buộc “%s”.", key);
        http_reply_error(r, 400, "missing_field", msg, key);
        return false;
    }
    return true;
}

int in_id(http_req *r, json_t *obj, const char *key, int64_t *out)
{
    json_t *v = json_object_get(obj, key);
    *out = 0;
    if (!v)
        return IN_ABSENT;
    if (json_is_null(v))
        return IN_NULL;
    if (!json_is_integer(v)) {
        char msg[200];
        snprintf(msg, sizeof msg, "Trường “%s” phải là số nguyên.", key);
        http_reply_error(r, 400, "invalid_type", msg, key);
        return IN_ERROR;
    }
    if (json_integer_value(v) <= 0) {
        char msg[200];
        snprintf(msg, sizeof msg, "Trường “%s” phải là mã số dương.", key);
        http_reply_error(r, 422, "invalid_value", msg, key);
        return IN_ERROR;
    }
    *out = (int64_t)json_integer_value(v);
    return IN_VALUE;
}

bool in_path_id(http_req *r, int64_t *out)
{
    if (http_param_id(r, "id", out))
        return true;
    http_reply_error(r, 404, "not_found", "Không tìm thấy.", NULL);
    return false;
}

bool in_query_level(http_req *r, const char **out)
{
    struct app_err e;
    *out = http_query(r, "level");
    if (!*out || !app_check_level(*out, "level", &e))
        return true;
    api_fail(r, &e);
    return false;
}

bool in_path_id_no_body(http_req *r, int64_t *out)
{
    static const char *const none[] = {NULL};
    return in_path_id(r, out) && in_body(r, none);
}

bool in_refuse_null(http_req *r, json_t *obj, const char *const keys[])
{
    for (int i = 0; keys[i]; i++) {
        json_t *v = json_object_get(obj, keys[i]);
        if (v && json_is_null(v)) {
            char msg[160];
            snprintf(msg, sizeof msg, "Trường “%s” không được để trống (null).", keys[i]);
            http_reply_error(r, 400, "invalid_type", msg, keys[i]);
            return false;
        }
    }
    return true;
}

int api_fail(http_req *r, const struct app_err *e)
{
    if (e->status == 429 && e->retry_after > 0) {
        char secs[24];
        snprintf(secs, sizeof secs, "%ld", e->retry_after);
        http_add_header(r, "Retry-After", secs);
    }
    return http_reply_error(r, e->status, e->code, e->message, e->field[0] ? e->field : NULL);
}

int api_internal(http_req *r)
{
    return http_reply_error(r, 500, "internal_error",
                            "Lỗi hệ thống khi truy cập dữ liệu; vui lòng thử lại sau.", NULL);
}

struct app_actor api_actor(http_req *r)
{
    const struct caller *c = http_caller(r);
    return (struct app_actor){.user_id = c ? c->user_id : 0,
                              .name = c ? c->username : "",
                              .client_addr = http_client_addr(r)};
}

int64_t api_now(void)
{
    return (int64_t)time(NULL);
}
