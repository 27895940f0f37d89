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

/* Evaluation rounds (DESIGN §3, §4; issue 8). Times are unix seconds (UTC); the UI and the API
 * speak Asia/Ho_Chi_Minh dates. Points are hundredths, like frameworks.max_points. */
static const char m003_rounds[] =
    "CREATE TABLE rounds ("
    "  id @ID@,"
    "  title TEXT NOT NULL,"
    "  year INTEGER NOT NULL,"
    "  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','finalised')),"
    "  created_at BIGINT NOT NULL,"
    "  created_by BIGINT REFERENCES users(id),"
    "  finalised_at BIGINT,"
    "  finalised_by BIGINT REFERENCES users(id),"
    "  trial_cleared_at BIGINT,"                  /* trial data cleared when the official phase opened */
    "  version INTEGER NOT NULL DEFAULT 1);"
    /* Which index set (id + version) a level of units answers in this round. */
    "CREATE TABLE round_frameworks ("
    "  round_id BIGINT NOT NULL REFERENCES rounds(id),"
    "  level TEXT NOT NULL CHECK (level IN ('province','department','district','commune','other')),"
    "  framework_id TEXT NOT NULL,"
    "  framework_version INTEGER NOT NULL,"
    "  PRIMARY KEY (round_id, level),"
    "  FOREIGN KEY (framework_id, framework_version) REFERENCES frameworks(id, version));"
    /* Dated phases, each a window [starts_at, ends_at). */
    "CREATE TABLE round_phases ("
    "  round_id BIGINT NOT NULL REFERENCES rounds(id),"
    "  phase TEXT NOT NULL CHECK (phase IN ('trial','self_assessment','appraisal1','explanation',"
    "    'appraisal2','finalised')),"
    "  starts_at BIGINT NOT NULL,"
    "  ends_at BIGINT NOT NULL,"
    "  PRIMARY KEY (round_id, phase));"
    /* The assessed units of a round and the level (index set) each answers. */
    "CREATE TABLE round_units ("
    "  round_id BIGINT NOT NULL REFERENCES rounds(id),"
    "  unit_id BIGINT NOT NULL REFERENCES units(id),"
    "  level TEXT NOT NULL,"
    "  PRIMARY KEY (round_id, unit_id));"
    /* One task per assessed unit x applicable criterion. unit_id is the unit that reports it (the
     * assessed unit itself, or for a province-level set the responsible agency); subject_unit_id
     * is the unit assessed. The report lives on the task; version guards concurrent saves.
     * self_* and approved_* are separate and never overwrite each other. */
    "CREATE TABLE tasks ("
    "  id @ID@,"
    "  round_id BIGINT NOT NULL REFERENCES rounds(id),"
    "  subject_unit_id BIGINT NOT NULL REFERENCES units(id),"
    "  unit_id BIGINT NOT NULL REFERENCES units(id),"
    "  framework_id TEXT NOT NULL,"
    "  framework_version INTEGER NOT NULL,"
    "  criterion_key TEXT NOT NULL,"
    "  pillar_key TEXT NOT NULL,"
    "  seq INTEGER NOT NULL,"                     /* the criterion's position in the set */
    "  max_points BIGINT NOT NULL,"
    "  state TEXT NOT NULL DEFAULT 'not_started',"
    "  version INTEGER NOT NULL DEFAULT 1,"
    "  trial INTEGER NOT NULL DEFAULT 0,"         /* 1: the data was entered in the trial phase */
    "  inputs TEXT NOT NULL DEFAULT '{}',"        /* JSON object: input name -> value */
    "  content TEXT,"
    "  note TEXT,"
    "  self_points BIGINT,"
    "  self_status TEXT,"                         /* score_status_name() */
    "  self_explanation TEXT,"
    "  appraiser_inputs TEXT,"                    /* JSON {input: {value, source}} from shared systems */
    "  external_value TEXT,"                      /* JSON: result taken from another index (CCHC) */
    "  approved_points BIGINT,"
    "  approval_comment TEXT,"
    "  approved_by BIGINT REFERENCES users(id),"
    "  approved_at BIGINT,"
    "  appraisal_round INTEGER,"                  /* 1 or 2: which appraisal settled it */
    "  leader_comment TEXT,"                      /* the leader's last return comment */
    "  submitted_at BIGINT,"
    "  sent_at BIGINT,"
    "  updated_at BIGINT,"
    "  updated_by BIGINT REFERENCES users(id),"
    "  UNIQUE (round_id, subject_unit_id, criterion_key));"
    "CREATE INDEX tasks_unit ON tasks(unit_id, round_id);"
    "CREATE INDEX tasks_round_state ON tasks(round_id, state);"
    /* The thread on a task: leader returns, explanation requests and answers, comments. */
    "CREATE TABLE task_comments ("
    "  id @ID@,"
    "  task_id BIGINT NOT NULL REFERENCES tasks(id),"
    "  author_user_id BIGINT REFERENCES users(id),"
    "  author_name TEXT NOT NULL,"
    "  kind TEXT NOT NULL,"                       /* the workflow action, or 'comment' */
    "  body TEXT NOT NULL,"
    "  at BIGINT NOT NULL);"
    "CREATE INDEX task_comments_task ON task_comments(task_id);"
    /* Which named alternative reading of an ambiguous criterion the round uses (absent: main). */
    "CREATE TABLE round_readings ("
    "  round_id BIGINT NOT NULL REFERENCES rounds(id),"
    "  framework_id TEXT NOT NULL,"
    "  criterion_key TEXT NOT NULL,"
    "  alternative TEXT NOT NULL,"
    "  PRIMARY KEY (round_id, framework_id, criterion_key));"
    /* Who appraises what: a level, narrowed to a pillar or one criterion; given to a unit (every
     * appraiser account of it) or to one appraiser account. */
    "CREATE TABLE appraiser_assignments ("
    "  id @ID@,"
    "  round_id BIGINT NOT NULL REFERENCES rounds(id),"
    "  level TEXT NOT NULL,"
    "  pillar_key TEXT,"
    "  criterion_key TEXT,"
    "  appraiser_unit_id BIGINT REFERENCES units(id),"
    "  appraiser_user_id BIGINT REFERENCES users(id),"
    "  created_at BIGINT NOT NULL);"
    "CREATE INDEX appraiser_assignments_round ON appraiser_assignments(round_id);"
    /* Results taken from another index (CCHC) per unit and criterion, with their source. */
    "CREATE TABLE external_values ("
    "  round_id BIGINT NOT NULL REFERENCES rounds(id),"
    "  unit_id BIGINT NOT NULL REFERENCES units(id),"
    "  criterion_key TEXT NOT NULL,"
    "  value TEXT NOT NULL,"                      /* JSON */
    "  source TEXT NOT NULL,"
    "  entered_by BIGINT REFERENCES users(id),"
    "  entered_at BIGINT NOT NULL,"
    "  PRIMARY KEY (round_id, unit_id, criterion_key));"
    /* Evidence: content stored once by SHA-256 (blobs), linked to tasks (evidence). A replaced
     * file keeps its row with superseded_at set; replaces_id points to the earlier version. */
    "CREATE TABLE blobs ("
    "  sha256 TEXT PRIMARY KEY,"
    "  size BIGINT NOT NULL,"
    "  mime TEXT NOT NULL,"
    "  created_at BIGINT NOT NULL);"
    "CREATE TABLE evidence ("
    "  id @ID@,"
    "  task_id BIGINT NOT NULL REFERENCES tasks(id),"
    "  sha256 TEXT NOT NULL REFERENCES blobs(sha256),"
    "  file_name TEXT NOT NULL,"
    "  mime TEXT NOT NULL,"
    "  size BIGINT NOT NULL,"
    "  uploaded_by BIGINT REFERENCES users(id),"
    "  uploaded_at BIGINT NOT NULL,"
    "  replaces_id BIGINT REFERENCES evidence(id),"
    "  superseded_at BIGINT,"
    "  removed_at BIGINT,"
    "  trial INTEGER NOT NULL DEFAULT 0,"
    "  signature TEXT);"                          /* JSON verdict of PDF signature checks (issue 11) */
    "CREATE INDEX evidence_task ON evidence(task_id);";

