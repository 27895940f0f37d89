/* framework.c — loading (with validation collecting every error), writing and freeing an index
 * set. The semantic checks (sums, unique keys, rule inputs, worked examples) live here too,
 * since they need the whole tree. */
#include "core/framework.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/inputs.h"
#include "core/json_error_vi.h"
#include "core/score.h"

/* ---- arena: every string and array of a framework, freed at once ---- */
struct fw_arena {
    struct fw_arena *next;
    size_t used, cap;
    _Alignas(16) unsigned char data[];
};

static void *arena_alloc(struct framework *fw, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    struct fw_arena *a = fw->arena;
    if (!a || a->cap - a->used < n) {
        size_t cap = n > 65536 ? n : 65536;
        struct fw_arena *na = malloc(sizeof *na + cap);
        if (!na) {
            fprintf(stderr, "dti: hết bộ nhớ\n");
            abort();
        }
        na->next = a;
        na->used = 0;
        na->cap = cap;
        fw->arena = a = na;
    }
    void *p = a->data + a->used;
    a->used += n;
    memset(p, 0, n);
    return p;
}

static char *arena_strdup(struct framework *fw, const char *s)
{
    size_t n = strlen(s);
    char *p = arena_alloc(fw, n + 1);
    memcpy(p, s, n + 1);
    return p;
}

/* ---- errors ---- */
void fw_errors_add(struct fw_errors *e, const char *path, const char *fmt, ...)
{
    if (e->n == e->cap) {
        size_t nc = e->cap ? e->cap * 2 : 16;
        struct fw_error *nv = realloc(e->v, nc * sizeof *nv);
        if (!nv)
            return;
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
}

/* ---- names ---- */
static const char *const input_types[] = {"bool", "count", "number", "ratio", "choice", "date", "points"};
static const char *const rule_types[] = {
    "yes_no", "by_signer", "checklist", "per_item", "count_steps", "ratio_to_target", "ratio",
    "inverse_ratio", "penalty_per_incident", "deadline", "not_applicable", "manual", "formula"};
static const char *const unit_kinds[] = {"province", "department", "district", "commune", "other"};
static const char *const zero_policies[] = {"not_applicable", "zero", "full"};

const char *fw_input_type_name(enum fw_input_type t) { return input_types[t]; }
const char *fw_rule_type_name(enum fw_rule_type t) { return rule_types[t]; }
const char *fw_unit_kind_name(enum fw_unit_kind k) { return unit_kinds[k]; }

static int lookup(const char *s, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(s, names[i]))
            return (int)i;
    return -1;
}
#define LOOKUP(s, arr) lookup((s), (arr), sizeof(arr) / sizeof(arr)[0])

int fw_unit_kind_parse(const char *s) { return LOOKUP(s, unit_kinds); }

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
struct path {
    char s[192];
};
/* Paths are cut at 191 bytes rather than fail: a message with a truncated path still helps. */
static void pcat(struct path *p, const char *s)
{
    size_t n = strlen(p->s), k = strlen(s);
    if (n + k >= sizeof p->s)
        k = sizeof p->s - 1 - n;
    memcpy(p->s + n, s, k);
    p->s[n + k] = 0;
}
static struct path pkey(const struct path *base, const char *key)
{
    struct path p = *base;
    if (p.s[0])
        pcat(&p, ".");
    pcat(&p, key);
    return p;
}
static struct path pidx(const struct path *base, const char *key, size_t i)
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

/* ---- loading context ---- */
struct ld {
    struct framework *fw;
    struct fw_errors *e;
    /* every node key, for uniqueness */
    const char **keys;
    struct path *key_paths;
    size_t n_keys, cap_keys;
};

#define ERR(ld, path, ...) fw_errors_add((ld)->e, (path), __VA_ARGS__)

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
static void check_keys(struct ld *ld, const json_t *obj, const struct path *p, const char *const *allowed)
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
            struct path q = pkey(p, k);
            ERR(ld, q.s, "trường không được hỗ trợ '%s'", k);
        }
    }
}

/* The value of obj[key], or NULL when absent or null — reported as missing when required.
 * *q receives the field's path for the caller's own type errors. */
static json_t *field(struct ld *ld, const json_t *obj, const char *key, const struct path *p,
                     bool required, struct path *q)
{
    json_t *v = json_object_get(obj, key);
    *q = pkey(p, key);
    if (!v || json_is_null(v)) {
        if (required)
            ERR(ld, q->s, "thiếu trường bắt buộc");
        return NULL;
    }
    return v;
}

static char *get_str(struct ld *ld, const json_t *obj, const char *key, const struct path *p,
                     bool required, size_t maxlen)
{
    struct path q;
    json_t *v = field(ld, obj, key, p, required, &q);
    if (!v)
        return NULL;
    if (!json_is_string(v)) {
        ERR(ld, q.s, "phải là chuỗi ký tự");
        return NULL;
    }
    const char *s = json_string_value(v);
    if (required && !s[0]) {
        ERR(ld, q.s, "không được để trống");
        return NULL;
    }
    if (strlen(s) > maxlen) {
        ERR(ld, q.s, "dài quá %zu byte", maxlen);
        return NULL;
    }
    if (strlen(s) != json_string_length(v)) {
        ERR(ld, q.s, "chứa ký tự NUL");
        return NULL;
    }
    return arena_strdup(ld->fw, s);
}

/* A number with at most `max_dec` decimals (-1: any). Returns true when present and valid. */
static bool get_num(struct ld *ld, const json_t *obj, const char *key, const struct path *p,
                    bool required, rat *out)
{
    *out = rat_int(0); /* never leave a 0/0 behind, even on error */
    struct path q;
    json_t *v = field(ld, obj, key, p, required, &q);
    if (!v)
        return false;
    if (!json_is_number(v)) {
        ERR(ld, q.s, "phải là số");
        return false;
    }
    if (!fw_json_to_rat(v, out)) {
        ERR(ld, q.s, "số không hợp lệ hoặc quá lớn");
        return false;
    }
    return true;
}

static bool get_points(struct ld *ld, const json_t *obj, const char *key, const struct path *p,
                       bool required, rat *out)
{
    if (!get_num(ld, obj, key, p, required, out))
        return false;
    struct path q = pkey(p, key);
    if (out->n < 0) {
        ERR(ld, q.s, "điểm không được âm");
        return false;
    }
    if (!rat_has_2_decimals(*out)) {
        ERR(ld, q.s, "điểm có nhiều nhất 2 chữ số thập phân");
        return false;
    }
    if (rat_cmp(*out, rat_int(100000000)) > 0) {
        ERR(ld, q.s, "điểm quá lớn");
        return false;
    }
    return true;
}

