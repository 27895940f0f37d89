/* secret.c — random tokens (libsodium randombytes) and their SHA-256 for storage. */
#include "app/secret.h"

#include <sodium.h>
#include <string.h>

void secret_random_hex(char out[SECRET_HEX_LEN])
{
    unsigned char b[32];
    randombytes_buf(b, sizeof b);
    sodium_bin2hex(out, SECRET_HEX_LEN, b, sizeof b);
    sodium_memzero(b, sizeof b);
}

void secret_sha256_hex(const char *s, char out[SECRET_HEX_LEN])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
    sodium_bin2hex(out, SECRET_HEX_LEN, h, sizeof h);
}

bool secret_equal(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la != lb || la == 0)
        return false;
    return sodium_memcmp(a, b, la) == 0;
}

bool secret_is_hex(const char *s, size_t n)
{
    size_t i = 0;
    for (; s[i]; i++)
        if (i >= n || !((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return i == n;
}