/* part: pdfsig (issue 11) — the summary of a PDF's signature check on its evidence row (the
 * full per-signature JSON goes in evidence.signature of migration 3). NULL: not a PDF. */
static const char m007_pdfsig[] =
    "ALTER TABLE evidence ADD COLUMN sig_verdict TEXT;"
    "ALTER TABLE evidence ADD COLUMN sig_signer TEXT;"
    "ALTER TABLE evidence ADD COLUMN sig_organization TEXT;"
    "ALTER TABLE evidence ADD COLUMN sig_issuer TEXT;"
    "ALTER TABLE evidence ADD COLUMN sig_signing_time BIGINT;"
    "ALTER TABLE evidence ADD COLUMN sig_reasons TEXT;"         /* comma list of reason codes */
    "ALTER TABLE evidence ADD COLUMN sig_active_content INTEGER;";
/* part: dash — the dashboard's change stamp (docs/results-api.md, "Dashboard"). One number that
 * every transaction changing what the dashboard shows (tasks, units, a round's units or phases)
 * increments, through triggers, so an app node may keep the aggregated table in memory and
 * check it with one primary-key read in the same snapshot. SQLite only (row triggers): there
 * writers are serialised anyway. On PostgreSQL a trigger updating one row would make every
 * task save in the province wait for the previous one's commit, so PostgreSQL gets the table
 * alone and the dashboard is computed per request there (src/app/dashboard.c). */
