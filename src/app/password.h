/* password.h — password hashing (argon2id), the password policy, one-time passwords. */
#ifndef DTI_APP_PASSWORD_H
#define DTI_APP_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

/* Size of an encoded argon2id hash string, NUL included (crypto_pwhash_STRBYTES). */
#define PASSWORD_HASH_LEN 128
/* One-time passwords: 16 characters + NUL. */
#define PASSWORD_OTP_CHARS 16
#define PASSWORD_OTP_LEN (PASSWORD_OTP_CHARS + 1)
/* Longest password accepted at all (argon2 cost does not depend on it, but memory does). */
#define PASSWORD_MAX_BYTES 1024

/* Must be called once before anything else here (initialises libsodium); true on success. */
bool password_init(void);

/* argon2id with libsodium's interactive limits. Returns 0, or -1 on failure (out of memory). */
int password_hash(const char *password, char out[PASSWORD_HASH_LEN]);

/* Constant-time with respect to the password; false for a malformed hash. */
bool password_verify(const char *hash, const char *password);

/* Burns the same time as a real verification; used when the user does not exist so the
 * response time does not reveal it. Always returns false. */
bool password_verify_dummy(const char *password);

/* At most n argon2id runs (hash or verify) at once in this process; the others wait their
 * turn. Each run holds 64 MiB, so this bounds the memory of a login storm. 0 = the default,
 * the number of online CPU cores. Thread-safe; `dti serve --max-hashing N`. */
void password_set_max_concurrent(unsigned n);
unsigned password_max_concurrent(void);
/* Most runs seen at once since the start or the last reset (reset: start counting again). */
unsigned password_peak_concurrent(bool reset);

/* Least strength accepted: log2(10^10) bits of guesses as libzxcvbn estimates them (zxcvbn's
 * score 4, "very unguessable"). */
#define PASSWORD_MIN_BITS 33.22

/* The policy. Returns NULL when `password` is acceptable for `username`, else a Vietnamese
 * sentence saying what is wrong (static storage). user_words (NULL-terminated, may be NULL):
 * more words the user's password must not lean on (full name, unit name). */
const char *password_policy(const char *username, const char *password,
                            const char *const *user_words);
/* libzxcvbn's estimate in bits (log2 of guesses), no user words. */
double password_strength_bits(const char *password);

/* Fills out with a random one-time password from an unambiguous alphabet. */
void password_generate(char out[PASSWORD_OTP_LEN]);

#endif