static bool get_fraction(struct ld *ld, const json_t *obj, const char *key, const struct path *p,
                         bool required, rat *out)
{
    if (!get_num(ld, obj, key, p, required, out))
        return false;
    if (out->n < 0 || out->n > out->d) {
        struct path q = pkey(p, key);
        ERR(ld, q.s, "tỷ lệ phải từ 0 đến 1");
        return false;
    }
    return true;
}

static bool get_int(struct ld *ld, const json_t *obj, const char *key, const struct path *p,
                    bool required, int64_t lo, int64_t hi, int64_t *out)
{
    struct path q;
    json_t *v = field(ld, obj, key, p, required, &q);
    if (!v)
        return false;
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
        ERR(ld, q.s, "phải là số nguyên từ %lld đến %lld", (long long)lo, (long long)hi);
        return false;
    }
    *out = json_integer_value(v);
    return true;
}

/* A required number > 0 (points_per_item, target, penalty); msg says why when it is not. */
static bool get_positive_num(struct ld *ld, const json_t *obj, const char *key,
                             const struct path *p, const char *msg, rat *out)
{
    if (!get_num(ld, obj, key, p, true, out))
        return false;
    if (out->n > 0)
        return true;
    struct path q = pkey(p, key);
    ERR(ld, q.s, "%s", msg);
    return false;
}

/* An optional integer in [lo, hi] kept as a rational (max_items, zero_at). True when present
 * and valid; present but null or out of range is an error. *out is untouched when absent. */
static bool get_opt_int_rat(struct ld *ld, const json_t *obj, const char *key,
                            const struct path *p, int64_t lo, int64_t hi, rat *out)
{
    if (!json_object_get(obj, key))
        return false;
    int64_t v = 0;
    bool ok = get_int(ld, obj, key, p, true, lo, hi, &v);
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
        struct path q = pkey(p, key);
        ERR(ld, q.s, "phải là true hoặc false");
        return false;
    }
    *out = json_is_true(v);
    return true;
}

/* An array field; NULL (with an error when required) if absent or not an array. */
static json_t *get_array(struct ld *ld, const json_t *obj, const char *key, const struct path *p,
                         bool required)
{
    struct path q;
    json_t *v = field(ld, obj, key, p, required, &q);
    if (!v)
        return NULL;
    if (!json_is_array(v)) {
        ERR(ld, q.s, "phải là một danh sách");
        return NULL;
    }
    return v;
}

static bool is_obj(struct ld *ld, const json_t *v, const struct path *p)
{
    if (!json_is_object(v)) {
        ERR(ld, p->s, "phải là một đối tượng JSON {…}");
        return false;
    }
    return true;
}

/* Element i of an array of objects: *iq = its path; NULL (after the error) when it is not an
 * object, else the object, its keys checked against `keys`. */
static json_t *array_obj(struct ld *ld, const json_t *arr, size_t i, const struct path *base,
                         const char *key, const char *const *keys, struct path *iq)
{
    *iq = pidx(base, key, i);
    json_t *o = json_array_get(arr, i);
    if (!is_obj(ld, o, iq))
        return NULL;
    check_keys(ld, o, iq, keys);
    return o;
}

static void add_key(struct ld *ld, const char *key, const struct path *p)
{
    struct path q = pkey(p, "key");
    if (!match_re(key, 1, 64, NULL, LOWER DIGITS "._-")) {
        ERR(ld, q.s, "khoá '%s' chỉ gồm a-z, 0-9, '.', '_', '-' (1–64 ký tự)", key);
        return;
    }
    for (size_t i = 0; i < ld->n_keys; i++)
        if (!strcmp(ld->keys[i], key)) {
            ERR(ld, q.s, "khoá '%s' bị trùng với %s", key, ld->key_paths[i].s);
            return;
        }
    if (ld->n_keys == ld->cap_keys) {
        size_t nc = ld->cap_keys ? ld->cap_keys * 2 : 128;
        const char **nk = realloc(ld->keys, nc * sizeof *nk);
        if (!nk)
            return;
        ld->keys = nk;
        struct path *np = realloc(ld->key_paths, nc * sizeof *np);
        if (!np)
            return;
        ld->key_paths = np;
        ld->cap_keys = nc;
    }
    ld->keys[ld->n_keys] = key;
    ld->key_paths[ld->n_keys++] = q;
}

static bool parse_day_month(const char *s, int *day, int *month)
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
    if (!is_obj(ld, j, p))
        return;
    check_keys(ld, j, p, keys);
    in->name = get_str(ld, j, "name", p, true, 32);
    if (in->name && !match_re(in->name, 1, 32, LOWER, LOWER DIGITS "_")) {
        struct path q = pkey(p, "name");
        ERR(ld, q.s, "tên '%s' phải bắt đầu bằng chữ thường a-z, chỉ gồm a-z, 0-9, '_' (tối đa 32)", in->name);
        in->name = NULL;
    }
    in->label = get_str(ld, j, "label", p, true, 2000);
    in->unit = get_str(ld, j, "unit", p, false, 100);
    char *type = get_str(ld, j, "type", p, true, 32);
    in->type = IN_NUMBER;
    if (type) {
        int t = LOOKUP(type, input_types);
        if (t < 0) {
            struct path q = pkey(p, "type");
            ERR(ld, q.s, "kiểu dữ liệu không tồn tại '%s' (bool, count, number, ratio, choice, date, points)", type);
            in->name = NULL; /* unusable: rules referring to it report nothing more */
        } else {
            in->type = (enum fw_input_type)t;
        }
    }
    bool numeric = in->type == IN_COUNT || in->type == IN_NUMBER;
    if (json_object_get(j, "min") || json_object_get(j, "max")) {
        if (!numeric) {
            ERR(ld, p->s, "chỉ kiểu count và number có min/max");
        } else {
            in->has_min = get_num(ld, j, "min", p, false, &in->min);
            in->has_max = get_num(ld, j, "max", p, false, &in->max);
            if (in->has_min && in->has_max && rat_cmp(in->min, in->max) > 0)
                ERR(ld, p->s, "min lớn hơn max");
        }
    }
    json_t *opts = get_array(ld, j, "options", p, in->type == IN_CHOICE);
    if (opts && in->type != IN_CHOICE) {
        struct path q = pkey(p, "options");
        ERR(ld, q.s, "chỉ kiểu choice có danh sách lựa chọn");
    } else if (opts) {
        struct path q = pkey(p, "options");
        if (!json_array_size(opts))
            ERR(ld, q.s, "cần ít nhất một lựa chọn");
        in->n_options = json_array_size(opts);
        in->options = arena_alloc(ld->fw, (in->n_options + 1) * sizeof *in->options);
        for (size_t i = 0; i < in->n_options; i++) {
            static const char *const okeys[] = {"value", "label", NULL};
            struct path oq;
            json_t *o = array_obj(ld, opts, i, &q, "", okeys, &oq);
            if (!o)
                continue;
            in->options[i].value = get_str(ld, o, "value", &oq, true, 64);
            in->options[i].label = get_str(ld, o, "label", &oq, true, 500);
            for (size_t k = 0; k < i && in->options[i].value; k++)
                if (in->options[k].value && !strcmp(in->options[k].value, in->options[i].value)) {
                    struct path vq = pkey(&oq, "value");
                    ERR(ld, vq.s, "giá trị '%s' bị trùng", in->options[i].value);
                }
        }
    }
}

