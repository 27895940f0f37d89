/* framework.c — loading (with validation collecting every error), writing and freeing an index
 * set. The semantic checks (sums, unique keys, rule inputs, worked examples) live here too,
 * since they need the whole tree. */
#include "core/framework.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/inputs.h"
#include "core/rule.h"
#include "core/json_error_vi.h"
#include "core/score.h"

/* ---- arena: every string and array of a framework, freed at once ---- */
struct fw_arena {
    struct fw_arena *next;
    size_t used, cap;
    _Alignas(16) unsigned char data[];
};

void *ld_alloc(struct ld *ld, size_t n)
{
    struct framework *fw = ld->fw;
    if (ld->oom || n > ((size_t)1 << 40))
        goto fail;
    n = (n + 15) & ~(size_t)15;
    struct fw_arena *a = fw->arena;
    if (!a || a->cap - a->used < n) {
        size_t cap = n > 65536 ? n : 65536;
        struct fw_arena *na = malloc(sizeof *na + cap);
        if (!na)
            goto fail;
        na->next = a;
        na->used = 0;
        na->cap = cap;
        fw->arena = a = na;
    }
    void *p = a->data + a->used;
    a->used += n;
    memset(p, 0, n);
    return p;
fail:
    ld->oom = true;
    return NULL;
}

char *ld_strdup(struct ld *ld, const char *s)
{
    size_t n = strlen(s);
    char *p = ld_alloc(ld, n + 1);
    if (p)
        memcpy(p, s, n + 1);
    return p;
}

/* ---- errors ---- */
void fw_errors_add(struct fw_errors *e, const char *path, const char *fmt, ...)
{
    if (e->n == e->cap) {
        size_t nc = e->cap ? e->cap * 2 : 16;
        struct fw_error *nv = realloc(e->v, nc * sizeof *nv);
        if (!nv) {
            e->oom = true;
            return;
        }
        e->v = nv;
        e->cap = nc;
    }
    struct fw_error *x = &e->v[e->n++];
    snprintf(x->path, sizeof x->path, "%s", path && path[0] ? path : "$");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->message, sizeof x->message, fmt, ap);
    va_end(ap);
}

void fw_errors_free(struct fw_errors *e)
{
    free(e->v);
    e->v = NULL;
    e->n = e->cap = 0;
    e->oom = false;
}

/* ---- names ---- */
static const char *const input_types[] = {"bool", "count", "number", "ratio", "choice", "date", "points"};
static const char *const unit_kinds[] = {"province", "department", "district", "commune", "other"};

const char *fw_input_type_name(enum fw_input_type t) { return input_types[t]; }
const char *fw_unit_kind_name(enum fw_unit_kind k) { return unit_kinds[k]; }

static int lookup(const char *s, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(s, names[i]))
            return (int)i;
    return -1;
}
#define LOOKUP(s, arr) lookup((s), (arr), sizeof(arr) / sizeof(arr)[0])

int fw_unit_kind_parse(const char *s) { return s ? LOOKUP(s, unit_kinds) : -1; }

static const char *const unit_kind_labels[] = {"Cấp tỉnh", "Cấp sở", "Cấp huyện", "Cấp xã", "Khác"};
const char *fw_unit_kind_label(enum fw_unit_kind k)
{
    return (unsigned)k < UK_COUNT ? unit_kind_labels[k] : "";
}
const char *fw_level_label(const char *level)
{
    int k = level ? fw_unit_kind_parse(level) : -1;
    return k >= 0 ? unit_kind_labels[k] : level ? level : "";
}
const char *fw_status_label(const char *status)
{
    if (!status)
        return "";
    return !strcmp(status, "official") ? "chính thức" : !strcmp(status, "draft") ? "dự thảo" : status;
}

const char *fw_input_label(const struct fw_input *in)
{
    return in->label && *in->label ? in->label : in->name ? in->name : "";
}

/* ---- numbers ---- */
bool fw_json_to_rat(const json_t *j, rat *out)
{
    if (json_is_integer(j)) {
        *out = rat_int(json_integer_value(j));
        return true;
    }
    if (json_is_real(j))
        return rat_from_double(json_real_value(j), out) == RAT_OK;
    return false;
}

json_t *fw_json_number(rat v)
{
    if (v.d == 1 && v.n <= INT64_MAX && v.n >= -INT64_MAX)
        return json_integer((json_int_t)v.n);
    char buf[80];
    rat_format_json(v, buf, sizeof buf);
    return json_real(strtod(buf, NULL));
}

/* ---- path helpers ---- */
/* Paths are cut at 191 bytes rather than fail: a message with a truncated path still helps. */
static void pcat(struct path *p, const char *s)
{
    size_t n = strlen(p->s), k = strlen(s);
    if (n + k >= sizeof p->s)
        k = sizeof p->s - 1 - n;
    memcpy(p->s + n, s, k);
    p->s[n + k] = 0;
}
struct path path_key(const struct path *base, const char *key)
{
    struct path p = *base;
    if (p.s[0])
        pcat(&p, ".");
    pcat(&p, key);
    return p;
}
struct path path_idx(const struct path *base, const char *key, size_t i)
{
    struct path p = *base;
    char t[32];
    if (p.s[0] && key[0])
        pcat(&p, ".");
    pcat(&p, key);
    snprintf(t, sizeof t, "[%zu]", i);
    pcat(&p, t);
    return p;
}


static bool match_re(const char *s, size_t minlen, size_t maxlen, const char *first, const char *rest)
{
    size_t n = strlen(s);
    if (n < minlen || n > maxlen)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!strchr(i == 0 && first ? first : rest, s[i]) || s[i] == 0)
            return false;
    return true;
}
#define LOWER "abcdefghijklmnopqrstuvwxyz"
#define DIGITS "0123456789"

/* Rejects keys not in `allowed` (NULL-terminated); keys starting with '_' are comments. */
void ld_check_keys(struct ld *ld, const json_t *obj, const struct path *p, const char *const *allowed)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)obj, k, v) {
        (void)v;
        if (k[0] == '_')
            continue;
        bool ok = false;
        for (size_t i = 0; allowed[i] && !ok; i++)
            ok = !strcmp(k, allowed[i]);
        if (!ok) {
            struct path q = path_key(p, k);
            LD_ERR(ld, q.s, "trường không được hỗ trợ '%s'", k);
        }
    }
}

/* The value of obj[key], or NULL when absent or null — reported as missing when required.
 * *q receives the field's path for the caller's own type errors. */
static json_t *field(struct ld *ld, const json_t *obj, const char *key, const struct path *p,
                     bool required, struct path *q)
{
    json_t *v = json_object_get(obj, key);
    *q = path_key(p, key);
    if (!v || json_is_null(v)) {
        if (required)
            LD_ERR(ld, q->s, "thiếu trường bắt buộc");
        return NULL;
    }
    return v;
}

char *ld_str(struct ld *ld, const json_t *obj, const char *key, const struct path *p,
                     bool required, size_t maxlen)
{
    struct path q;
    json_t *v = field(ld, obj, key, p, required, &q);
    if (!v)
        return NULL;
    if (!json_is_string(v)) {
        LD_ERR(ld, q.s, "phải là chuỗi ký tự");
        return NULL;
    }
    const char *s = json_string_value(v);
    if (required && !s[0]) {
        LD_ERR(ld, q.s, "không được để trống");
        return NULL;
    }
    if (strlen(s) > maxlen) {
        LD_ERR(ld, q.s, "dài quá %zu byte", maxlen);
        return NULL;
    }
    if (strlen(s) != json_string_length(v)) {
        LD_ERR(ld, q.s, "chứa ký tự NUL");
        return NULL;
    }
    return ld_strdup(ld, s);
}

