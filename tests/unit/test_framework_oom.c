/* test_framework_oom.c — the index-set loader, writer and JSON views under failing
 * allocations: for n = 1, 2, 3 … the n-th allocation fails (ours and jansson's, through a
 * replaced malloc), and every run must end in a clean error ("hết bộ nhớ"), with nothing leaked
 * and no crash, until n is past the last allocation and the run succeeds.
 *
 * The allocator is replaced by defining malloc & co. here (glibc supports this); under
 * AddressSanitizer, which owns malloc, the test only checks that the set loads. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/framework.h"
#include "core/fw_json.h"
#include "core/inputs.h"
#include "core/score.h"

#if defined(__SANITIZE_ADDRESS__)
#define REPLACED_MALLOC 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define REPLACED_MALLOC 0
#endif
#endif
#ifndef REPLACED_MALLOC
#define REPLACED_MALLOC 1
#endif

static long fail_at = -1; /* the fail_at-th allocation from now fails; -1: none */
static long n_allocs;     /* allocations counted since arming */
static long live;         /* blocks allocated and not freed */

#if REPLACED_MALLOC
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);

/* OOM_TRAP=n traps at the n-th failure, to see the failing call under gdb */
static int should_fail(void)
{
    if (fail_at >= 0 && ++n_allocs == fail_at) {
        if (getenv("OOM_TRAP") && atol(getenv("OOM_TRAP")) == fail_at)
            __builtin_trap();
        return 1;
    }
    return 0;
}

void *malloc(size_t n)
{
    if (should_fail())
        return NULL;
    void *p = __libc_malloc(n);
    if (p)
        live++;
    return p;
}

void *calloc(size_t a, size_t b)
{
    if (should_fail())
        return NULL;
    void *p = __libc_calloc(a, b);
    if (p)
        live++;
    return p;
}

void *realloc(void *q, size_t n)
{
    if (should_fail())
        return NULL;
    void *p = __libc_realloc(q, n);
    if (p && !q)
        live++;
    return p;
}

void free(void *p)
{
    if (p)
        live--;
    __libc_free(p);
}

/* the rest of the family, so that nothing allocates behind the counter's back */
void *aligned_alloc(size_t al, size_t n)
{
    void *p = __libc_memalign(al, n);
    if (p)
        live++;
    return p;
}
void *memalign(size_t al, size_t n) { return aligned_alloc(al, n); }
int posix_memalign(void **out, size_t al, size_t n)
{
    void *p = aligned_alloc(al, n);
    if (!p)
        return 12; /* ENOMEM */
    *out = p;
    return 0;
}
#endif

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *s = malloc((size_t)n + 1);
    assert_non_null(s);
    *len = fread(s, 1, (size_t)n, f);
    s[*len] = 0;
    fclose(f);
    return s;
}

/* Allocations the JSON parse itself makes: jansson may turn a failed one of these into a wrong
 * document (a string cut short) or a syntax error rather than an out-of-memory error, so
 * within them any clean error is accepted. */
static long parse_allocs;

static bool has_oom_error(const struct fw_errors *e)
{
    if (fail_at <= parse_allocs)
        return e->n > 0 || e->oom;
    for (size_t i = 0; i < e->n; i++)
        if (strstr(e->v[i].message, "hết bộ nhớ"))
            return true;
    return e->oom; /* the error list itself could not grow */
}

/* One run: load, write, JSON views, score every criterion with its first example.
 * Returns true when everything succeeded; false when an allocation failure was reported. */
static bool run_once(const char *text, size_t len)
{
    struct fw_errors e = {0};
    struct framework *fw = fw_load(text, len, &e);
    if (!fw) {
        if (!has_oom_error(&e)) {
            for (size_t i = 0; i < e.n; i++)
                fprintf(stderr, "  %s: %s\n", e.v[i].path, e.v[i].message);
            fail_msg("load failed at allocation %ld without saying \"hết bộ nhớ\"", fail_at);
        }
        fw_errors_free(&e);
        return false;
    }
    assert_int_equal(e.n, 0);
    bool ok = true;
    json_t *w = fw_write(fw);
    ok = ok && w;
    json_decref(w);
    json_t *t = ok ? fw_totals_json(fw) : NULL;
    ok = ok && t;
    json_decref(t);
    for (size_t i = 0; ok && i < fw->n_criteria; i++) {
        const struct fw_criterion *c = fw->criteria[i];
        struct value vals[64];
        struct score_result r;
        if (!c->n_examples || criterion_values_from_json(c, c->examples[0].inputs, vals, "x", &e))
            continue;
        score_criterion(c, vals, true, &r);
        json_t *tr = score_trace_json(c, vals, &r);
        ok = tr != NULL;
        json_decref(tr);
    }
    fw_free(fw);
    fw_errors_free(&e);
    return ok;
}

static void every_allocation_fails_cleanly(const char *path)
{
    size_t len;
    char *text = slurp(path, &len);
    if (!REPLACED_MALLOC) {
        assert_true(run_once(text, len));
        free(text);
        return;
    }
    fail_at = 1L << 40;
    n_allocs = 0;
    json_t *doc = json_loadb(text, len, 0, NULL);
    parse_allocs = n_allocs;
    fail_at = -1;
    json_decref(doc);
    long n;
    for (n = 1; n < 200000; n++) {
        long before = live;
        fail_at = n;
        n_allocs = 0;
        bool done = run_once(text, len);
        bool failed_one = n_allocs >= n;
        fail_at = -1;
        if (live != before)
            fail_msg("allocation %ld failed: %ld block(s) leaked", n, live - before);
        if (done && failed_one)
            fail_msg("allocation %ld failed but the run reported success", n);
        if (done)
            break; /* past the last allocation: a clean full run */
    }
    fprintf(stderr, "  %ld allocation points failed one by one (%ld in the JSON parse; loader, "
            "writer, totals, scorer)\n", n - 1, parse_allocs);
    assert_true(n > 100 && n < 200000);
    free(text);
}

static void test_every_allocation_fails_cleanly(void **st)
{
    (void)st;
    every_allocation_fails_cleanly("tests/data/sample-framework.json");
    /* alternative readings (issue 8): each alternative's rule, formula and examples */
    every_allocation_fails_cleanly("tests/data/alternatives-framework.json");
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_every_allocation_fails_cleanly)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