/* The index of the named input if it exists with one of the accepted types; else an error. */
static int rule_input(struct ld *ld, const struct fw_criterion *c, const json_t *rule,
                      const char *field, const struct path *rp, unsigned accepted, char **name_out)
{
    char *name = get_str(ld, rule, field, rp, true, 32);
    *name_out = name;
    if (!name)
        return -1;
    struct path q = pkey(rp, field);
    int i = fw_find_input(c, name);
    if (i < 0) {
        ERR(ld, q.s, "không có dữ liệu đầu vào tên '%s' trong inputs của tiêu chí", name);
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
        ERR(ld, q.s, "dữ liệu '%s' có kiểu %s, quy tắc này cần kiểu %s", name,
            input_types[c->inputs[i].type], want);
        return -1;
    }
    return i;
}

#define TY(t) (1u << (t))

static void load_rule(struct ld *ld, const json_t *j, const struct path *p, struct fw_criterion *c)
{
    struct fw_rule *ru = &c->rule;
    ru->input = ru->num = ru->den = -1;
    if (!is_obj(ld, j, p))
        return;
    char *type = get_str(ld, j, "type", p, true, 32);
    if (!type)
        return;
    int t = LOOKUP(type, rule_types);
    if (t < 0) {
        struct path q = pkey(p, "type");
        ERR(ld, q.s, "loại quy tắc không tồn tại '%s'", type);
        return;
    }
    ru->type = (enum fw_rule_type)t;
    static const char *const k_input[] = {"type", "input", NULL};
    static const char *const k_signer[] = {"type", "input", "fractions", NULL};
    static const char *const k_check[] = {"type", "items", NULL};
    static const char *const k_per[] = {"type", "input", "points_per_item", "max_items", NULL};
    static const char *const k_steps[] = {"type", "input", "steps", NULL};
    static const char *const k_target[] = {"type", "input", "target", NULL};
    static const char *const k_ratio[] = {"type", "numerator", "denominator", "zero_denominator", NULL};
    static const char *const k_pen[] = {"type", "input", "penalty", "zero_at", NULL};
    static const char *const k_dead[] = {"type", "input", "due", "late_fraction", NULL};
    static const char *const k_none[] = {"type", NULL};
    static const char *const k_formula[] = {"type", "expr", NULL};
    switch (ru->type) {
    case R_YES_NO:
        check_keys(ld, j, p, k_input);
        ru->input = rule_input(ld, c, j, "input", p, TY(IN_BOOL), &ru->input_name);
        break;
    case R_BY_SIGNER: {
        check_keys(ld, j, p, k_signer);
        ru->input = rule_input(ld, c, j, "input", p, TY(IN_CHOICE), &ru->input_name);
        json_t *fr = json_object_get(j, "fractions");
        struct path q = pkey(p, "fractions");
        if (!fr) {
            ERR(ld, q.s, "thiếu trường bắt buộc");
            break;
        }
        if (!is_obj(ld, fr, &q))
            break;
        ru->n_fractions = json_object_size(fr);
        ru->fractions = arena_alloc(ld->fw, (ru->n_fractions + 1) * sizeof *ru->fractions);
        size_t i = 0;
        const char *k;
        json_t *v;
        json_object_foreach(fr, k, v) {
            (void)v;
            ru->fractions[i].value = arena_strdup(ld->fw, k);
            get_fraction(ld, fr, k, &q, true, &ru->fractions[i].fraction);
            if (ru->input >= 0) {
                const struct fw_input *in = &c->inputs[ru->input];
                size_t o = 0;
                while (o < in->n_options && (!in->options[o].value || strcmp(in->options[o].value, k)))
                    o++;
                if (o == in->n_options) {
                    struct path kq = pkey(&q, k);
                    ERR(ld, kq.s, "'%s' không có trong các lựa chọn của '%s'", k, in->name);
                }
            }
            i++;
        }
        if (ru->input >= 0) {
            const struct fw_input *in = &c->inputs[ru->input];
            ru->fraction_of_option = arena_alloc(ld->fw, (in->n_options + 1) * sizeof(int));
            for (size_t o = 0; o < in->n_options; o++) {
                ru->fraction_of_option[o] = -1;
                for (size_t f = 0; f < ru->n_fractions; f++)
                    if (in->options[o].value && !strcmp(in->options[o].value, ru->fractions[f].value))
                        ru->fraction_of_option[o] = (int)f;
            }
        }
        break;
    }
    case R_CHECKLIST: {
        check_keys(ld, j, p, k_check);
        json_t *items = get_array(ld, j, "items", p, true);
        if (!items)
            break;
        struct path q = pkey(p, "items");
        if (!json_array_size(items))
            ERR(ld, q.s, "cần ít nhất một mục");
        ru->n_items = json_array_size(items);
        ru->items = arena_alloc(ld->fw, (ru->n_items + 1) * sizeof *ru->items);
        rat sum = rat_int(0);
        bool sum_ok = true;
        for (size_t i = 0; i < ru->n_items; i++) {
            struct fw_item *it = &ru->items[i];
            static const char *const ikeys[] = {"input", "points", "label", "requires", NULL};
            struct path iq;
            it->input = it->requires = -1;
            json_t *o = array_obj(ld, items, i, &q, "", ikeys, &iq);
            if (!o) {
                sum_ok = false;
                continue;
            }
            it->input = rule_input(ld, c, o, "input", &iq, TY(IN_BOOL), &it->input_name);
            if (json_object_get(o, "requires"))
                it->requires = rule_input(ld, c, o, "requires", &iq, TY(IN_BOOL), &it->requires_name);
            it->label = get_str(ld, o, "label", &iq, false, 1000);
            if (!it->label && it->input >= 0)
                it->label = c->inputs[it->input].label;
            if (!it->label)
                it->label = "";
            if (get_points(ld, o, "points", &iq, true, &it->points))
                sum_ok = sum_ok && rat_add(&sum, sum, it->points) == RAT_OK;
            else
                sum_ok = false;
            if (it->input < 0 || (json_object_get(o, "requires") && it->requires < 0))
                sum_ok = false;
        }
        if (sum_ok && rat_cmp(sum, c->max_points) > 0) {
            char a[64], b[64];
            rat_format(sum, a, sizeof a);
            rat_format(c->max_points, b, sizeof b);
            ERR(ld, q.s, "tổng điểm các mục (%s) lớn hơn điểm tối đa của tiêu chí (%s)", a, b);
        }
        break;
    }
    case R_PER_ITEM:
        check_keys(ld, j, p, k_per);
        ru->input = rule_input(ld, c, j, "input", p, TY(IN_COUNT), &ru->input_name);
        get_positive_num(ld, j, "points_per_item", p, "phải lớn hơn 0", &ru->points_per_item);
        ru->has_max_items = get_opt_int_rat(ld, j, "max_items", p, 1, 1000000, &ru->max_items);
        break;
    case R_COUNT_STEPS: {
        check_keys(ld, j, p, k_steps);
        ru->input = rule_input(ld, c, j, "input", p, TY(IN_COUNT), &ru->input_name);
        json_t *steps = get_array(ld, j, "steps", p, true);
        if (!steps)
            break;
        struct path q = pkey(p, "steps");
        if (!json_array_size(steps))
            ERR(ld, q.s, "cần ít nhất một mức");
        ru->n_steps = json_array_size(steps);
        ru->steps = arena_alloc(ld->fw, (ru->n_steps + 1) * sizeof *ru->steps);
        for (size_t i = 0; i < ru->n_steps; i++) {
            static const char *const skeys[] = {"min", "fraction", NULL};
            struct path sq;
            json_t *o = array_obj(ld, steps, i, &q, "", skeys, &sq);
            if (!o)
                continue;
            int64_t mn;
            ru->steps[i].min = ru->steps[i].fraction = rat_int(0);
            if (get_int(ld, o, "min", &sq, true, 0, 1000000000, &mn))
                ru->steps[i].min = rat_int(mn);
            get_fraction(ld, o, "fraction", &sq, true, &ru->steps[i].fraction);
            for (size_t k = 0; k < i; k++)
                if (rat_cmp(ru->steps[k].min, ru->steps[i].min) == 0) {
                    struct path mq = pkey(&sq, "min");
                    ERR(ld, mq.s, "hai mức có cùng min");
                }
        }
        break;
    }
    case R_RATIO_TO_TARGET:
        check_keys(ld, j, p, k_target);
        ru->input = rule_input(ld, c, j, "input", p, TY(IN_COUNT) | TY(IN_NUMBER) | TY(IN_RATIO),
                               &ru->input_name);
        get_positive_num(ld, j, "target", p, "mục tiêu phải lớn hơn 0", &ru->target);
        break;
    case R_RATIO:
    case R_INVERSE_RATIO: {
        check_keys(ld, j, p, k_ratio);
        unsigned acc = TY(IN_COUNT) | TY(IN_NUMBER);
        ru->num = rule_input(ld, c, j, "numerator", p, acc, &ru->num_name);
        ru->den = rule_input(ld, c, j, "denominator", p, acc, &ru->den_name);
        ru->zero_denominator = ZD_NOT_APPLICABLE;
        char *zp = get_str(ld, j, "zero_denominator", p, false, 32);
        if (zp) {
            int z = LOOKUP(zp, zero_policies);
            if (z < 0) {
                struct path q = pkey(p, "zero_denominator");
                ERR(ld, q.s, "phải là \"zero\", \"full\" hoặc \"not_applicable\"");
            } else {
                ru->zero_denominator = (enum fw_zero_policy)z;
            }
        }
        if (ru->num >= 0 && ru->num == ru->den)
            ERR(ld, p->s, "tử số và mẫu số phải là hai dữ liệu khác nhau");
        break;
    }
    case R_PENALTY:
        check_keys(ld, j, p, k_pen);
        ru->input = rule_input(ld, c, j, "input", p, TY(IN_COUNT), &ru->input_name);
        get_positive_num(ld, j, "penalty", p, "điểm trừ phải lớn hơn 0", &ru->penalty);
        ru->has_zero_at = get_opt_int_rat(ld, j, "zero_at", p, 1, 1000000000, &ru->zero_at);
        break;
    case R_DEADLINE: {
        check_keys(ld, j, p, k_dead);
        ru->input = rule_input(ld, c, j, "input", p, TY(IN_DATE), &ru->input_name);
        char *due = get_str(ld, j, "due", p, false, 5);
        const char *eff = due ? due : c->due;
        struct path q = pkey(p, "due");
        ru->due_text = due;
        if (!eff)
            ERR(ld, q.s, "thiếu hạn (ngày.tháng), ở quy tắc hoặc ở trường due của tiêu chí");
        else if (!parse_day_month(eff, &ru->due_day, &ru->due_month))
            ERR(ld, q.s, "hạn '%s' phải có dạng ngày.tháng, ví dụ 31.10", eff);
        ru->late_fraction = rat_int(0);
        get_fraction(ld, j, "late_fraction", p, false, &ru->late_fraction);
        ru->year = (int)ld->fw->year; /* read before the pillars */
        break;
    }
    case R_NOT_APPLICABLE:
        check_keys(ld, j, p, k_none);
        break;
    case R_MANUAL:
        check_keys(ld, j, p, k_input);
        ru->input = rule_input(ld, c, j, "input", p, TY(IN_POINTS), &ru->input_name);
        break;
    case R_FORMULA: {
        check_keys(ld, j, p, k_formula);
        ru->expr = get_str(ld, j, "expr", p, true, FORMULA_MAX_LEN);
        if (!ru->expr)
            break;
        struct formula_input fi[64];
        size_t n = c->n_inputs < 64 ? c->n_inputs : 64;
        for (size_t i = 0; i < n; i++)
            fi[i] = (struct formula_input){c->inputs[i].name ? c->inputs[i].name : "",
                                           c->inputs[i].type == IN_CHOICE, c->inputs[i].type == IN_DATE};
        char err[256];
        ru->compiled = formula_compile(ru->expr, fi, n, err, sizeof err);
        if (!ru->compiled) {
            struct path q = pkey(p, "expr");
            ERR(ld, q.s, "%s", err);
        }
        break;
    }
    }
}

