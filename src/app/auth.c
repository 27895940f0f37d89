/* auth.c — placeholder until sessions land: nobody is authenticated. */
#include "http/http.h"

bool auth_session_lookup(db_conn *c, const char *token, int64_t now, struct caller *out)
{
    (void)c;
    (void)token;
    (void)now;
    (void)out;
    return false;
}

bool auth_token_lookup(db_conn *c, const char *bearer, int64_t now, struct caller *out)
{
    (void)c;
    (void)bearer;
    (void)now;
    (void)out;
    return false;
}
