/* test_password.c — argon2id hashing, the policy, one-time passwords. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>

#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>
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
    assert_null(password_policy("nguyenvana", "Trời xanh mây trắng 2024", NULL));
    assert_null(password_policy("nguyenvana", "k7#Qm2pLx9", NULL));
    assert_non_null(password_policy("nguyenvana", "abc@1234", NULL));
    assert_non_null(password_policy("nguyenvana", "123456", NULL));
    assert_non_null(password_policy("nguyenvana", "k7#Qm2pLx", NULL)); /* 9 characters */
    assert_non_null(password_policy("nguyenvana", "nguyenvana", NULL));
    assert_non_null(password_policy("nguyenvana", "NguyenVanA", NULL));
    assert_non_null(password_policy("nguyenvana", "xx-NGUYENVANA-2024", NULL));
    assert_non_null(password_policy("u1", "Abc@12345", NULL));
    assert_non_null(password_policy("u1", "qwerty123", NULL));
    assert_non_null(password_policy("u1", "1234567890", NULL));
    assert_non_null(password_policy("u1", "Password123", NULL));
    assert_non_null(password_policy("u1", "MatKhau@123", NULL));
    assert_non_null(password_policy("u1", "Admin@12345", NULL));
    /* Vietnamese letters, 10 characters */
    assert_null(password_policy("u1", "ắằẳẵặấầẩẫậ", NULL));
    assert_non_null(password_policy("u1", "ắằẳẵặấầẩẫ", NULL));
    /* invalid UTF-8, overlong, control characters, empty */
    assert_non_null(password_policy("u1", "abcdefghij\xff", NULL));
    assert_non_null(password_policy("u1", "abcdefghij\xc0\xaf", NULL));
    assert_non_null(password_policy("u1", "abcdefghij\x01", NULL));
    assert_non_null(password_policy("u1", "", NULL));
    assert_non_null(password_policy("u1", NULL, NULL));
    const char *m = password_policy("u1", "short", NULL);
    assert_string_equal(m, "Mật khẩu phải có ít nhất 10 ký tự.");
}

/* Long but guessable: libzxcvbn scores each below 10^10 guesses (PASSWORD_MIN_BITS); the hand
 * rules this replaced let `1234567890ab` through. */
static void policy_zxcvbn(void **state)
{
    (void)state;
    static const char *const weak[] = {
        "1234567890ab", "aaaaaaaaaa", "abcabcabca", "12121212121", "123456789012",
        "9876543210", "ABCDEFGHIJKL", "qwertyuiop", "QWERTYUIOP[", "asdfghjkl;'",
        "abcabcabcX9", "0123456789x", "qwertyuiop1", "aabbccddee", "Password2024",
        "matkhau2024", "Vietnam@2024", "iloveyou12345", "01/02/1990abc",
    };
    for (size_t i = 0; i < sizeof weak / sizeof *weak; i++) {
        const char *m = password_policy("nv01", weak[i], NULL);
        if (!m)
            fail_msg("accepted a weak password: %s (%.1f bits)", weak[i],
                     password_strength_bits(weak[i]));
        assert_non_null(strstr(m, "quá dễ đoán"));
    }
    static const char *const strong[] = {
        "Trời xanh mây trắng 2024", "k7#Qm2pLx9", "correct horse battery staple",
        "xK9vQ2mTpL7wRb4z", "Dti-Qz8rW1nTk4vHm2Xs-9x!",
    };
    for (size_t i = 0; i < sizeof strong / sizeof *strong; i++)
        assert_null(password_policy("u1", strong[i], NULL));
    /* the user's own words: full name and unit name make an otherwise fine password weak */
    const char *words[] = {"Nguyễn Hoàng Phương", "Sở Kế hoạch Đầu tư Quảngtrị", NULL};
    assert_null(password_policy("u1", "quangtriphuong88", NULL));
    assert_non_null(password_policy("u1", "quangtriphuong88", words));
    /* the user name rule still comes first, with its own message */
    assert_string_equal(password_policy("lehoa", "Lehoa-k7#Qm2pLx9", NULL),
                        "Mật khẩu không được chứa tên đăng nhập.");
    assert_string_equal(password_policy("u1", "aaaa", NULL), "Mật khẩu phải có ít nhất 10 ký tự.");
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
        /* what the server hands out must pass its own policy */
        assert_null(password_policy("nguoidung", a, NULL));
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

/* First come, first served: a thread hashing in a loop (bulk accounts) does not starve a
 * login that asks meanwhile. With one slot the login waits for the run in progress and at
 * most one more that took its ticket first. */
#define LOOP_RUNS 8
static atomic_int loop_done, loop_stop;

static void *hash_loop(void *arg)
{
    (void)arg;
    char h[PASSWORD_HASH_LEN];
    for (int i = 0; i < LOOP_RUNS && !atomic_load(&loop_stop); i++) {
        assert_int_equal(password_hash("vòng lặp băm mật khẩu", h), 0);
        atomic_fetch_add(&loop_done, 1);
    }
    return NULL;
}

static void gate_first_come_first_served(void **state)
{
    (void)state;
    password_set_max_concurrent(1);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, hash_loop, NULL), 0);
    while (atomic_load(&loop_done) < 1)
        usleep(1000);
    int before = atomic_load(&loop_done);
    assert_true(password_verify(storm_hash, "Một mật khẩu dài"));
    int during = atomic_load(&loop_done) - before;
    atomic_store(&loop_stop, 1);
    pthread_join(t, NULL);
    print_message("loop runs while one login waited: %d\n", during);
    assert_true(during <= 2);
    password_set_max_concurrent(0);
}

int main(void)
{
    if (!password_init())
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hash_and_verify),
        cmocka_unit_test(policy),
        cmocka_unit_test(policy_zxcvbn),
        cmocka_unit_test(one_time_passwords),
        cmocka_unit_test(concurrency_bounded),
        cmocka_unit_test(gate_first_come_first_served),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
