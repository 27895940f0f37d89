/* fuzz_password.c — any bytes as a new password (and as the user's own words, which go to
 * libzxcvbn's dictionary after diacritic folding): the policy never crashes, and refuses
 * anything that is not valid UTF-8, has a control character, or is shorter than 10 characters. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/password.h"
#include "app/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > PASSWORD_MAX_BYTES + 8)
        return 0;
    /* First byte splits the input: [0, cut) the full name, the rest the password. */
    size_t cut = size ? data[0] % (size + 1) : 0;
    if (cut > size)
        cut = size;
    char *words0 = malloc(cut + 1), *pw = malloc(size - cut + 1);
    if (!words0 || !pw)
        abort();
    if (cut > 1)
        memcpy(words0, data + 1, cut - 1);
    words0[cut > 1 ? cut - 1 : 0] = '\0';
    memcpy(pw, data + cut, size - cut);
    pw[size - cut] = '\0';
    const char *words[] = {words0, "Sở Tài chính", NULL};
    const char *m = password_policy("nguoi.dung", pw, words);
    long chars = text_has_control(pw) ? -1 : text_utf8_chars(pw);
    if (!m && (chars < 10 || strlen(pw) > PASSWORD_MAX_BYTES))
        abort();
    free(words0);
    free(pw);
    return 0;
}
