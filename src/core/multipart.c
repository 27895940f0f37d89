/* multipart.c — incremental multipart/form-data reader (see multipart.h).
 *
 * The body is read one byte at a time through a small state machine, so a chunk may end
 * anywhere (inside a delimiter, a header line, a CRLF) and nothing but the current header line
 * is kept. The delimiter "\r\n--boundary" is matched with a counter: since '\r' occurs only at
 * its start (a boundary has no CR), a mismatch after k matched bytes gives back those k bytes as
 * data and restarts the match only when the byte is '\r'. The stream is read as if it began with
 * "\r\n", so the first boundary needs no special case (and a preamble is refused). */
#include "core/multipart.h"

#include <string.h>
#include <strings.h>

#include "core/utf8.h"

enum { S_START, S_AFTER_DELIM, S_AFTER_DELIM_CR, S_CLOSE, S_HEADERS, S_BODY, S_DONE };
enum { PART_NONE, PART_FILE, PART_REPLACES };

static const struct {
    int status;
    const char *code, *message;
} errors[MP_ERR_COUNT] = {
    [MP_OK] = {200, "ok", ""},
    [MP_ERR_CONTENT_TYPE] = {415, "unsupported_media_type",
                             "Tệp phải được gửi dạng multipart/form-data (có boundary)."},
    [MP_ERR_TRUNCATED] = {400, "invalid_multipart",
                          "Nội dung tải lên bị cắt cụt (thiếu ranh giới kết thúc); vui lòng gửi "
                          "lại."},
    [MP_ERR_SYNTAX] = {400, "invalid_multipart", "Nội dung multipart/form-data không hợp lệ."},
    [MP_ERR_HEADER] = {400, "invalid_multipart",
                       "Phần đầu (header) của một phần trong nội dung tải lên không hợp lệ, không "
                       "được hỗ trợ hoặc quá dài."},
    [MP_ERR_DISPOSITION] = {400, "invalid_multipart",
                            "Mỗi phần của nội dung tải lên phải có Content-Disposition: form-data "
                            "kèm tên trường."},
    [MP_ERR_UNKNOWN_PART] = {400, "unknown_field",
                             "Nội dung tải lên chỉ được có trường «file» và «replaces»."},
    [MP_ERR_DUPLICATE] = {400, "duplicate_field",
                          "Mỗi lần chỉ được gửi một tệp (một trường «file») và một «replaces»."},
    [MP_ERR_NO_FILE] = {400, "missing_field", "Thiếu tệp minh chứng (trường «file»)."},
    [MP_ERR_FILENAME] = {422, "invalid_value",
                         "Tên tệp không hợp lệ (trống, quá dài, có ký tự NUL hoặc không phải "
                         "UTF-8)."},
    [MP_ERR_FILENAME_PATH] = {422, "invalid_value",
                              "Tên tệp không được chứa đường dẫn («/», «\\», «.», «..»)."},
    [MP_ERR_FIELD] = {400, "invalid_value", "Giá trị «replaces» không hợp lệ."},
    [MP_ERR_TOO_LARGE] = {413, "payload_too_large", "Tệp tải lên quá lớn."},
    [MP_ERR_CALLBACK] = {500, "internal_error", "Không lưu được tệp; vui lòng thử lại."},
};

const char *multipart_error_vi(enum mp_error e)
{
    return (unsigned)e < MP_ERR_COUNT ? errors[e].message : errors[MP_ERR_SYNTAX].message;
}

int multipart_error_status(enum mp_error e)
{
    return (unsigned)e < MP_ERR_COUNT ? errors[e].status : 400;
}

const char *multipart_error_code(enum mp_error e)
{
    return (unsigned)e < MP_ERR_COUNT ? errors[e].code : "invalid_multipart";
}

/* ---- Content-Type and header values ---- */

static bool is_tchar(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c && strchr("!#$%&'*+-.^_`|~", c));
}

static bool is_bchar(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c && strchr("'()+_,-./:=? ", c));
}

