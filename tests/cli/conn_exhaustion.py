#!/usr/bin/python3
"""conn_exhaustion.py — the three parts of tests/cli/conn_exhaustion.sh (loopback only).

  attack HOST PORT OUT READY STOP [--idle N] [--drip M] [--drip-interval S] [--reopen-delay S]
         [--max-seconds S]
      Opens M connections that send a request head one byte every S seconds (never finishing
      it), then N connections that send nothing. A slot whose connection is closed is opened
      again after --reopen-delay (a persistent attacker). Writes READY once the first N + M are
      connected (or refused), stops when the file STOP appears, writes every connection to OUT.
  probe SRC HOST PORT OUT [--count N] [--gap S] [--timeout S]
      GET /api/v1/health N times from source address SRC, a new connection each time
      (Connection: close), timing connect -> complete response.
  check ATTACK PROBE --limit L --header-timeout S --idle N --drip M [--baseline]
      Prints the figures; without --baseline asserts them (exit 1 on failure).
"""
import argparse
import errno
import json
import os
import selectors
import socket
import sys
import time

DRIP = b"GET /api/v1/health HTTP/1.1\r\nHost: t\r\nX-Drip: "


class Conn:
    __slots__ = ("kind", "gen", "sock", "t_start", "t_conn", "t_close", "how", "sent", "state")

    def __init__(self, kind, gen):
        self.kind, self.gen = kind, gen
        self.sock = None
        self.t_start = self.t_conn = self.t_close = None
        self.how = None
        self.sent = 0
        self.state = "new"


def attack(a):
    sel = selectors.DefaultSelector()
    t0 = time.monotonic()
    conns = []      # every connection ever opened
    reopen = []     # (time, kind, gen) of slots to open again

    def now():
        return time.monotonic() - t0

    def close(c, how):
        if c.state == "closed":
            return
        try:
            sel.unregister(c.sock)
        except (KeyError, ValueError):
            pass
        c.sock.close()
        c.state, c.how, c.t_close = "closed", how, now()
        reopen.append((c.t_close + a.reopen_delay, c.kind, c.gen + 1))

    def send_drip(c):
        i = c.sent
        byte = DRIP[i:i + 1] if i < len(DRIP) else b"a"
        try:
            if c.sock.send(byte) == 1:
                c.sent += 1
        except BlockingIOError:
            pass
        except OSError:
            close(c, "reset")

    def open_conn(kind, gen):
        c = Conn(kind, gen)
        c.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        c.sock.setblocking(False)
        c.t_start = now()
        rc = c.sock.connect_ex((a.host, a.port))
        if rc not in (0, errno.EINPROGRESS):
            c.sock.close()
            c.state, c.how, c.t_close = "closed", "connect_failed", now()
            conns.append(c)
            return c
        c.state = "connecting"
        sel.register(c.sock, selectors.EVENT_WRITE, c)
        conns.append(c)
        return c

    def on_event(c, mask):
        if c.state == "connecting":
            err = c.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err:
                close(c, "connect_failed")
                return
            c.state, c.t_conn = "open", now()
            sel.modify(c.sock, selectors.EVENT_READ, c)
            if c.kind == "drip":
                send_drip(c)
            return
        try:
            data = c.sock.recv(4096)
        except BlockingIOError:
            return
        except OSError:
            close(c, "reset")
            return
        if not data:
            close(c, "eof")
        else:
            c.how = "data"  # the server answered something; recorded, still open

    def pump(timeout):
        for key, mask in sel.select(timeout):
            on_event(key.data, mask)

    def open_batch(kind, n):
        batch = [open_conn(kind, 0) for _ in range(n)]
        limit = time.monotonic() + 5
        while any(c.state == "connecting" for c in batch) and time.monotonic() < limit:
            pump(0.05)

    for kind, n in (("drip", a.drip), ("idle", a.idle)):
        for k in range(0, n, 100):
            open_batch(kind, min(100, n - k))
    with open(a.ready, "w") as f:
        f.write("%.3f\n" % now())

    next_drip = now() + a.drip_interval
    next_stop_check = 0.0
    while now() < a.max_seconds:
        pump(0.02)
        t = now()
        if t >= next_drip:
            for c in conns:
                if c.kind == "drip" and c.state == "open":
                    send_drip(c)
            next_drip += a.drip_interval
        due = [r for r in reopen if r[0] <= t]
        if due:
            reopen[:] = [r for r in reopen if r[0] > t]
            for _, kind, gen in due:
                open_conn(kind, gen)
        if t >= next_stop_check:
            if os.path.exists(a.stop):
                break
            next_stop_check = t + 0.2
    end = now()
    out = []
    for c in conns:
        out.append({"kind": c.kind, "gen": c.gen, "start": c.t_start, "conn": c.t_conn,
                    "close": c.t_close, "how": c.how if c.state == "closed" else
                    ("open_" + (c.how or "quiet")), "sent": c.sent})
        if c.state != "closed":
            c.sock.close()
    with open(a.out, "w") as f:
        json.dump({"end": end, "conns": out}, f)


def probe(a):
    req = b"GET /api/v1/health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
    res = []
    for _ in range(a.count):
        t = time.monotonic()
        ok, why = False, ""
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            s.settimeout(a.timeout)
            s.bind((a.src, 0))
            s.connect((a.host, a.port))
            s.sendall(req)
            buf = b""
            while True:
                d = s.recv(65536)
                if not d:
                    break
                buf += d
            ok = buf.startswith(b"HTTP/1.1 200") and b'"status":"ok"' in buf
            why = "" if ok else "reply: %r" % buf[:60]
        except OSError as e:
            why = repr(e)
        finally:
            s.close()
        res.append({"ms": (time.monotonic() - t) * 1000, "ok": ok, "why": why})
        time.sleep(a.gap)
    with open(a.out, "w") as f:
        json.dump(res, f)


