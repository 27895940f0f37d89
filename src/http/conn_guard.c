/* conn_guard.c — the request-head deadline and the open-file limit (see conn_guard.h).
 *
 * Why a reaper thread: MHD's own timeout (MHD_OPTION_CONNECTION_TIMEOUT) is an idle timeout,
 * restarted by every byte, so a client sending one byte every few seconds keeps a connection
 * forever. MHD has no head deadline, so we track connections ourselves:
 *   NOTIFY_CONNECTION STARTED -> an entry (socket_context) with deadline = now + N, in a list;
 *   access handler, first call -> deadline cleared (the head is complete);
 *   NOTIFY_COMPLETED            -> deadline = now + N again (keep-alive: the next head is due);
 *   NOTIFY_CONNECTION CLOSED    -> entry unlinked and freed under the list lock.
 * Every REAP_INTERVAL_MS the reaper walks the list under the lock and calls
 * shutdown(fd, SHUT_RDWR) on overdue entries. It never closes the fd: MHD sees end of stream,
 * closes the connection itself and calls CLOSED. In libmicrohttpd 0.9.75 (daemon.c
 * MHD_cleanup_connections, and new_connection_process_'s error path) CLOSED is called before
 * the socket is closed, so while the reaper holds the lock an fd in the list is still the
 * connection's own and can never be a reused number belonging to someone else.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>

#include "http/conn_guard.h"

#define REAP_INTERVAL_MS 250
/* Descriptors the server needs besides client sockets: listen and epoll fds, database files
 * and connections, web files read at start, logs, evidence files. */
#define NOFILE_HEADROOM 256

struct conn_entry {
    struct conn_entry *prev, *next;
    struct conn_guard *g;
    int fd;
    _Atomic int64_t deadline_ms; /* CLOCK_MONOTONIC; 0 = none (head received) */
};

struct conn_guard {
    int64_t timeout_ms;
    pthread_mutex_t lock; /* the list, and the reaper's sleep */
    pthread_cond_t wake;
    struct conn_entry head; /* sentinel of a circular list */
    bool running, stop;
    pthread_t reaper;
    _Atomic uint64_t reaped;
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct conn_guard *conn_guard_new(unsigned header_timeout_s)
{
    struct conn_guard *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->timeout_ms = (int64_t)header_timeout_s * 1000;
    g->head.prev = g->head.next = &g->head;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    if (pthread_mutex_init(&g->lock, NULL) != 0 || pthread_cond_init(&g->wake, &ca) != 0) {
        pthread_condattr_destroy(&ca);
        free(g);
        return NULL;
    }
    pthread_condattr_destroy(&ca);
    return g;
}

static void reap_overdue(struct conn_guard *g, int64_t now)
{
    for (struct conn_entry *e = g->head.next; e != &g->head; e = e->next) {
        int64_t d = atomic_load(&e->deadline_ms);
        if (d != 0 && now >= d) {
            /* MHD reads end of stream and closes the connection in its own thread. */
            shutdown(e->fd, SHUT_RDWR);
            atomic_store(&e->deadline_ms, 0);
            atomic_fetch_add(&g->reaped, 1);
        }
    }
}

static void *reaper_main(void *arg)
{
    struct conn_guard *g = arg;
    pthread_mutex_lock(&g->lock);
    while (!g->stop) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        ts.tv_nsec += REAP_INTERVAL_MS * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        int rc = pthread_cond_timedwait(&g->wake, &g->lock, &ts);
        if (rc != 0 && rc != ETIMEDOUT)
            break;
        if (!g->stop)
            reap_overdue(g, now_ms());
    }
    pthread_mutex_unlock(&g->lock);
    return NULL;
}

bool conn_guard_start(struct conn_guard *g)
{
    if (!g)
        return false;
    if (g->timeout_ms == 0)
        return true;
    if (pthread_create(&g->reaper, NULL, reaper_main, g) != 0)
        return false;
    g->running = true;
    return true;
}

void conn_guard_free(struct conn_guard *g)
{
    if (!g)
        return;
    if (g->running) {
        pthread_mutex_lock(&g->lock);
        g->stop = true;
        pthread_cond_signal(&g->wake);
        pthread_mutex_unlock(&g->lock);
        pthread_join(g->reaper, NULL);
    }
    /* MHD_stop_daemon notified CLOSED for every connection; anything left is freed anyway. */
    while (g->head.next != &g->head) {
        struct conn_entry *e = g->head.next;
        g->head.next = e->next;
        free(e);
    }
    pthread_cond_destroy(&g->wake);
    pthread_mutex_destroy(&g->lock);
    free(g);
}

void conn_guard_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                       enum MHD_ConnectionNotificationCode code)
{
    struct conn_guard *g = cls;
    if (!g || g->timeout_ms == 0)
        return;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        if (!ci)
            return;
        struct conn_entry *e = calloc(1, sizeof *e);
        if (!e) {
            /* Out of memory: a connection we cannot watch is not kept. */
            shutdown(ci->connect_fd, SHUT_RDWR);
            return;
        }
        e->g = g;
        e->fd = ci->connect_fd;
        atomic_store(&e->deadline_ms, now_ms() + g->timeout_ms);
        pthread_mutex_lock(&g->lock);
        e->next = g->head.next;
        e->prev = &g->head;
        g->head.next->prev = e;
        g->head.next = e;
        pthread_mutex_unlock(&g->lock);
        *socket_context = e;
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        struct conn_entry *e = *socket_context;
        if (!e)
            return;
        pthread_mutex_lock(&g->lock);
        e->prev->next = e->next;
        e->next->prev = e->prev;
        pthread_mutex_unlock(&g->lock);
        *socket_context = NULL;
        free(e);
    }
}

static struct conn_entry *entry_of(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

void conn_guard_head_received(struct MHD_Connection *c)
{
    struct conn_entry *e = entry_of(c);
    if (e)
        atomic_store(&e->deadline_ms, 0);
}

void conn_guard_request_done(struct MHD_Connection *c)
{
    struct conn_entry *e = entry_of(c);
    if (e)
        atomic_store(&e->deadline_ms, now_ms() + e->g->timeout_ms);
}

uint64_t conn_guard_reaped(const struct conn_guard *g)
{
    return g ? atomic_load(&((struct conn_guard *)g)->reaped) : 0;
}

void conn_guard_raise_nofile(unsigned max_connections)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return;
    rlim_t need = (rlim_t)max_connections + NOFILE_HEADROOM;
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
        rlim_t want = (rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need) ? need : rl.rlim_max;
        if (want > rl.rlim_cur) {
            rl.rlim_cur = want;
            setrlimit(RLIMIT_NOFILE, &rl);
        }
        if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < need)
            fprintf(stderr,
                    "dti serve: cảnh báo: giới hạn số tệp được mở (%llu) thấp hơn mức cần cho "
                    "%u kết nối đồng thời (%llu); tăng bằng ulimit -n hoặc LimitNOFILE= của "
                    "systemd, hoặc giảm --max-connections\n",
                    (unsigned long long)rl.rlim_cur, max_connections, (unsigned long long)need);
    }
}
