#!/usr/bin/python3
"""http_raw.py — attacks over a raw socket on a running `dti serve` (issue 7 items 1 and 4).

Usage: http_raw.py DTI_BINARY DB_URL PORT WORKDIR [--sanitized]

Starts the server (access log on stderr into WORKDIR), then for each case sends raw bytes and
checks: a bounded reply with an expected status (or, where listed, a closed connection); our
replies are Vietnamese JSON {"error":{"code","message"}} with the security headers and, for
framing errors, "Connection: close" and the connection really closed; after each case
/api/v1/health still answers 200. At the end: SIGTERM -> exit 0; every access-log line is one
valid JSON object, one per request that reached the server's pipeline, long method/path cut
with the marker; for the sanitized build, no sanitizer report on stderr.
"""
import json
import os
import signal
import socket
import subprocess
import sys
import time

BIN, DB, PORT, WORK = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
SANITIZED = "--sanitized" in sys.argv
LOG = os.path.join(WORK, "stderr.log")
HOST = b"Host: 127.0.0.1\r\n"
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL " + msg, flush=True)


def exchange(data, timeout=5.0, chunks=None):
    """Sends data (or the list chunks, with a pause between), reads until the server closes
    or `timeout` passes. Returns (raw reply bytes, closed_by_server)."""
    s = socket.create_connection(("127.0.0.1", PORT), timeout=timeout)
    try:
        for i, c in enumerate(chunks or [data]):
            if i:
                time.sleep(0.05)
            try:
                s.sendall(c)
            except (BrokenPipeError, ConnectionResetError):
                break
        out = b""
        end = time.time() + timeout
        closed = False
        while time.time() < end:
            s.settimeout(max(0.05, end - time.time()))
            try:
                b = s.recv(65536)
            except socket.timeout:
                break
            except ConnectionResetError:
                closed = True
                break
            if not b:
                closed = True
                break
            out += b
            if replies_complete(out) and wanted_replies(out) and not wait_for_close:
                break
        return out, closed
    finally:
        s.close()


wait_for_close = False
expected_count = 1


def wanted_replies(out):
    return len(parse_replies(out)) >= expected_count


def replies_complete(out):
    try:
        parse_replies(out)
        return True
    except ValueError:
        return False