/* A number with at most `max_dec` decimals (-1: any). Returns true when present and valid. */
bool ld_num(struct ld *ld, const json_t *obj, const char *key, const struct path *p,
                    bool required, rat *out)
{
    *out = rat_int(0); /* never leave a 0/0 behind, even on error */
    struct path q;
    json_t *v = field(ld, obj, key, p, required, &q);
    if (!v)
        return false;
    if (!json_is_number(v)) {
        LD_ERR(ld, q.s, "phải là số");
        return false;
    }
    if (!fw_json_to_rat(v, out)) {
        LD_ERR(ld, q.s, "số không hợp lệ hoặc quá lớn");
        return false;
    }
    return true;
}

bool ld_points(struct ld *ld, const json_t *obj, const char *key, const struct path *p,
                       bool required, rat *out)
{
    if (!ld_num(ld, obj, key, p, required, out))
        return false;
    struct path q = path_key(p, key);
    if (out->n < 0) {
        LD_ERR(ld, q.s, "điểm không được âm");
        return false;
    }
    if (!rat_has_2_decimals(*out)) {
        LD_ERR(ld, q.s, "điểm có nhiều nhất 2 chữ số thập phân");
        return false;
    }
    if (rat_cmp(*out, rat_int(100000000)) > 0) {
        LD_ERR(ld, q.s, "điểm quá lớn");
        return false;
    }
    return true;
}

bool ld_fraction(struct ld *ld, const json_t *obj, const char *key, const struct path *p,
                         bool required, rat *out)
{
    if (!ld_num(ld, obj, key, p, required, out))
        return false;
    if (out->n < 0 || out->n > out->d) {
        struct path q = path_key(p, key);
        LD_ERR(ld, q.s, "tỷ lệ phải từ 0 đến 1");
        return false;
    }
    return true;
}

bool ld_int(struct ld *ld, const json_t *obj, const char *key, const struct path *p,
                    bool required, int64_t lo, int64_t hi, int64_t *out)
{
    struct path q;
    json_t *v = field(ld, obj, key, p, required, &q);
    if (!v)
        return false;
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
        LD_ERR(ld, q.s, "phải là số nguyên từ %lld đến %lld", (long long)lo, (long long)hi);
        return false;
    }
    *out = json_integer_value(v);
    return true;
}

/* A required number > 0 (points_per_item, target, penalty); msg says why when it is not. */
bool ld_positive(struct ld *ld, const json_t *obj, const char *key,
                             const struct path *p, const char *msg, rat *out)
{
    if (!ld_num(ld, obj, key, p, true, out))
        return false;
    if (out->n > 0)
        return true;
    struct path q = path_key(p, key);
    LD_ERR(ld, q.s, "%s", msg);
    return false;
}

/* An optional integer in [lo, hi] kept as a rational (max_items, zero_at). True when present
 * and valid; present but null or out of range is an error. *out is untouched when absent. */
bool ld_opt_int_rat(struct ld *ld, const json_t *obj, const char *key,
                            const struct path *p, int64_t lo, int64_t hi, rat *out)
{
    if (!json_object_get(obj, key))
        return false;
    int64_t v = 0;
    bool ok = ld_int(ld, obj, key, p, true, lo, hi, &v);
    *out = rat_int(v);
    return ok;
}

static bool get_bool(struct ld *ld, const json_t *obj, const char *key, const struct path *p,
                     bool *out)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v))
        return false;
    if (!json_is_boolean(v)) {
        struct path q = path_key(p, key);
        LD_ERR(ld, q.s, "phải là true hoặc false");
        return false;
    }
    *out = json_is_true(v);
    return true;
}

/* An array field; NULL (with an error when required) if absent or not an array. */
json_t *ld_array(struct ld *ld, const json_t *obj, const char *key, const struct path *p,
                         bool required)
{
    struct path q;
    json_t *v = field(ld, obj, key, p, required, &q);
    if (!v)
        return NULL;
    if (!json_is_array(v)) {
        LD_ERR(ld, q.s, "phải là một danh sách");
        return NULL;
    }
    return v;
}

bool ld_is_obj(struct ld *ld, const json_t *v, const struct path *p)
{
    if (!json_is_object(v)) {
        LD_ERR(ld, p->s, "phải là một đối tượng JSON {…}");
        return false;
    }
    return true;
}

/* Element i of an array of objects: *iq = its path; NULL (after the error) when it is not an
 * object, else the object, its keys checked against `keys`. */
json_t *ld_array_obj(struct ld *ld, const json_t *arr, size_t i, const struct path *base,
                         const char *key, const char *const *keys, struct path *iq)
{
    *iq = path_idx(base, key, i);
    json_t *o = json_array_get(arr, i);
    if (!ld_is_obj(ld, o, iq))
        return NULL;
    ld_check_keys(ld, o, iq, keys);
    return o;
}

static void add_key(struct ld *ld, const char *key, const struct path *p)
{
    struct path q = path_key(p, "key");
    if (!match_re(key, 1, 64, NULL, LOWER DIGITS "._-")) {
        LD_ERR(ld, q.s, "khoá '%s' chỉ gồm a-z, 0-9, '.', '_', '-' (1–64 ký tự)", key);
        return;
    }
    for (size_t i = 0; i < ld->n_keys; i++)
        if (!strcmp(ld->keys[i], key)) {
            LD_ERR(ld, q.s, "khoá '%s' bị trùng với %s", key, ld->key_paths[i].s);
            return;
        }
    if (ld->n_keys == ld->cap_keys) {
        size_t nc = ld->cap_keys ? ld->cap_keys * 2 : 128;
        const char **nk = realloc(ld->keys, nc * sizeof *nk);
        if (!nk) {
            ld->oom = true; /* a key left out would let a duplicate through */
            return;
        }
        ld->keys = nk;
        struct path *np = realloc(ld->key_paths, nc * sizeof *np);
        if (!np) {
            ld->oom = true;
            return;
        }
        ld->key_paths = np;
        ld->cap_keys = nc;
    }
    ld->keys[ld->n_keys] = key;
    ld->key_paths[ld->n_keys++] = q;
}

bool fw_parse_day_month(const char *s, int *day, int *month)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int d = 0, m = 0, n = 0;
    if (sscanf(s, "%2d.%2d%n", &d, &m, &n) != 2 || (size_t)n != strlen(s) || s[0] < '0' || s[0] > '9')
        return false;
    if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return false;
    *day = d;
    *month = m;
    return true;
}