#define M004_STAMP                                                                              \
    "CREATE TABLE dash_stamp (id INTEGER PRIMARY KEY CHECK (id = 1), gen BIGINT NOT NULL);"      \
    "INSERT INTO dash_stamp (id, gen) VALUES (1, 0);"
#define M004_SQLITE_TRIGGER(table, event)                                                     \
    "CREATE TRIGGER dash_" table "_" event " AFTER " event " ON " table                         \
    " BEGIN UPDATE dash_stamp SET gen = gen + 1 WHERE id = 1; END;"
#define M004_SQLITE_TABLE(table)                                                              \
    M004_SQLITE_TRIGGER(table, "INSERT") M004_SQLITE_TRIGGER(table, "UPDATE")                  \
        M004_SQLITE_TRIGGER(table, "DELETE")
static const char m004_dash[] = M004_STAMP M004_SQLITE_TABLE("tasks")
    M004_SQLITE_TABLE("units") M004_SQLITE_TABLE("round_units") M004_SQLITE_TABLE("round_phases")
    DB_MIGRATION_PG
    M004_STAMP;
/* end part: dash */
/* Migration 5 (rankings, issue 9): band thresholds per round and level, as ten-thousandths of
 * the index (xuat_sac, tot, kha, trung_binh); a level without rows uses the defaults
 * (core/ranking.c). */
static const char m005_rankings[] =
    "CREATE TABLE ranking_bands ("
    "  round_id BIGINT NOT NULL REFERENCES rounds(id),"
    "  level TEXT NOT NULL,"
    "  band TEXT NOT NULL CHECK (band IN ('xuat_sac','tot','kha','trung_binh')),"
    "  min_index BIGINT NOT NULL CHECK (min_index BETWEEN 0 AND 10000),"
    "  PRIMARY KEY (round_id, level, band));"
    /* A ranking sums a round's tasks per unit and pillar: this index covers that query, so the
     * database reads the index in unit order instead of every task row (bench/rankings.sh). */
    "CREATE INDEX tasks_rank ON tasks(round_id, subject_unit_id, pillar_key, state, "
    "approved_points, max_points, self_status);";

/* part: pub (issue 9) — published results. Each publication of a finalised round is a frozen,
 * numbered version (a correction publishes version n+1; earlier versions stay listed). The exact
 * bytes of the JSON export are stored and their SHA-256 is the receipt anyone recomputes from
 * the download (docs/publication.md); the CSV is frozen beside it (its hash is inside the JSON).
 * content_sha256 hashes only the results and methodology, to refuse an unchanged republication. */