static void load_examples(struct ld *ld, const json_t *j, const struct path *p, struct fw_criterion *c,
                          bool rule_ok)
{
    json_t *ex = get_array(ld, j, "examples", p, false);
    struct path q = pkey(p, "examples");
    if (!ex || !json_array_size(ex)) {
        if (!json_object_get(j, "examples") || ex)
            ERR(ld, q.s, "mỗi tiêu chí cần ít nhất một ví dụ (dữ liệu → điểm)");
        return;
    }
    c->n_examples = json_array_size(ex);
    c->examples = arena_alloc(ld->fw, (c->n_examples + 1) * sizeof *c->examples);
    for (size_t i = 0; i < c->n_examples; i++) {
        struct fw_example *e = &c->examples[i];
        static const char *const keys[] = {"inputs", "points", "note", "unit_kind", "status", NULL};
        struct path eq;
        json_t *o = array_obj(ld, ex, i, &q, "", keys, &eq);
        if (!o)
            continue;
        e->note = get_str(ld, o, "note", &eq, false, 2000);
        e->unit_kind = get_str(ld, o, "unit_kind", &eq, false, 32);
        int uk = -1;
        if (e->unit_kind && (uk = fw_unit_kind_parse(e->unit_kind)) < 0) {
            struct path kq = pkey(&eq, "unit_kind");
            ERR(ld, kq.s, "loại đơn vị không tồn tại '%s'", e->unit_kind);
        }
        char *status = get_str(ld, o, "status", &eq, false, 32);
        if (status) {
            if (!strcmp(status, "not_applicable"))
                e->expect_na = true;
            else if (strcmp(status, "scored")) {
                struct path sq = pkey(&eq, "status");
                ERR(ld, sq.s, "phải là \"scored\" hoặc \"not_applicable\"");
            }
        }
        bool has_points = get_points(ld, o, "points", &eq, !e->expect_na, &e->points);
        if (!has_points)
            e->points = rat_int(0);
        json_t *ins = json_object_get(o, "inputs");
        struct path iq = pkey(&eq, "inputs");
        if (!ins) {
            ins = json_object();
            if (!e->expect_na)
                ERR(ld, iq.s, "thiếu trường bắt buộc");
        } else if (!json_is_object(ins)) {
            ERR(ld, iq.s, "phải là một đối tượng JSON {…}");
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
            ERR(ld, eq.s, "ví dụ gây lỗi khi tính điểm: %s", r.error);
        } else if (e->expect_na != (r.status == SCORE_NOT_APPLICABLE)) {
            ERR(ld, eq.s, e->expect_na ? "ví dụ ghi \"không áp dụng\" nhưng tiêu chí được tính điểm (%s)"
                                       : "ví dụ cho kết quả \"không áp dụng\" (%s)", r.explain);
        } else if (has_points) {
            int64_t want;
            rat_to_hundredths(e->points, &want);
            if (want != r.points_h) {
                char a[32], b[32];
                hundredths_format(want, a, sizeof a);
                hundredths_format(r.points_h, b, sizeof b);
                ERR(ld, eq.s, "ví dụ ghi %s điểm nhưng quy tắc cho %s (%s)", a, b, r.explain);
            }
        }
    }
}

