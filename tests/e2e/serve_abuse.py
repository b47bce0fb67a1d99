#!/usr/bin/python3
"""serve_abuse.py HOST PORT — malformed and hostile HTTP against a running
`rasd serve`, for tests/e2e/serve.sh. Each case prints one line
"ok NAME" or "FAIL NAME: why"; after every case the server must still
answer a normal request. Standard library only (raw sockets)."""
import socket
import sys
import time

HOST, PORT = sys.argv[1], int(sys.argv[2])
failed = 0


def conn(timeout=5.0):
    s = socket.create_connection((HOST, PORT), timeout=timeout)
    return s


def exchange(data, timeout=5.0, shut=False):
    """Sends raw bytes; returns the status code (int) or None if the
    server closed without answering, and the whole reply."""
    s = conn(timeout)
    try:
        s.sendall(data)
        if shut:
            s.shutdown(socket.SHUT_WR)
        chunks = []
        while True:
            try:
                b = s.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not b:
                break
            chunks.append(b)
            if b"\r\n\r\n" in b"".join(chunks) and not shut:
                # headers are in; read what the body length says, then stop
                head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
                cl = [l for l in head.split(b"\r\n") if l.lower().startswith(b"content-length:")]
                if cl and len(body) >= int(cl[0].split(b":")[1]):
                    break
        reply = b"".join(chunks)
    finally:
        s.close()
    if not reply.startswith(b"HTTP/1."):
        return None, reply
    return int(reply.split(b" ", 2)[1]), reply


def alive():
    st, _ = exchange(b"GET /api/status HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    return st == 200


def case(name, ok, why=""):
    global failed
    if ok and alive():
        print("ok " + name)
    else:
        failed += 1
        print("FAIL %s: %s" % (name, why if not ok else "the server stopped answering"))


def expect4xx(name, data, shut=False, allow_close=False):
    st, reply = exchange(data, shut=shut)
    good = (st is not None and 400 <= st < 500) or (allow_close and st is None)
    case(name, good, "status %r: %r" % (st, reply[:200]))


G = b"Host: x\r\nConnection: close\r\n"
expect4xx("an unknown method gets 4xx", b"BREW /api/stories HTTP/1.1\r\n" + G + b"\r\n")
expect4xx("a garbage request line gets 4xx", b"\x00\x01\x02 nonsense\r\n\r\n", allow_close=True)
expect4xx("a request without Host gets 400", b"GET /api/status HTTP/1.1\r\nConnection: close\r\n\r\n")
expect4xx("a header of 100 KB gets 4xx",
          b"GET /api/status HTTP/1.1\r\n" + G + b"X-Big: " + b"a" * 100000 + b"\r\n\r\n")
expect4xx("2,000 headers get 4xx",
          b"GET /api/status HTTP/1.1\r\n" + G + b"".join(b"X-H%d: v\r\n" % i for i in range(2000)) + b"\r\n")
expect4xx("a 20 KB request target gets 4xx",
          b"GET /api/stories?q=" + b"a" * 20000 + b" HTTP/1.1\r\n" + G + b"\r\n")
expect4xx("path traversal with ../ gets 404", b"GET /../../etc/passwd HTTP/1.1\r\n" + G + b"\r\n")
expect4xx("path traversal with %2e%2e gets 404", b"GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\n" + G + b"\r\n")
expect4xx("path traversal with an encoded slash gets 404", b"GET /..%2f..%2fetc%2fpasswd HTTP/1.1\r\n" + G + b"\r\n")
expect4xx("a hidden file is not served", b"GET /.git/config HTTP/1.1\r\n" + G + b"\r\n")
expect4xx("invalid UTF-8 in a query gets 400", b"GET /api/stories?outlet=%C3%28 HTTP/1.1\r\n" + G + b"\r\n")
expect4xx("an overlong UTF-8 NUL in a query gets 400", b"GET /api/entities?q=%C0%80 HTTP/1.1\r\n" + G + b"\r\n")
expect4xx("a broken escape in a query gets 400", b"GET /api/entities?q=%G1 HTTP/1.1\r\n" + G + b"\r\n")
expect4xx("a NUL in an entity key gets 400", b"GET /api/entities/a%00b HTTP/1.1\r\n" + G + b"\r\n")
expect4xx("a body on POST without a token gets 401 or 403",
          b"POST /api/articles HTTP/1.1\r\n" + G + b"Content-Length: 2\r\n\r\n{}")
expect4xx("a declared 10 GB body is refused before it is sent",
          b"POST /api/articles HTTP/1.1\r\n" + G + b"Content-Length: 10000000000\r\n\r\n")
expect4xx("a bad Content-Length gets 4xx",
          b"POST /api/articles HTTP/1.1\r\n" + G + b"Content-Length: -5\r\n\r\n", allow_close=True)
expect4xx("a bad chunked body gets 4xx or a close",
          b"POST /api/articles HTTP/1.1\r\n" + G + b"Transfer-Encoding: chunked\r\n\r\nZZZ\r\n", shut=True,
          allow_close=True)

# a truncated body: the client promises 1000 bytes, sends 10 and stops writing
st, reply = exchange(b"POST /api/articles HTTP/1.1\r\n" + G + b"Content-Length: 1000\r\n\r\n{\"body\":\"x",
                     shut=True)
case("a truncated body is dropped and the server keeps serving", st is None or 400 <= st < 500,
     "status %r" % st)

# slow clients: 150 connections that send half a request line and wait
slow = []
for i in range(150):
    try:
        s = conn()
        s.sendall(b"GET /api/sta")
        slow.append(s)
    except OSError:
        break
t0 = time.time()
ok = alive()
took = time.time() - t0
case("150 slow clients sending half a request do not starve a normal one (%.2f s)" % took,
     ok and took < 2.0, "took %.2f s" % took)
# half-open: connections that never send anything
idle = []
for i in range(100):
    try:
        idle.append(conn())
    except OSError:
        break
t0 = time.time()
ok = alive()
took = time.time() - t0
case("100 silent connections do not starve a normal one (%.2f s)" % took, ok and took < 2.0,
     "took %.2f s" % took)
# the server closes them after its timeout (the test starts it with --timeout 2)
time.sleep(3.5)
closed = 0
for s in slow + idle:
    try:
        s.settimeout(0.5)
        s.recv(100)  # EOF (or a final error reply): the server let go
        closed += 1
    except (ConnectionResetError, BrokenPipeError):
        closed += 1
    except socket.timeout:
        pass
    s.close()
case("slow and silent connections are closed after the timeout (%d of %d)" % (closed, len(slow) + len(idle)),
     closed == len(slow) + len(idle), "%d still open" % (len(slow) + len(idle) - closed))

print("%d failed" % failed)
sys.exit(1 if failed else 0)
