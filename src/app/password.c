/* password.c — argon2id hashing via libsodium, the password policy, one-time passwords.
 *
 * Policy (DESIGN §7, seed 003 shows one shared default password for every agency):
 * at least 10 characters, valid UTF-8, not the user name nor containing it, and at least
 * 10^10 guesses (PASSWORD_MIN_BITS) as libzxcvbn estimates them, with the user's own name,
 * full name and unit name as extra dictionary words.
 */
#include "app/password.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>
#include <stdlib.h>
#include <utf8proc.h>
#include <zxcvbn.h>

#include "app/text.h"

static const char otp_alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

static char dummy_hash[PASSWORD_HASH_LEN];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

/* The gate: every argon2id run takes 64 MiB, so a login storm on a thread pool of 2 x cores
 * multiplies the resident memory. Runs beyond `gate_max` wait (a login is slower, never
 * refused); more runs than cores would not finish sooner anyway. 0 = not set: number of cores. */
static pthread_mutex_t gate_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cv = PTHREAD_COND_INITIALIZER;
static unsigned gate_max, gate_active, gate_peak;
/* First come, first served: each run takes a ticket and enters when fewer than gate_max runs
 * with an earlier ticket are unfinished. Without it a thread hashing in a loop (bulk accounts
 * hash thousands) re-enters before the login it woke gets the mutex, and logins starve. */
static unsigned long long gate_next, gate_done;

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
    unsigned long long ticket = gate_next++;
    while (ticket >= gate_done + gate_max)
        pthread_cond_wait(&gate_cv, &gate_mu);
    if (++gate_active > gate_peak)
        gate_peak = gate_active;
    pthread_mutex_unlock(&gate_mu);
}

static void gate_leave(void)
{
    pthread_mutex_lock(&gate_mu);
    gate_active--;
    gate_done++;
    pthread_cond_broadcast(&gate_cv); /* the next ticket, whichever thread holds it */
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

/* Splits each of `words` into its space-separated parts and adds both (lower-cased ASCII) to
 * dict, which holds up to `cap` entries, the last one NULL: zxcvbn then scores a password built
 * from the user's own name or unit as guessable. Storage comes from buf (bounded). */
/* Words zxcvbn's English-centred dictionaries miss but everyone here would try first:
 * "mật khẩu", "anh yêu em", place and agency names (seed 003's "Abc@12345"-style defaults). */
static const char *const local_words[] = {
    "matkhau", "matkhaumoi", "anhyeuem", "emyeuanh", "yeuem", "vietnam", "hanoi", "saigon",
    "danang", "hue", "thuathienhue", "ubnd", "sotttt", "dti", "chuyendoiso", "quantri",
    "xinchao", "chinhphu", "congchuc",
};

/* Appends w (len bytes) lower-cased to dict, storage from buf; skips short words. */
static void dict_add(const char **dict, size_t *n, size_t cap, char *buf, size_t *used,
                     size_t buflen, const char *w, size_t len)
{
    if (len < 3 || *n + 1 >= cap || *used + len + 1 > buflen)
        return;
    for (size_t k = 0; k < len; k++)
        buf[*used + k] = (char)tolower((unsigned char)w[k]);
    buf[*used + len] = '\0';
    dict[(*n)++] = buf + *used;
    *used += len + 1;
}

/* Adds the string, its space-separated parts, and the same without diacritics ("Quảng Trị" ->
 * "quang tri", "quang", "tri"; đ -> d): people type their names both ways. */
static void dict_add_words(const char **dict, size_t *n, size_t cap, char *buf, size_t *used,
                           size_t buflen, const char *w)
{
    utf8proc_uint8_t *folded = NULL;
    const char *forms[2] = {w, NULL};
    if (utf8proc_map((const utf8proc_uint8_t *)w, 0, &folded,
                     UTF8PROC_NULLTERM | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK |
                         UTF8PROC_CASEFOLD) >= 0) {
        for (utf8proc_uint8_t *p = folded; *p; p++)
            if (p[0] == 0xC4 && (p[1] == 0x91 || p[1] == 0x90)) { /* đ Đ -> d + filler */
                p[0] = 'd';
                memmove(p + 1, p + 2, strlen((char *)p + 2) + 1);
            }
        forms[1] = (const char *)folded;
    }
    for (int f = 0; f < 2 && forms[f]; f++) {
        const char *s = forms[f];
        dict_add(dict, n, cap, buf, used, buflen, s, strlen(s));
        /* the parts, and the parts run together ("quangtri") */
        char joined[256];
        size_t jl = 0;
        for (const char *p = s; *p;) {
            size_t len = strcspn(p, " ");
            dict_add(dict, n, cap, buf, used, buflen, p, len);
            if (jl + len < sizeof joined) {
                memcpy(joined + jl, p, len);
                jl += len;
            }
            p += len;
            while (*p == ' ')
                p++;
        }
        dict_add(dict, n, cap, buf, used, buflen, joined, jl);
    }
    free(folded);
}

/* The dictionary zxcvbn gets on top of its own: local words, the user name and the user's
 * words (full name, unit name). NULL-terminated in dict (cap entries), storage in buf. */
static void user_dictionary(const char *username, const char *const *words, const char **dict,
                            size_t cap, char *buf, size_t buflen)
{
    size_t n = 0, used = 0;
    for (size_t i = 0; i < sizeof local_words / sizeof *local_words && n + 1 < cap; i++)
        dict[n++] = local_words[i];
    if (username && *username)
        dict_add(dict, &n, cap, buf, &used, buflen, username, strlen(username));
    for (size_t i = 0; words && words[i]; i++)
        dict_add_words(dict, &n, cap, buf, &used, buflen, words[i]);
    dict[n] = NULL;
}

const char *password_policy(const char *username, const char *password,
                            const char *const *user_words)
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

    /* ASCII lower-casing is enough: user names are ASCII. */
    const char *res = NULL;
    if (username && *username) {
        char lower[PASSWORD_MAX_BYTES + 1], user[128];
        for (size_t i = 0; i <= bytes; i++)
            lower[i] = (char)tolower((unsigned char)password[i]);
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
        sodium_memzero(lower, bytes);
    }
    if (res)
        return res;

    /* zxcvbn (dictionaries of common passwords, names and words, keyboard walks, sequences,
     * repeats, dates, l33t) estimates the guesses an attacker needs; below 10^10 the password
     * falls to an offline attack on a stolen hash database too fast, so it is refused. */
    const char *dict[80];
    char dictbuf[2048];
    user_dictionary(username, user_words, dict, sizeof dict / sizeof *dict, dictbuf,
                    sizeof dictbuf);
    double bits = ZxcvbnMatch(password, dict, NULL);
    sodium_memzero(dictbuf, sizeof dictbuf);
    if (bits < PASSWORD_MIN_BITS)
        return "Mật khẩu quá dễ đoán (là từ thông dụng, tên, dãy số, hàng phím, ngày tháng hay "
               "chuỗi lặp lại, hoặc ghép từ những thứ đó). Hãy dùng một câu dài gồm nhiều từ "
               "không liên quan, hoặc thêm ký tự ngẫu nhiên.";
    return NULL;
}

double password_strength_bits(const char *password)
{
    return ZxcvbnMatch(password, NULL, NULL);
}

void password_generate(char out[PASSWORD_OTP_LEN])
{
    const uint32_t n = (uint32_t)(sizeof otp_alphabet - 1);
    for (int i = 0; i < PASSWORD_OTP_CHARS; i++)
        out[i] = otp_alphabet[randombytes_uniform(n)];
    out[PASSWORD_OTP_CHARS] = '\0';
}
