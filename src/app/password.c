/* password.c — argon2id hashing via libsodium, the password policy, one-time passwords.
 *
 * Policy (DESIGN §7, seed 003 shows one shared default password for every agency):
 * at least 10 characters, valid UTF-8, not the user name nor containing it, not a common
 * password (compared lower-cased), not one short pattern repeated, not a run of consecutive
 * characters or keys, at least 5 distinct characters (all compared case-insensitively).
 */
#include "app/password.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>
#include <utf8proc.h>

#include "app/text.h"

/* Passwords seen again and again in breach lists, plus the Vietnamese favourites (seed 003
 * distributes "Abc@12345"-style defaults). Lower-case; the check lower-cases the candidate. */
static const char *const common_passwords[] = {
    "abc@1234", "abc@12345", "abc@123456", "abc12345", "abc123456", "abcd1234", "abcd@1234",
    "abcd12345", "123456", "1234567", "12345678", "123456789", "1234567890", "12345678910",
    "0123456789", "0987654321", "987654321", "111111", "11111111", "1111111111", "000000",
    "00000000", "0000000000", "123123", "123123123", "123321", "112233", "121212", "654321",
    "666666", "888888", "88888888", "999999", "99999999", "123456a@", "123456aa", "123456abc",
    "123qwe", "1q2w3e4r", "1q2w3e4r5t", "1qaz2wsx", "1qaz@wsx", "zaq12wsx", "password",
    "password1", "password123", "password@123", "p@ssw0rd", "p@ssword", "passw0rd",
    "p@ssw0rd123", "pass@123", "pass@1234", "matkhau", "matkhau123", "matkhau@123",
    "matkhau@1234", "matkhaumoi", "admin", "admin123", "admin@123", "admin@1234", "admin@12345",
    "admin1234", "admin12345", "administrator", "root", "root@123", "toor", "qwerty",
    "qwerty123", "qwerty@123", "qwertyuiop", "qwerty1234", "asdfghjkl", "asdf1234", "zxcvbnm",
    "iloveyou", "iloveyou123", "anhyeuem", "anhyeuem123", "emyeuanh", "yeuem123", "vietnam",
    "vietnam123", "vietnam@123", "hanoi123", "saigon123", "welcome", "welcome1", "welcome123",
    "welcome@123", "letmein", "letmein123", "monkey", "dragon", "football", "baseball",
    "sunshine", "princess", "superman", "batman", "trustno1", "master", "master123",
    "changeme", "changeme123", "default", "default123", "guest", "guest123", "test", "test123",
    "test@123", "user", "user123", "user@123", "demo", "demo123", "huế@123", "hue@123",
    "hue123456", "sotttt@123", "ubnd@123", "ubnd123456", "dti@123", "dti@2023", "dti@2024",
    "dti@2025", "chuyendoiso", "chuyendoiso@123", "12345678a", "123456789a", "a123456789",
    "aa123456", "abc123", "abcdef", "abcdefgh", "abcdefghij", "abcde12345", "qazwsxedc",
};

/* Keyboard rows (US layout, which Vietnamese keyboards share), and the letter rows joined:
 * "qwertyuiop", "asdfghjkl;", "poiuytrewq" are as easy to type as "0123456789". */
static const char *const keyboard_rows[] = {
    "`1234567890-=", "qwertyuiop[]\\", "asdfghjkl;'", "zxcvbnm,./", "qwertyuiopasdfghjklzxcvbnm",
};

#define POLICY_MIN_DISTINCT 5

static const char otp_alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

static char dummy_hash[PASSWORD_HASH_LEN];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

/* The gate: every argon2id run takes 64 MiB, so a login storm on a thread pool of 2 x cores
 * multiplies the resident memory. Runs beyond `gate_max` wait (a login is slower, never
 * refused); more runs than cores would not finish sooner anyway. 0 = not set: number of cores. */
static pthread_mutex_t gate_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cv = PTHREAD_COND_INITIALIZER;
static unsigned gate_max, gate_active, gate_peak;

static unsigned default_max(void)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    return cores > 0 ? (unsigned)cores : 1;
}

