/* formula.c — tokenizer, recursive-descent parser (depth-bounded) emitting a postfix program,
 * and a non-recursive evaluator. */
#include "core/formula.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define STACK_MAX 128

enum op {
    OP_CONST, /* arg = constant index */
    OP_STR,   /* arg = string index */
    OP_LOAD,  /* arg = input index */
    OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_NEG,
    OP_LT, OP_LE, OP_GT, OP_GE, OP_EQ, OP_NE, OP_SEQ, OP_SNE, /* SEQ/SNE compare strings */
    OP_NOT, OP_BOOL, OP_MIN, OP_MAX, OP_ROUND,
    OP_JZ,      /* pop; jump to arg if zero */
    OP_JMP,     /* jump to arg */
    OP_AND_J,   /* pop; if zero push 0 and jump to arg */
    OP_OR_J,    /* pop; if nonzero push 1 and jump to arg */
};

struct fop {
    uint8_t op;
    uint16_t pos; /* 1-based character position, for messages */
    int32_t arg;
};

struct formula {
    struct fop *code;
    size_t n_code, cap_code;
    rat *consts;
    size_t n_consts, cap_consts;
    char **strs;
    size_t n_strs, cap_strs;
    const struct formula_input *inputs; /* only during compilation */
    size_t n_inputs;
    uint8_t *used;
    char **input_names; /* copies, for evaluation messages */
};

enum tok { T_END, T_NUM, T_STR, T_IDENT, T_LP, T_RP, T_SEP, T_PLUS, T_MINUS, T_STAR, T_SLASH,
           T_LT, T_LE, T_GT, T_GE, T_EQ, T_NE, T_AND, T_OR, T_NOT, T_ERR };

struct parser {
    const char *s;
    size_t len, pos;
    enum tok tok;
    size_t tok_start, tok_len;
    int depth, height, max_height;
    int dead; /* > 0 while parsing code a constant condition never runs ("0 and …") */
    formula *f;
    char *err;
    size_t errlen;
    bool failed;
};

enum ty { TY_NUM, TY_STR };

/* A parsed subexpression: its type and, when it is a constant (numbers and what is computed
 * from numbers only: arithmetic, comparisons, not/and/or, min, max), its value — so that a
 * division by a constant zero is refused when compiling rather than when a unit is scored,
 * unless a constant condition means it never runs ("if(0; 1/0; 7)", "0 and 1/0"). */
typedef struct {
    enum ty t;
    bool k;
    rat v;
} pv;

static pv pv_of(enum ty t) { return (pv){t, false, {0, 1}}; }
static pv pv_bool(bool k, bool b) { return (pv){TY_NUM, k, {b ? 1 : 0, 1}}; }