def parse_replies(out):
    """Splits a byte stream into (status, headers dict (lower-case), body) replies; raises
    ValueError on a truncated one."""
    res = []
    while out:
        head, sep, rest = out.partition(b"\r\n\r\n")
        if not sep:
            raise ValueError("truncated head")
        lines = head.split(b"\r\n")
        parts = lines[0].split(b" ", 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/"):
            raise ValueError("bad status line %r" % lines[0][:80])
        status = int(parts[1])
        hdrs = {}
        for l in lines[1:]:
            k, _, v = l.partition(b":")
            hdrs.setdefault(k.strip().lower().decode("latin-1"), []).append(v.strip().decode("latin-1"))
        n = int(hdrs.get("content-length", ["0"])[0])
        if len(rest) < n:
            raise ValueError("truncated body")
        res.append((status, hdrs, rest[:n]))
        out = rest[n:]
    return res


SEC = ["content-security-policy", "x-content-type-options", "referrer-policy", "x-frame-options"]


def check_ours(name, status, hdrs, body):
    for h in SEC:
        if h not in hdrs:
            fail("%s: reply %d without %s" % (name, status, h))
    if status >= 400:
        try:
            e = json.loads(body)["error"]
            assert isinstance(e["code"], str) and isinstance(e["message"], str)
        except Exception:
            fail("%s: reply %d is not our JSON error: %r" % (name, status, body[:120]))
            return None
        return e
    return None


def health_ok():
    out, _ = exchange(b"GET /api/v1/health HTTP/1.1\r\n" + HOST + b"Connection: close\r\n\r\n")
    try:
        r = parse_replies(out)
        return r and r[0][0] == 200
    except ValueError:
        return False


def log_lines():
    with open(LOG, "rb") as f:
        return [l for l in f.read().split(b"\n") if l.startswith(b"{")]


# name, bytes, allowed statuses (each reply), how many replies, how many requests reach our
# pipeline (= access-log lines), options:
#   ours: every reply must be our JSON with the security headers
#   close: the server must close the connection after the reply
#   may_close_silently: a closed connection without any reply is acceptable
#   marker: access-log field that must be true ("method_truncated"/"path_truncated")
def req(method, path, extra=b"", version=b"HTTP/1.1", host=True):
    return method + b" " + path + b" " + version + b"\r\n" + (HOST if host else b"") + extra + b"\r\n"


P = b"/api/v1/health"
CASES = [
    # --- long fields (the crash: a 1,600-byte method overflowed the access log) ---
    ("method 1 KB", req(b"A" * 1024, P), {405}, 1, 1, dict(ours=True, marker="method_truncated")),
    ("method 1.6 KB", req(b"A" * 1600, P), {405}, 1, 1, dict(ours=True, marker="method_truncated")),
    ("method 16 KB", req(b"A" * 16384, P), {405, 431}, 1, 1, dict(ours=True, marker="method_truncated")),
    ("method 64 KB", req(b"A" * 65536, P), {414, 431}, 1, 0, dict(may_close_silently=True)),
    ("path 8 KB", req(b"GET", b"/api/v1/" + b"a" * 8192), {400, 404}, 1, 1, dict(ours=True, marker="path_truncated")),
    ("path 8 KB static", req(b"GET", b"/" + b"a" * 8192), {400, 200, 404}, 1, 1, dict(ours=False, marker="path_truncated")),
    ("header 16 KB", req(b"GET", P, b"X-Big: " + b"v" * 16384 + b"\r\n"), {431}, 1, 1, dict(ours=True)),
    ("header 70 KB", req(b"GET", P, b"X-Big: " + b"v" * 70000 + b"\r\n"), {431}, 1, 1, dict(mhd=True)),
    ("malformed chunked", req(b"POST", b"/api/v1/auth/login", b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n") + b"zz\r\n{}\r\n0\r\n\r\n", {400}, 1, 1, dict(mhd=True)),
    ("200 headers", req(b"GET", P, b"".join(b"X-H%d: v\r\n" % i for i in range(200))), {431}, 1, 1, dict(ours=True, close=True)),
    # --- NUL and control bytes ---
    ("NUL in method", req(b"GE\x00T", P), {400}, 1, 1, dict(ours=True, close=True)),
    ("control bytes in method", req(b"G\x01\x7fT", P), {405}, 1, 1, dict(ours=True)),
    ("NUL in path", req(b"GET", b"/api/v1/hea\x00lth"), {400}, 1, 1, dict(ours=True, close=True)),
    ("space in path", req(b"GET", b"/api/v1/health   x"), {400}, 1, 1, dict(ours=True, close=True)),
    ("control bytes in path", req(b"GET", b"/api/v1/he\x01\x1flth"), {400}, 1, 1, dict(ours=True)),
    ("NUL in query", req(b"GET", b"/api/v1/health?a=1\x00b=2"), {400}, 1, 1, dict(ours=True, close=True)),
    ("NUL in header value", req(b"GET", P, b"X-A: a\x00b\r\n"), {400}, 1, 1, dict(ours=True, close=True)),
    # libmicrohttpd refuses a field line without ':' itself (the NUL ends the line for it).
    ("NUL in header name", req(b"GET", P, b"X-\x00A: b\r\n"), {400}, 1, 1, dict(mhd=True)),
    ("control bytes in header", req(b"GET", P, b"X-A: a\x01\x7fb\r\n"), {200}, 1, 1, dict(ours=True)),
    ("bad header name", req(b"GET", P, b"X(A): b\r\n"), {400}, 1, 1, dict(ours=True, close=True)),
    ("blank before colon", req(b"GET", P, b"X-A : b\r\n"), {400}, 1, 1, dict(ours=True, close=True)),
    ("bare CR in header", req(b"GET", P, b"X-A: a\rb\r\n"), {400}, 1, 1, dict(ours=True, close=True)),
    ("empty and blank values", req(b"GET", P, b"X-A:\r\nX-B:   \r\nX-C: a b \t\r\n"), {200}, 1, 1, dict(ours=True)),
    ("odd query strings", req(b"GET", P + b"?a&&b=&=c&d=1+2&"), {400}, 1, 1, dict(ours=True)),  # unknown parameters: 400 naming the first
    # --- line endings and versions ---
    ("bare LF", b"GET /api/v1/health HTTP/1.1\nHost: x\n\n", {200}, 1, 1, dict(ours=True)),
    ("HTTP/1.0", b"GET /api/v1/health HTTP/1.0\r\n\r\n", {200}, 1, 1, dict(ours=True)),
    ("HTTP/0.9", b"GET /api/v1/health\r\n", {400, 505}, 1, 0, dict(may_close_silently=True)),
    ("HTTP/2.0 line", b"GET /api/v1/health HTTP/2.0\r\n\r\n", {505}, 1, 0, dict()),
    ("HTTP/1.1 without Host", req(b"GET", P, host=False), {400}, 1, 1, dict(ours=True, close=True)),
    ("two Host", req(b"GET", P, HOST), {400}, 1, 1, dict(ours=True, close=True)),
    # --- framing (request smuggling) ---
    ("two Content-Length", req(b"POST", b"/api/v1/auth/login", b"Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n") + b"{}", {400}, 1, 1, dict(ours=True, close=True)),
    ("same Content-Length twice", req(b"POST", b"/api/v1/auth/login", b"Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 2\r\n") + b"{}", {400}, 1, 1, dict(ours=True, close=True)),
    ("Content-Length and chunked", req(b"POST", b"/api/v1/auth/login", b"Content-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n") + b"2\r\n{}\r\n0\r\n\r\n", {400}, 1, 1, dict(ours=True, close=True)),
    ("Transfer-Encoding gzip", req(b"POST", b"/api/v1/auth/login", b"Content-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\n") + b"2\r\n{}\r\n0\r\n\r\n", {400}, 1, 1, dict(ours=True, close=True)),
    ("folded header", req(b"GET", P, b"X-A: a\r\n b\r\n"), {400}, 1, 1, dict(ours=True, close=True)),
    ("folded header (tab)", req(b"GET", P, b"X-A: a\r\n\tb\r\n"), {400}, 1, 1, dict(ours=True, close=True)),
    # libmicrohttpd parses Content-Length before our first call (and sends its page twice).
    ("Content-Length not a number", req(b"POST", b"/api/v1/auth/login", b"Content-Length: 1x\r\n"), {400}, 1, 1, dict(mhd=True)),
    # --- pipelining ---
    ("pipelined 3", req(b"GET", P) * 3, {200}, 3, 3, dict(ours=True)),
    ("pipelined with body", (req(b"POST", b"/api/v1/auth/login", b"Content-Type: application/json\r\nContent-Length: 2\r\n") + b"{}") + req(b"GET", P), {400, 200}, 2, 2, dict(ours=True)),
    ("pipelined, second smuggles", req(b"GET", P) + req(b"GET", P, b"Content-Length: 1\r\nContent-Length: 2\r\n"), {200, 400}, 2, 2, dict(ours=True)),
]


def main():
    global wait_for_close, expected_count
    env = dict(os.environ)
    if SANITIZED:
        env["ASAN_OPTIONS"] = "detect_leaks=1:abort_on_error=0:halt_on_error=1"
        env["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1"
    errf = open(LOG, "wb")
    srv = subprocess.Popen([BIN, "serve", "--db", DB, "--listen", "127.0.0.1:%d" % PORT,
                            "--threads", "2", "--conn-timeout", "3"],
                           stdout=subprocess.DEVNULL, stderr=errf, env=env)
    for _ in range(200):
        if srv.poll() is not None:
            break
        try:
            if health_ok():
                break
        except OSError:
            time.sleep(0.05)
    else:
        fail("server did not start")
    if srv.poll() is not None:
        print(open(LOG, "rb").read().decode("utf-8", "replace")[-3000:])
        sys.exit("server did not start")
    time.sleep(0.3)  # the start-up health checks' lines
    base = len(log_lines())
    expected_lines = base
    for name, data, statuses, nreplies, nlogged, opt in CASES:
        wait_for_close = bool(opt.get("close"))
        expected_count = nreplies
        out, closed = exchange(data)
        try:
            if opt.get("mhd"):
                # libmicrohttpd's own reply: only its status line is ours to check.
                replies = [(int(out.split(b" ", 2)[1]), {}, b"")] if out.startswith(b"HTTP/1.1 ") else []
            else:
                replies = parse_replies(out)
        except ValueError as e:
            fail("%s: unparsable reply (%s): %r" % (name, e, out[:200]))
            replies = []
        if not replies:
            if not (opt.get("may_close_silently") and closed):
                fail("%s: no reply (closed=%s)" % (name, closed))
        elif len(replies) != nreplies:
            fail("%s: %d replies, expected %d: %s" % (name, len(replies), nreplies, [r[0] for r in replies]))
        for status, hdrs, body in replies:
            if status not in statuses:
                fail("%s: status %d, expected one of %s: %r" % (name, status, sorted(statuses), body[:160]))
            if opt.get("ours"):
                check_ours(name, status, hdrs, body)
        if opt.get("close"):
            if replies and "close" not in [v.lower() for v in replies[-1][1].get("connection", [])]:
                fail("%s: no Connection: close" % name)
            if not closed:
                fail("%s: connection left open" % name)
        if srv.poll() is not None:
            fail("%s: the server died (exit %s)" % (name, srv.returncode))
            break
        if not health_ok():
            fail("%s: /health does not answer after it" % name)
        expected_lines += nlogged + 1  # + the health check
        # The line is written when the request completes: wait for it.
        for _ in range(100):
            if len(log_lines()) >= expected_lines:
                break
            time.sleep(0.02)
        lines = log_lines()
        if len(lines) != expected_lines:
            fail("%s: %d access-log lines, expected %d" % (name, len(lines) - (expected_lines - nlogged - 1), nlogged + 1))
            expected_lines = len(lines)
        marker = opt.get("marker") or ("refused_by" if opt.get("mhd") else None)
        if marker and nlogged:
            mine = [json.loads(l) for l in lines[-(nlogged + 1):]]
            if not any(m.get(marker) in (True, "libmicrohttpd") for m in mine):
                fail("%s: access log without %s: %s" % (name, marker, mine))
        if replies:
            print("ok   %-32s %s" % (name, " ".join(str(r[0]) for r in replies)), flush=True)
        else:
            print("ok   %-32s closed" % name, flush=True)
    srv.send_signal(signal.SIGTERM)
    try:
        rc = srv.wait(20)
    except subprocess.TimeoutExpired:
        srv.kill()
        rc = "timeout"
    if rc != 0:
        fail("server exit %s after SIGTERM" % rc)
    errf.close()
    raw = open(LOG, "rb").read()
    for i, l in enumerate(raw.split(b"\n")):
        if not l.startswith(b"{"):
            continue
        try:
            d = json.loads(l)
            assert isinstance(d, dict) and "status" in d and "method" in d and len(l) < 4096
        except Exception as e:
            fail("access-log line %d is not one valid JSON object (%s): %r" % (i, e, l[:200]))
    if SANITIZED and (b"Sanitizer" in raw or b"runtime error" in raw or b"ERROR: " in raw):
        fail("sanitizer report:\n" + raw.decode("utf-8", "replace")[-4000:])
    if failures:
        print("%d failure(s)" % len(failures))
        sys.exit(1)
    print("all %d cases passed (%s)" % (len(CASES), os.path.basename(BIN)))


main()