static void load_criterion(struct ld *ld, const json_t *j, const struct path *p, struct fw_criterion *c,
                           bool pillar_unscored)
{
    static const char *const keys[] = {
        "key", "code", "title", "max_points", "due", "guidance", "conditions", "evidence", "notes",
        "signed_evidence", "applies_to", "na_allowed", "data_source", "responsible_unit", "demo",
        "source_issue", "inputs", "rule", "examples", NULL};
    c->rule.input = c->rule.num = c->rule.den = -1;
    if (!is_obj(ld, j, p))
        return;
    size_t errs_before = ld->e->n;
    check_keys(ld, j, p, keys);
    c->key = get_str(ld, j, "key", p, true, 64);
    if (c->key)
        add_key(ld, c->key, p);
    c->code = get_str(ld, j, "code", p, true, 32);
    c->title = get_str(ld, j, "title", p, true, 2000);
    if (get_points(ld, j, "max_points", p, true, &c->max_points)) {
        rat_to_hundredths(c->max_points, &c->max_h);
        struct path q = pkey(p, "max_points");
        if (c->max_h == 0 && !pillar_unscored)
            ERR(ld, q.s, "điểm tối đa phải lớn hơn 0 (chỉ trụ cột không tính điểm mới có tiêu chí 0 điểm)");
        if (c->max_h != 0 && pillar_unscored)
            ERR(ld, q.s, "trụ cột không tính điểm (0 điểm) chỉ có tiêu chí 0 điểm");
    }
    c->due = get_str(ld, j, "due", p, false, 5);
    int dd, mm;
    if (c->due && !parse_day_month(c->due, &dd, &mm)) {
        struct path q = pkey(p, "due");
        ERR(ld, q.s, "hạn '%s' phải có dạng ngày.tháng, ví dụ 31.10", c->due);
    }
    c->guidance = get_str(ld, j, "guidance", p, false, 20000);
    c->conditions = get_str(ld, j, "conditions", p, false, 20000);
    c->evidence = get_str(ld, j, "evidence", p, false, 20000);
    c->notes = get_str(ld, j, "notes", p, false, 20000);
    c->na_allowed = get_str(ld, j, "na_allowed", p, false, 2000);
    c->responsible_unit = get_str(ld, j, "responsible_unit", p, false, 64);
    c->source_issue = get_str(ld, j, "source_issue", p, false, 5000);
    c->has_signed_evidence = get_bool(ld, j, "signed_evidence", p, &c->signed_evidence);
    c->has_demo = get_bool(ld, j, "demo", p, &c->demo);
    json_t *at = get_array(ld, j, "applies_to", p, false);
    if (at) {
        struct path q = pkey(p, "applies_to");
        if (!json_array_size(at))
            ERR(ld, q.s, "danh sách loại đơn vị không được rỗng (bỏ trường này nếu áp dụng cho mọi loại)");
        for (size_t i = 0; i < json_array_size(at); i++) {
            json_t *v = json_array_get(at, i);
            int k = json_is_string(v) ? fw_unit_kind_parse(json_string_value(v)) : -1;
            struct path kq = pidx(&q, "", i);
            if (k < 0)
                ERR(ld, kq.s, "loại đơn vị không tồn tại (province, department, district, commune, other)");
            else
                c->applies_to |= 1u << k;
        }
    }
    json_t *ds = json_object_get(j, "data_source");
    if (ds) {
        struct path q = pkey(p, "data_source");
        if (is_obj(ld, ds, &q)) {
            static const char *const dkeys[] = {"kind", "system", NULL};
            check_keys(ld, ds, &q, dkeys);
            c->data_source_kind = get_str(ld, ds, "kind", &q, true, 32);
            c->data_source_system = get_str(ld, ds, "system", &q, false, 200);
            if (c->data_source_kind && strcmp(c->data_source_kind, "self") &&
                strcmp(c->data_source_kind, "shared_system")) {
                struct path kq = pkey(&q, "kind");
                ERR(ld, kq.s, "phải là \"self\" hoặc \"shared_system\"");
            }
            if (c->data_source_kind && !strcmp(c->data_source_kind, "shared_system") &&
                !c->data_source_system) {
                struct path sq = pkey(&q, "system");
                ERR(ld, sq.s, "cần tên hệ thống dùng chung khi kind = shared_system");
            }
        }
    }
    json_t *ins = get_array(ld, j, "inputs", p, false);
    if (ins) {
        struct path q = pkey(p, "inputs");
        c->n_inputs = json_array_size(ins);
        if (c->n_inputs > 64) {
            ERR(ld, q.s, "tối đa 64 dữ liệu đầu vào một tiêu chí");
            c->n_inputs = 0;
        }
        c->inputs = arena_alloc(ld->fw, (c->n_inputs + 1) * sizeof *c->inputs);
        for (size_t i = 0; i < c->n_inputs; i++) {
            struct path iq = pidx(&q, "", i);
            load_input(ld, json_array_get(ins, i), &iq, &c->inputs[i]);
            for (size_t k = 0; k < i && c->inputs[i].name; k++)
                if (c->inputs[k].name && !strcmp(c->inputs[k].name, c->inputs[i].name)) {
                    struct path nq = pkey(&iq, "name");
                    ERR(ld, nq.s, "tên '%s' bị trùng trong tiêu chí", c->inputs[i].name);
                }
        }
    }
    json_t *rule = json_object_get(j, "rule");
    struct path rq = pkey(p, "rule");
    if (!rule)
        ERR(ld, rq.s, "thiếu trường bắt buộc");
    else
        load_rule(ld, rule, &rq, c);
    load_examples(ld, j, p, c, rule && ld->e->n == errs_before);
}

