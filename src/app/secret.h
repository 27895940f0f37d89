/* secret.h — random tokens and their stored form (SHA-256, hex). */
#ifndef DTI_APP_SECRET_H
#define DTI_APP_SECRET_H

#include <stdbool.h>
#include <stddef.h>

#define SECRET_HEX_LEN 65 /* 32 bytes as hex + NUL */

/* 32 random bytes as lower-case hex. */
void secret_random_hex(char out[SECRET_HEX_LEN]);
/* SHA-256 of the string, lower-case hex: what the database keeps instead of the token. */
void secret_sha256_hex(const char *s, char out[SECRET_HEX_LEN]);
/* Constant-time equality of two NUL-terminated strings of the same length. */
bool secret_equal(const char *a, const char *b);
/* True when s is exactly n lower-case hex digits. */
bool secret_is_hex(const char *s, size_t n);

#endif