/* ---- inputs ---- */
static void load_input(struct ld *ld, const json_t *j, const struct path *p, struct fw_input *in)
{
    static const char *const keys[] = {"name", "label", "type", "min", "max", "options", "unit", NULL};
    if (!ld_is_obj(ld, j, p))
        return;
    ld_check_keys(ld, j, p, keys);
    in->name = ld_str(ld, j, "name", p, true, 32);
    if (in->name && !match_re(in->name, 1, 32, LOWER, LOWER DIGITS "_")) {
        struct path q = path_key(p, "name");
        LD_ERR(ld, q.s, "tên '%s' phải bắt đầu bằng chữ thường a-z, chỉ gồm a-z, 0-9, '_' (tối đa 32)", in->name);
        in->name = NULL;
    }
    in->label = ld_str(ld, j, "label", p, true, 2000);
    in->unit = ld_str(ld, j, "unit", p, false, 100);
    char *type = ld_str(ld, j, "type", p, true, 32);
    in->type = IN_NUMBER;
    if (type) {
        int t = LOOKUP(type, input_types);
        if (t < 0) {
            struct path q = path_key(p, "type");
            LD_ERR(ld, q.s, "kiểu dữ liệu không tồn tại '%s' (bool, count, number, ratio, choice, date, points)", type);
            in->name = NULL; /* unusable: rules referring to it report nothing more */
        } else {
            in->type = (enum fw_input_type)t;
        }
    }
    bool numeric = in->type == IN_COUNT || in->type == IN_NUMBER;
    if (json_object_get(j, "min") || json_object_get(j, "max")) {
        if (!numeric) {
            LD_ERR(ld, p->s, "chỉ kiểu count và number có min/max");
        } else {
            in->has_min = ld_num(ld, j, "min", p, false, &in->min);
            in->has_max = ld_num(ld, j, "max", p, false, &in->max);
            if (in->has_min && in->has_max && rat_cmp(in->min, in->max) > 0)
                LD_ERR(ld, p->s, "min lớn hơn max");
        }
    }
    json_t *opts = ld_array(ld, j, "options", p, in->type == IN_CHOICE);
    if (opts && in->type != IN_CHOICE) {
        struct path q = path_key(p, "options");
        LD_ERR(ld, q.s, "chỉ kiểu choice có danh sách lựa chọn");
    } else if (opts) {
        struct path q = path_key(p, "options");
        if (!json_array_size(opts))
            LD_ERR(ld, q.s, "cần ít nhất một lựa chọn");
        size_t n = json_array_size(opts);
        if (!(in->options = ld_alloc(ld, (n + 1) * sizeof *in->options)))
            return;
        in->n_options = n;
        for (size_t i = 0; i < in->n_options; i++) {
            static const char *const okeys[] = {"value", "label", NULL};
            struct path oq;
            json_t *o = ld_array_obj(ld, opts, i, &q, "", okeys, &oq);
            if (!o)
                continue;
            in->options[i].value = ld_str(ld, o, "value", &oq, true, 64);
            in->options[i].label = ld_str(ld, o, "label", &oq, true, 500);
            for (size_t k = 0; k < i && in->options[i].value; k++)
                if (in->options[k].value && !strcmp(in->options[k].value, in->options[i].value)) {
                    struct path vq = path_key(&oq, "value");
                    LD_ERR(ld, vq.s, "giá trị '%s' bị trùng", in->options[i].value);
                }
        }
    }
}

/* The index of the named input if it exists with one of the accepted types; else an error. */
int ld_rule_input(struct ld *ld, const struct fw_criterion *c, const json_t *rule,
                      const char *field, const struct path *rp, unsigned accepted, char **name_out)
{
    char *name = ld_str(ld, rule, field, rp, true, 32);
    *name_out = name;
    if (!name)
        return -1;
    struct path q = path_key(rp, field);
    int i = fw_find_input(c, name);
    if (i < 0) {
        LD_ERR(ld, q.s, "không có dữ liệu đầu vào tên '%s' trong inputs của tiêu chí", name);
        return -1;
    }
    if (!(accepted & (1u << c->inputs[i].type))) {
        char want[128] = "";
        for (size_t t = 0; t < sizeof input_types / sizeof input_types[0]; t++)
            if (accepted & (1u << t)) {
                if (want[0])
                    strcat(want, " hoặc ");
                strcat(want, input_types[t]);
            }
        LD_ERR(ld, q.s, "dữ liệu '%s' có kiểu %s, quy tắc này cần kiểu %s", name,
            input_types[c->inputs[i].type], want);
        return -1;
    }
    return i;
}


static void load_rule(struct ld *ld, const json_t *j, const struct path *p, struct fw_criterion *c)
{
    struct fw_rule *ru = &c->rule;
    ru->input = ru->num = ru->den = -1;
    if (!ld_is_obj(ld, j, p))
        return;
    char *type = ld_str(ld, j, "type", p, true, 32);
    if (!type)
        return;
    const struct rule_ops *ops = rule_ops_find(type, &ru->type);
    if (!ops) {
        struct path q = path_key(p, "type");
        LD_ERR(ld, q.s, "loại quy tắc không tồn tại '%s'", type);
        return;
    }
    ld_check_keys(ld, j, p, ops->keys);
    ops->load(ld, j, p, c);
}

static void load_examples(struct ld *ld, const json_t *j, const struct path *p, struct fw_criterion *c,
                          bool rule_ok)
{
    json_t *ex = ld_array(ld, j, "examples", p, false);
    struct path q = path_key(p, "examples");
    if (!ex || !json_array_size(ex)) {
        if (!json_object_get(j, "examples") || ex)
            LD_ERR(ld, q.s, "mỗi tiêu chí cần ít nhất một ví dụ (dữ liệu → điểm)");
        return;
    }
    size_t n = json_array_size(ex);
    if (!(c->examples = ld_alloc(ld, (n + 1) * sizeof *c->examples)))
        return;
    c->n_examples = n;
    for (size_t i = 0; i < c->n_examples; i++) {
        struct fw_example *e = &c->examples[i];
        static const char *const keys[] = {"inputs", "points", "note", "unit_kind", "status", NULL};
        struct path eq;
        json_t *o = ld_array_obj(ld, ex, i, &q, "", keys, &eq);
        if (!o)
            continue;
        e->note = ld_str(ld, o, "note", &eq, false, 2000);
        e->unit_kind = ld_str(ld, o, "unit_kind", &eq, false, 32);
        int uk = -1;
        if (e->unit_kind && (uk = fw_unit_kind_parse(e->unit_kind)) < 0) {
            struct path kq = path_key(&eq, "unit_kind");
            LD_ERR(ld, kq.s, "loại đơn vị không tồn tại '%s'", e->unit_kind);
        }
        char *status = ld_str(ld, o, "status", &eq, false, 32);
        if (status) {
            if (!strcmp(status, "not_applicable"))
                e->expect_na = true;
            else if (strcmp(status, "scored")) {
                struct path sq = path_key(&eq, "status");
                LD_ERR(ld, sq.s, "phải là \"scored\" hoặc \"not_applicable\"");
            }
        }
        bool has_points = ld_points(ld, o, "points", &eq, !e->expect_na, &e->points);
        if (!has_points)
            e->points = rat_int(0);
        json_t *ins = json_object_get(o, "inputs");
        struct path iq = path_key(&eq, "inputs");
        if (!ins) {
            if (!(ins = json_object())) {
                ld->oom = true;
                continue;
            }
            if (!e->expect_na)
                LD_ERR(ld, iq.s, "thiếu trường bắt buộc");
        } else if (!json_is_object(ins)) {
            LD_ERR(ld, iq.s, "phải là một đối tượng JSON {…}");
            continue;
        } else {
            json_incref(ins);
        }
        e->inputs = ins;
        if (!rule_ok)
            continue; /* scoring an example needs a sound criterion */
        struct value vals[64];
        if (c->n_inputs > 64)
            continue;
        if (criterion_values_from_json(c, ins, vals, iq.s, ld->e))
            continue;
        struct score_result r;
        if (uk >= 0 && c->applies_to && !(c->applies_to & (1u << uk))) {
            r.status = SCORE_NOT_APPLICABLE;
            r.points_h = 0;
        } else {
            score_criterion(c, vals, true, &r);
        }
        if (r.status == SCORE_ERROR) {
            LD_ERR(ld, eq.s, "ví dụ gây lỗi khi tính điểm: %s", r.error);
        } else if (e->expect_na != (r.status == SCORE_NOT_APPLICABLE)) {
            LD_ERR(ld, eq.s, e->expect_na ? "ví dụ ghi \"không áp dụng\" nhưng tiêu chí được tính điểm (%s)"
                                       : "ví dụ cho kết quả \"không áp dụng\" (%s)", r.explain);
        } else if (has_points) {
            int64_t want;
            rat_to_hundredths(e->points, &want);
            if (want != r.points_h) {
                char a[32], b[32];
                hundredths_format(want, a, sizeof a);
                hundredths_format(r.points_h, b, sizeof b);
                LD_ERR(ld, eq.s, "ví dụ ghi %s điểm nhưng quy tắc cho %s (%s)", a, b, r.explain);
            }
        }
    }
}

