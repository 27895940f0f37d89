/* throttle.h — login throttling that cannot be raced: an attempt is *reserved* (one atomic
 * upsert per key, all keys in one transaction) before the password is hashed, so at most
 * `max` password checks run per key and window however many requests arrive at once.
 *
 * Counters live in the database (table login_counters) so every app node sees the same ones
 * (DESIGN §7). Each key belongs to a rule (window, max); see docs/security.md for the design:
 *   pair    (account, client address)   5 per 15 min — strict limit for clients not known
 *   device  (account, known device)     5 per 15 min — strict limit for a known browser
 *   session (account, session)          5 per 15 min — current password on a password change
 *   account (account)                  10 per hour   — shared by all clients NOT known: bounds
 *                                                      guessing per account whatever the
 *                                                      number of addresses; known devices
 *                                                      are exempt, so a stranger cannot lock
 *                                                      a user out of their own browser
 *   address (client address)           50 per 15 min — across accounts, clients not known
 *   otp     (account)                   5 per 15 min — second-factor codes
 * A reservation is kept when the attempt fails (it then counts as a failure) and given back
 * when it succeeds (strict keys are cleared, shared keys decremented). */
#ifndef DTI_APP_THROTTLE_H
#define DTI_APP_THROTTLE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

enum throttle_rule { THR_PAIR, THR_DEVICE, THR_SESSION, THR_ACCOUNT, THR_ADDRESS, THR_OTP, THR_RULES };

struct throttle_limit {
    const char *prefix; /* key prefix */
    int max;            /* attempts per window */
    int window;         /* seconds */
    bool clear_on_success; /* strict per-client keys restart; shared ones only give back one */
};
extern const struct throttle_limit throttle_limits[THR_RULES];

#define THROTTLE_KEY_LEN 200
#define THROTTLE_KEEP_SECONDS 86400 /* rows of ended windows are deleted after a day */
#define THROTTLE_MAX_KEYS 4

/* The keys one attempt reserves, in lock order (rule order: pair/device/session, account,
 * address, otp). */
struct throttle_ticket {
    int n;
    enum throttle_rule rule[THROTTLE_MAX_KEYS];
    char key[THROTTLE_MAX_KEYS][THROTTLE_KEY_LEN];
};

/* Appends a key "<prefix>:<a>|<b>" (b may be NULL) for rule to t. */
void throttle_add(struct throttle_ticket *t, enum throttle_rule rule, const char *a, const char *b);

/* Reserves one attempt under every key of t, atomically (one transaction; a blocked key rolls
 * the others back). Returns 0 when reserved, 1 when a key is at its limit (*retry_at = when the
 * latest blocking window ends), -1 on a database error. Must not be called inside a transaction. */
int throttle_reserve(db_conn *c, const struct throttle_ticket *t, int64_t now, int64_t *retry_at);

/* The attempt succeeded: give the reservation back (clear strict keys, decrement shared ones).
 * Works inside or outside a transaction. Returns DB_OK or an error. */
int throttle_release(db_conn *c, const struct throttle_ticket *t);

/* Deletes the rows of windows that started more than THROTTLE_KEEP_SECONDS ago (reserve calls
 * it now and then). Returns DB_OK or an error. */
int throttle_sweep(db_conn *c, int64_t now);

#endif