static void load_group(struct ld *ld, const json_t *j, const struct path *p, struct fw_group *g,
                       bool pillar_unscored)
{
    static const char *const keys[] = {"key", "code", "title", "criteria", "notes", "max_points", NULL};
    if (!is_obj(ld, j, p))
        return;
    check_keys(ld, j, p, keys);
    g->key = get_str(ld, j, "key", p, true, 64);
    if (g->key)
        add_key(ld, g->key, p);
    g->code = get_str(ld, j, "code", p, true, 32);
    g->title = get_str(ld, j, "title", p, true, 2000);
    g->notes = get_str(ld, j, "notes", p, false, 20000);
    if (json_object_get(j, "max_points"))
        g->has_max = get_points(ld, j, "max_points", p, true, &g->max_points);
    json_t *cr = get_array(ld, j, "criteria", p, true);
    if (!cr)
        return;
    struct path q = pkey(p, "criteria");
    if (!json_array_size(cr))
        ERR(ld, q.s, "nhóm cần ít nhất một tiêu chí");
    g->n_criteria = json_array_size(cr);
    g->criteria = arena_alloc(ld->fw, (g->n_criteria + 1) * sizeof *g->criteria);
    rat sum = rat_int(0);
    for (size_t i = 0; i < g->n_criteria; i++) {
        struct path cq = pidx(&q, "", i);
        load_criterion(ld, json_array_get(cr, i), &cq, &g->criteria[i], pillar_unscored);
        rat_add(&sum, sum, g->criteria[i].max_points);
    }
    if (g->has_max && rat_cmp(sum, g->max_points) != 0) {
        char a[64], b[64];
        rat_format(sum, a, sizeof a);
        rat_format(g->max_points, b, sizeof b);
        struct path mq = pkey(p, "max_points");
        ERR(ld, mq.s, "tổng điểm các tiêu chí (%s) khác điểm tối đa của nhóm (%s)", a, b);
    }
}

static void load_pillar(struct ld *ld, const json_t *j, const struct path *p, struct fw_pillar *pl)
{
    static const char *const keys[] = {"key", "code", "title", "max_points", "groups", "notes", NULL};
    if (!is_obj(ld, j, p))
        return;
    check_keys(ld, j, p, keys);
    pl->key = get_str(ld, j, "key", p, true, 64);
    if (pl->key)
        add_key(ld, pl->key, p);
    pl->code = get_str(ld, j, "code", p, true, 32);
    pl->title = get_str(ld, j, "title", p, true, 2000);
    pl->notes = get_str(ld, j, "notes", p, false, 20000);
    bool has_max = get_points(ld, j, "max_points", p, true, &pl->max_points);
    rat_to_hundredths(pl->max_points, &pl->max_h);
    json_t *gr = get_array(ld, j, "groups", p, true);
    if (!gr)
        return;
    struct path q = pkey(p, "groups");
    if (!json_array_size(gr))
        ERR(ld, q.s, "trụ cột cần ít nhất một nhóm");
    pl->n_groups = json_array_size(gr);
    pl->groups = arena_alloc(ld->fw, (pl->n_groups + 1) * sizeof *pl->groups);
    rat sum = rat_int(0);
    for (size_t i = 0; i < pl->n_groups; i++) {
        struct path gq = pidx(&q, "", i);
        load_group(ld, json_array_get(gr, i), &gq, &pl->groups[i], has_max && pl->max_h == 0);
        for (size_t k = 0; k < pl->groups[i].n_criteria; k++)
            rat_add(&sum, sum, pl->groups[i].criteria[k].max_points);
        pl->criteria_count += pl->groups[i].n_criteria;
    }
    if (has_max && rat_cmp(sum, pl->max_points) != 0) {
        char a[64], b[64];
        rat_format(sum, a, sizeof a);
        rat_format(pl->max_points, b, sizeof b);
        struct path mq = pkey(p, "max_points");
        ERR(ld, mq.s, "tổng điểm các tiêu chí (%s) khác điểm tối đa của trụ cột (%s)", a, b);
    }
}