/* The display maximum must be what a unit can reach: a rule that gives at most less (VIII 2.1,
 * "không quá 10 điểm" where 5 ideas × 1 point is the most) is an error unless the set declares
 * it with max_reachable, which must then be exactly what the rule reaches. c carries the rule
 * checked (the main one or an alternative's) and its declaration. */
static void check_reach(struct ld *ld, const struct fw_criterion *c, const struct path *p)
{
    const struct rule_ops *ops = rule_ops_of(c->rule.type);
    if (ops->unscored)
        return;
    rat reach = c->max_points;
    if (ops->reach)
        ops->reach(c, &reach);
    char a[48], b[48];
    rat_format(reach, a, sizeof a);
    rat_format(c->max_points, b, sizeof b);
    struct path q = path_key(p, "max_reachable");
    if (c->has_max_reachable) {
        char d[48];
        rat_format(c->max_reachable, d, sizeof d);
        if (rat_cmp(c->max_reachable, c->max_points) >= 0)
            LD_ERR(ld, q.s, "max_reachable (%s) phải nhỏ hơn điểm tối đa %s; bỏ trường này khi "
                   "đơn vị có thể đạt điểm tối đa", d, b);
        else if (rat_cmp(c->max_reachable, reach) != 0)
            LD_ERR(ld, q.s, "khai báo đạt tối đa %s điểm nhưng quy tắc cho tối đa %s điểm", d, a);
    } else if (rat_cmp(reach, c->max_points) < 0) {
        struct path rq = path_key(p, "rule");
        LD_ERR(ld, rq.s, "quy tắc cho tối đa %s điểm nhưng điểm tối đa hiển thị là %s: sửa điểm "
               "tối đa, sửa quy tắc, hoặc khai báo \"max_reachable\": %s", a, b, a);
    }
}

/* "alternatives": named readings of an ambiguous criterion, each a rule over the criterion's
 * inputs checked like the main one, with its own worked examples scored by the engine. */
static void load_alternatives(struct ld *ld, const json_t *j, const struct path *p,
                              struct fw_criterion *c, bool crit_ok)
{
    json_t *alts = ld_array(ld, j, "alternatives", p, false);
    if (!alts)
        return;
    struct path q = path_key(p, "alternatives");
    size_t n = json_array_size(alts);
    if (!n || n > 16) {
        LD_ERR(ld, q.s, n ? "tối đa 16 cách hiểu một tiêu chí"
                          : "danh sách cách hiểu không được rỗng (bỏ trường này nếu không có)");
        return;
    }
    if (!(c->alternatives = ld_alloc(ld, (n + 1) * sizeof *c->alternatives)))
        return;
    c->n_alternatives = n;
    for (size_t i = 0; i < n; i++) {
        static const char *const keys[] = {"name", "label", "why", "rule", "max_reachable",
                                           "examples", NULL};
        struct fw_alternative *a = &c->alternatives[i];
        a->rule.input = a->rule.num = a->rule.den = -1;
        struct path aq;
        json_t *o = ld_array_obj(ld, alts, i, &q, "", keys, &aq);
        if (!o)
            continue;
        size_t before = ld->e->n;
        a->name = ld_str(ld, o, "name", &aq, true, 32);
        struct path nq = path_key(&aq, "name");
        if (a->name && !match_re(a->name, 1, 32, LOWER, LOWER DIGITS "_"))
            LD_ERR(ld, nq.s, "tên cách hiểu '%s' phải có dạng [a-z][a-z0-9_]{0,31}", a->name);
        else if (a->name && !strcmp(a->name, "main"))
            LD_ERR(ld, nq.s, "tên \"main\" dành cho quy tắc chính (trường rule của tiêu chí)");
        for (size_t k = 0; a->name && k < i; k++)
            if (c->alternatives[k].name && !strcmp(c->alternatives[k].name, a->name)) {
                LD_ERR(ld, nq.s, "tên cách hiểu '%s' bị trùng trong tiêu chí", a->name);
                break;
            }
        a->label = ld_str(ld, o, "label", &aq, true, 200);
        a->why = ld_str(ld, o, "why", &aq, false, 2000);
        a->has_max_reachable = ld_points(ld, o, "max_reachable", &aq, false, &a->max_reachable);
        /* the alternative is scored as the criterion with its rule in place of the main one */
        struct fw_criterion t = *c;
        memset(&t.rule, 0, sizeof t.rule);
        t.examples = NULL;
        t.n_examples = 0;
        t.has_max_reachable = a->has_max_reachable;
        t.max_reachable = a->max_reachable;
        json_t *rule = json_object_get(o, "rule");
        struct path rq = path_key(&aq, "rule");
        if (!rule)
            LD_ERR(ld, rq.s, "thiếu trường bắt buộc");
        else
            load_rule(ld, rule, &rq, &t);
        bool ok = crit_ok && rule && ld->e->n == before && !ld->oom && !ld->e->oom;
        if (ok)
            check_reach(ld, &t, &aq);
        load_examples(ld, o, &aq, &t, ok && ld->e->n == before);
        a->rule = t.rule;
        a->examples = t.examples;
        a->n_examples = t.n_examples;
    }
}

