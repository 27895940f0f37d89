/* sb.h — a bounded text writer into a caller's fixed buffer, for explanations and rule
 * descriptions. Never overflows, never cuts a UTF-8 sequence in half; text that does not fit
 * is dropped. */
#ifndef DTI_CORE_SB_H
#define DTI_CORE_SB_H

#include <stddef.h>
#include <stdint.h>

#include "core/framework.h"
#include "core/rational.h"

struct sb {
    char *p;
    size_t n, cap; /* cap > 0: p[n] is always 0 */
};

void sb_mem(struct sb *b, const char *s, size_t len);
void sb_s(struct sb *b, const char *s);
void sb_f(struct sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_h(struct sb *b, int64_t hundredths); /* "9,51" */
void sb_r(struct sb *b, rat v);              /* "9,51", "1/3" as rat_format writes it */
/* " cuộc họp": the input's noun with a leading space, nothing when it has none */
void sb_noun(struct sb *b, const struct fw_input *in);

#endif
