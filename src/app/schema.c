/* schema.c — numbered migrations, portable SQL (tokens @ID@ @BLOB@ @NOW@ are replaced per
 * engine by db_migrate). Never edit a shipped migration: add a new one. */
#include "app/schema.h"

static const char m001_init[] =
    /* The unit tree. Units are retired, never deleted once referenced (DESIGN §3). */
    "CREATE TABLE units ("
    "  id @ID@,"
    "  code TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('province','department','district','commune','other')),"
    "  parent_id BIGINT REFERENCES units(id),"
    "  official_code TEXT,"
    "  info TEXT NOT NULL DEFAULT '{}',"          /* general-information block, JSON */
    "  created_at BIGINT NOT NULL,"
    "  retired_at BIGINT,"
    "  retired_reason TEXT);"
    "CREATE INDEX units_parent ON units(parent_id);"

    "CREATE TABLE users ("
    "  id @ID@,"
    "  username TEXT NOT NULL UNIQUE,"            /* stored lower-case */
    "  full_name TEXT NOT NULL DEFAULT '',"
    "  email TEXT,"
    "  role TEXT NOT NULL CHECK (role IN ('admin','appraiser','staff','leader')),"
    "  unit_id BIGINT NOT NULL REFERENCES units(id),"
    "  password_hash TEXT NOT NULL,"              /* argon2id encoded string */
    "  must_change_password INTEGER NOT NULL DEFAULT 1,"
    "  disabled INTEGER NOT NULL DEFAULT 0,"
    "  created_at BIGINT NOT NULL,"
    "  password_changed_at BIGINT,"
    "  last_login_at BIGINT);"
    "CREATE INDEX users_unit ON users(unit_id);"

    /* Sessions: only the SHA-256 of the cookie token is stored. */
    "CREATE TABLE sessions ("
    "  id @ID@,"
    "  token_hash TEXT NOT NULL UNIQUE,"
    "  user_id BIGINT NOT NULL REFERENCES users(id),"
    "  csrf_token TEXT NOT NULL,"
    "  client_addr TEXT,"
    "  created_at BIGINT NOT NULL,"
    "  last_seen_at BIGINT NOT NULL,"
    "  expires_at BIGINT NOT NULL);"              /* absolute timeout */
    "CREATE INDEX sessions_user ON sessions(user_id);"

    /* API tokens for machine clients: hashed, scoped to a unit and a role, revocable. */
    "CREATE TABLE api_tokens ("
    "  id @ID@,"
    "  name TEXT NOT NULL,"
    "  token_hash TEXT NOT NULL UNIQUE,"
    "  unit_id BIGINT NOT NULL REFERENCES units(id),"
    "  role TEXT NOT NULL,"
    "  created_by BIGINT REFERENCES users(id),"
    "  created_at BIGINT NOT NULL,"
    "  last_used_at BIGINT,"
    "  revoked_at BIGINT);"

    /* Failed logins, shared by every app node (DESIGN §7): key is 'user:<name>' or 'addr:<ip>'. */
    "CREATE TABLE login_failures ("
    "  id @ID@,"
    "  key TEXT NOT NULL,"
    "  at BIGINT NOT NULL);"
    "CREATE INDEX login_failures_key ON login_failures(key, at);"

    /* Append-only, hash-chained audit trail: hash = SHA-256(prev_hash || canonical row). */
    "CREATE TABLE audit_log ("
    "  id @ID@,"
    "  at BIGINT NOT NULL,"
    "  actor_user_id BIGINT,"
    "  actor_name TEXT NOT NULL,"
    "  client_addr TEXT,"
    "  action TEXT NOT NULL,"
    "  entity TEXT NOT NULL,"
    "  entity_id TEXT,"
    "  old_value TEXT,"                           /* JSON or NULL */
    "  new_value TEXT,"                           /* JSON or NULL */
    "  prev_hash TEXT NOT NULL,"
    "  hash TEXT NOT NULL);"
    "CREATE INDEX audit_entity ON audit_log(entity, entity_id);"
    /* One row: the head of the chain. Updating it first serializes appenders on both engines. */
    "CREATE TABLE audit_head ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  seq BIGINT NOT NULL,"
    "  last_hash TEXT NOT NULL);"
    "INSERT INTO audit_head (id, seq, last_hash) VALUES (1, 0, "
    "  '0000000000000000000000000000000000000000000000000000000000000000');"

    /* Index sets: the file as stored, immutable per (id, version). */
    "CREATE TABLE frameworks ("
    "  id TEXT NOT NULL,"
    "  version INTEGER NOT NULL,"
    "  title TEXT NOT NULL,"
    "  level TEXT NOT NULL,"
    "  year INTEGER NOT NULL,"
    "  status TEXT NOT NULL,"
    "  max_points BIGINT NOT NULL,"               /* hundredths */
    "  criteria_count INTEGER NOT NULL,"
    "  body TEXT NOT NULL,"
    "  sha256 TEXT NOT NULL,"
    "  created_at BIGINT NOT NULL,"
    "  created_by BIGINT,"
    "  PRIMARY KEY (id, version));";

/* Login throttling that reserves an attempt before the password is checked (one atomic upsert
 * per key, see throttle.c), known devices, and the second factor (TOTP, recovery codes). */
static const char m002_auth[] =
    "DROP TABLE login_failures;"
    /* One row per throttle key: attempts reserved in the fixed window starting at window_start. */
    "CREATE TABLE login_counters ("
    "  key TEXT PRIMARY KEY,"
    "  window_start BIGINT NOT NULL,"
    "  n INTEGER NOT NULL);"
    "CREATE INDEX login_counters_window ON login_counters(window_start);"
    /* A browser that logged in successfully as a user: SHA-256 of the dti_device cookie. */
    "CREATE TABLE known_devices ("
    "  id @ID@,"
    "  token_hash TEXT NOT NULL,"
    "  user_id BIGINT NOT NULL REFERENCES users(id),"
    "  created_at BIGINT NOT NULL,"
    "  last_used_at BIGINT NOT NULL,"
    "  UNIQUE (token_hash, user_id));"
    "CREATE INDEX known_devices_user ON known_devices(user_id);"
    /* TOTP (RFC 6238): secret in base32; totp_enabled once confirmed with a code; the last
     * time step accepted, so a code is accepted once. */
    "ALTER TABLE users ADD COLUMN totp_secret TEXT;"
    "ALTER TABLE users ADD COLUMN totp_enabled INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE users ADD COLUMN totp_last_step BIGINT;"
    /* Recovery codes: SHA-256 of 80 random bits each (too many to guess, no slow hash needed),
     * each usable once. */
    "CREATE TABLE recovery_codes ("
    "  id @ID@,"
    "  user_id BIGINT NOT NULL REFERENCES users(id),"
    "  code_hash TEXT NOT NULL,"
    "  used_at BIGINT);"
    "CREATE INDEX recovery_codes_user ON recovery_codes(user_id);"
    /* Password accepted, second factor awaited: a short-lived token (hashed) and its tries. */
    "CREATE TABLE pending_logins ("
    "  id @ID@,"
    "  token_hash TEXT NOT NULL UNIQUE,"
    "  user_id BIGINT NOT NULL REFERENCES users(id),"
    "  client_addr TEXT,"
    "  created_at BIGINT NOT NULL,"
    "  expires_at BIGINT NOT NULL,"
    "  attempts INTEGER NOT NULL DEFAULT 0);";

const struct db_migration dti_migrations[] = {
    {1, "init", m001_init},
    {2, "auth", m002_auth},
};
const int dti_migrations_count = sizeof dti_migrations / sizeof dti_migrations[0];