static void load_criterion(struct ld *ld, const json_t *j, const struct path *p, struct fw_criterion *c,
                           bool pillar_unscored)
{
    static const char *const keys[] = {
        "key", "code", "title", "max_points", "due", "guidance", "conditions", "evidence", "notes",
        "signed_evidence", "applies_to", "na_allowed", "data_source", "responsible_unit", "demo",
        "source_issue", "inputs", "rule", "examples", "max_reachable", "alternatives", NULL};
    c->rule.input = c->rule.num = c->rule.den = -1;
    if (!ld_is_obj(ld, j, p))
        return;
    size_t errs_before = ld->e->n;
    ld_check_keys(ld, j, p, keys);
    c->key = ld_str(ld, j, "key", p, true, 64);
    if (c->key)
        add_key(ld, c->key, p);
    c->code = ld_str(ld, j, "code", p, true, 32);
    c->title = ld_str(ld, j, "title", p, true, 2000);
    if (ld_points(ld, j, "max_points", p, true, &c->max_points)) {
        rat_to_hundredths(c->max_points, &c->max_h);
        struct path q = path_key(p, "max_points");
        if (c->max_h == 0 && !pillar_unscored)
            LD_ERR(ld, q.s, "điểm tối đa phải lớn hơn 0 (chỉ trụ cột không tính điểm mới có tiêu chí 0 điểm)");
        if (c->max_h != 0 && pillar_unscored)
            LD_ERR(ld, q.s, "trụ cột không tính điểm (0 điểm) chỉ có tiêu chí 0 điểm");
    }
    c->due = ld_str(ld, j, "due", p, false, 5);
    int dd, mm;
    if (c->due && !fw_parse_day_month(c->due, &dd, &mm)) {
        struct path q = path_key(p, "due");
        LD_ERR(ld, q.s, "hạn '%s' phải có dạng ngày.tháng, ví dụ 31.10", c->due);
    }
    c->guidance = ld_str(ld, j, "guidance", p, false, 20000);
    c->conditions = ld_str(ld, j, "conditions", p, false, 20000);
    c->evidence = ld_str(ld, j, "evidence", p, false, 20000);
    c->notes = ld_str(ld, j, "notes", p, false, 20000);
    c->na_allowed = ld_str(ld, j, "na_allowed", p, false, 2000);
    c->responsible_unit = ld_str(ld, j, "responsible_unit", p, false, 64);
    c->source_issue = ld_str(ld, j, "source_issue", p, false, 5000);
    c->has_signed_evidence = get_bool(ld, j, "signed_evidence", p, &c->signed_evidence);
    c->has_demo = get_bool(ld, j, "demo", p, &c->demo);
    json_t *at = ld_array(ld, j, "applies_to", p, false);
    if (at) {
        struct path q = path_key(p, "applies_to");
        if (!json_array_size(at))
            LD_ERR(ld, q.s, "danh sách loại đơn vị không được rỗng (bỏ trường này nếu áp dụng cho mọi loại)");
        for (size_t i = 0; i < json_array_size(at); i++) {
            json_t *v = json_array_get(at, i);
            int k = json_is_string(v) ? fw_unit_kind_parse(json_string_value(v)) : -1;
            struct path kq = path_idx(&q, "", i);
            if (k < 0)
                LD_ERR(ld, kq.s, "loại đơn vị không tồn tại (province, department, district, commune, other)");
            else
                c->applies_to |= 1u << k;
        }
    }
    json_t *ds = json_object_get(j, "data_source");
    if (ds) {
        struct path q = path_key(p, "data_source");
        if (ld_is_obj(ld, ds, &q)) {
            static const char *const dkeys[] = {"kind", "system", "index", "note", NULL};
            ld_check_keys(ld, ds, &q, dkeys);
            c->data_source_kind = ld_str(ld, ds, "kind", &q, true, 32);
            c->data_source_system = ld_str(ld, ds, "system", &q, false, 200);
            c->data_source_index = ld_str(ld, ds, "index", &q, false, 32);
            c->data_source_note = ld_str(ld, ds, "note", &q, false, 2000);
            bool external = c->data_source_kind && !strcmp(c->data_source_kind, "external_index");
            if (c->data_source_kind && strcmp(c->data_source_kind, "self") &&
                strcmp(c->data_source_kind, "shared_system") && !external) {
                struct path kq = path_key(&q, "kind");
                LD_ERR(ld, kq.s, "phải là \"self\", \"shared_system\" hoặc \"external_index\"");
            }
            struct path xq = path_key(&q, "index");
            if (external && !c->data_source_index)
                LD_ERR(ld, xq.s, "cần tên bộ chỉ số nguồn (ví dụ \"cchc\") khi kind = external_index");
            else if (c->data_source_index && !external)
                LD_ERR(ld, xq.s, "chỉ dùng khi kind = external_index");
            else if (c->data_source_index && !match_re(c->data_source_index, 1, 32, LOWER, LOWER DIGITS "_-"))
                LD_ERR(ld, xq.s, "tên bộ chỉ số nguồn phải có dạng [a-z][a-z0-9_-]{0,31}");
            if (c->data_source_kind && !strcmp(c->data_source_kind, "shared_system") &&
                !c->data_source_system) {
                struct path sq = path_key(&q, "system");
                LD_ERR(ld, sq.s, "cần tên hệ thống dùng chung khi kind = shared_system");
            }
        }
    }
    json_t *ins = ld_array(ld, j, "inputs", p, false);
    if (ins) {
        struct path q = path_key(p, "inputs");
        c->n_inputs = json_array_size(ins);
        if (c->n_inputs > 64) {
            LD_ERR(ld, q.s, "tối đa 64 dữ liệu đầu vào một tiêu chí");
            c->n_inputs = 0;
        }
        if (!(c->inputs = ld_alloc(ld, (c->n_inputs + 1) * sizeof *c->inputs)))
            c->n_inputs = 0;
        for (size_t i = 0; i < c->n_inputs; i++) {
            struct path iq = path_idx(&q, "", i);
            load_input(ld, json_array_get(ins, i), &iq, &c->inputs[i]);
            for (size_t k = 0; k < i && c->inputs[i].name; k++)
                if (c->inputs[k].name && !strcmp(c->inputs[k].name, c->inputs[i].name)) {
                    struct path nq = path_key(&iq, "name");
                    LD_ERR(ld, nq.s, "tên '%s' bị trùng trong tiêu chí", c->inputs[i].name);
                }
        }
    }
    json_t *rule = json_object_get(j, "rule");
    struct path rq = path_key(p, "rule");
    if (!rule)
        LD_ERR(ld, rq.s, "thiếu trường bắt buộc");
    else
        load_rule(ld, rule, &rq, c);
    c->has_max_reachable = ld_points(ld, j, "max_reachable", p, false, &c->max_reachable);
    /* after a failed allocation a field may be missing without an error: score nothing */
    bool ok = rule && ld->e->n == errs_before && !ld->oom && !ld->e->oom;
    if (ok)
        check_reach(ld, c, p);
    load_examples(ld, j, p, c, ok && ld->e->n == errs_before);
    load_alternatives(ld, j, p, c, ok && ld->e->n == errs_before && !ld->oom && !ld->e->oom);
}

static void load_group(struct ld *ld, const json_t *j, const struct path *p, struct fw_group *g,
                       bool pillar_unscored)
{
    static const char *const keys[] = {"key", "code", "title", "criteria", "notes", "max_points", NULL};
    if (!ld_is_obj(ld, j, p))
        return;
    ld_check_keys(ld, j, p, keys);
    g->key = ld_str(ld, j, "key", p, true, 64);
    if (g->key)
        add_key(ld, g->key, p);
    g->code = ld_str(ld, j, "code", p, true, 32);
    g->title = ld_str(ld, j, "title", p, true, 2000);
    g->notes = ld_str(ld, j, "notes", p, false, 20000);
    if (json_object_get(j, "max_points"))
        g->has_max = ld_points(ld, j, "max_points", p, true, &g->max_points);
    json_t *cr = ld_array(ld, j, "criteria", p, true);
    if (!cr)
        return;
    struct path q = path_key(p, "criteria");
    if (!json_array_size(cr))
        LD_ERR(ld, q.s, "nhóm cần ít nhất một tiêu chí");
    size_t n = json_array_size(cr);
    if (!(g->criteria = ld_alloc(ld, (n + 1) * sizeof *g->criteria)))
        return;
    g->n_criteria = n;
    rat sum = rat_int(0);
    for (size_t i = 0; i < g->n_criteria; i++) {
        struct path cq = path_idx(&q, "", i);
        load_criterion(ld, json_array_get(cr, i), &cq, &g->criteria[i], pillar_unscored);
        rat_add(&sum, sum, g->criteria[i].max_points);
    }
    if (g->has_max && rat_cmp(sum, g->max_points) != 0) {
        char a[64], b[64];
        rat_format(sum, a, sizeof a);
        rat_format(g->max_points, b, sizeof b);
        struct path mq = path_key(p, "max_points");
        LD_ERR(ld, mq.s, "tổng điểm các tiêu chí (%s) khác điểm tối đa của nhóm (%s)", a, b);
    }
}