static void index_criteria(struct framework *fw)
{
    size_t n = 0, off = 0;
    for (size_t p = 0; p < fw->n_pillars; p++)
        for (size_t g = 0; g < fw->pillars[p].n_groups; g++)
            n += fw->pillars[p].groups[g].n_criteria;
    fw->criteria = arena_alloc(fw, (n + 1) * sizeof *fw->criteria);
    fw->n_criteria = 0;
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
    if (!fw)
        return NULL;
    struct ld ld = {.fw = fw, .e = errs};
    struct path root = {""};
    if (!json_is_object(doc)) {
        ERR(&ld, "$", "tệp bộ chỉ số phải là một đối tượng JSON {…}");
        free(fw);
        return NULL;
    }
    static const char *const keys[] = {"format", "id", "version", "title", "level", "year", "status",
                                       "draft_note", "source", "notes", "max_points", "info_fields",
                                       "pillars", NULL};
    check_keys(&ld, doc, &root, keys);
    char *format = get_str(&ld, doc, "format", &root, true, 64);
    if (format && strcmp(format, FW_FORMAT))
        ERR(&ld, "format", "định dạng '%s' không được hỗ trợ (cần \"%s\")", format, FW_FORMAT);
    fw->id = get_str(&ld, doc, "id", &root, true, 64);
    if (fw->id && !match_re(fw->id, 3, 64, NULL, LOWER DIGITS "-"))
        ERR(&ld, "id", "mã bộ chỉ số '%s' chỉ gồm a-z, 0-9, '-' (3–64 ký tự)", fw->id);
    get_int(&ld, doc, "version", &root, true, 1, 1000000, &fw->version);
    fw->title = get_str(&ld, doc, "title", &root, true, 1000);
    fw->level = get_str(&ld, doc, "level", &root, true, 32);
    if (fw->level && strcmp(fw->level, "province") && strcmp(fw->level, "department") &&
        strcmp(fw->level, "district") && strcmp(fw->level, "commune"))
        ERR(&ld, "level", "cấp phải là province (cấp tỉnh), department (cấp sở), district (cấp huyện) "
                          "hoặc commune (cấp xã)");
    get_int(&ld, doc, "year", &root, true, 2000, 2100, &fw->year);
    fw->status = get_str(&ld, doc, "status", &root, true, 32);
    if (fw->status && strcmp(fw->status, "official") && strcmp(fw->status, "draft"))
        ERR(&ld, "status", "trạng thái phải là \"official\" (chính thức) hoặc \"draft\" (dự thảo)");
    fw->draft_note = get_str(&ld, doc, "draft_note", &root, false, 20000);
    if (fw->status && !strcmp(fw->status, "draft") && (!fw->draft_note || !fw->draft_note[0]))
        ERR(&ld, "draft_note", "bộ chỉ số dự thảo phải ghi rõ phần còn thiếu và lý do");
    fw->source = get_str(&ld, doc, "source", &root, false, 5000);
    fw->notes = get_str(&ld, doc, "notes", &root, false, 20000);
    bool has_max = get_points(&ld, doc, "max_points", &root, true, &fw->max_points);
    rat_to_hundredths(fw->max_points, &fw->max_h);
    json_t *info = get_array(&ld, doc, "info_fields", &root, false);
    if (info) {
        fw->has_info_fields = true;
        fw->n_info_fields = json_array_size(info);
        fw->info_fields = arena_alloc(fw, (fw->n_info_fields + 1) * sizeof *fw->info_fields);
        for (size_t i = 0; i < fw->n_info_fields; i++) {
            static const char *const ikeys[] = {"key", "label", "type", NULL};
            struct path q;
            json_t *o = array_obj(&ld, info, i, &root, "info_fields", ikeys, &q);
            if (!o)
                continue;
            struct fw_info_field *f = &fw->info_fields[i];
            f->key = get_str(&ld, o, "key", &q, true, 64);
            if (f->key && !match_re(f->key, 1, 64, LOWER, LOWER DIGITS "_")) {
                struct path kq = pkey(&q, "key");
                ERR(&ld, kq.s, "khoá '%s' chỉ gồm a-z, 0-9, '_'", f->key);
            }
            for (size_t k = 0; k < i && f->key; k++)
                if (fw->info_fields[k].key && !strcmp(fw->info_fields[k].key, f->key)) {
                    struct path kq = pkey(&q, "key");
                    ERR(&ld, kq.s, "khoá '%s' bị trùng", f->key);
                }
            f->label = get_str(&ld, o, "label", &q, true, 1000);
            f->type = get_str(&ld, o, "type", &q, true, 16);
            if (f->type && strcmp(f->type, "text") && strcmp(f->type, "url") && strcmp(f->type, "count")) {
                struct path tq = pkey(&q, "type");
                ERR(&ld, tq.s, "kiểu phải là text, url hoặc count");
            }
        }
    }
    json_t *pl = get_array(&ld, doc, "pillars", &root, true);
    if (pl) {
        if (!json_array_size(pl))
            ERR(&ld, "pillars", "bộ chỉ số cần ít nhất một trụ cột");
        fw->n_pillars = json_array_size(pl);
        fw->pillars = arena_alloc(fw, (fw->n_pillars + 1) * sizeof *fw->pillars);
        rat sum = rat_int(0);
        for (size_t i = 0; i < fw->n_pillars; i++) {
            struct path q = pidx(&root, "pillars", i);
            load_pillar(&ld, json_array_get(pl, i), &q, &fw->pillars[i]);
            rat_add(&sum, sum, fw->pillars[i].max_points);
        }
        if (has_max && rat_cmp(sum, fw->max_points) != 0) {
            char a[64], b[64];
            rat_format(sum, a, sizeof a);
            rat_format(fw->max_points, b, sizeof b);
            ERR(&ld, "max_points", "tổng điểm các trụ cột (%s) khác tổng điểm khai báo (%s)", a, b);
        }
    }
    free(ld.keys);
    free(ld.key_paths);
    index_criteria(fw);
    if (errs->n) {
        fw_free(fw);
        return NULL;
    }
    return fw;
}

