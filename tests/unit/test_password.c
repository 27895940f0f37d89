/* test_password.c — argon2id hashing, the policy, one-time passwords. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>

#include <pthread.h>
#include <string.h>
#include <time.h>

#include "app/password.h"

static void hash_and_verify(void **state)
{
    (void)state;
    char h[PASSWORD_HASH_LEN];
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    assert_int_equal(password_hash("Một mật khẩu dài", h), 0);
    clock_gettime(CLOCK_MONOTONIC, &b);
    print_message("argon2id hash: %.1f ms\n",
                  (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6);
    assert_true(strncmp(h, "$argon2id$v=19$m=19456,t=2,p=1$", 31) == 0);
    assert_true(password_verify(h, "Một mật khẩu dài"));
    assert_false(password_verify(h, "Một mật khẩu dàI"));
    assert_false(password_verify(h, ""));
    assert_false(password_verify("", "x"));
    assert_false(password_verify("$2y$10$notargon", "x"));
    /* a hash made with other limits (libsodium's interactive 64 MiB) still verifies */
    char old[PASSWORD_HASH_LEN];
    assert_int_equal(crypto_pwhash_str_alg(old, "Mật khẩu cũ 2024", strlen("Mật khẩu cũ 2024"),
                                           crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                           crypto_pwhash_MEMLIMIT_INTERACTIVE,
                                           crypto_pwhash_ALG_ARGON2ID13),
                     0);
    assert_true(password_verify(old, "Mật khẩu cũ 2024"));
    assert_false(password_verify(old, "Mật khẩu cũ 2025"));
    /* two hashes of one password differ (random salt) */
    char h2[PASSWORD_HASH_LEN];
    assert_int_equal(password_hash("Một mật khẩu dài", h2), 0);
    assert_string_not_equal(h, h2);
    assert_false(password_verify_dummy("anything"));
}

static void policy(void **state)
{
    (void)state;
    assert_null(password_policy("nguyenvana", "Trời xanh mây trắng 2024"));
    assert_null(password_policy("nguyenvana", "k7#Qm2pLx9"));
    /* the brief's examples */
    assert_non_null(password_policy("nguyenvana", "abc@1234"));
    assert_non_null(password_policy("nguyenvana", "123456"));
    assert_non_null(password_policy("nguyenvana", "k7#Qm2pLx")); /* 9 characters */
    assert_non_null(password_policy("nguyenvana", "nguyenvana"));
    assert_non_null(password_policy("nguyenvana", "NguyenVanA"));
    assert_non_null(password_policy("nguyenvana", "xx-NGUYENVANA-2024"));
    /* the common list, lower-cased before comparing */
    assert_non_null(password_policy("u1", "Abc@12345"));
    assert_non_null(password_policy("u1", "ABC@12345"));
    assert_non_null(password_policy("u1", "qwerty123"));
    assert_non_null(password_policy("u1", "123456789"));
    assert_non_null(password_policy("u1", "1234567890"));
    assert_non_null(password_policy("u1", "Password123"));
    assert_non_null(password_policy("u1", "MatKhau@123"));
    assert_non_null(password_policy("u1", "Admin@12345"));
    /* characters, not bytes: 10 Vietnamese letters pass, 9 do not */
    assert_null(password_policy("u1", "ắằẳẵặấầẩẫậ"));
    assert_non_null(password_policy("u1", "ắằẳẵặấầẩẫ"));
    /* invalid UTF-8, control characters */
    assert_non_null(password_policy("u1", "abcdefghij\xff"));
    assert_non_null(password_policy("u1", "abcdefghij\xc0\xaf"));
    assert_non_null(password_policy("u1", "abcdefghij\x01"));
    assert_non_null(password_policy("u1", ""));
    assert_non_null(password_policy("u1", NULL));
    const char *m = password_policy("u1", "short");
    assert_string_equal(m, "Mật khẩu phải có ít nhất 10 ký tự.");
}

/* Long but guessable: repetitions, runs, keyboard rows, too few distinct characters — all
 * case-insensitive, each with its own message. */