static void gate_enter(void)
{
    pthread_mutex_lock(&gate_mu);
    if (!gate_max)
        gate_max = default_max();
    while (gate_active >= gate_max)
        pthread_cond_wait(&gate_cv, &gate_mu);
    if (++gate_active > gate_peak)
        gate_peak = gate_active;
    pthread_mutex_unlock(&gate_mu);
}

static void gate_leave(void)
{
    pthread_mutex_lock(&gate_mu);
    gate_active--;
    pthread_cond_signal(&gate_cv);
    pthread_mutex_unlock(&gate_mu);
}

void password_set_max_concurrent(unsigned n)
{
    pthread_mutex_lock(&gate_mu);
    gate_max = n ? n : default_max();
    pthread_cond_broadcast(&gate_cv); /* a larger limit lets waiters in now */
    pthread_mutex_unlock(&gate_mu);
}

unsigned password_max_concurrent(void)
{
    pthread_mutex_lock(&gate_mu);
    unsigned n = gate_max ? gate_max : default_max();
    pthread_mutex_unlock(&gate_mu);
    return n;
}

unsigned password_peak_concurrent(bool reset)
{
    pthread_mutex_lock(&gate_mu);
    unsigned n = gate_peak;
    if (reset)
        gate_peak = gate_active;
    pthread_mutex_unlock(&gate_mu);
    return n;
}

bool password_init(void)
{
    return sodium_init() >= 0;
}

/* OWASP's first argon2id configuration (m = 19 MiB, t = 2, p = 1) rather than libsodium's
 * "interactive" 64 MiB: equivalent resistance per OWASP's table, and a third of the memory per
 * concurrent login, which keeps the server under 100 MB during a login storm (bench/login_rss.sh).
 * Hashes carry their parameters, so hashes made with other limits still verify. */
#define PASSWORD_OPSLIMIT 2ULL
#define PASSWORD_MEMLIMIT (19ULL * 1024 * 1024)

int password_hash(const char *password, char out[PASSWORD_HASH_LEN])
{
    _Static_assert(PASSWORD_HASH_LEN == crypto_pwhash_STRBYTES, "hash buffer size");
    gate_enter();
    int rc = crypto_pwhash_str_alg(out, password, strlen(password), PASSWORD_OPSLIMIT,
                                   PASSWORD_MEMLIMIT, crypto_pwhash_ALG_ARGON2ID13);
    gate_leave();
    return rc == 0 ? 0 : -1;
}

bool password_verify(const char *hash, const char *password)
{
    if (!hash || !password || strncmp(hash, "$argon2id$", 10) != 0)
        return false;
    gate_enter();
    bool ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
    gate_leave();
    return ok;
}

static void make_dummy(void)
{
    char pw[PASSWORD_OTP_LEN];
    password_generate(pw);
    if (password_hash(pw, dummy_hash) != 0)
        dummy_hash[0] = '\0';
    sodium_memzero(pw, sizeof pw);
}

bool password_verify_dummy(const char *password)
{
    pthread_once(&dummy_once, make_dummy);
    if (dummy_hash[0])
        (void)password_verify(dummy_hash, password);
    return false;
}

/* True when s (n code points) is a prefix of its own repetition with a period of at most
 * n / 2: "abcabcabca", "12121212121", "aaaaaaaaaa". */
static bool is_repetition(const utf8proc_int32_t *s, size_t n)
{
    for (size_t p = 1; p <= n / 2; p++) {
        size_t i = p;
        while (i < n && s[i] == s[i - p])
            i++;
        if (i == n)
            return true;
    }
    return false;
}

/* The character after c going up (step 1) or down (-1); digits wrap ("8901234567"). */
static utf8proc_int32_t next_char(utf8proc_int32_t c, int step)
{
    if (c >= '0' && c <= '9')
        return '0' + (c - '0' + step + 10) % 10;
    return c + step;
}

/* True when every step is +1, or every step is -1 ("0123456789", "jihgfedcba"), or s is a
 * stretch of one keyboard row read either way ("qwertyuiop", "lkjhgfdsa;"...). */
