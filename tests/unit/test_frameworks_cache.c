/* test_frameworks_cache.c — stored index sets compiled once and shared: a second read compiles
 * nothing; the reply text equals the JSON detail; the key includes the stored file's sha256 (a
 * second database with the same id and version gets its own set); the cache stays within its
 * bound; an entry evicted while held stays valid until released. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/frameworks_cache.h"
#include "app/frameworks_store.h"
#include "app/schema.h"
#include "db_fixture.h"

static char *sample;
static size_t sample_len;

/* the sample set with another id / title, stored */
static void store(db_conn *c, const char *id, const char *title)
{
    json_t *doc = json_loads(sample, 0, NULL);
    json_object_set_new(doc, "id", json_string(id));
    json_object_set_new(doc, "title", json_string(title));
    char *text = json_dumps(doc, 0);
    struct fw_errors e = {0};
    struct framework *fw = fw_load(text, strlen(text), &e);
    assert_non_null(fw);
    assert_int_equal(frameworks_insert(c, fw, text, strlen(text), 0, 0), DB_OK);
    fw_free(fw);
    free(text);
    json_decref(doc);
}

static void test_cache(void **st)
{
    (void)st;
    FILE *f = fopen("tests/data/sample-framework.json", "rb");
    assert_non_null(f);
    sample = calloc(1, 1 << 16);
    sample_len = fread(sample, 1, (1 << 16) - 1, f);
    fclose(f);
    frameworks_cache_clear();
    struct fx *a = fx_open(NULL, "fwcache-a", dti_migrations, dti_migrations_count);
    struct fx *b = fx_open(NULL, "fwcache-b", dti_migrations, dti_migrations_count);
    assert_non_null(a);
    assert_non_null(b);
    store(a->c, "bo-mot", "Bộ A");
    store(b->c, "bo-mot", "Bộ B"); /* same (id, version), other content */
    struct app_err err;
    uint64_t c0 = frameworks_cache_compiles();
    json_t *x = frameworks_get(a->c, "bo-mot", 0, &err);
    json_t *y = frameworks_get(a->c, "bo-mot", 1, &err);
    assert_non_null(x);
    assert_true(json_equal(x, y));
    assert_int_equal(frameworks_cache_compiles() - c0, 1);
    size_t len;
    char *text = frameworks_get_text(a->c, "bo-mot", 0, &len, &err);
    assert_non_null(text);
    assert_int_equal(strlen(text), len);
    char *want = json_dumps(x, FW_REPLY_JSON_FLAGS);
    assert_string_equal(text, want);
    free(want);
    free(text);
    assert_int_equal(frameworks_cache_compiles() - c0, 1);
    json_t *z = frameworks_get(b->c, "bo-mot", 0, &err);
    assert_non_null(z);
    assert_string_equal(json_string_value(json_object_get(x, "title")), "Bộ A");
    assert_string_equal(json_string_value(json_object_get(z, "title")), "Bộ B");
    assert_int_equal(frameworks_cache_compiles() - c0, 2);
    json_decref(x);
    json_decref(y);
    json_decref(z);
    /* hold one entry, then fill the cache past its bound */
    struct fw_compiled held;
    struct fw_cache_entry *h = NULL;
    {
        db_rows *r;
        db_param p[] = {DB_P_TEXT("bo-mot")};
        assert_int_equal(db_exec(a->c, "SELECT sha256 FROM frameworks WHERE id = ?", p, 1, &r), DB_OK);
        h = frameworks_cache_get(a->c, "bo-mot", 1, db_text(r, 0, 0), &held, &err);
        db_rows_free(r);
    }
    assert_non_null(h);
    for (int i = 0; i < FW_CACHE_MAX_ENTRIES + 4; i++) {
        char id[32];
        snprintf(id, sizeof id, "bo-so-%d", i);
        store(a->c, id, "Bộ khác");
        json_t *o = frameworks_get(a->c, id, 0, &err);
        assert_non_null(o);
        json_decref(o);
        assert_true(frameworks_cache_size() <= FW_CACHE_MAX_ENTRIES);
    }
    frameworks_cache_clear();
    assert_int_equal(frameworks_cache_size(), 0);
    /* still ours: evicted, not freed (ASan would see a use after free) */
    assert_string_equal(held.fw->title, "Bộ A");
    assert_true(held.fw->n_criteria > 0);
    frameworks_cache_release(h);
    {
        assert_null(frameworks_get(a->c, "khong-co", 0, &err));
        assert_int_equal(err.status, 404);
    }
    fx_close(a);
    fx_close(b);
    free(sample);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_cache)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