def pct(xs, p):
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = max(0, min(len(xs) - 1, int(-(-p * len(xs) // 100)) - 1))  # nearest rank
    return xs[k]


def check(a):
    with open(a.attack) as f:
        att = json.load(f)
    with open(a.probe) as f:
        pr = json.load(f)
    bad = []
    lat = [r["ms"] for r in pr]
    fails = [r for r in pr if not r["ok"]]
    print("probe: %d requests from another address, new connection each: p50 %.1f ms, "
          "p99 %.1f ms, max %.1f ms, failures %d"
          % (len(pr), pct(lat, 50), pct(lat, 99), max(lat), len(fails)))
    for r in fails[:5]:
        print("  failure after %.0f ms: %s" % (r["ms"], r["why"]))

    first = [c for c in att["conns"] if c["gen"] == 0]
    refused_s = 1.0  # closed this soon after connecting without a byte from us: refused at accept

    def life(c):
        return (c["close"] if c["close"] is not None else att["end"]) - (c["conn"] or c["start"])

    def refused(c):
        return c["conn"] is not None and c["close"] is not None and life(c) < refused_s

    for kind in ("drip", "idle"):
        cs = [c for c in first if c["kind"] == kind]
        ref = [c for c in cs if refused(c)]
        acc = [c for c in cs if c["conn"] is not None and not refused(c)]
        nofail = [c for c in cs if c["conn"] is None]
        closed = [c for c in acc if c["close"] is not None]
        lives = [life(c) for c in acc]
        ref_ms = ("p99 %.0f ms" % pct([life(c) * 1000 for c in ref], 99)) if ref else "-"
        print("%s: %d opened, %d refused at accept (closed after %s), %d accepted, "
              "%d never connected; accepted ones lived min %.2f s, max %.2f s, %d closed by the "
              "server before the end (%.1f s)"
              % (kind, len(cs), len(ref), ref_ms, len(acc),
                 len(nofail), min(lives) if lives else 0, max(lives) if lives else 0,
                 len(closed), att["end"]))
        if kind == "drip" and acc:
            print("drip: bytes sent by each accepted dripper before its close: min %d, max %d"
                  % (min(c["sent"] for c in acc), max(c["sent"] for c in acc)))
    total = len(att["conns"])
    print("attacker opened %d connections in all (re-opening closed ones)" % total)

    if a.baseline:
        return 0
    p99 = pct(lat, 99)
    if fails:
        bad.append("%d probe requests failed" % len(fails))
    if p99 >= 100:
        bad.append("probe p99 %.1f ms >= 100 ms" % p99)
    ht = a.header_timeout
    drips = [c for c in first if c["kind"] == "drip"]
    idles = [c for c in first if c["kind"] == "idle"]
    if any(c["conn"] is None for c in drips + idles):
        bad.append("some attacker connections never connected")
    # All drippers fit under the limit: each must be accepted, keep dripping, and be closed by
    # the head deadline (the idle timeout is longer and is restarted by every byte).
    for c in drips:
        if refused(c):
            bad.append("a dripper was refused (limit %d >= %d drippers)" % (a.limit, a.drip))
            break
        lv = life(c)
        if c["close"] is None or not (ht - 0.3 <= lv <= ht + 2.0):
            bad.append("dripper lived %.2f s, expected closed at %d s (+0.3/-2)" % (lv, ht))
            break
        if c["sent"] < int(ht / a.drip_interval) - 1:
            bad.append("dripper sent only %d bytes before its close" % c["sent"])
            break
    acc_idle = [c for c in idles if not refused(c)]
    if len(acc_idle) > a.limit - a.drip:
        bad.append("%d idle connections accepted, limit leaves room for %d"
                   % (len(acc_idle), a.limit - a.drip))
    if len(idles) - len(acc_idle) < a.idle - (a.limit - a.drip):
        bad.append("only %d idle connections refused" % (len(idles) - len(acc_idle)))
    for c in acc_idle:
        if c["close"] is None or not (ht - 0.3 <= life(c) <= ht + 2.0):
            bad.append("accepted idle connection lived %.2f s, expected %d s" % (life(c), ht))
            break
    for b in bad:
        print("FAIL:", b)
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("attack")
    for n in ("host",):
        p.add_argument(n)
    p.add_argument("port", type=int)
    p.add_argument("out")
    p.add_argument("ready")
    p.add_argument("stop")
    p.add_argument("--idle", type=int, default=1000)
    p.add_argument("--drip", type=int, default=200)
    p.add_argument("--drip-interval", type=float, default=1.0)
    p.add_argument("--reopen-delay", type=float, default=1.0)
    p.add_argument("--max-seconds", type=float, default=45)
    p = sub.add_parser("probe")
    p.add_argument("src")
    p.add_argument("host")
    p.add_argument("port", type=int)
    p.add_argument("out")
    p.add_argument("--count", type=int, default=200)
    p.add_argument("--gap", type=float, default=0.03)
    p.add_argument("--timeout", type=float, default=5)
    p = sub.add_parser("check")
    p.add_argument("attack")
    p.add_argument("probe")
    p.add_argument("--limit", type=int, required=True)
    p.add_argument("--header-timeout", type=int, required=True)
    p.add_argument("--idle", type=int, default=1000)
    p.add_argument("--drip", type=int, default=200)
    p.add_argument("--drip-interval", type=float, default=1.0)
    p.add_argument("--baseline", action="store_true")
    a = ap.parse_args()
    if a.cmd == "attack":
        attack(a)
    elif a.cmd == "probe":
        probe(a)
    else:
        sys.exit(check(a))


if __name__ == "__main__":
    main()