static bool is_sequence(const utf8proc_int32_t *s, size_t n)
{
    if (n < 2)
        return false;
    for (int step = -1; step <= 1; step += 2) {
        size_t i = 1;
        while (i < n && s[i] == next_char(s[i - 1], step))
            i++;
        if (i == n)
            return true;
    }
    for (size_t r = 0; r < sizeof keyboard_rows / sizeof *keyboard_rows; r++) {
        const char *row = keyboard_rows[r];
        size_t len = strlen(row);
        if (n > len)
            continue;
        for (int dir = 1; dir >= -1; dir -= 2) {
            for (size_t start = 0; start + n <= len; start++) {
                size_t i = 0;
                for (; i < n; i++) {
                    size_t at = dir > 0 ? start + i : len - 1 - start - i;
                    if (s[i] != (unsigned char)row[at])
                        break;
                }
                if (i == n)
                    return true;
            }
        }
    }
    return false;
}

static size_t count_distinct(const utf8proc_int32_t *s, size_t n)
{
    size_t d = 0;
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < i && s[j] != s[i])
            j++;
        d += j == i;
    }
    return d;
}

/* The patterns that make a long password guessable anyway, on the lower-cased code points. */
static const char *pattern_problem(const char *password)
{
    utf8proc_int32_t cps[PASSWORD_MAX_BYTES];
    size_t n = 0;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)password;
    while (*p && n < PASSWORD_MAX_BYTES) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p, -1, &cp);
        if (k <= 0)
            return NULL; /* already refused as invalid UTF-8 */
        cps[n++] = utf8proc_tolower(cp);
        p += k;
    }
    const char *res = NULL;
    if (is_repetition(cps, n))
        res = "Mật khẩu không được là một chuỗi ngắn lặp lại (như “abcabcabca” hay “1212121212”).";
    else if (is_sequence(cps, n))
        res = "Mật khẩu không được là một dãy ký tự liên tiếp (như “0123456789”, “abcdefghij”) "
              "hay một hàng phím (như “qwertyuiop”).";
    else if (count_distinct(cps, n) < POLICY_MIN_DISTINCT)
        res = "Mật khẩu phải có ít nhất 5 ký tự khác nhau.";
    sodium_memzero(cps, n * sizeof *cps);
    return res;
}

const char *password_policy(const char *username, const char *password)
{
    if (!password || !*password)
        return "Vui lòng nhập mật khẩu mới.";
    size_t bytes = strlen(password);
    if (bytes > PASSWORD_MAX_BYTES)
        return "Mật khẩu quá dài (tối đa 1024 byte).";
    long chars = text_has_control(password) ? -1 : text_utf8_chars(password);
    if (chars < 0)
        return "Mật khẩu chứa ký tự không hợp lệ (không phải UTF-8 hoặc ký tự điều khiển).";
    if (chars < 10)
        return "Mật khẩu phải có ít nhất 10 ký tự.";

    /* ASCII lower-casing is enough: user names are ASCII and the list is ASCII (plus "huế",
     * compared byte for byte). */
    char lower[PASSWORD_MAX_BYTES + 1];
    for (size_t i = 0; i <= bytes; i++)
        lower[i] = (char)tolower((unsigned char)password[i]);

    const char *res = NULL;
    if (username && *username) {
        char user[128];
        size_t ul = strlen(username);
        if (ul >= sizeof user)
            ul = sizeof user - 1;
        for (size_t i = 0; i < ul; i++)
            user[i] = (char)tolower((unsigned char)username[i]);
        user[ul] = '\0';
        if (!strcmp(lower, user))
            res = "Mật khẩu không được trùng với tên đăng nhập.";
        else if (strstr(lower, user))
            res = "Mật khẩu không được chứa tên đăng nhập.";
    }
    for (size_t i = 0; !res && i < sizeof common_passwords / sizeof common_passwords[0]; i++)
        if (!strcmp(lower, common_passwords[i]))
            res = "Mật khẩu này quá phổ biến và dễ bị đoán; vui lòng chọn mật khẩu khác.";
    sodium_memzero(lower, bytes);
    if (!res)
        res = pattern_problem(password);
    return res;
}

void password_generate(char out[PASSWORD_OTP_LEN])
{
    const uint32_t n = (uint32_t)(sizeof otp_alphabet - 1);
    for (int i = 0; i < PASSWORD_OTP_CHARS; i++)
        out[i] = otp_alphabet[randombytes_uniform(n)];
    out[PASSWORD_OTP_CHARS] = '\0';
}
