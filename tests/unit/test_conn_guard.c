/* test_conn_guard.c — the per-address connection limit and the request-head deadline, through
 * a real server on an ephemeral port (--max-conn-per-address 3, --header-timeout 1). Built plain
 * and under ASan+UBSan: the reaper thread and MHD's threads share the connection table. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http/conn_guard.h"
#include "http/server.h"

#define PER_ADDRESS 3
#define HEAD_TIMEOUT_MS 1000
/* The reaper looks every 250 ms; the rest is slack for a loaded machine and sanitizers. */
#define LATE_MS 1200

static int h_ok(http_req *r)
{
    return http_reply_json(r, 200, json_pack("{s:s}", "status", "ok"));
}

/* A handler slower than the head deadline: the deadline must not cut its reply. */
static int h_slow(http_req *r)
{
    struct timespec ts = {1, 500 * 1000000L};
    nanosleep(&ts, NULL);
    return h_ok(r);
}

static const struct route routes[] = {
    {"GET", "/api/v1/ok", h_ok, ROLE_PUBLIC, 0, "", 0, NULL},
    {"GET", "/api/v1/slow", h_slow, ROLE_PUBLIC, 0, "", 0, NULL},
    {NULL, NULL, NULL, 0, 0, NULL, 0, NULL},
};

static http_server *srv;
static unsigned port;

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static int connect_local(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    return fd;
}

/* Waits up to ms for the server to close fd. Returns the wait in ms, or -1 if still open.
 * *got counts the bytes the server sent meanwhile (a reply, or nothing). */
static int wait_closed(int fd, int ms, size_t *got)
{
    int64_t t0 = now_ms();
    *got = 0;
    for (;;) {
        int left = ms - (int)(now_ms() - t0);
        if (left <= 0)
            return -1;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, left) <= 0)
            continue;
        char buf[4096];
        ssize_t n = read(fd, buf, sizeof buf);
        if (n == 0 || (n < 0 && errno == ECONNRESET))
            return (int)(now_ms() - t0);
        if (n > 0)
            *got += (size_t)n;
    }
}

static void send_str(int fd, const char *s)
{
    ssize_t n = write(fd, s, strlen(s));
    assert_int_equal(n, (ssize_t)strlen(s));
}

/* Reads one small response (the test route's) and checks its status line. */
static void read_ok(int fd)
{
    char buf[4096] = "";
    size_t len = 0;
    int64_t t0 = now_ms();
    while (!strstr(buf, "\"ok\"}") && now_ms() - t0 < 3000 && len < sizeof buf - 1) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 100) <= 0)
            continue;
        ssize_t n = read(fd, buf + len, sizeof buf - 1 - len);
        assert_true(n > 0);
        len += (size_t)n;
        buf[len] = '\0';
    }
    buf[len] = '\0';
    assert_true(strncmp(buf, "HTTP/1.1 200", 12) == 0);
}

static const char req_ok[] = "GET /api/v1/ok HTTP/1.1\r\nHost: t\r\n\r\n";

static int setup(void **state)
{
    (void)state;
    signal(SIGPIPE, SIG_IGN);
    struct http_server_opts o = {
        .host = "127.0.0.1",
        .threads = 2,
        .conn_timeout = 30, /* longer than every wait here: only the head deadline closes */
        .max_connections = 100,
        .max_conn_per_address = PER_ADDRESS,
        .header_timeout = HEAD_TIMEOUT_MS / 1000,
        .routes = routes,
    };
    char err[256];
    srv = http_server_start(&o, err, sizeof err);
    if (!srv) {
        fprintf(stderr, "start: %s\n", err);
        return -1;
    }
    port = http_server_port(srv);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    http_server_stop(srv, 1000);
    return 0;
}

/* Past the per-address limit a connection is closed at once, with no byte of reply; a slot
 * freed by a client is available again. */
static void test_per_address_limit(void **state)
{
    (void)state;
    int fd[PER_ADDRESS];
    size_t got;
    for (int i = 0; i < PER_ADDRESS; i++)
        fd[i] = connect_local();
    sleep_ms(100);
    int extra = connect_local();
    (void)!write(extra, req_ok, sizeof req_ok - 1); /* may already be closed: no check */
    int ms = wait_closed(extra, 500, &got);
    assert_true(ms >= 0);
    assert_int_equal(got, 0);
    close(extra);

    /* The accepted ones are still open and can be used. */
    send_str(fd[0], req_ok);
    read_ok(fd[0]);

    /* One leaves: its slot can be taken again. */
    close(fd[1]);
    sleep_ms(100);
    int again = connect_local();
    send_str(again, req_ok);
    read_ok(again);
    close(again);
    for (int i = 0; i < PER_ADDRESS; i++)
        if (i != 1)
            close(fd[i]);
    sleep_ms(100);
}

