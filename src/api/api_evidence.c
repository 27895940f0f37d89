/* api_evidence.c — POST/GET /tasks/{id}/evidence, GET /evidence/{id}/download,
 * DELETE /evidence/{id}.
 *
 * An upload is streamed (ROUTE_STREAM_BODY, http.h): the handler runs before the body is read,
 * checks that the task's evidence may change now and starts a multipart reader (core/multipart.c)
 * that writes the `file` part to a temporary file of the blob store as it arrives, hashing it.
 * At the end of the body: the type is read from the content (libmagic, allow list), the file is
 * made durable under its SHA-256 (blob store: fsync + atomic rename; the same bytes are stored
 * once), and only then is the row committed with its audit entry — so an acknowledged file is
 * always on disk, and a refused or interrupted one leaves nothing but a temporary file that is
 * removed at once (or at the next start after a crash). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "app/blobstore.h"
#include "app/evidence.h"
#include "app/evidence_sig.h"
#include "app/filetype.h"
#include "core/multipart.h"

struct upload {
    struct multipart mp;
    struct blobstore *bs;
    struct blob_tmp *tmp;
    int64_t task_id;
    size_t max_file;
};

static bool upload_data(void *ctx, const char *data, size_t n)
{
    struct upload *u = ctx;
    return u->bs->ops->tmp_write(u->tmp, data, n);
}

static bool upload_chunk(void *ctx, const char *data, size_t n)
{
    struct upload *u = ctx;
    return multipart_feed(&u->mp, data, n) == MP_OK;
}

static void upload_free(struct upload *u)
{
    if (u->tmp)
        u->bs->ops->tmp_remove(u->tmp);
    free(u);
}

static void upload_abort(void *ctx)
{
    upload_free(ctx);
}

static int reply_mp_error(http_req *r, const struct upload *u, enum mp_error err)
{
    if (err == MP_ERR_TOO_LARGE) {
        char msg[120];
        snprintf(msg, sizeof msg, "Tệp tải lên quá lớn (tối đa %zu MB).", u->max_file >> 20);
        return http_reply_error(r, 413, "payload_too_large", msg, "file");
    }
    const char *field = (err == MP_ERR_FIELD) ? "replaces"
                        : (err == MP_ERR_CONTENT_TYPE || err == MP_ERR_SYNTAX ||
                           err == MP_ERR_TRUNCATED || err == MP_ERR_HEADER)
                            ? NULL
                            : "file";
    return http_reply_error(r, multipart_error_status(err), multipart_error_code(err),
                            multipart_error_vi(err), field);
}

static bool parse_replaces(const char *s, int64_t *out)
{
    return http_parse_uint(s, 1, INT64_MAX, out);
}

static int upload_end(http_req *r, void *ctx)
{
    struct upload *u = ctx;
    enum mp_error err = multipart_finish(&u->mp);
    if (err) {
        reply_mp_error(r, u, err);
        upload_free(u);
        return 0;
    }
    struct app_err e;
    char name[4 * EVIDENCE_NAME_MAX + 1];
    if (evidence_clean_name(u->mp.filename, name, sizeof name, &e)) {
        upload_free(u);
        return api_fail(r, &e);
    }
    int64_t replaces = 0;
    if (u->mp.has_replaces && !parse_replaces(u->mp.replaces, &replaces)) {
        upload_free(u);
        return http_reply_error(r, 400, "invalid_value",
                                "«replaces» phải là mã số của minh chứng cần thay thế.",
                                "replaces");
    }
    const struct blobstore_ops *ops = u->bs->ops;
    if (ops->tmp_end)
        ops->tmp_end(u->tmp); /* the final flush overlaps the checks below */
    char seen[96];
    const char *mime = filetype_allowed(ops->tmp_fd(u->tmp), seen, sizeof seen);
    if (!mime) {
        char msg[320];
        snprintf(msg, sizeof msg,
                 "Loại tệp không được chấp nhận (nhận dạng theo nội dung: %s). Chỉ nhận tệp %s.",
                 seen[0] ? seen : "không xác định", filetype_allowed_names());
        upload_free(u);
        return http_reply_error(r, 415, "unsupported_file_type", msg, "file");
    }
    struct evidence_new in = {.file_name = name, .mime = mime,
                              .size = (int64_t)ops->tmp_size(u->tmp), .replaces_id = replaces};
    /* part: pdfsig — a PDF's signatures are verified now, before the row exists (docs/signatures.md). */
    struct pdf_result *sig = NULL;
    if (!strcmp(mime, "application/pdf")) {
        sig = malloc(sizeof *sig);
        if (!sig || evidence_sig_verify_fd(ops->tmp_fd(u->tmp), (size_t)in.size, api_now(), sig)) {
            free(sig);
            upload_free(u);
            return api_internal(r);
        }
        in.sig = sig;
    }
    char sha[BLOB_SHA256_HEX];
    bool existed;
    /* Durable before the row commits: an acknowledged file is always there. */
    if (ops->put(u->bs, u->tmp, sha, &existed) != 0) {
        free(sig);
        upload_free(u);
        return http_reply_error(r, 507, "storage_failed",
                                "Không lưu được tệp trên máy chủ (hết dung lượng hoặc lỗi ghi); "
                                "vui lòng thử lại sau.",
                                NULL);
    }
    in.sha256 = sha;
    int64_t task_id = u->task_id;
    upload_free(u);

    db_conn *c = api_begin(r);
    if (!c)
        return 0;
    /* Checked again: the task may have been submitted while the file was uploading. */
    struct evidence_task t;
    int64_t id = 0, now = api_now();
    struct app_actor who = api_actor(r);
    int rc = evidence_may_save(c, task_id, now, &t, &e);
    if (!rc)
        rc = evidence_add(c, &who, &t, &in, now, &id, &e);
    free(sig);
    if (!api_end(r, c, rc, &e))
        return 0;
    return api_reply_entity(r, 201, evidence_get(http_db(r), id));
}

