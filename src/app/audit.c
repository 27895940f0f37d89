/* audit.c — the hash-chained audit trail.
 *
 * Row k is stored with id = k (the head's sequence number), prev_hash = hash of row k-1 (64
 * zeros for row 1) and hash = hex(SHA-256(prev_hash || canonical(row))). The canonical form is
 * a version tag then every column as text, length-prefixed ("<len>:<bytes>,", NULL as "-,"), so
 * no two different rows serialize alike. JSON values are stored exactly as hashed: dumped with
 * sorted keys and no spaces. audit_head holds the count and the last hash, so deleting rows at
 * the end of the chain is detected too.
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/isotime.h"
#include "app/json_rows.h"
#include "core/json_oom.h"

#define HASH_HEX_LEN (crypto_hash_sha256_BYTES * 2)
#define VERIFY_BATCH 500

static const char canon_tag[] = "dti-audit-v1\n";

/* Fields in canonical order; the values are the text the database gives back. */
enum { F_ID, F_AT, F_ACTOR_ID, F_ACTOR, F_ADDR, F_ACTION, F_ENTITY, F_ENTITY_ID, F_OLD, F_NEW, F_COUNT };

static void hash_field(crypto_hash_sha256_state *st, const char *v)
{
    if (!v) {
        crypto_hash_sha256_update(st, (const unsigned char *)"-,", 2);
        return;
    }
    char len[24];
    int n = snprintf(len, sizeof len, "%zu:", strlen(v));
    crypto_hash_sha256_update(st, (const unsigned char *)len, (unsigned long long)n);
    crypto_hash_sha256_update(st, (const unsigned char *)v, strlen(v));
    crypto_hash_sha256_update(st, (const unsigned char *)",", 1);
}

/* out: HASH_HEX_LEN + 1 bytes. */
static void row_hash(const char *prev_hash, const char *const fields[F_COUNT], char *out)
{
    crypto_hash_sha256_state st;
    unsigned char digest[crypto_hash_sha256_BYTES];
    if (sodium_init() < 0) /* idempotent and thread-safe; fails only without entropy */
        abort();
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)prev_hash, strlen(prev_hash));
    crypto_hash_sha256_update(&st, (const unsigned char *)canon_tag, sizeof canon_tag - 1);
    for (int i = 0; i < F_COUNT; i++)
        hash_field(&st, fields[i]);
    crypto_hash_sha256_final(&st, digest);
    sodium_bin2hex(out, HASH_HEX_LEN + 1, digest, sizeof digest);
}

static char *dump_json(const json_t *v)
{
    /* json_oom_dumps: never a hashed and stored text with a key missing (see json_oom.h) */
    return v ? json_oom_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY) : NULL;
}

