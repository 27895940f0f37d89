/* auth.c — the router's authentication hooks (http.h): session cookie and API token lookup.
 * Tokens are looked up by their SHA-256, so the comparison is on a hash the attacker cannot
 * steer; expired sessions are deleted on sight. */
#include <stdio.h>
#include <string.h>

#include "app/secret.h"
#include "app/session.h"
#include "app/tokens.h"
#include "app/users.h"
#include "http/http.h"

#define P_STR(x) ((db_param){.type = DB_TEXT, .s = (x)})

bool auth_session_lookup(db_conn *c, const char *token, int64_t now, struct caller *out)
{
    if (!token || !secret_is_hex(token, 64))
        return false;
    char hash[SECRET_HEX_LEN];
    secret_sha256_hex(token, hash);
    db_rows *r = NULL;
    if (db_exec(c,
                "SELECT s.id, s.user_id, s.csrf_token, s.last_seen_at, s.expires_at, "
                "u.username, u.role, u.unit_id, u.disabled, u.must_change_password, "
                "CASE WHEN n.retired_at IS NULL THEN 0 ELSE 1 END, u.totp_enabled "
                "FROM sessions s JOIN users u ON u.id = s.user_id "
                "JOIN units n ON n.id = u.unit_id WHERE s.token_hash = ?",
                (db_param[]){P_STR(hash)}, 1, &r) != DB_OK)
        return false;
    if (db_rows_count(r) != 1) {
        db_rows_free(r);
        return false;
    }
    int64_t sid = db_int(r, 0, 0), last_seen = db_int(r, 0, 3), expires = db_int(r, 0, 4);
    bool disabled = db_int(r, 0, 8) != 0, unit_retired = db_int(r, 0, 10) != 0;
    if (now - last_seen > SESSION_IDLE_SECONDS || now >= expires || disabled || unit_retired) {
        db_rows_free(r);
        if (unit_retired && !disabled) {
            out->refused_code = UNIT_RETIRED_CODE;
            out->refused_message = unit_retired_message;
        }
        (void)db_exec(c, "DELETE FROM sessions WHERE id = ?", (db_param[]){DB_P_INT(sid)}, 1,
                      NULL);
        return false;
    }
    memset(out, 0, sizeof *out);
    out->authenticated = true;
    out->session_id = sid;
    out->user_id = db_int(r, 0, 1);
    snprintf(out->csrf, sizeof out->csrf, "%s", db_text(r, 0, 2));
    snprintf(out->username, sizeof out->username, "%s", db_text(r, 0, 5));
    out->role = role_from_name(db_text(r, 0, 6));
    out->unit_id = db_int(r, 0, 7);
    out->must_change_password = db_int(r, 0, 9) != 0;
    /* TOTP is mandatory for admins: until enrolled, only the enrolment routes (server gate). */
    out->totp_enrol_required = out->role == ROLE_ADMIN && db_int(r, 0, 11) == 0;
    db_rows_free(r);
    if (now - last_seen >= SESSION_TOUCH_SECONDS)
        (void)db_exec(c, "UPDATE sessions SET last_seen_at = ? WHERE id = ?",
                      (db_param[]){DB_P_INT(now), DB_P_INT(sid)}, 2, NULL);
    return out->role != 0;
}

bool auth_token_lookup(db_conn *c, const char *bearer, int64_t now, struct caller *out)
{
    if (!bearer || strncmp(bearer, TOKEN_PREFIX, 4) || !secret_is_hex(bearer + 4, 64))
        return false;
    char hash[SECRET_HEX_LEN];
    secret_sha256_hex(bearer, hash);
    db_rows *r = NULL;
    if (db_exec(c,
                "SELECT t.id, t.name, t.unit_id, t.role, t.last_used_at, "
                "CASE WHEN u.retired_at IS NULL AND cu.retired_at IS NULL THEN 0 ELSE 1 END, "
                "CASE WHEN t.revoked_at IS NULL THEN 0 ELSE 1 END "
                "FROM api_tokens t JOIN units u ON u.id = t.unit_id "
                "LEFT JOIN users cb ON cb.id = t.created_by "
                "LEFT JOIN units cu ON cu.id = cb.unit_id "
                "WHERE t.token_hash = ?",
                (db_param[]){P_STR(hash)}, 1, &r) != DB_OK)
        return false;
    if (db_rows_count(r) != 1) {
        db_rows_free(r);
        return false;
    }
    /* The token's unit, or its creator's, has stopped operating: say so (retiring also
     * revoked the token, which alone would only give 401). Other revoked tokens: 401. */
    bool unit_retired = db_int(r, 0, 5) != 0, revoked = db_int(r, 0, 6) != 0;
    if (unit_retired || revoked) {
        db_rows_free(r);
        if (unit_retired) {
            out->refused_code = UNIT_RETIRED_CODE;
            out->refused_message = unit_retired_message;
        }
        return false;
    }
    memset(out, 0, sizeof *out);
    out->authenticated = true;
    out->token_id = db_int(r, 0, 0);
    snprintf(out->username, sizeof out->username, "token:%s", db_text(r, 0, 1));
    out->unit_id = db_int(r, 0, 2);
    out->role = role_from_name(db_text(r, 0, 3));
    bool touch = db_is_null(r, 0, 4) || now - db_int(r, 0, 4) >= SESSION_TOUCH_SECONDS;
    db_rows_free(r);
    if (touch)
        (void)db_exec(c, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?",
                      (db_param[]){DB_P_INT(now), DB_P_INT(out->token_id)}, 2, NULL);
    /* An admin-role token is never honoured, whatever the database says. */
    return out->role != 0 && out->role != ROLE_ADMIN;
}