static const struct http_body_consumer upload_consumer = {
    .chunk = upload_chunk,
    .end = upload_end,
    .abort = upload_abort,
};

int api_evidence_upload(http_req *r)
{
    int64_t task_id;
    if (!in_path_id(r, &task_id))
        return 0;
    struct blobstore *bs = http_blobstore(r);
    if (!bs)
        return http_reply_error(r, 503, "storage_unavailable",
                                "Máy chủ chưa có nơi lưu tệp minh chứng.", NULL);
    char boundary[MP_BOUNDARY_MAX + 1];
    if (!multipart_boundary(http_header(r, "Content-Type"), boundary, sizeof boundary))
        return reply_mp_error(r, NULL, MP_ERR_CONTENT_TYPE);
    db_conn *c = http_db(r);
    if (!c)
        return api_internal(r);
    /* Refused before a byte of the file is read. */
    struct evidence_task t;
    struct app_err e;
    if (evidence_may_save(c, task_id, api_now(), &t, &e))
        return api_fail(r, &e);
    struct upload *u = calloc(1, sizeof *u);
    if (!u)
        return api_internal(r);
    u->bs = bs;
    u->task_id = task_id;
    u->max_file = http_max_upload(r);
    u->tmp = bs->ops->tmp_new(bs);
    if (!u->tmp) {
        free(u);
        return http_reply_error(r, 507, "storage_failed",
                                "Không tạo được tệp tạm trên máy chủ; vui lòng thử lại sau.", NULL);
    }
    multipart_init(&u->mp, boundary, u->max_file, upload_data, u);
    http_stream_body(r, &upload_consumer, u);
    return 0;
}