__attribute__((format(printf, 3, 4)))
static void fail(struct parser *p, size_t at, const char *fmt, ...)
{
    if (p->failed)
        return;
    p->failed = true;
    int n = snprintf(p->err, p->errlen, "biểu thức, vị trí %zu: ", at + 1);
    if (n < 0 || (size_t)n >= p->errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
    va_end(ap);
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

static void next(struct parser *p)
{
    const char *s = p->s;
    while (p->pos < p->len && (s[p->pos] == ' ' || s[p->pos] == '\t' || s[p->pos] == '\n' ||
                               s[p->pos] == '\r'))
        p->pos++;
    p->tok_start = p->pos;
    if (p->pos >= p->len) {
        p->tok = T_END;
        p->tok_len = 0;
        return;
    }
    char c = s[p->pos];
    size_t i = p->pos;
    if (is_digit(c)) {
        while (i < p->len && is_digit(s[i]))
            i++;
        /* A comma or point between two digits is a decimal separator. */
        if (i + 1 < p->len && (s[i] == ',' || s[i] == '.') && is_digit(s[i + 1])) {
            i++;
            while (i < p->len && is_digit(s[i]))
                i++;
        }
        p->tok = T_NUM;
    } else if (is_alpha(c)) {
        while (i < p->len && (is_alpha(s[i]) || is_digit(s[i])))
            i++;
        size_t n = i - p->pos;
        p->tok = T_IDENT;
        if (n == 3 && !strncasecmp(s + p->pos, "and", 3))
            p->tok = T_AND;
        else if (n == 2 && !strncasecmp(s + p->pos, "or", 2))
            p->tok = T_OR;
        else if (n == 3 && !strncasecmp(s + p->pos, "not", 3))
            p->tok = T_NOT;
    } else if (c == '"') {
        i++;
        while (i < p->len && s[i] != '"')
            i++;
        if (i >= p->len) {
            p->tok = T_ERR;
            fail(p, p->pos, "chuỗi thiếu dấu \" đóng");
            return;
        }
        i++;
        p->tok = T_STR;
    } else {
        i++;
        switch (c) {
        case '(': p->tok = T_LP; break;
        case ')': p->tok = T_RP; break;
        case ';': p->tok = T_SEP; break;
        case ',': p->tok = T_SEP; break; /* a comma not between digits separates arguments */
        case '+': p->tok = T_PLUS; break;
        case '-': p->tok = T_MINUS; break;
        case '*': p->tok = T_STAR; break;
        case '/': p->tok = T_SLASH; break;
        case '=': p->tok = T_EQ; break;
        case '<':
            p->tok = T_LT;
            if (i < p->len && s[i] == '=') {
                p->tok = T_LE;
                i++;
            } else if (i < p->len && s[i] == '>') {
                p->tok = T_NE;
                i++;
            }
            break;
        case '>':
            p->tok = T_GT;
            if (i < p->len && s[i] == '=') {
                p->tok = T_GE;
                i++;
            }
            break;
        default:
            p->tok = T_ERR;
            if ((unsigned char)c >= 0x80)
                fail(p, p->pos, "ký tự không được phép (chỉ dùng + - * / ( ) ; < > =)");
            else
                fail(p, p->pos, "ký tự không được phép '%c'", c);
            return;
        }
    }
    p->tok_len = i - p->pos;
    p->pos = i;
}

static void *grow(void *v, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return v;
    size_t nc = *cap ? *cap * 2 : 16;
    while (nc < need)
        nc *= 2;
    void *nv = realloc(v, nc * elem);
    if (nv)
        *cap = nc;
    return nv;
}

/* Emits one op and tracks the stack height (delta) to bound the evaluation stack. */
static int emit(struct parser *p, enum op op, int32_t arg, size_t pos, int delta)
{
    formula *f = p->f;
    struct fop *nc = grow(f->code, &f->cap_code, f->n_code + 1, sizeof *nc);
    if (!nc) {
        fail(p, pos, "hết bộ nhớ");
        return -1;
    }
    f->code = nc;
    f->code[f->n_code] = (struct fop){(uint8_t)op, (uint16_t)(pos + 1), arg};
    p->height += delta;
    if (p->height > p->max_height)
        p->max_height = p->height;
    if (p->max_height > STACK_MAX)
        fail(p, pos, "biểu thức quá phức tạp");
    return (int)f->n_code++;
}

static pv parse_expr(struct parser *p);

static bool enter(struct parser *p)
{
    if (++p->depth > FORMULA_MAX_DEPTH) {
        fail(p, p->tok_start, "biểu thức lồng quá sâu (tối đa %d mức)", FORMULA_MAX_DEPTH);
        return false;
    }
    return true;
}

static void need_num(struct parser *p, enum ty t, size_t at)
{
    if (t != TY_NUM)
        fail(p, at, "chuỗi chỉ dùng để so sánh bằng (=) hoặc khác (<>) với một lựa chọn");
}

static void expect(struct parser *p, enum tok t, const char *what)
{
    if (p->failed)
        return;
    if (p->tok != t) {
        if (p->tok == T_END)
            fail(p, p->tok_start, "thiếu %s ở cuối biểu thức", what);
        else
            fail(p, p->tok_start, "cần %s, gặp '%.*s'", what, (int)(p->tok_len > 20 ? 20 : p->tok_len),
                 p->s + p->tok_start);
        return;
    }
    next(p);
}

static pv parse_call(struct parser *p, size_t at, size_t nlen)
{
    const char *name = p->s + at;
    enum { F_MIN, F_MAX, F_IF, F_ROUND } fn;
    if (nlen == 3 && !strncasecmp(name, "min", 3))
        fn = F_MIN;
    else if (nlen == 3 && !strncasecmp(name, "max", 3))
        fn = F_MAX;
    else if (nlen == 2 && !strncasecmp(name, "if", 2))
        fn = F_IF;
    else if (nlen == 5 && !strncasecmp(name, "round", 5))
        fn = F_ROUND;
    else {
        fail(p, at, "hàm không tồn tại '%.*s' (chỉ có min, max, if, round)", (int)(nlen > 20 ? 20 : nlen), name);
        return pv_of(TY_NUM);
    }
    next(p); /* '(' */
    int nargs = 0;
    if (fn == F_IF) {
        pv cond = parse_expr(p);
        need_num(p, cond.t, at);
        bool never_then = cond.k && cond.v.n == 0, never_else = cond.k && cond.v.n != 0;
        int jz = emit(p, OP_JZ, 0, at, -1);
        expect(p, T_SEP, "dấu ';'");
        p->dead += never_then;
        need_num(p, parse_expr(p).t, at);
        p->dead -= never_then;
        int jmp = emit(p, OP_JMP, 0, at, 0);
        if (jz >= 0)
            p->f->code[jz].arg = (int32_t)p->f->n_code;
        p->height--; /* only one branch runs */
        expect(p, T_SEP, "dấu ';'");
        p->dead += never_else;
        need_num(p, parse_expr(p).t, at);
        p->dead -= never_else;
        if (jmp >= 0)
            p->f->code[jmp].arg = (int32_t)p->f->n_code;
        expect(p, T_RP, "dấu ')'");
        return pv_of(TY_NUM);
    }
    pv acc = pv_of(TY_NUM);
    for (;;) {
        if (p->failed)
            return pv_of(TY_NUM);
        pv a = parse_expr(p);
        need_num(p, a.t, at);
        nargs++;
        if (nargs == 1)
            acc = a;
        else
            acc = (pv){TY_NUM, acc.k && a.k,
                       (fn == F_MIN) == (rat_cmp(a.v, acc.v) < 0) ? a.v : acc.v};
        if (fn == F_MIN && nargs > 1)
            emit(p, OP_MIN, 0, at, -1);
        else if (fn == F_MAX && nargs > 1)
            emit(p, OP_MAX, 0, at, -1);
        if (p->tok != T_SEP)
            break;
        next(p);
    }
    if (fn == F_ROUND) {
        if (nargs == 1) { /* round(x) = round(x; 0) */
            rat *nc = grow(p->f->consts, &p->f->cap_consts, p->f->n_consts + 1, sizeof *nc);
            if (!nc) {
                fail(p, at, "hết bộ nhớ");
                return pv_of(TY_NUM);
            }
            p->f->consts = nc;
            nc[p->f->n_consts] = rat_int(0);
            emit(p, OP_CONST, (int32_t)p->f->n_consts++, at, 1);
            nargs = 2;
        }
        if (nargs != 2)
            fail(p, at, "round cần 1 hoặc 2 đối số: round(x; số chữ số thập phân)");
        emit(p, OP_ROUND, 0, at, -1);
        acc.k = false;
    }
    expect(p, T_RP, "dấu ')'");
    return (pv){TY_NUM, acc.k && (fn == F_MIN || fn == F_MAX), acc.v};
}

static pv parse_primary(struct parser *p)
{
    if (p->failed)
        return pv_of(TY_NUM);
    size_t at = p->tok_start;
    switch (p->tok) {
    case T_NUM: {
        rat v;
        int rc = rat_parse(p->s + at, p->tok_len, &v);
        if (rc) {
            fail(p, at, rc == RAT_OVERFLOW ? "số có quá nhiều chữ số, " RAT_OVERFLOW_VI : "số không hợp lệ");
            return pv_of(TY_NUM);
        }
        rat *nc = grow(p->f->consts, &p->f->cap_consts, p->f->n_consts + 1, sizeof *nc);
        if (!nc) {
            fail(p, at, "hết bộ nhớ");
            return pv_of(TY_NUM);
        }
        p->f->consts = nc;
        nc[p->f->n_consts] = v;
        emit(p, OP_CONST, (int32_t)p->f->n_consts++, at, 1);
        next(p);
        return (pv){TY_NUM, true, v};
    }
    case T_STR: {
        char **ns = grow(p->f->strs, &p->f->cap_strs, p->f->n_strs + 1, sizeof *ns);
        if (!ns) {
            fail(p, at, "hết bộ nhớ");
            return pv_of(TY_STR);
        }
        p->f->strs = ns;
        ns[p->f->n_strs] = strndup(p->s + at + 1, p->tok_len - 2);
        if (!ns[p->f->n_strs]) {
            fail(p, at, "hết bộ nhớ");
            return pv_of(TY_STR);
        }
        emit(p, OP_STR, (int32_t)p->f->n_strs++, at, 1);
        next(p);
        return pv_of(TY_STR);
    }
    case T_IDENT: {
        size_t nlen = p->tok_len;
        next(p);
        if (p->tok == T_LP) {
            if (!enter(p))
                return pv_of(TY_NUM);
            pv t = parse_call(p, at, nlen);
            p->depth--;
            return t;
        }
        for (size_t i = 0; i < p->f->n_inputs; i++) {
            const char *nm = p->f->inputs[i].name;
            if (strlen(nm) == nlen && !memcmp(nm, p->s + at, nlen)) {
                if (p->f->inputs[i].is_date) {
                    fail(p, at, "dữ liệu ngày '%s' không dùng được trong biểu thức", nm);
                    return pv_of(TY_NUM);
                }
                p->f->used[i] = 1;
                emit(p, OP_LOAD, (int32_t)i, at, 1);
                return pv_of(p->f->inputs[i].is_text ? TY_STR : TY_NUM);
            }
        }
        fail(p, at, "không có dữ liệu đầu vào tên '%.*s'", (int)(nlen > 32 ? 32 : nlen), p->s + at);
        return pv_of(TY_NUM);
    }
    case T_LP: {
        if (!enter(p))
            return pv_of(TY_NUM);
        next(p);
        pv t = parse_expr(p);
        expect(p, T_RP, "dấu ')'");
        p->depth--;
        return t;
    }
    case T_END:
        fail(p, at, "biểu thức kết thúc đột ngột");
        return pv_of(TY_NUM);
    case T_ERR:
        return pv_of(TY_NUM);
    default:
        fail(p, at, "không mong đợi '%.*s'", (int)(p->tok_len > 20 ? 20 : p->tok_len), p->s + at);
        return pv_of(TY_NUM);
    }
}

static pv parse_unary(struct parser *p)
{
    if (p->tok == T_MINUS || p->tok == T_PLUS) {
        size_t at = p->tok_start;
        bool neg = p->tok == T_MINUS;
        if (!enter(p))
            return pv_of(TY_NUM);
        next(p);
        pv a = parse_unary(p);
        need_num(p, a.t, at);
        if (neg) {
            emit(p, OP_NEG, 0, at, 0);
            a.v.n = -a.v.n;
        }
        p->depth--;
        return (pv){TY_NUM, a.k, a.v};
    }
    return parse_primary(p);
}

static pv parse_mul(struct parser *p)
{
    pv t = parse_unary(p);
    while (!p->failed && (p->tok == T_STAR || p->tok == T_SLASH)) {
        size_t at = p->tok_start;
        enum op op = p->tok == T_STAR ? OP_MUL : OP_DIV;
        need_num(p, t.t, at);
        next(p);
        pv r = parse_unary(p);
        need_num(p, r.t, at);
        if (op == OP_DIV && r.k && r.v.n == 0 && !p->dead)
            fail(p, at, "chia cho 0 (số chia luôn bằng 0)");
        emit(p, op, 0, at, -1);
        rat v;
        bool k = t.k && r.k && (op == OP_MUL ? rat_mul(&v, t.v, r.v) : rat_div(&v, t.v, r.v)) == RAT_OK;
        t = (pv){TY_NUM, k, k ? v : rat_int(0)};
    }
    return t;
}

static pv parse_add(struct parser *p)
{
    pv t = parse_mul(p);
    while (!p->failed && (p->tok == T_PLUS || p->tok == T_MINUS)) {
        size_t at = p->tok_start;
        enum op op = p->tok == T_PLUS ? OP_ADD : OP_SUB;
        need_num(p, t.t, at);
        next(p);
        pv r = parse_mul(p);
        need_num(p, r.t, at);
        emit(p, op, 0, at, -1);
        rat v;
        bool k = t.k && r.k && (op == OP_ADD ? rat_add(&v, t.v, r.v) : rat_sub(&v, t.v, r.v)) == RAT_OK;
        t = (pv){TY_NUM, k, k ? v : rat_int(0)};
    }
    return t;
}

static pv parse_cmp(struct parser *p)
{
    pv tv = parse_add(p);
    if (p->failed || p->tok < T_LT || p->tok > T_NE)
        return tv;
    enum ty t = tv.t;
    size_t at = p->tok_start;
    enum tok ct = p->tok;
    next(p);
    pv uv = parse_add(p), res = pv_of(TY_NUM);
    enum ty u = uv.t;
    if (t == TY_STR || u == TY_STR) {
        if (t != u || (ct != T_EQ && ct != T_NE))
            fail(p, at, "chuỗi chỉ so sánh được bằng = hoặc <> với một lựa chọn");
        emit(p, ct == T_EQ ? OP_SEQ : OP_SNE, 0, at, -1);
    } else {
        static const enum op ops[] = {[T_LT] = OP_LT, [T_LE] = OP_LE, [T_GT] = OP_GT,
                                      [T_GE] = OP_GE, [T_EQ] = OP_EQ, [T_NE] = OP_NE};
        emit(p, ops[ct], 0, at, -1);
        if (tv.k && uv.k) {
            int c = rat_cmp(tv.v, uv.v);
            bool b = ct == T_LT ? c < 0 : ct == T_LE ? c <= 0 : ct == T_GT ? c > 0
                   : ct == T_GE ? c >= 0 : ct == T_EQ ? c == 0 : c != 0;
            res = pv_bool(true, b);
        }
    }
    if (!p->failed && p->tok >= T_LT && p->tok <= T_NE)
        fail(p, p->tok_start, "không nối liền hai phép so sánh; dùng and");
    return res;
}

static pv parse_not(struct parser *p)
{
    if (p->tok == T_NOT) {
        size_t at = p->tok_start;
        if (!enter(p))
            return pv_of(TY_NUM);
        next(p);
        pv a = parse_not(p);
        need_num(p, a.t, at);
        emit(p, OP_NOT, 0, at, 0);
        p->depth--;
        return pv_bool(a.k, a.v.n == 0);
    }
    return parse_cmp(p);
}

static pv parse_and(struct parser *p)
{
    pv t = parse_not(p);
    while (!p->failed && p->tok == T_AND) {
        size_t at = p->tok_start;
        need_num(p, t.t, at);
        next(p);
        int j = emit(p, OP_AND_J, 0, at, -1);
        bool never = t.k && t.v.n == 0; /* "0 and …": the right side never runs */
        p->dead += never;
        pv r = parse_not(p);
        p->dead -= never;
        need_num(p, r.t, at);
        emit(p, OP_BOOL, 0, at, 0);
        if (j >= 0)
            p->f->code[j].arg = (int32_t)p->f->n_code;
        t = never ? pv_bool(true, false) : pv_bool(t.k && r.k, r.v.n != 0);
    }
    return t;
}

static pv parse_expr(struct parser *p)
{
    pv t = parse_and(p);
    while (!p->failed && p->tok == T_OR) {
        size_t at = p->tok_start;
        need_num(p, t.t, at);
        next(p);
        int j = emit(p, OP_OR_J, 0, at, -1);
        bool never = t.k && t.v.n != 0; /* "1 or …": the right side never runs */
        p->dead += never;
        pv r = parse_and(p);
        p->dead -= never;
        need_num(p, r.t, at);
        emit(p, OP_BOOL, 0, at, 0);
        if (j >= 0)
            p->f->code[j].arg = (int32_t)p->f->n_code;
        t = never ? pv_bool(true, true) : pv_bool(t.k && r.k, r.v.n != 0);
    }
    return t;
}

void formula_free(formula *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n_strs; i++)
        free(f->strs[i]);
    if (f->input_names)
        for (size_t i = 0; i < f->n_inputs; i++)
            free(f->input_names[i]);
    free(f->input_names);
    free(f->strs);
    free(f->consts);
    free(f->code);
    free(f->used);
    free(f);
}

formula *formula_compile(const char *src, const struct formula_input *inputs, size_t n_inputs,
                         char *err, size_t errlen)
{
    if (errlen)
        err[0] = 0;
    size_t len = src ? strlen(src) : 0;
    if (len == 0) {
        snprintf(err, errlen, "biểu thức rỗng");
        return NULL;
    }
    if (len > FORMULA_MAX_LEN) {
        snprintf(err, errlen, "biểu thức dài quá %d ký tự", FORMULA_MAX_LEN);
        return NULL;
    }
    formula *f = calloc(1, sizeof *f);
    if (!f || !(f->used = calloc(n_inputs ? n_inputs : 1, 1))) {
        free(f);
        snprintf(err, errlen, "hết bộ nhớ");
        return NULL;
    }
    f->inputs = inputs;
    f->n_inputs = n_inputs;
    struct parser p = {.s = src, .len = len, .f = f, .err = err, .errlen = errlen};
    next(&p);
    enum ty t = parse_expr(&p).t;
    if (!p.failed && p.tok != T_END)
        fail(&p, p.tok_start, "thừa '%.*s' sau biểu thức", (int)(p.tok_len > 20 ? 20 : p.tok_len),
             src + p.tok_start);
    if (!p.failed && t != TY_NUM)
        fail(&p, 0, "kết quả của biểu thức phải là một số");
    if (!p.failed) {
        f->input_names = calloc(n_inputs ? n_inputs : 1, sizeof *f->input_names);
        if (!f->input_names)
            fail(&p, 0, "hết bộ nhớ");
        for (size_t i = 0; !p.failed && i < n_inputs; i++)
            if (!(f->input_names[i] = strdup(inputs[i].name)))
                fail(&p, 0, "hết bộ nhớ");
    }
    f->inputs = NULL;
    if (p.failed) {
        formula_free(f);
        return NULL;
    }
    return f;
}

bool formula_uses_input(const formula *f, size_t i)
{
    return i < f->n_inputs && f->used[i];
}

static int eval_fail(char *err, size_t errlen, int rc, unsigned pos)
{
    snprintf(err, errlen, "biểu thức, vị trí %u: %s", pos, rat_error_vi(rc));
    return rc;
}

int formula_eval(const formula *f, const struct value *vals, rat *out, char *err, size_t errlen)
{
    rat st[STACK_MAX];
    const char *ss[STACK_MAX];
    int sp = 0, rc = RAT_OK;
    const rat one = {1, 1}, zero = {0, 1};
    for (size_t pc = 0; pc < f->n_code;) {
        const struct fop *o = &f->code[pc++];
        switch ((enum op)o->op) {
        case OP_CONST:
            st[sp++] = f->consts[o->arg];
            break;
        case OP_STR:
            ss[sp++] = f->strs[o->arg];
            break;
        case OP_LOAD: {
            const struct value *v = &vals[o->arg];
            if (v->kind == VAL_ABSENT) {
                snprintf(err, errlen, "thiếu giá trị của '%s'", f->input_names[o->arg]);
                return RAT_SYNTAX;
            }
            if (v->kind == VAL_TEXT)
                ss[sp++] = v->text;
            else
                st[sp++] = v->num;
            break;
        }
        case OP_ADD: rc = rat_add(&st[sp - 2], st[sp - 2], st[sp - 1]); sp--; break;
        case OP_SUB: rc = rat_sub(&st[sp - 2], st[sp - 2], st[sp - 1]); sp--; break;
        case OP_MUL: rc = rat_mul(&st[sp - 2], st[sp - 2], st[sp - 1]); sp--; break;
        case OP_DIV: rc = rat_div(&st[sp - 2], st[sp - 2], st[sp - 1]); sp--; break;
        case OP_NEG: st[sp - 1].n = -st[sp - 1].n; break;
        case OP_LT: sp--; st[sp - 1] = rat_cmp(st[sp - 1], st[sp]) < 0 ? one : zero; break;
        case OP_LE: sp--; st[sp - 1] = rat_cmp(st[sp - 1], st[sp]) <= 0 ? one : zero; break;
        case OP_GT: sp--; st[sp - 1] = rat_cmp(st[sp - 1], st[sp]) > 0 ? one : zero; break;
        case OP_GE: sp--; st[sp - 1] = rat_cmp(st[sp - 1], st[sp]) >= 0 ? one : zero; break;
        case OP_EQ: sp--; st[sp - 1] = rat_cmp(st[sp - 1], st[sp]) == 0 ? one : zero; break;
        case OP_NE: sp--; st[sp - 1] = rat_cmp(st[sp - 1], st[sp]) != 0 ? one : zero; break;
        case OP_SEQ: sp--; st[sp - 1] = strcmp(ss[sp - 1], ss[sp]) == 0 ? one : zero; break;
        case OP_SNE: sp--; st[sp - 1] = strcmp(ss[sp - 1], ss[sp]) != 0 ? one : zero; break;
        case OP_NOT: st[sp - 1] = st[sp - 1].n == 0 ? one : zero; break;
        case OP_BOOL: st[sp - 1] = st[sp - 1].n != 0 ? one : zero; break;
        case OP_MIN: sp--; if (rat_cmp(st[sp], st[sp - 1]) < 0) st[sp - 1] = st[sp]; break;
        case OP_MAX: sp--; if (rat_cmp(st[sp], st[sp - 1]) > 0) st[sp - 1] = st[sp]; break;
        case OP_ROUND: {
            sp--;
            rat dg = st[sp];
            if (dg.d != 1 || dg.n < 0 || dg.n > 9) {
                snprintf(err, errlen, "biểu thức, vị trí %u: số chữ số của round phải là số nguyên 0…9",
                         o->pos);
                return RAT_SYNTAX;
            }
            rc = rat_round(st[sp - 1], (int)dg.n, &st[sp - 1]);
            break;
        }
        case OP_JZ:
            sp--;
            if (st[sp].n == 0)
                pc = (size_t)o->arg;
            break;
        case OP_JMP:
            pc = (size_t)o->arg;
            break;
        case OP_AND_J:
            sp--;
            if (st[sp].n == 0) {
                st[sp++] = zero;
                pc = (size_t)o->arg;
            }
            break;
        case OP_OR_J:
            sp--;
            if (st[sp].n != 0) {
                st[sp++] = one;
                pc = (size_t)o->arg;
            }
            break;
        }
        if (rc)
            return eval_fail(err, errlen, rc, o->pos);
    }
    *out = st[0];
    return RAT_OK;
}