static void load_pillar(struct ld *ld, const json_t *j, const struct path *p, struct fw_pillar *pl)
{
    static const char *const keys[] = {"key", "code", "title", "max_points", "groups", "notes", NULL};
    if (!ld_is_obj(ld, j, p))
        return;
    ld_check_keys(ld, j, p, keys);
    pl->key = ld_str(ld, j, "key", p, true, 64);
    if (pl->key)
        add_key(ld, pl->key, p);
    pl->code = ld_str(ld, j, "code", p, true, 32);
    pl->title = ld_str(ld, j, "title", p, true, 2000);
    pl->notes = ld_str(ld, j, "notes", p, false, 20000);
    bool has_max = ld_points(ld, j, "max_points", p, true, &pl->max_points);
    rat_to_hundredths(pl->max_points, &pl->max_h);
    json_t *gr = ld_array(ld, j, "groups", p, true);
    if (!gr)
        return;
    struct path q = path_key(p, "groups");
    if (!json_array_size(gr))
        LD_ERR(ld, q.s, "trụ cột cần ít nhất một nhóm");
    size_t n = json_array_size(gr);
    if (!(pl->groups = ld_alloc(ld, (n + 1) * sizeof *pl->groups)))
        return;
    pl->n_groups = n;
    rat sum = rat_int(0);
    for (size_t i = 0; i < pl->n_groups; i++) {
        struct path gq = path_idx(&q, "", i);
        load_group(ld, json_array_get(gr, i), &gq, &pl->groups[i], has_max && pl->max_h == 0);
        for (size_t k = 0; k < pl->groups[i].n_criteria; k++)
            rat_add(&sum, sum, pl->groups[i].criteria[k].max_points);
        pl->criteria_count += pl->groups[i].n_criteria;
    }
    if (has_max && rat_cmp(sum, pl->max_points) != 0) {
        char a[64], b[64];
        rat_format(sum, a, sizeof a);
        rat_format(pl->max_points, b, sizeof b);
        struct path mq = path_key(p, "max_points");
        LD_ERR(ld, mq.s, "tổng điểm các tiêu chí (%s) khác điểm tối đa của trụ cột (%s)", a, b);
    }
}

static void index_criteria(struct ld *ld)
{
    struct framework *fw = ld->fw;
    size_t n = 0, off = 0;
    for (size_t p = 0; p < fw->n_pillars; p++)
        for (size_t g = 0; g < fw->pillars[p].n_groups; g++)
            n += fw->pillars[p].groups[g].n_criteria;
    fw->n_criteria = 0;
    if (!(fw->criteria = ld_alloc(ld, (n + 1) * sizeof *fw->criteria)))
        return;
    for (size_t p = 0; p < fw->n_pillars; p++)
        for (size_t g = 0; g < fw->pillars[p].n_groups; g++)
            for (size_t k = 0; k < fw->pillars[p].groups[g].n_criteria; k++) {
                struct fw_criterion *c = &fw->pillars[p].groups[g].criteria[k];
                c->index = fw->n_criteria;
                c->pillar = p;
                c->input_offset = off;
                off += c->n_inputs;
                fw->criteria[fw->n_criteria++] = c;
            }
    fw->n_values = off;
}

struct framework *fw_load_json(json_t *doc, struct fw_errors *errs)
{
    struct framework *fw = calloc(1, sizeof *fw);
    if (!fw) {
        errs->oom = true;
        fw_errors_add(errs, "$", "hết bộ nhớ khi nạp bộ chỉ số");
        return NULL;
    }
    struct ld ld = {.fw = fw, .e = errs};
    struct path root = {""};
    if (!json_is_object(doc)) {
        LD_ERR(&ld, "$", "tệp bộ chỉ số phải là một đối tượng JSON {…}");
        free(fw);
        return NULL;
    }
    static const char *const keys[] = {"format", "id", "version", "title", "level", "year", "status",
                                       "draft_note", "source", "notes", "max_points", "info_fields",
                                       "pillars", NULL};
    ld_check_keys(&ld, doc, &root, keys);
    char *format = ld_str(&ld, doc, "format", &root, true, 64);
    if (format && strcmp(format, FW_FORMAT))
        LD_ERR(&ld, "format", "định dạng '%s' không được hỗ trợ (cần \"%s\")", format, FW_FORMAT);
    fw->id = ld_str(&ld, doc, "id", &root, true, 64);
    if (fw->id && !match_re(fw->id, 3, 64, NULL, LOWER DIGITS "-"))
        LD_ERR(&ld, "id", "mã bộ chỉ số '%s' chỉ gồm a-z, 0-9, '-' (3–64 ký tự)", fw->id);
    ld_int(&ld, doc, "version", &root, true, 1, 1000000, &fw->version);
    fw->title = ld_str(&ld, doc, "title", &root, true, 1000);
    fw->level = ld_str(&ld, doc, "level", &root, true, 32);
    if (fw->level && strcmp(fw->level, "province") && strcmp(fw->level, "department") &&
        strcmp(fw->level, "district") && strcmp(fw->level, "commune"))
        LD_ERR(&ld, "level", "cấp phải là province (cấp tỉnh), department (cấp sở), district (cấp huyện) "
                          "hoặc commune (cấp xã)");
    ld_int(&ld, doc, "year", &root, true, 2000, 2100, &fw->year);
    fw->status = ld_str(&ld, doc, "status", &root, true, 32);
    if (fw->status && strcmp(fw->status, "official") && strcmp(fw->status, "draft"))
        LD_ERR(&ld, "status", "trạng thái phải là \"official\" (chính thức) hoặc \"draft\" (dự thảo)");
    fw->draft_note = ld_str(&ld, doc, "draft_note", &root, false, 20000);
    if (fw->status && !strcmp(fw->status, "draft") && (!fw->draft_note || !fw->draft_note[0]))
        LD_ERR(&ld, "draft_note", "bộ chỉ số dự thảo phải ghi rõ phần còn thiếu và lý do");
    fw->source = ld_str(&ld, doc, "source", &root, false, 5000);
    fw->notes = ld_str(&ld, doc, "notes", &root, false, 20000);
    bool has_max = ld_points(&ld, doc, "max_points", &root, true, &fw->max_points);
    rat_to_hundredths(fw->max_points, &fw->max_h);
    json_t *info = ld_array(&ld, doc, "info_fields", &root, false);
    if (info) {
        fw->has_info_fields = true;
        size_t n = json_array_size(info);
        if ((fw->info_fields = ld_alloc(&ld, (n + 1) * sizeof *fw->info_fields)))
            fw->n_info_fields = n;
        for (size_t i = 0; i < fw->n_info_fields; i++) {
            static const char *const ikeys[] = {"key", "label", "type", NULL};
            struct path q;
            json_t *o = ld_array_obj(&ld, info, i, &root, "info_fields", ikeys, &q);
            if (!o)
                continue;
            struct fw_info_field *f = &fw->info_fields[i];
            f->key = ld_str(&ld, o, "key", &q, true, 64);
            if (f->key && !match_re(f->key, 1, 64, LOWER, LOWER DIGITS "_")) {
                struct path kq = path_key(&q, "key");
                LD_ERR(&ld, kq.s, "khoá '%s' chỉ gồm a-z, 0-9, '_'", f->key);
            }
            for (size_t k = 0; k < i && f->key; k++)
                if (fw->info_fields[k].key && !strcmp(fw->info_fields[k].key, f->key)) {
                    struct path kq = path_key(&q, "key");
                    LD_ERR(&ld, kq.s, "khoá '%s' bị trùng", f->key);
                }
            f->label = ld_str(&ld, o, "label", &q, true, 1000);
            f->type = ld_str(&ld, o, "type", &q, true, 16);
            if (f->type && strcmp(f->type, "text") && strcmp(f->type, "url") && strcmp(f->type, "count")) {
                struct path tq = path_key(&q, "type");
                LD_ERR(&ld, tq.s, "kiểu phải là text, url hoặc count");
            }
        }
    }
    json_t *pl = ld_array(&ld, doc, "pillars", &root, true);
    if (pl) {
        if (!json_array_size(pl))
            LD_ERR(&ld, "pillars", "bộ chỉ số cần ít nhất một trụ cột");
        size_t n = json_array_size(pl);
        if ((fw->pillars = ld_alloc(&ld, (n + 1) * sizeof *fw->pillars)))
            fw->n_pillars = n;
        rat sum = rat_int(0);
        for (size_t i = 0; i < fw->n_pillars; i++) {
            struct path q = path_idx(&root, "pillars", i);
            load_pillar(&ld, json_array_get(pl, i), &q, &fw->pillars[i]);
            rat_add(&sum, sum, fw->pillars[i].max_points);
        }
        if (has_max && rat_cmp(sum, fw->max_points) != 0) {
            char a[64], b[64];
            rat_format(sum, a, sizeof a);
            rat_format(fw->max_points, b, sizeof b);
            LD_ERR(&ld, "max_points", "tổng điểm các trụ cột (%s) khác tổng điểm khai báo (%s)", a, b);
        }
    }
    free(ld.keys);
    free(ld.key_paths);
    if (!ld.oom)
        index_criteria(&ld);
    if (ld.oom || errs->oom) {
        errs->oom = true;
        fw_errors_add(errs, "$", "hết bộ nhớ khi nạp bộ chỉ số");
    }
    if (errs->n || errs->oom) {
        fw_free(fw);
        return NULL;
    }
    return fw;
}