int api_evidence_list(http_req *r)
{
    int64_t task_id;
    if (!in_path_id(r, &task_id))
        return 0;
    db_conn *c = http_db(r);
    if (!c)
        return api_internal(r);
    int64_t one;
    int rc = db_query_int(c, "SELECT id FROM tasks WHERE id = ?",
                          (db_param[]){DB_P_INT(task_id)}, 1, &one);
    if (rc == DB_NOTFOUND)
        return http_reply_error(r, 404, "not_found", "Không tìm thấy nhiệm vụ.", NULL);
    json_t *list = rc == DB_OK ? evidence_list(c, task_id) : NULL;
    return list ? http_reply_json(r, 200, list) : api_internal(r);
}

/* Content-Disposition: attachment; filename="ASCII fallback"; filename*=UTF-8''percent-encoded
 * (RFC 6266): every byte outside the RFC 5987 attr-chars is encoded, so nothing in the name can
 * end the header or the parameter. */
static bool content_disposition(const char *name, char *out, size_t cap)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = 0;
    const char head[] = "attachment; filename=\"";
    if (cap < sizeof head)
        return false;
    memcpy(out, head, sizeof head - 1);
    n = sizeof head - 1;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if (n + 1 >= cap)
            return false;
        if (*p >= 0x80) {
            /* one '_' per non-ASCII character (skip UTF-8 continuation bytes) */
            if ((*p & 0xC0) != 0x80)
                out[n++] = '_';
        } else {
            out[n++] = (*p < 0x20 || *p == 0x7f || *p == '"' || *p == '\\') ? '_' : (char)*p;
        }
    }
    const char mid[] = "\"; filename*=UTF-8''";
    if (n + sizeof mid >= cap)
        return false;
    memcpy(out + n, mid, sizeof mid - 1);
    n += sizeof mid - 1;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        bool plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                     (*p >= '0' && *p <= '9') || strchr("!#$&+-.^_`|~", *p);
        if (n + 4 >= cap)
            return false;
        if (plain && *p) {
            out[n++] = (char)*p;
        } else {
            out[n++] = '%';
            out[n++] = hex[*p >> 4];
            out[n++] = hex[*p & 15];
        }
    }
    out[n] = '\0';
    return true;
}

int api_evidence_download(http_req *r)
{
    int64_t id;
    if (!in_path_id(r, &id))
        return 0;
    struct blobstore *bs = http_blobstore(r);
    db_conn *c = http_db(r);
    if (!c)
        return api_internal(r);
    char sha[65], mime[EVIDENCE_MIME_MAX], name[4 * EVIDENCE_NAME_MAX + 1];
    struct app_err e;
    if (evidence_file(c, id, sha, mime, sizeof mime, name, sizeof name, &e))
        return api_fail(r, &e);
    uint64_t size = 0;
    int fd = bs ? bs->ops->open(bs, sha, &size) : -1;
    if (fd < 0)
        return http_reply_error(r, 404, "not_found",
                                "Không tìm thấy nội dung tệp minh chứng trên máy chủ.", NULL);
    char cd[4 * (4 * EVIDENCE_NAME_MAX) + 128];
    /* Never rendered by the browser: attachment, the stored (allow-listed) type, nosniff (a
     * security header of every reply). */
    if (!content_disposition(name, cd, sizeof cd) ||
        !http_add_header(r, "Content-Disposition", cd)) {
        close(fd);
        return api_internal(r);
    }
    return http_reply_fd(r, 200, mime, fd, size);
}

int api_evidence_remove(http_req *r)
{
    int64_t id;
    if (!in_path_id_no_body(r, &id))
        return 0;
    db_conn *c = api_begin(r);
    if (!c)
        return 0;
    struct app_err e;
    struct app_actor who = api_actor(r);
    int rc = evidence_remove(c, &who, id, api_now(), &e);
    if (!api_end(r, c, rc, &e))
        return 0;
    return api_reply_entity(r, 200, evidence_get(http_db(r), id));
}