static const char *skip_ows(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* A parameter value (token or quoted-string) into out; returns the position after it, NULL when
 * malformed or longer than cap - 1. */
static const char *param_value(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    if (*s == '"') {
        for (s++; *s != '"'; s++) {
            if (!*s)
                return NULL;
            if (*s == '\\' && s[1])
                s++;
            if (n + 1 >= cap)
                return NULL;
            out[n++] = *s;
        }
        s++;
    } else {
        for (; is_tchar((unsigned char)*s); s++) {
            if (n + 1 >= cap)
                return NULL;
            out[n++] = *s;
        }
        if (n == 0)
            return NULL;
    }
    out[n] = '\0';
    return s;
}

/* Parameter name (a token, lower-cased into out); NULL when malformed. */
static const char *param_name(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    for (; is_tchar((unsigned char)*s); s++) {
        if (n + 1 >= cap)
            return NULL;
        char c = *s;
        out[n++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    out[n] = '\0';
    return n ? s : NULL;
}

/* "type; a=b; c="d"" : calls back for each parameter; false when malformed. */
typedef bool (*param_fn)(void *ctx, const char *name, const char *value);

static bool parse_params(const char *s, char *vbuf, size_t vcap, param_fn fn, void *ctx)
{
    for (;;) {
        s = skip_ows(s);
        if (!*s)
            return true;
        if (*s++ != ';')
            return false;
        s = skip_ows(s);
        if (!*s)
            return true; /* a trailing ';' */
        char name[32];
        s = param_name(s, name, sizeof name);
        if (!s)
            return false;
        s = skip_ows(s);
        if (*s++ != '=')
            return false;
        s = skip_ows(s);
        s = param_value(s, vbuf, vcap);
        if (!s || !fn(ctx, name, vbuf))
            return false;
    }
}

struct ct_params {
    char *boundary;
    size_t cap;
    bool seen;
};

static bool ct_param(void *ctx, const char *name, const char *value)
{
    struct ct_params *p = ctx;
    if (strcmp(name, "boundary") != 0)
        return true;
    size_t n = strlen(value);
    if (p->seen || n == 0 || n > MP_BOUNDARY_MAX || n >= p->cap || value[n - 1] == ' ')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!is_bchar((unsigned char)value[i]))
            return false;
    memcpy(p->boundary, value, n + 1);
    p->seen = true;
    return true;
}

bool multipart_boundary(const char *ct, char *out, size_t cap)
{
    static const char type[] = "multipart/form-data";
    if (!ct || strncasecmp(ct, type, sizeof type - 1) != 0)
        return false;
    char vbuf[MP_LINE_MAX];
    struct ct_params p = {out, cap, false};
    return parse_params(ct + sizeof type - 1, vbuf, sizeof vbuf, ct_param, &p) && p.seen;
}

/* ---- file names ---- */

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* RFC 5987 ext-value: UTF-8'lang'percent-encoded → out; false when malformed. */
static bool decode_ext_value(const char *v, char *out, size_t cap, size_t *len)
{
    static const char utf8[] = "utf-8'";
    if (strncasecmp(v, utf8, sizeof utf8 - 1) != 0)
        return false;
    const char *q = strchr(v + sizeof utf8 - 1, '\'');
    if (!q)
        return false;
    size_t n = 0;
    for (const char *s = q + 1; *s; s++) {
        char c = *s;
        if (c == '%') {
            int hi = hexval(s[1]), lo = hi >= 0 ? hexval(s[2]) : -1;
            if (lo < 0)
                return false;
            c = (char)(hi * 16 + lo);
            s += 2;
        }
        if (n >= cap)
            return false;
        out[n++] = c;
    }
    *len = n;
    return true;
}

/* Checks a decoded file name and stores it in m->filename. */
static enum mp_error set_filename(struct multipart *m, const char *name, size_t n)
{
    if (n == 0 || n > MP_FILENAME_MAX || memchr(name, '\0', n) || utf8_count(name, n) < 0)
        return MP_ERR_FILENAME;
    if (memchr(name, '/', n) || memchr(name, '\\', n) || (n == 1 && name[0] == '.') ||
        (n == 2 && name[0] == '.' && name[1] == '.'))
        return MP_ERR_FILENAME_PATH;
    memcpy(m->filename, name, n);
    m->filename[n] = '\0';
    return MP_OK;
}

/* ---- Content-Disposition of a part ---- */

struct disposition {
    char name[MP_FIELD_MAX + 1];
    char filename[MP_LINE_MAX];
    char filename_ext[MP_LINE_MAX];
    bool has_name, has_filename, has_ext, bad;
};

static bool disp_param(void *ctx, const char *name, const char *value)
{
    struct disposition *d = ctx;
    char *dst = NULL;
    size_t cap = 0;
    bool *seen = NULL;
    if (!strcmp(name, "name"))
        dst = d->name, cap = sizeof d->name, seen = &d->has_name;
    else if (!strcmp(name, "filename"))
        dst = d->filename, cap = sizeof d->filename, seen = &d->has_filename;
    else if (!strcmp(name, "filename*"))
        dst = d->filename_ext, cap = sizeof d->filename_ext, seen = &d->has_ext;
    else
        return true; /* other parameters (size, creation-date…) carry nothing we use */
    size_t n = strlen(value);
    if (*seen || n >= cap) {
        d->bad = true;
        return false;
    }
    memcpy(dst, value, n + 1);
    *seen = true;
    return true;
}

static enum mp_error on_disposition(struct multipart *m, const char *v)
{
    static const char fd[] = "form-data";
    if (m->seen_disposition)
        return MP_ERR_HEADER;
    m->seen_disposition = true;
    if (strncasecmp(v, fd, sizeof fd - 1) != 0)
        return MP_ERR_DISPOSITION;
    struct disposition d;
    memset(&d, 0, sizeof d);
    char vbuf[MP_LINE_MAX];
    if (!parse_params(v + sizeof fd - 1, vbuf, sizeof vbuf, disp_param, &d))
        return MP_ERR_DISPOSITION;
    if (!d.has_name)
        return MP_ERR_DISPOSITION;
    if (!strcmp(d.name, "file")) {
        if (m->has_file)
            return MP_ERR_DUPLICATE;
        m->has_file = true;
        m->part = PART_FILE;
        if (d.has_ext) {
            char dec[MP_FILENAME_MAX];
            size_t n;
            if (!decode_ext_value(d.filename_ext, dec, sizeof dec, &n))
                return MP_ERR_FILENAME;
            return set_filename(m, dec, n);
        }
        if (!d.has_filename)
            return MP_ERR_FILENAME;
        return set_filename(m, d.filename, strlen(d.filename));
    }
    if (!strcmp(d.name, "replaces")) {
        if (m->has_replaces)
            return MP_ERR_DUPLICATE;
        if (d.has_filename || d.has_ext)
            return MP_ERR_UNKNOWN_PART; /* a file sent under the wrong name */
        m->has_replaces = true;
        m->part = PART_REPLACES;
        return MP_OK;
    }
    return MP_ERR_UNKNOWN_PART;
}

static enum mp_error on_header_line(struct multipart *m)
{
    m->line[m->line_len] = '\0';
    if (strlen(m->line) != m->line_len)
        return MP_ERR_HEADER; /* a NUL inside */
    char *colon = strchr(m->line, ':');
    if (!colon || colon == m->line)
        return MP_ERR_HEADER;
    for (const char *p = m->line; p < colon; p++)
        if (!is_tchar((unsigned char)*p))
            return MP_ERR_HEADER; /* also a folded line (starts with a blank) */
    *colon = '\0';
    char *v = (char *)skip_ows(colon + 1);
    size_t vn = strlen(v);
    while (vn && (v[vn - 1] == ' ' || v[vn - 1] == '\t'))
        v[--vn] = '\0';
    for (size_t i = 0; i < vn; i++)
        if ((unsigned char)v[i] < 0x20 && v[i] != '\t')
            return MP_ERR_HEADER;
    if (!strcasecmp(m->line, "Content-Disposition"))
        return on_disposition(m, v);
    if (!strcasecmp(m->line, "Content-Type"))
        return MP_OK; /* the type is read from the content, never from what the client says */
    return MP_ERR_HEADER;
}

/* ---- the state machine ---- */

void multipart_init(struct multipart *m, const char *boundary, uint64_t max_file, mp_data_fn fn,
                    void *ctx)
{
    memset(m, 0, sizeof *m);
    size_t n = strlen(boundary);
    if (n == 0 || n > MP_BOUNDARY_MAX) {
        m->error = MP_ERR_CONTENT_TYPE;
        return;
    }
    memcpy(m->delim, "\r\n--", 4);
    memcpy(m->delim + 4, boundary, n);
    m->dlen = n + 4;
    m->k = 2; /* as if the body began with "\r\n" */
    m->state = S_START;
    m->on_data = fn;
    m->ctx = ctx;
    m->max_file = max_file;
}

static enum mp_error flush(struct multipart *m)
{
    if (m->out_len && m->on_data && !m->on_data(m->ctx, m->out, m->out_len)) {
        m->out_len = 0;
        return MP_ERR_CALLBACK;
    }
    m->out_len = 0;
    return MP_OK;
}

static enum mp_error emit(struct multipart *m, char c)
{
    if (m->part == PART_REPLACES) {
        if (m->replaces_len >= MP_FIELD_MAX)
            return MP_ERR_FIELD;
        m->replaces[m->replaces_len++] = c;
        return MP_OK;
    }
    if (++m->file_size > m->max_file)
        return MP_ERR_TOO_LARGE;
    m->out[m->out_len++] = c;
    return m->out_len == sizeof m->out ? flush(m) : MP_OK;
}

static enum mp_error end_headers(struct multipart *m)
{
    if (!m->seen_disposition || m->part == PART_NONE)
        return MP_ERR_DISPOSITION;
    m->state = S_BODY;
    m->k = 0;
    return MP_OK;
}

static enum mp_error step(struct multipart *m, char c)
{
    switch (m->state) {
    case S_START:
        /* Only "--boundary" may come first (k starts at 2: the virtual CRLF). */
        if (c != m->delim[m->k])
            return MP_ERR_SYNTAX;
        if (++m->k == m->dlen) {
            m->k = 0;
            m->state = S_AFTER_DELIM;
        }
        return MP_OK;
    case S_AFTER_DELIM:
        if (c == '-' && m->pad == 0) {
            m->state = S_CLOSE;
        } else if (c == ' ' || c == '\t') {
            if (++m->pad > 64)
                return MP_ERR_SYNTAX;
        } else if (c == '\r') {
            m->state = S_AFTER_DELIM_CR;
        } else {
            return MP_ERR_SYNTAX;
        }
        return MP_OK;
    case S_AFTER_DELIM_CR:
        if (c != '\n')
            return MP_ERR_SYNTAX;
        m->state = S_HEADERS;
        m->part = PART_NONE;
        m->seen_disposition = false;
        m->line_len = m->header_bytes = 0;
        m->line_cr = false;
        m->pad = 0;
        return MP_OK;
    case S_CLOSE:
        if (c != '-')
            return MP_ERR_SYNTAX;
        m->state = S_DONE;
        return MP_OK;
    case S_HEADERS:
        if (++m->header_bytes > MP_HEADERS_MAX)
            return MP_ERR_HEADER;
        if (m->line_cr) {
            m->line_cr = false;
            if (c != '\n')
                return MP_ERR_SYNTAX;
            if (m->line_len == 0)
                return end_headers(m);
            enum mp_error e = on_header_line(m);
            m->line_len = 0;
            return e;
        }
        if (c == '\r') {
            m->line_cr = true;
            return MP_OK;
        }
        if (c == '\n')
            return MP_ERR_SYNTAX; /* bare LF */
        if (m->line_len >= MP_LINE_MAX)
            return MP_ERR_HEADER;
        m->line[m->line_len++] = c;
        return MP_OK;
    case S_BODY:
        if (c == m->delim[m->k]) {
            if (++m->k == m->dlen) {
                m->k = 0;
                m->state = S_AFTER_DELIM;
                if (m->part == PART_REPLACES)
                    m->replaces[m->replaces_len] = '\0';
                return flush(m);
            }
            return MP_OK;
        }
        /* The k bytes held back were data after all; only a '\r' can start a new match. */
        for (size_t i = 0; i < m->k; i++) {
            enum mp_error e = emit(m, m->delim[i]);
            if (e)
                return e;
        }
        m->k = 0;
        if (c == m->delim[0]) {
            m->k = 1;
            return MP_OK;
        }
        return emit(m, c);
    default: /* S_DONE: the epilogue is ignored */
        return MP_OK;
    }
}

/* Length of the run of file bytes at the start of p: up to the first '\r' that starts the
 * delimiter, or that is too close to the end of the chunk to tell (step() decides those
 * byte by byte). A '\r' followed by anything else is data: random bytes hold one every
 * 256 bytes, and each would otherwise leave the fast path. */
static size_t file_run(const struct multipart *m, const char *p, size_t n)
{
    size_t j = 0;
    while (j < n) {
        const char *cr = memchr(p + j, '\r', n - j);
        if (!cr)
            return n;
        size_t pos = (size_t)(cr - p);
        if (n - pos < m->dlen || memcmp(cr, m->delim, m->dlen) == 0)
            return pos;
        j = pos + 1;
    }
    return n;
}

enum mp_error multipart_feed(struct multipart *m, const char *data, size_t n)
{
    if (m->error)
        return m->error;
    size_t i = 0;
    while (i < n) {
        size_t run = m->state == S_BODY && m->part == PART_FILE && m->k == 0
                         ? file_run(m, data + i, n - i)
                         : 0;
        if (run) {
            /* Fast path: plain file bytes up to a possible delimiter. */
            if (m->file_size + run > m->max_file) {
                m->error = MP_ERR_TOO_LARGE;
                return m->error;
            }
            while (run) {
                size_t room = sizeof m->out - m->out_len, take = run < room ? run : room;
                memcpy(m->out + m->out_len, data + i, take);
                m->out_len += take;
                m->file_size += take;
                i += take;
                run -= take;
                if (m->out_len == sizeof m->out && (m->error = flush(m)))
                    return m->error;
            }
            continue;
        }
        enum mp_error e = step(m, data[i++]);
        if (e) {
            m->error = e;
            return e;
        }
    }
    return MP_OK; /* what is buffered goes out when full or at the end of the part */
}

enum mp_error multipart_finish(struct multipart *m)
{
    if (m->error)
        return m->error;
    if (m->state != S_DONE)
        m->error = MP_ERR_TRUNCATED;
    else if (!m->has_file)
        m->error = MP_ERR_NO_FILE;
    return m->error;
}
