/* conn_guard.h — connection exhaustion defences around libmicrohttpd:
 *   - a deadline for the request head (request line + headers): a connection that has not
 *     delivered a complete head within N seconds of connecting, or of its previous request
 *     finishing (keep-alive), is shut down by a reaper thread, however slowly it drips bytes;
 *   - the process's open-file soft limit raised so that --max-connections can really be used.
 * The per-address connection limit itself is MHD's (MHD_OPTION_PER_IP_CONNECTION_LIMIT): it is
 * counted on the master daemon under a lock, shared by all pool threads, and a connection over
 * it is closed right after accept(), before any byte is read (libmicrohttpd 0.9.75, daemon.c
 * new_connection_prepare_ / MHD_ip_limit_add).
 */
#ifndef DTI_HTTP_CONN_GUARD_H
#define DTI_HTTP_CONN_GUARD_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stdint.h>

struct conn_guard;

/* header_timeout_s = 0: no head deadline (then the guard tracks nothing and costs nothing). */
struct conn_guard *conn_guard_new(unsigned header_timeout_s);
/* Starts the reaper thread (none when the deadline is off). Returns false on failure. */
bool conn_guard_start(struct conn_guard *g);
/* Stops the reaper and frees the guard. Call after MHD_stop_daemon (every connection closed). */
void conn_guard_free(struct conn_guard *g);

/* MHD_OPTION_NOTIFY_CONNECTION callback; cls = the guard. */
void conn_guard_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                       enum MHD_ConnectionNotificationCode code);
/* The access handler's first call for a request: its head is complete, no deadline now. */
void conn_guard_head_received(struct MHD_Connection *c);
/* A request finished (MHD_OPTION_NOTIFY_COMPLETED): the next head is due within the deadline. */
void conn_guard_request_done(struct MHD_Connection *c);

/* Connections shut down by the deadline since start (for tests and diagnostics). */
uint64_t conn_guard_reaped(const struct conn_guard *g);

/* Raises RLIMIT_NOFILE's soft limit (up to the hard limit) so that max_connections sockets and
 * the server's own files fit. Writes a warning to stderr when the hard limit is too low. */
void conn_guard_raise_nofile(unsigned max_connections);

#endif