static const char m006_publications[] =
    "CREATE TABLE publications ("
    "  id @ID@,"
    "  round_id BIGINT NOT NULL REFERENCES rounds(id),"
    "  version INTEGER NOT NULL,"
    "  title TEXT NOT NULL,"                      /* the round's, as published */
    "  year INTEGER NOT NULL,"
    "  levels TEXT NOT NULL,"                     /* JSON [{level, level_label, units}] for lists */
    "  note TEXT,"                                /* why a correction was published */
    "  published_at BIGINT NOT NULL,"
    "  published_by BIGINT REFERENCES users(id),"
    "  export_json TEXT NOT NULL,"                /* the exact bytes served as the JSON download */
    "  export_csv TEXT NOT NULL,"
    "  sha256 TEXT NOT NULL,"                     /* receipt: sha256(export_json) */
    "  csv_sha256 TEXT NOT NULL,"
    "  size BIGINT NOT NULL,"                     /* bytes of export_json, export_csv */
    "  csv_size BIGINT NOT NULL,"
    "  content_sha256 TEXT NOT NULL,"
    "  round_info TEXT NOT NULL,"                 /* JSON: the export's "round" */
    "  methodology TEXT NOT NULL,"                /* JSON: the export's "methodology" */
    "  UNIQUE (round_id, version));"
    /* The public ranking of each level of a publication, as the exact response body, cut from the
     * export at publication: a public read never parses the whole export (MBs for 10,000 units). */
    "CREATE TABLE publication_levels ("
    "  round_id BIGINT NOT NULL REFERENCES rounds(id),"
    "  version INTEGER NOT NULL,"
    "  level TEXT NOT NULL,"
    "  position INTEGER NOT NULL,"                /* the level's order in the export */
    "  body TEXT NOT NULL,"
    "  PRIMARY KEY (round_id, version, level));";

/* part: perf (issue 8, speed) — the dashboard's stamp moves onto the audit chain's head row on
 * SQLite. Every audited transaction (a report save, any change of a task) already writes that
 * row's page; migration 4's triggers wrote one more page (dash_stamp's) into the WAL per
 * commit, about an eighth of a report save's (docs/perf.md). The triggers are the same, on the
 * same tables, so a change made without an audit entry still moves the stamp; dash_stamp
 * becomes a view of the new column, so its readers are unchanged. PostgreSQL: no triggers
 * there (migration 4), nothing changes. */
#define M008_TRIGGER(table, event)                                                            \
    "DROP TRIGGER dash_" table "_" event ";"                                                   \
    "CREATE TRIGGER dash_" table "_" event " AFTER " event " ON " table                        \
    " BEGIN UPDATE audit_head SET dash_gen = dash_gen + 1 WHERE id = 1; END;"
#define M008_TABLE(table)                                                                     \
    M008_TRIGGER(table, "INSERT") M008_TRIGGER(table, "UPDATE") M008_TRIGGER(table, "DELETE")
static const char m008_perf[] =
    "ALTER TABLE audit_head ADD COLUMN dash_gen BIGINT NOT NULL DEFAULT 0;"
    "UPDATE audit_head SET dash_gen = (SELECT gen FROM dash_stamp WHERE id = 1) WHERE id = 1;"
    M008_TABLE("tasks") M008_TABLE("units") M008_TABLE("round_units") M008_TABLE("round_phases")
    "DROP TABLE dash_stamp;"
    "CREATE VIEW dash_stamp AS SELECT id, dash_gen AS gen FROM audit_head;"
    DB_MIGRATION_PG
    "SELECT 1;";
/* end part: perf */

const struct db_migration dti_migrations[] = {
    {1, "init", m001_init},
    {2, "auth", m002_auth},
    {3, "rounds", m003_rounds},
    {4, "dash", m004_dash},
    {5, "rankings", m005_rankings},
    {6, "publications", m006_publications}, /* part: pub */
    {7, "pdfsig", m007_pdfsig},
    {8, "perf", m008_perf}, /* part: perf */
};
const int dti_migrations_count = sizeof dti_migrations / sizeof dti_migrations[0];
