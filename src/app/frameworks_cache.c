/* frameworks_cache.c — compiled index sets shared by reference count, LRU-bounded. */
#include "core/json_oom.h"
#include "app/frameworks_cache.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fw_json.h"
#include "core/score.h"

struct fw_cache_entry {
    struct fw_cache_entry *prev, *next; /* LRU list, most recent first; only while cached */
    char *id;
    int64_t version;
    char sha[65];
    size_t bytes; /* stored file length: the bound's measure */
    int refs;     /* readers, plus one while cached */
    bool cached;
    struct framework *fw;
    json_t *doc;
    char *text; /* doc serialized, its closing '}' cut */
    size_t text_len;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct fw_cache_entry *head, *tail;
static size_t n_entries, n_bytes;
static uint64_t n_compiles;
static int enabled = -1; /* -1: not read from the environment yet */

static void entry_free(struct fw_cache_entry *e)
{
    if (!e)
        return;
    fw_free(e->fw);
    json_decref(e->doc);
    free(e->text);
    free(e->id);
    free(e);
}

static void unlink_entry(struct fw_cache_entry *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else
        head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        tail = e->prev;
    e->prev = e->next = NULL;
    n_entries--;
    n_bytes -= e->bytes;
    e->cached = false;
}

static void push_front(struct fw_cache_entry *e)
{
    e->prev = NULL;
    e->next = head;
    if (head)
        head->prev = e;
    head = e;
    if (!tail)
        tail = e;
    n_entries++;
    n_bytes += e->bytes;
    e->cached = true;
}

/* Under mu: evicts least recently used entries beyond the bounds; those no reader holds are
 * put on *dead for freeing outside the lock. */
static void evict(struct fw_cache_entry **dead)
{
    while (tail && (n_entries > FW_CACHE_MAX_ENTRIES || n_bytes > FW_CACHE_MAX_BYTES) &&
           tail != head) {
        struct fw_cache_entry *e = tail;
        unlink_entry(e);
        if (--e->refs == 0) {
            e->next = *dead;
            *dead = e;
        }
    }
}

static void free_list(struct fw_cache_entry *dead)
{
    while (dead) {
        struct fw_cache_entry *n = dead->next;
        entry_free(dead);
        dead = n;
    }
}

/* Under mu. */
static bool cache_on(void)
{
    if (enabled < 0) {
        const char *v = getenv("DTI_FW_CACHE");
        enabled = !(v && !strcmp(v, "0"));
    }
    return enabled;
}

/* Reads, validates and decorates the stored file; NULL on failure. */
static struct fw_cache_entry *compile(db_conn *c, const char *id, int64_t version,
                                      const char *sha, struct app_err *err)
{
    db_param p[] = {DB_P_TEXT(id), DB_P_INT(version)};
    db_rows *rows;
    if (db_exec(c, "SELECT body FROM frameworks WHERE id = ? AND version = ?", p, 2, &rows) != DB_OK) {
        app_fail_internal(err);
        return NULL;
    }
    if (db_rows_count(rows) != 1) {
        db_rows_free(rows);
        app_fail(err, 404, "not_found", NULL, "Không tìm thấy bộ chỉ số %s với phiên bản này.", id);
        return NULL;
    }
    struct fw_cache_entry *e = calloc(1, sizeof *e);
    const char *body = db_text(rows, 0, 0);
    size_t len = db_len(rows, 0, 0);
    struct fw_errors errs = {0};
    if (e) {
        e->id = strdup(id);
        e->version = version;
        snprintf(e->sha, sizeof e->sha, "%s", sha);
        e->bytes = len;
        e->refs = 1;
        e->doc = json_loadb(body, len, 0, NULL);
        e->fw = e->doc ? fw_load_json(e->doc, &errs) : NULL;
    }
    db_rows_free(rows);
    fw_errors_free(&errs);
    /* stored files were validated; a failure here means memory ran out or the engine changed */
    bool ok = e && e->id && e->fw &&
              !json_object_set_new(e->doc, "criteria_count", json_integer((json_int_t)e->fw->n_criteria)) &&
              !json_object_set_new(e->doc, "max_points", json_hundredths(e->fw->max_h)) &&
              !json_object_set_new(e->doc, "totals", fw_totals_json(e->fw));
    if (ok && (e->text = json_oom_dumps(e->doc, FW_REPLY_JSON_FLAGS))) {
        e->text_len = strlen(e->text);
        ok = e->text_len >= 2 && e->text[e->text_len - 1] == '}';
        if (ok)
            e->text[--e->text_len] = 0;
    } else {
        ok = false;
    }
    if (!ok) {
        entry_free(e);
        app_fail_internal(err);
        return NULL;
    }
    return e;
}

struct fw_cache_entry *frameworks_cache_get(db_conn *c, const char *id, int64_t version,
                                            const char *sha, struct fw_compiled *out,
                                            struct app_err *err)
{
    struct fw_cache_entry *e = NULL, *dead = NULL;
    pthread_mutex_lock(&mu);
    bool on = cache_on();
    for (e = on ? head : NULL; e; e = e->next)
        if (e->version == version && !strcmp(e->sha, sha) && !strcmp(e->id, id))
            break;
    if (e) {
        e->refs++;
        unlink_entry(e);
        push_front(e);
    }
    pthread_mutex_unlock(&mu);
    if (!e) {
        /* compiled outside the lock: two first readers may both compile; one copy is kept */
        if (!(e = compile(c, id, version, sha, err)))
            return NULL;
        pthread_mutex_lock(&mu);
        n_compiles++;
        struct fw_cache_entry *x = head;
        while (on && x && !(x->version == version && !strcmp(x->sha, sha) && !strcmp(x->id, id)))
            x = x->next;
        if (x) { /* another reader got there first */
            x->refs++;
            e->next = dead;
            dead = e;
            e = x;
        } else if (on && e->bytes <= FW_CACHE_MAX_BYTES) {
            e->refs++;
            push_front(e);
            evict(&dead);
        }
        pthread_mutex_unlock(&mu);
        free_list(dead);
    }
    out->fw = e->fw;
    out->doc = e->doc;
    out->text_open = e->text;
    out->text_open_len = e->text_len;
    return e;
}

void frameworks_cache_release(struct fw_cache_entry *e)
{
    if (!e)
        return;
    pthread_mutex_lock(&mu);
    bool last = --e->refs == 0;
    pthread_mutex_unlock(&mu);
    if (last)
        entry_free(e);
}

size_t frameworks_cache_size(void)
{
    pthread_mutex_lock(&mu);
    size_t n = n_entries;
    pthread_mutex_unlock(&mu);
    return n;
}

uint64_t frameworks_cache_compiles(void)
{
    pthread_mutex_lock(&mu);
    uint64_t n = n_compiles;
    pthread_mutex_unlock(&mu);
    return n;
}

void frameworks_cache_clear(void)
{
    struct fw_cache_entry *dead = NULL;
    pthread_mutex_lock(&mu);
    for (struct fw_cache_entry *e = head, *n; e; e = n) {
        n = e->next;
        unlink_entry(e);
        if (--e->refs == 0) {
            e->next = dead;
            dead = e;
        }
    }
    pthread_mutex_unlock(&mu);
    free_list(dead);
}