struct framework *fw_load(const char *text, size_t len, struct fw_errors *errs)
{
    char msg[300];
    json_t *doc = json_load_vi(text, len, 0, msg, sizeof msg);
    if (!doc) {
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

int fw_find_input(const struct fw_criterion *c, const char *name)
{
    for (size_t i = 0; i < c->n_inputs; i++)
        if (c->inputs[i].name && !strcmp(c->inputs[i].name, name))
            return (int)i;
    return -1;
}

/* ---- writer ---- */
static void set_str(json_t *o, const char *k, const char *v)
{
    if (v)
        json_object_set_new(o, k, json_string(v));
}

static json_t *write_rule(const struct fw_criterion *c)
{
    const struct fw_rule *ru = &c->rule;
    json_t *o = json_object();
    json_object_set_new(o, "type", json_string(rule_types[ru->type]));
    switch (ru->type) {
    case R_YES_NO:
    case R_MANUAL:
        set_str(o, "input", ru->input_name);
        break;
    case R_BY_SIGNER: {
        set_str(o, "input", ru->input_name);
        json_t *f = json_object();
        for (size_t i = 0; i < ru->n_fractions; i++)
            json_object_set_new(f, ru->fractions[i].value, fw_json_number(ru->fractions[i].fraction));
        json_object_set_new(o, "fractions", f);
        break;
    }
    case R_CHECKLIST: {
        json_t *a = json_array();
        for (size_t i = 0; i < ru->n_items; i++) {
            const struct fw_item *it = &ru->items[i];
            json_t *x = json_object();
            set_str(x, "input", it->input_name);
            json_object_set_new(x, "points", fw_json_number(it->points));
            set_str(x, "label", it->label);
            set_str(x, "requires", it->requires_name);
            json_array_append_new(a, x);
        }
        json_object_set_new(o, "items", a);
        break;
    }
    case R_PER_ITEM:
        set_str(o, "input", ru->input_name);
        json_object_set_new(o, "points_per_item", fw_json_number(ru->points_per_item));
        if (ru->has_max_items)
            json_object_set_new(o, "max_items", fw_json_number(ru->max_items));
        break;
    case R_COUNT_STEPS: {
        set_str(o, "input", ru->input_name);
        json_t *a = json_array();
        for (size_t i = 0; i < ru->n_steps; i++)
            json_array_append_new(a, json_pack("{s:o,s:o}", "min", fw_json_number(ru->steps[i].min),
                                               "fraction", fw_json_number(ru->steps[i].fraction)));
        json_object_set_new(o, "steps", a);
        break;
    }
    case R_RATIO_TO_TARGET:
        set_str(o, "input", ru->input_name);
        json_object_set_new(o, "target", fw_json_number(ru->target));
        break;
    case R_RATIO:
    case R_INVERSE_RATIO:
        set_str(o, "numerator", ru->num_name);
        set_str(o, "denominator", ru->den_name);
        json_object_set_new(o, "zero_denominator", json_string(zero_policies[ru->zero_denominator]));
        break;
    case R_PENALTY:
        set_str(o, "input", ru->input_name);
        json_object_set_new(o, "penalty", fw_json_number(ru->penalty));
        if (ru->has_zero_at)
            json_object_set_new(o, "zero_at", fw_json_number(ru->zero_at));
        break;
    case R_DEADLINE:
        set_str(o, "input", ru->input_name);
        set_str(o, "due", ru->due_text);
        json_object_set_new(o, "late_fraction", fw_json_number(ru->late_fraction));
        break;
    case R_NOT_APPLICABLE:
        break;
    case R_FORMULA:
        set_str(o, "expr", ru->expr);
        break;
    }
    return o;
}

static json_t *write_criterion(const struct fw_criterion *c)
{
    json_t *o = json_object();
    set_str(o, "key", c->key);
    set_str(o, "code", c->code);
    set_str(o, "title", c->title);
    json_object_set_new(o, "max_points", fw_json_number(c->max_points));
    set_str(o, "due", c->due);
    set_str(o, "guidance", c->guidance);
    set_str(o, "conditions", c->conditions);
    set_str(o, "evidence", c->evidence);
    set_str(o, "notes", c->notes);
    if (c->has_signed_evidence)
        json_object_set_new(o, "signed_evidence", json_boolean(c->signed_evidence));
    if (c->applies_to) {
        json_t *a = json_array();
        for (int k = 0; k < UK_COUNT; k++)
            if (c->applies_to & (1u << k))
                json_array_append_new(a, json_string(unit_kinds[k]));
        json_object_set_new(o, "applies_to", a);
    }
    set_str(o, "na_allowed", c->na_allowed);
    if (c->data_source_kind) {
        json_t *d = json_object();
        set_str(d, "kind", c->data_source_kind);
        set_str(d, "system", c->data_source_system);
        json_object_set_new(o, "data_source", d);
    }
    set_str(o, "responsible_unit", c->responsible_unit);
    if (c->has_demo)
        json_object_set_new(o, "demo", json_boolean(c->demo));
    set_str(o, "source_issue", c->source_issue);
    json_t *ins = json_array();
    for (size_t i = 0; i < c->n_inputs; i++) {
        const struct fw_input *in = &c->inputs[i];
        json_t *x = json_object();
        set_str(x, "name", in->name);
        set_str(x, "label", in->label);
        json_object_set_new(x, "type", json_string(input_types[in->type]));
        set_str(x, "unit", in->unit);
        if (in->has_min)
            json_object_set_new(x, "min", fw_json_number(in->min));
        if (in->has_max)
            json_object_set_new(x, "max", fw_json_number(in->max));
        if (in->type == IN_CHOICE) {
            json_t *a = json_array();
            for (size_t k = 0; k < in->n_options; k++)
                json_array_append_new(a, json_pack("{s:s,s:s}", "value", in->options[k].value,
                                                   "label", in->options[k].label));
            json_object_set_new(x, "options", a);
        }
        json_array_append_new(ins, x);
    }
    json_object_set_new(o, "inputs", ins);
    json_object_set_new(o, "rule", write_rule(c));
    json_t *ex = json_array();
    for (size_t i = 0; i < c->n_examples; i++) {
        const struct fw_example *e = &c->examples[i];
        json_t *x = json_object();
        json_object_set_new(x, "inputs", json_deep_copy(e->inputs));
        json_object_set_new(x, "points", fw_json_number(e->points));
        if (e->expect_na)
            json_object_set_new(x, "status", json_string("not_applicable"));
        set_str(x, "unit_kind", e->unit_kind);
        set_str(x, "note", e->note);
        json_array_append_new(ex, x);
    }
    json_object_set_new(o, "examples", ex);
    return o;
}

json_t *fw_write(const struct framework *fw)
{
    json_t *o = json_object();
    json_object_set_new(o, "format", json_string(FW_FORMAT));
    set_str(o, "id", fw->id);
    json_object_set_new(o, "version", json_integer(fw->version));
    set_str(o, "title", fw->title);
    set_str(o, "level", fw->level);
    json_object_set_new(o, "year", json_integer(fw->year));
    set_str(o, "status", fw->status);
    set_str(o, "draft_note", fw->draft_note);
    set_str(o, "source", fw->source);
    set_str(o, "notes", fw->notes);
    json_object_set_new(o, "max_points", fw_json_number(fw->max_points));
    if (fw->has_info_fields) {
        json_t *a = json_array();
        for (size_t i = 0; i < fw->n_info_fields; i++)
            json_array_append_new(a, json_pack("{s:s,s:s,s:s}", "key", fw->info_fields[i].key,
                                               "label", fw->info_fields[i].label, "type",
                                               fw->info_fields[i].type));
        json_object_set_new(o, "info_fields", a);
    }
    json_t *pa = json_array();
    for (size_t p = 0; p < fw->n_pillars; p++) {
        const struct fw_pillar *pl = &fw->pillars[p];
        json_t *px = json_object();
        set_str(px, "key", pl->key);
        set_str(px, "code", pl->code);
        set_str(px, "title", pl->title);
        json_object_set_new(px, "max_points", fw_json_number(pl->max_points));
        set_str(px, "notes", pl->notes);
        json_t *ga = json_array();
        for (size_t g = 0; g < pl->n_groups; g++) {
            const struct fw_group *gr = &pl->groups[g];
            json_t *gx = json_object();
            set_str(gx, "key", gr->key);
            set_str(gx, "code", gr->code);
            set_str(gx, "title", gr->title);
            if (gr->has_max)
                json_object_set_new(gx, "max_points", fw_json_number(gr->max_points));
            set_str(gx, "notes", gr->notes);
            json_t *ca = json_array();
            for (size_t k = 0; k < gr->n_criteria; k++)
                json_array_append_new(ca, write_criterion(&gr->criteria[k]));
            json_object_set_new(gx, "criteria", ca);
            json_array_append_new(ga, gx);
        }
        json_object_set_new(px, "groups", ga);
        json_array_append_new(pa, px);
    }
    json_object_set_new(o, "pillars", pa);
    return o;
}