struct framework *fw_load(const char *text, size_t len, struct fw_errors *errs)
{
    char msg[300];
    json_error_t je;
    text = json_skip_bom(text, &len);
    json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!doc) {
        json_error_vi(&je, text, len, msg, sizeof msg);
        errs->oom = json_error_is_oom(&je);
        /* jansson reports a failed allocation in its lexer as a syntax error: a text that
         * parses on a second try was not wrong, memory was short */
        json_t *again = errs->oom ? NULL : json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
        if (again) {
            json_decref(again);
            errs->oom = true;
            snprintf(msg, sizeof msg, "hết bộ nhớ khi đọc tệp bộ chỉ số");
        }
        fw_errors_add(errs, "$", "%s", msg);
        return NULL;
    }
    struct framework *fw = fw_load_json(doc, errs);
    json_decref(doc);
    return fw;
}

void fw_free(struct framework *fw)
{
    if (!fw)
        return;
    for (size_t p = 0; p < fw->n_pillars; p++)
        for (size_t g = 0; g < fw->pillars[p].n_groups; g++)
            for (size_t k = 0; k < fw->pillars[p].groups[g].n_criteria; k++) {
                struct fw_criterion *c = &fw->pillars[p].groups[g].criteria[k];
                formula_free(c->rule.compiled);
                for (size_t e = 0; e < c->n_examples; e++)
                    json_decref(c->examples[e].inputs);
                for (size_t i = 0; i < c->n_alternatives; i++) {
                    struct fw_alternative *al = &c->alternatives[i];
                    formula_free(al->rule.compiled);
                    for (size_t e = 0; e < al->n_examples; e++)
                        json_decref(al->examples[e].inputs);
                }
            }
    struct fw_arena *a = fw->arena;
    while (a) {
        struct fw_arena *n = a->next;
        free(a);
        a = n;
    }
    free(fw);
}

long fw_find_criterion(const struct framework *fw, const char *key)
{
    for (size_t i = 0; i < fw->n_criteria; i++)
        if (!strcmp(fw->criteria[i]->key, key))
            return (long)i;
    return -1;
}

const struct fw_alternative *fw_find_alternative(const struct fw_criterion *c, const char *name)
{
    for (size_t i = 0; name && i < c->n_alternatives; i++)
        if (c->alternatives[i].name && !strcmp(c->alternatives[i].name, name))
            return &c->alternatives[i];
    return NULL;
}

bool fw_criterion_reading(const struct fw_criterion *c, const char *name, struct fw_criterion *out)
{
    *out = *c;
    if (!name || !strcmp(name, "main"))
        return true;
    const struct fw_alternative *a = fw_find_alternative(c, name);
    if (!a)
        return false;
    out->rule = a->rule;
    out->has_max_reachable = a->has_max_reachable;
    out->max_reachable = a->max_reachable;
    out->examples = a->examples;
    out->n_examples = a->n_examples;
    return true;
}

int fw_find_input(const struct fw_criterion *c, const char *name)
{
    for (size_t i = 0; i < c->n_inputs; i++)
        if (c->inputs[i].name && !strcmp(c->inputs[i].name, name))
            return (int)i;
    return -1;
}

/* ---- writer: any failed allocation makes fw_write return NULL, never a partial set ---- */
bool fw_set(json_t *o, const char *key, json_t *v)
{
    return v && json_object_set_new(o, key, v) == 0; /* set_new takes v even when it fails */
}

bool fw_set_str(json_t *o, const char *key, const char *s)
{
    return !s || fw_set(o, key, json_string(s));
}

bool fw_append(json_t *a, json_t *v)
{
    return v && json_array_append_new(a, v) == 0;
}

