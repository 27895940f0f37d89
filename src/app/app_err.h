/* app_err.h — how the application layer reports a refusal to its callers (API handlers map it
 * to an HTTP error, the CLI prints the message), and who is acting (for the audit trail). */
#ifndef DTI_APP_APP_ERR_H
#define DTI_APP_APP_ERR_H

#include <stdint.h>

struct app_err {
    int status;        /* HTTP status: 400, 404, 409, 422, 429, 500 ... */
    const char *code;  /* snake_case, static */
    char field[96];    /* empty when the error concerns no single input */
    char message[320]; /* Vietnamese, for a person */
    long retry_after;  /* 429 only: seconds until the caller may try again (Retry-After), else 0 */
};

/* Who performs a change: a signed-in user, an API token, or "cli"/"system". */
struct app_actor {
    int64_t user_id;         /* 0 for the CLI or the system */
    const char *name;        /* username, "cli", "system" */
    const char *client_addr; /* may be NULL */
};

/* Fills e (if not NULL) and returns -1, so callers can `return app_fail(...)`. */
int app_fail(struct app_err *e, int status, const char *code, const char *field,
             const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* A unit level ("province" … "other") in field `field`: 0, or 400 invalid_value naming it. */
int app_check_level(const char *level, const char *field, struct app_err *e);
/* The usual "something went wrong on our side" (database error): 500, never SQL text. */
int app_fail_internal(struct app_err *e);

#endif