int audit_append(db_conn *c, const struct audit_event *e, int64_t now)
{
    if (!db_in_tx(c)) {
        /* Outside a transaction the entry could commit without the change, or the reverse. */
        return DB_ERROR;
    }
    if (!e->actor_name || !e->action || !e->entity)
        return DB_ERROR;
    db_rows *r;
    /* Updating the head first takes its row lock: appenders queue here on both engines. */
    int rc = db_exec(c, "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, last_hash", NULL, 0, &r);
    if (rc != DB_OK)
        return rc;
    if (db_rows_count(r) != 1) {
        db_rows_free(r);
        return DB_ERROR;
    }
    int64_t seq = db_int(r, 0, 0);
    char prev[HASH_HEX_LEN + 1];
    snprintf(prev, sizeof prev, "%s", db_text(r, 0, 1));
    db_rows_free(r);

    char *old_json = dump_json(e->old_value), *new_json = dump_json(e->new_value);
    if ((e->old_value && !old_json) || (e->new_value && !new_json)) {
        free(old_json);
        free(new_json);
        return DB_ERROR;
    }
    char id_s[24], at_s[24], actor_s[24];
    snprintf(id_s, sizeof id_s, "%" PRId64, seq);
    snprintf(at_s, sizeof at_s, "%" PRId64, now);
    snprintf(actor_s, sizeof actor_s, "%" PRId64, e->actor_user_id);
    const char *fields[F_COUNT] = {
        [F_ID] = id_s,
        [F_AT] = at_s,
        [F_ACTOR_ID] = e->actor_user_id ? actor_s : NULL,
        [F_ACTOR] = e->actor_name,
        [F_ADDR] = e->client_addr,
        [F_ACTION] = e->action,
        [F_ENTITY] = e->entity,
        [F_ENTITY_ID] = e->entity_id,
        [F_OLD] = old_json,
        [F_NEW] = new_json,
    };
    char hash[HASH_HEX_LEN + 1];
    row_hash(prev, fields, hash);

    db_param p[] = {
        DB_P_INT(seq),
        DB_P_INT(now),
        e->actor_user_id ? DB_P_INT(e->actor_user_id) : DB_P_NULL,
        DB_P_TEXT(e->actor_name),
        DB_P_TEXT(e->client_addr),
        DB_P_TEXT(e->action),
        DB_P_TEXT(e->entity),
        DB_P_TEXT(e->entity_id),
        DB_P_TEXT(old_json),
        DB_P_TEXT(new_json),
        DB_P_STR(prev),
        DB_P_STR(hash),
    };
    rc = db_exec(c,
                 "INSERT INTO audit_log (id, at, actor_user_id, actor_name, client_addr, action, entity, "
                 "entity_id, old_value, new_value, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 p, 12, NULL);
    free(old_json);
    free(new_json);
    if (rc != DB_OK)
        return rc;
    db_param h = DB_P_STR(hash);
    return db_exec(c, "UPDATE audit_head SET last_hash = ? WHERE id = 1", &h, 1, NULL);
}

static int fail(int64_t id, int64_t *first_bad_id, char *reason, size_t reason_len, const char *msg)
{
    if (first_bad_id)
        *first_bad_id = id;
    snprintf(reason, reason_len, "%s", msg);
    return DB_ERROR;
}

/* The walk itself; the caller holds one snapshot for all of its reads. */
static int verify_chain(db_conn *c, int64_t *checked, int64_t *first_bad_id, char *reason,
                        size_t reason_len)
{
    if (checked)
        *checked = 0;
    if (first_bad_id)
        *first_bad_id = 0;
    if (reason_len)
        reason[0] = 0;
    db_rows *r;
    if (db_exec(c, "SELECT seq, last_hash FROM audit_head WHERE id = 1", NULL, 0, &r) != DB_OK ||
        db_rows_count(r) != 1) {
        db_rows_free(r);
        return fail(0, first_bad_id, reason, reason_len, "không đọc được đầu chuỗi (bảng audit_head)");
    }
    int64_t head_seq = db_int(r, 0, 0);
    /* Compared whole: a head with anything after the 64 hex digits is not the chain's head. */
    char head_hash[HASH_HEX_LEN + 1] = "";
    bool head_well_formed = strlen(db_text(r, 0, 1)) == HASH_HEX_LEN;
    if (head_well_formed)
        memcpy(head_hash, db_text(r, 0, 1), HASH_HEX_LEN + 1);
    db_rows_free(r);

    char running[HASH_HEX_LEN + 1];
    memset(running, '0', HASH_HEX_LEN);
    running[HASH_HEX_LEN] = 0;
    int64_t last_id = 0;
    for (;;) {
        db_param p[] = {DB_P_INT(last_id), DB_P_INT(VERIFY_BATCH)};
        if (db_exec(c,
                    "SELECT id, at, actor_user_id, actor_name, client_addr, action, entity, entity_id, "
                    "old_value, new_value, prev_hash, hash FROM audit_log WHERE id > ? ORDER BY id LIMIT ?",
                    p, 2, &r) != DB_OK)
            return fail(last_id + 1, first_bad_id, reason, reason_len, "không đọc được bảng audit_log");
        int n = db_rows_count(r);
        for (int i = 0; i < n; i++) {
            int64_t id = db_int(r, i, 0);
            const char *fields[F_COUNT];
            for (int f = 0; f < F_COUNT; f++)
                fields[f] = db_is_null(r, i, f) ? NULL : db_text(r, i, f);
            char msg[160];
            int bad = 0;
            if (id != last_id + 1) {
                snprintf(msg, sizeof msg, "thiếu bản ghi %" PRId64 " (đã bị xoá)", last_id + 1);
                bad = 1;
            } else if (strcmp(db_text(r, i, 10), running) != 0) {
                snprintf(msg, sizeof msg, "prev_hash không khớp bản ghi trước (bản ghi bị chèn hoặc xoá)");
                bad = 1;
            } else {
                char h[HASH_HEX_LEN + 1];
                row_hash(running, fields, h);
                if (strcmp(h, db_text(r, i, 11)) != 0) {
                    snprintf(msg, sizeof msg, "nội dung đã bị sửa (mã băm không khớp)");
                    bad = 1;
                }
            }
            if (bad) {
                db_rows_free(r);
                return fail(id != last_id + 1 ? last_id + 1 : id, first_bad_id, reason, reason_len, msg);
            }
            snprintf(running, sizeof running, "%s", db_text(r, i, 11));
            last_id = id;
            if (checked)
                *checked = last_id;
        }
        db_rows_free(r);
        if (n < VERIFY_BATCH)
            break;
    }
    if (last_id < head_seq)
        return fail(last_id + 1, first_bad_id, reason, reason_len, "thiếu các bản ghi cuối chuỗi (đã bị xoá)");
    if (last_id > head_seq)
        return fail(head_seq + 1, first_bad_id, reason, reason_len, "bản ghi bị chèn sau đầu chuỗi");
    if (!head_well_formed || strcmp(running, head_hash) != 0)
        return fail(last_id, first_bad_id, reason, reason_len, "đầu chuỗi không khớp bản ghi cuối");
    /* Rows with ids the walk never visits (0 or negative) were inserted by hand. */
    int64_t total = 0;
    if (db_query_int(c, "SELECT COUNT(*) FROM audit_log", NULL, 0, &total) != DB_OK || total != head_seq)
        return fail(0, first_bad_id, reason, reason_len, "có bản ghi bị chèn ngoài chuỗi (mã số không hợp lệ)");
    return DB_OK;
}

int audit_verify(db_conn *c, int64_t *checked, int64_t *first_bad_id, char *reason, size_t reason_len)
{
    /* The head and every row are read in one snapshot, so an entry appended between two reads
     * is never taken for tampering. A caller already in a transaction keeps its own. */
    bool own = !db_in_tx(c);
    if (own && db_begin_read(c) != DB_OK) {
        if (checked)
            *checked = 0;
        if (first_bad_id)
            *first_bad_id = 0;
        if (reason_len)
            reason[0] = 0;
        return DB_ERROR;
    }
    int rc = verify_chain(c, checked, first_bad_id, reason, reason_len);
    if (own)
        db_rollback(c);
    return rc;
}

static json_t *row_to_entry(const db_rows *r, int i)
{
    return json_pack("{s:I,s:o,s:{s:o,s:s},s:o,s:s,s:s,s:o,s:o,s:o}", "id",
                     (json_int_t)db_int(r, i, 0), "at", isotime_json(db_int(r, i, 1), 0), "actor",
                     "user_id", db_is_null(r, i, 2) ? json_null() : json_integer(db_int(r, i, 2)),
                     "username", db_text(r, i, 3), "client_addr",
                     db_is_null(r, i, 4) ? json_null() : json_string(db_text(r, i, 4)), "action",
                     db_text(r, i, 5), "entity", db_text(r, i, 6), "entity_id",
                     db_is_null(r, i, 7) ? json_null() : json_string(db_text(r, i, 7)), "old",
                     json_cell(r, i, 8), "new", json_cell(r, i, 9));
}

json_t *audit_list(db_conn *c, const char *entity, const char *entity_id, int64_t before_id,
                   int64_t limit)
{
    /* The statement is assembled from fixed fragments only; every value is bound. */
    char sql[512] = "SELECT id, at, actor_user_id, actor_name, client_addr, action, entity, "
                    "entity_id, old_value, new_value FROM audit_log WHERE 1 = 1";
    db_param p[4];
    int n = 0;
    if (entity) {
        strcat(sql, " AND entity = ?");
        p[n++] = DB_P_TEXT(entity);
    }
    if (entity_id) {
        strcat(sql, " AND entity_id = ?");
        p[n++] = DB_P_TEXT(entity_id);
    }
    if (before_id) {
        strcat(sql, " AND id < ?");
        p[n++] = DB_P_INT(before_id);
    }
    strcat(sql, " ORDER BY id DESC LIMIT ?");
    p[n++] = DB_P_INT(limit);
    db_rows *rows = NULL;
    if (db_exec(c, sql, p, n, &rows) != DB_OK)
        return NULL;
    int count = db_rows_count(rows);
    json_t *next = count == limit && count > 0 ? json_integer(db_int(rows, count - 1, 0))
                                               : json_null();
    json_t *page = json_pack("{s:o,s:o}", "entries", json_rows_array(rows, row_to_entry),
                             "next_before_id", next);
    db_rows_free(rows);
    return page;
}

int audit_change(db_conn *c, const struct app_actor *who, const char *entity, const char *action,
                 int64_t entity_id, json_t *old_v, json_t *new_v, int64_t now)
{
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)entity_id);
    struct audit_event e = {.actor_user_id = who->user_id,
                            .actor_name = who->name,
                            .client_addr = who->client_addr,
                            .action = action,
                            .entity = entity,
                            .entity_id = ids,
                            .old_value = old_v,
                            .new_value = new_v};
    return audit_append(c, &e, now);
}
