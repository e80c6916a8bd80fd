"""Helpers for tests/lab/admin_cmds.sh. Usage: admin_cmds.py MODE ARGS...
  watchers SOCKET N S     hold N watch clients that never read, for S seconds; one of
                          them also sends 1 MiB of junk after its watch request
  raw SOCKET LINE         send LINE (\\n added) and print the reply's first line, its length
  junk SRC                (inside a namespace) send one VRRP-looking packet from SRC with
                          TTL 1: a bad advert for every router on the segment
"""
import socket
import sys
import time

mode = sys.argv[1]

if mode == "watchers":
    path, n, secs = sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    held = []
    for i in range(n):
        c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        c.connect(path)
        c.sendall(b'{"cmd":"watch"}\n')
        held.append(c)
    junk = held[0]
    junk.setblocking(False)
    sent, end = 0, time.time() + secs
    while time.time() < end:
        if sent < (1 << 20):
            try:
                sent += junk.send(b"x" * 65536)
            except (BlockingIOError, BrokenPipeError, ConnectionResetError):
                pass
        time.sleep(0.05)
    print("held %d watchers for %g s, %d junk bytes sent" % (n, secs, sent))
elif mode == "raw":
    path, req = sys.argv[2], sys.argv[3].encode("utf-8", "surrogateescape")
    c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    c.settimeout(5)
    c.connect(path)
    c.sendall(req + b"\n")
    out = b""
    while not out.endswith(b"\n"):
        b = c.recv(65536)
        if not b:
            break
        out += b
    print(len(out), out.decode("utf-8", "replace").strip())
elif mode == "junk":
    # VRRP is IP protocol 112 to 224.0.0.18 with TTL 255; this one leaves with TTL 1, so
    # every receiver must drop it and count it as bad.
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 112)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(sys.argv[2]))
    s.sendto(bytes([0x21, 51, 100, 1, 0, 1, 0, 0, 192, 0, 2, 100]), ("224.0.0.18", 0))
else:
    sys.exit("unknown mode " + mode)