static bool write_example(const struct fw_example *e, json_t *x);
static json_t *write_rule(const struct fw_criterion *c)
{
    const struct rule_ops *ops = rule_ops_of(c->rule.type);
    json_t *o = json_object();
    if (o && (!fw_set_str(o, "type", ops->name) || !ops->write(c, o))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static bool write_input(const struct fw_input *in, json_t *x)
{
    bool ok = fw_set_str(x, "name", in->name) && fw_set_str(x, "label", in->label) &&
              fw_set_str(x, "type", input_types[in->type]) && fw_set_str(x, "unit", in->unit) &&
              (!in->has_min || fw_set(x, "min", fw_json_number(in->min))) &&
              (!in->has_max || fw_set(x, "max", fw_json_number(in->max)));
    if (ok && in->type == IN_CHOICE) {
        json_t *a = json_array();
        for (size_t k = 0; ok && a && k < in->n_options; k++)
            ok = fw_append(a, json_pack("{s:s,s:s}", "value", in->options[k].value, "label",
                                        in->options[k].label));
        ok = fw_set(x, "options", a) && ok;
    }
    return ok;
}

static bool write_example(const struct fw_example *e, json_t *x)
{
    return fw_set(x, "inputs", json_deep_copy(e->inputs)) &&
           fw_set(x, "points", fw_json_number(e->points)) &&
           (!e->expect_na || fw_set_str(x, "status", "not_applicable")) &&
           fw_set_str(x, "unit_kind", e->unit_kind) && fw_set_str(x, "note", e->note);
}

static bool write_alternative(const struct fw_criterion *c, const struct fw_alternative *a,
                              json_t *aa)
{
    struct fw_criterion t = *c;
    t.rule = a->rule;
    json_t *x = json_object();
    bool ok = fw_append(aa, x) && fw_set_str(x, "name", a->name) &&
              fw_set_str(x, "label", a->label) && fw_set_str(x, "why", a->why) &&
              fw_set(x, "rule", write_rule(&t)) &&
              (!a->has_max_reachable || fw_set(x, "max_reachable", fw_json_number(a->max_reachable)));
    json_t *ex = ok ? json_array() : NULL;
    ok = ok && fw_set(x, "examples", ex);
    for (size_t i = 0; ok && i < a->n_examples; i++) {
        json_t *e = json_object();
        ok = fw_append(ex, e) && write_example(&a->examples[i], e);
    }
    return ok;
}

static bool write_criterion(const struct fw_criterion *c, json_t *o)
{
    bool ok = fw_set_str(o, "key", c->key) && fw_set_str(o, "code", c->code) &&
              fw_set_str(o, "title", c->title) &&
              fw_set(o, "max_points", fw_json_number(c->max_points)) && fw_set_str(o, "due", c->due) &&
              fw_set_str(o, "guidance", c->guidance) && fw_set_str(o, "conditions", c->conditions) &&
              fw_set_str(o, "evidence", c->evidence) && fw_set_str(o, "notes", c->notes) &&
              (!c->has_signed_evidence ||
               fw_set(o, "signed_evidence", json_boolean(c->signed_evidence)));
    if (ok && c->applies_to) {
        json_t *a = json_array();
        for (int k = 0; ok && a && k < UK_COUNT; k++)
            if (c->applies_to & (1u << k))
                ok = fw_append(a, json_string(unit_kinds[k]));
        ok = fw_set(o, "applies_to", a) && ok;
    }
    ok = ok && fw_set_str(o, "na_allowed", c->na_allowed);
    if (ok && c->data_source_kind) {
        json_t *d = json_object();
        ok = fw_set(o, "data_source", d) && fw_set_str(d, "kind", c->data_source_kind) &&
             fw_set_str(d, "system", c->data_source_system) &&
             fw_set_str(d, "index", c->data_source_index) && fw_set_str(d, "note", c->data_source_note);
    }
    ok = ok && fw_set_str(o, "responsible_unit", c->responsible_unit) &&
         (!c->has_demo || fw_set(o, "demo", json_boolean(c->demo))) &&
         fw_set_str(o, "source_issue", c->source_issue);
    json_t *ins = ok ? json_array() : NULL;
    ok = fw_set(o, "inputs", ins);
    for (size_t i = 0; ok && i < c->n_inputs; i++) {
        json_t *x = json_object();
        ok = fw_append(ins, x) && write_input(&c->inputs[i], x);
    }
    ok = ok && fw_set(o, "rule", write_rule(c));
    json_t *ex = ok ? json_array() : NULL;
    ok = fw_set(o, "examples", ex);
    for (size_t i = 0; ok && i < c->n_examples; i++) {
        json_t *x = json_object();
        ok = fw_append(ex, x) && write_example(&c->examples[i], x);
    }
    ok = ok && (!c->has_max_reachable || fw_set(o, "max_reachable", fw_json_number(c->max_reachable)));
    json_t *aa = ok && c->n_alternatives ? json_array() : NULL;
    if (ok && c->n_alternatives)
        ok = fw_set(o, "alternatives", aa);
    for (size_t i = 0; ok && i < c->n_alternatives; i++)
        ok = write_alternative(c, &c->alternatives[i], aa);
    return ok;
}

static bool write_group(const struct fw_group *gr, json_t *gx)
{
    bool ok = fw_set_str(gx, "key", gr->key) && fw_set_str(gx, "code", gr->code) &&
              fw_set_str(gx, "title", gr->title) &&
              (!gr->has_max || fw_set(gx, "max_points", fw_json_number(gr->max_points))) &&
              fw_set_str(gx, "notes", gr->notes);
    json_t *ca = ok ? json_array() : NULL;
    ok = fw_set(gx, "criteria", ca);
    for (size_t k = 0; ok && k < gr->n_criteria; k++) {
        json_t *x = json_object();
        ok = fw_append(ca, x) && write_criterion(&gr->criteria[k], x);
    }
    return ok;
}

static bool write_pillar(const struct fw_pillar *pl, json_t *px)
{
    bool ok = fw_set_str(px, "key", pl->key) && fw_set_str(px, "code", pl->code) &&
              fw_set_str(px, "title", pl->title) &&
              fw_set(px, "max_points", fw_json_number(pl->max_points)) &&
              fw_set_str(px, "notes", pl->notes);
    json_t *ga = ok ? json_array() : NULL;
    ok = fw_set(px, "groups", ga);
    for (size_t g = 0; ok && g < pl->n_groups; g++) {
        json_t *x = json_object();
        ok = fw_append(ga, x) && write_group(&pl->groups[g], x);
    }
    return ok;
}

json_t *fw_write(const struct framework *fw)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    bool ok = fw_set_str(o, "format", FW_FORMAT) && fw_set_str(o, "id", fw->id) &&
              fw_set(o, "version", json_integer(fw->version)) && fw_set_str(o, "title", fw->title) &&
              fw_set_str(o, "level", fw->level) && fw_set(o, "year", json_integer(fw->year)) &&
              fw_set_str(o, "status", fw->status) && fw_set_str(o, "draft_note", fw->draft_note) &&
              fw_set_str(o, "source", fw->source) && fw_set_str(o, "notes", fw->notes) &&
              fw_set(o, "max_points", fw_json_number(fw->max_points));
    if (ok && fw->has_info_fields) {
        json_t *a = json_array();
        for (size_t i = 0; ok && a && i < fw->n_info_fields; i++)
            ok = fw_append(a, json_pack("{s:s,s:s,s:s}", "key", fw->info_fields[i].key, "label",
                                        fw->info_fields[i].label, "type", fw->info_fields[i].type));
        ok = fw_set(o, "info_fields", a) && ok;
    }
    json_t *pa = ok ? json_array() : NULL;
    ok = fw_set(o, "pillars", pa);
    for (size_t p = 0; ok && p < fw->n_pillars; p++) {
        json_t *x = json_object();
        ok = fw_append(pa, x) && write_pillar(&fw->pillars[p], x);
    }
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}
