"""The systemd side of Type=notify for tests/lab/sd_notify.sh: binds a Unix datagram socket
(the path a service manager would give in NOTIFY_SOCKET) and writes every message it
receives to OUT, one variable per line, in arrival order.

Usage: notify_receiver.py SOCKET OUT [ADMIN_SOCKET]
With ADMIN_SOCKET, the moment READY=1 arrives it asks that admin socket for a ping (one
attempt, no retry) and writes "ADMIN_AT_READY=pong" or "ADMIN_AT_READY=<error>": a
manager that trusts READY=1 may start clients at once, so the socket must answer then.
Runs until killed; each line is flushed as written.
"""
import os
import socket
import sys

path, out_path = sys.argv[1], sys.argv[2]
admin = sys.argv[3] if len(sys.argv) > 3 else None


def ask_admin():
    try:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(5)
        s.connect(admin)
        s.sendall(b'{"cmd":"ping"}\n')
        reply = b""
        while not reply.endswith(b"\n"):
            b = s.recv(4096)
            if not b:
                break
            reply += b
        s.close()
        return "pong" if b"pong" in reply else "reply:" + reply.decode(errors="replace").strip()
    except OSError as e:
        return "error:" + str(e)


if os.path.exists(path):
    os.unlink(path)
srv = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
srv.bind(path)
os.chmod(path, 0o666)
with open(out_path, "a", buffering=1) as out:
    out.write("LISTENING=1\n")
    while True:
        msg = srv.recv(65536).decode(errors="replace")
        for var in msg.split("\n"):
            if not var:
                continue
            out.write(var + "\n")
            if var == "READY=1" and admin:
                out.write("ADMIN_AT_READY=" + ask_admin() + "\n")