/* A client dripping a head one byte every 200 ms never goes idle, yet is closed at the deadline;
 * so is one that sends nothing at all. */
static void test_head_deadline(void **state)
{
    (void)state;
    static const char drip[] = "GET /api/v1/ok HTTP/1.1\r\nHost: t\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaa";
    int d = connect_local();
    int quiet = connect_local();
    int64_t t0 = now_ms();
    size_t sent = 0, got = 0;
    int closed_at = -1;
    while (now_ms() - t0 < HEAD_TIMEOUT_MS + LATE_MS) {
        if (sent < sizeof drip - 1 && write(d, drip + sent, 1) == 1)
            sent++;
        size_t g;
        int ms = wait_closed(d, 200, &g);
        got += g;
        if (ms >= 0) {
            closed_at = (int)(now_ms() - t0);
            break;
        }
    }
    assert_true(closed_at >= HEAD_TIMEOUT_MS - 100);
    assert_true(closed_at <= HEAD_TIMEOUT_MS + LATE_MS);
    assert_true(sent >= 4);
    assert_int_equal(got, 0);
    int ms = wait_closed(quiet, LATE_MS, &got);
    assert_true(ms >= 0);
    assert_int_equal(got, 0);
    close(d);
    close(quiet);
}

/* The deadline is per request: a keep-alive connection whose every head arrives in time lives
 * longer than the deadline; once idle after a request it is closed one deadline later. A head
 * sent in pieces over less than the deadline is answered. */
static void test_keep_alive_rearms(void **state)
{
    (void)state;
    int fd = connect_local();
    int64_t t0 = now_ms();
    for (int i = 0; i < 3; i++) {
        send_str(fd, "GET /api/v1/ok HTTP/1.1\r\n");
        sleep_ms(200);
        send_str(fd, "Host: t\r\n");
        sleep_ms(200);
        send_str(fd, "\r\n");
        read_ok(fd);
        sleep_ms(200);
    }
    assert_true(now_ms() - t0 > HEAD_TIMEOUT_MS + 500);
    size_t got;
    int64_t idle0 = now_ms();
    int ms = wait_closed(fd, HEAD_TIMEOUT_MS + LATE_MS, &got);
    assert_true(ms >= 0);
    /* 200 ms of the deadline had already passed in the loop's last sleep. */
    assert_true(now_ms() - idle0 >= HEAD_TIMEOUT_MS - 200 - 100);
    assert_int_equal(got, 0);
    close(fd);
}

/* Once the head is complete the deadline no longer applies: a handler that takes longer than
 * the deadline still answers on the same connection. */
static void test_slow_handler_not_cut(void **state)
{
    (void)state;
    int fd = connect_local();
    send_str(fd, "GET /api/v1/slow HTTP/1.1\r\nHost: t\r\n\r\n");
    read_ok(fd);
    close(fd);
}

/* Many connections come and go while the reaper runs: nothing is left behind (ASan) and the
 * server still answers. */
static void test_churn(void **state)
{
    (void)state;
    for (int round = 0; round < 20; round++) {
        int idle = connect_local(), fd = connect_local();
        send_str(fd, "GET /api/v1/ok HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        read_ok(fd);
        size_t got;
        assert_true(wait_closed(fd, 2000, &got) >= 0); /* the server closed it */
        close(fd);
        close(idle);
        sleep_ms(20);
    }
    sleep_ms(100);
    int fd = connect_local();
    send_str(fd, req_ok);
    read_ok(fd);
    close(fd);
}

static void test_raise_nofile(void **state)
{
    (void)state;
    struct rlimit rl, saved;
    assert_int_equal(getrlimit(RLIMIT_NOFILE, &saved), 0);
    if (saved.rlim_max != RLIM_INFINITY && saved.rlim_max < 1100)
        skip();
    rl = saved;
    rl.rlim_cur = 256;
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
    conn_guard_raise_nofile(800); /* needs 800 + 256 */
    assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
    assert_true(rl.rlim_cur >= 1056);
    /* Never lowered. */
    conn_guard_raise_nofile(10);
    struct rlimit after;
    assert_int_equal(getrlimit(RLIMIT_NOFILE, &after), 0);
    assert_true(after.rlim_cur == rl.rlim_cur);
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &saved), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_per_address_limit),
        cmocka_unit_test(test_head_deadline),
        cmocka_unit_test(test_keep_alive_rearms),
        cmocka_unit_test(test_slow_handler_not_cut),
        cmocka_unit_test(test_churn),
        cmocka_unit_test(test_raise_nofile),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