static void policy_patterns(void **state)
{
    (void)state;
    const char *rep = "Mật khẩu không được là một chuỗi ngắn lặp lại (như “abcabcabca” hay "
                      "“1212121212”).";
    const char *seq = "Mật khẩu không được là một dãy ký tự liên tiếp (như “0123456789”, "
                      "“abcdefghij”) hay một hàng phím (như “qwertyuiop”).";
    const char *few = "Mật khẩu phải có ít nhất 5 ký tự khác nhau.";
    static const char *const repeated[] = {
        "aaaaaaaaaa", "AAAAAAAAAAAA", "abcabcabca", "AbCaBcAbCa", "12121212121",
        "abcdeabcde", "Xy7#Xy7#Xy7#", "đđđđđđđđđđ", "ĐđĐđĐđĐđĐđ", "k7#Qm2pLx9k7#Qm2pLx9",
    };
    for (size_t i = 0; i < sizeof repeated / sizeof *repeated; i++) {
        const char *m = password_policy("u1", repeated[i]);
        assert_non_null(m);
        assert_string_equal(m, rep);
    }
    static const char *const runs[] = {
        "123456789012", "9876543210", "ABCDEFGHIJKL", "bcdefghijk",
        "jihgfedcba", "QWERTYUIOP[", "poiuytrewq", "asdfghjkl;'",
        "1234567890-=", "qwertyuiopasdf", "ertyuiopasdfgh", "mnopqrstuvwx",
    };
    for (size_t i = 0; i < sizeof runs / sizeof *runs; i++) {
        const char *m = password_policy("u1", runs[i]);
        assert_non_null(m);
        assert_string_equal(m, seq);
    }
    /* the brief's own examples (some are also on the common list, which answers first) */
    assert_non_null(password_policy("u1", "0123456789"));
    assert_non_null(password_policy("u1", "abcdefghij"));
    assert_non_null(password_policy("u1", "qwertyuiop"));
    assert_non_null(password_policy("u1", "QwErTyUiOp"));
    static const char *const too_few[] = {"aabbccddaa", "AAbbAAbbCCdd", "1122334411"};
    for (size_t i = 0; i < sizeof too_few / sizeof *too_few; i++) {
        const char *m = password_policy("u1", too_few[i]);
        assert_non_null(m);
        assert_string_equal(m, few);
    }
    /* near misses stay acceptable */
    assert_null(password_policy("u1", "aabbccddee")); /* 5 distinct, no period */
    assert_null(password_policy("u1", "abcabcabcX9"));
    assert_null(password_policy("u1", "0123456789x"));
    assert_null(password_policy("u1", "qwertyuiop1"));
    assert_null(password_policy("u1", "Trời xanh mây trắng 2024"));
    /* the older rules still come first */
    assert_string_equal(password_policy("u1", "aaaa"), "Mật khẩu phải có ít nhất 10 ký tự.");
}

static void one_time_passwords(void **state)
{
    (void)state;
    char a[PASSWORD_OTP_LEN], b[PASSWORD_OTP_LEN];
    password_generate(a);
    password_generate(b);
    assert_int_equal(strlen(a), 16);
    assert_string_not_equal(a, b);
    for (int k = 0; k < 200; k++) {
        password_generate(a);
        for (int i = 0; i < 16; i++)
            assert_null(strchr("0O1lI", a[i]));
    }
}

/* A login storm: more concurrent verifications than the limit all succeed (they wait their
 * turn, none fails) and never more than the limit run at once. */
#define STORM 6
static char storm_hash[PASSWORD_HASH_LEN];
static pthread_barrier_t storm_start;

static void *storm_worker(void *arg)
{
    bool *ok = arg;
    pthread_barrier_wait(&storm_start);
    ok[0] = password_verify(storm_hash, "Một mật khẩu dài");
    ok[1] = !password_verify(storm_hash, "sai mật khẩu rồi");
    return NULL;
}

static unsigned storm(unsigned limit)
{
    password_set_max_concurrent(limit);
    assert_int_equal(password_max_concurrent(), limit);
    (void)password_peak_concurrent(true);
    pthread_t t[STORM];
    bool ok[STORM][2] = {{false}};
    assert_int_equal(pthread_barrier_init(&storm_start, NULL, STORM), 0);
    for (int i = 0; i < STORM; i++)
        assert_int_equal(pthread_create(&t[i], NULL, storm_worker, ok[i]), 0);
    for (int i = 0; i < STORM; i++)
        pthread_join(t[i], NULL);
    pthread_barrier_destroy(&storm_start);
    for (int i = 0; i < STORM; i++) {
        assert_true(ok[i][0]);
        assert_true(ok[i][1]);
    }
    return password_peak_concurrent(true);
}

static void concurrency_bounded(void **state)
{
    (void)state;
    assert_int_equal(password_hash("Một mật khẩu dài", storm_hash), 0);
    unsigned peak = storm(1);
    print_message("limit 1: peak %u\n", peak);
    assert_int_equal(peak, 1);
    peak = storm(2);
    print_message("limit 2: peak %u\n", peak);
    assert_true(peak >= 1 && peak <= 2);
    /* 0 restores the default, the number of cores */
    password_set_max_concurrent(0);
    assert_true(password_max_concurrent() >= 1);
}

int main(void)
{
    if (!password_init())
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hash_and_verify),
        cmocka_unit_test(policy),
        cmocka_unit_test(policy_patterns),
        cmocka_unit_test(one_time_passwords),
        cmocka_unit_test(concurrency_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
