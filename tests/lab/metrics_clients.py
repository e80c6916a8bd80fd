#!/usr/bin/env python3
"""Hostile HTTP clients for the metrics lab (tests/lab/metrics.sh), run in a namespace that
reaches the daemon's metrics_listen address.

  metrics_clients.py cases HOST PORT          one connection per case; prints "CASE STATUS"
                                               (STATUS: the answer's code, or "closed")
  metrics_clients.py hold HOST PORT N SECS     N connections that send nothing, then one more
                                               GET: prints "refused R of N" (answered 503 at
                                               once), "extra STATUS", then waits up to SECS
                                               and prints "closed K after T" (closed by the
                                               server, and when)
  metrics_clients.py noread HOST PORT SECS     pipelines GET /metrics as long as the socket
                                               takes them, never reading; prints "sent N",
                                               then "closed after T" or "open after SECS"
"""
import socket
import sys
import time


def connect(host, port, rcvbuf=None):
    fam = socket.AF_INET6 if ':' in host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.settimeout(5)
    s.connect((host, port))
    return s


def status_of(s):
    data = b''
    try:
        while b'\r\n' not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    except (socket.timeout, ConnectionResetError):
        pass
    if not data.startswith(b'HTTP/1.'):
        return 'closed'
    return data.split(b' ')[1].decode()


CASES = [
    ('get_metrics', b'GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
    ('get_other', b'GET /other HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
    ('get_root', b'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
    ('post_metrics', b'POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'),
    ('delete_metrics', b'DELETE /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
    ('with_body', b'GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello'),
    ('garbage', b'\x00\xff\xfe garbage \x01\x02\r\n\r\n'),
    ('bad_version', b'GET /metrics HTTP/9.9\r\n\r\n'),
    ('huge_header', b'GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: ' + b'a' * 65536 + b'\r\n\r\n'),
    ('http10', b'GET /metrics HTTP/1.0\r\n\r\n'),
]


def cases(host, port):
    for name, req in CASES:
        s = connect(host, port)
        try:
            s.sendall(req)
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused before the whole request went: the status may still be there
        print(name, status_of(s), flush=True)
        s.close()


def hold(host, port, n, secs):
    held = []
    refused = 0
    for _ in range(n):
        s = connect(host, port)
        s.setblocking(False)
        time.sleep(0.01)
        try:
            if s.recv(4096).startswith(b'HTTP/1.1 503'):
                refused += 1
        except BlockingIOError:
            pass
        held.append(s)
    print('refused', refused, 'of', n, flush=True)
    extra = connect(host, port)
    extra.sendall(b'GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
    print('extra', status_of(extra), flush=True)
    extra.close()
    start = time.time()
    open_ = set(range(len(held)))
    while open_ and time.time() - start < secs:
        for i in list(open_):
            try:
                held[i].recv(4096)
                open_.discard(i)  # EOF (or a last word): the server is done with it
            except BlockingIOError:
                pass
            except (ConnectionResetError, OSError):
                open_.discard(i)
        time.sleep(0.05)
    print('closed', len(held) - len(open_), 'after', round(time.time() - start, 1), flush=True)


def noread(host, port, secs):
    s = connect(host, port, rcvbuf=4096)
    s.setblocking(False)
    req = b'GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n'
    sent = 0
    stuck_since = None
    start = time.time()
    # Send until the socket stops taking requests for a second: the server reads no more
    # while its answer waits to be taken.
    while time.time() - start < secs:
        try:
            s.send(req)
            sent += 1
            stuck_since = None
        except BlockingIOError:
            stuck_since = stuck_since or time.time()
            if time.time() - stuck_since > 1:
                break
            time.sleep(0.01)
        except (BrokenPipeError, ConnectionResetError):
            break
    print('sent', sent, flush=True)
    # Still never reading: the server must give up on us. A byte sent now and then finds
    # out: a reset (or EPIPE) says the server has closed.
    start = time.time()
    while time.time() - start < secs:
        try:
            s.send(b'G')
        except BlockingIOError:
            pass
        except (BrokenPipeError, ConnectionResetError, OSError):
            print('closed after', round(time.time() - start, 1), flush=True)
            return
        time.sleep(0.2)
    print('open after', secs, flush=True)


if __name__ == '__main__':
    cmd, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if cmd == 'cases':
        cases(host, port)
    elif cmd == 'hold':
        hold(host, port, int(sys.argv[4]), float(sys.argv[5]))
    elif cmd == 'noread':
        noread(host, port, float(sys.argv[4]))
