#!/usr/bin/env python3
"""Real servers that misbehave on purpose, for the checker labs (tests/lab/checks_*.sh).

  check_servers.py hang ADDR PORT          accept, then never read nor answer
  check_servers.py reset ADDR PORT         accept, then reset (RST) at once
  check_servers.py flap ADDR PORT FILE     HTTP: 200 while FILE holds "up", else 503
  check_servers.py smtp ADDR PORT CODES LOG
      SMTP: CODES is "greeting,helo,quit" (e.g. 220,250,221); a code "hang" never answers
      that step. Each peer address and each line received go to LOG.
"""
import socket
import struct
import sys
import threading


def listener(addr, port):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(64)
    return s


def serve(s, handle):
    while True:
        c, peer = s.accept()
        threading.Thread(target=handle, args=(c, peer), daemon=True).start()


held = []


def hang(c, peer):
    held.append(c)  # kept open, never answered


def reset(c, peer):
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()


def flap(path):
    def handle(c, peer):
        try:
            c.settimeout(5)
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = c.recv(4096)
                if not chunk:
                    return
                data += chunk
            try:
                up = open(path).read().strip() == "up"
            except OSError:
                up = False
            body = b"ok\n" if up else b"down\n"
            status = b"200 OK" if up else b"503 Service Unavailable"
            c.sendall(b"HTTP/1.0 " + status + b"\r\nContent-Length: " + str(len(body)).encode() +
                      b"\r\nContent-Type: text/plain\r\n\r\n" + body)
        finally:
            c.close()
    return handle


def smtp(codes, log):
    greeting, helo, quit_ = codes.split(",")
    lock = threading.Lock()

    def note(line):
        with lock, open(log, "a") as f:
            f.write(line + "\n")

    def handle(c, peer):
        note("peer %s %d" % (peer[0], peer[1]))
        f = c.makefile("rwb")
        try:
            if greeting == "hang":
                held.append(c)
                return
            # A multi-line greeting, as many servers send.
            f.write(("%s-lab.example ESMTP\r\n%s lab.example ready\r\n" % (greeting, greeting)).encode())
            f.flush()
            for step in (helo, quit_):
                line = f.readline()
                if not line:
                    return
                note(line.decode(errors="replace").rstrip("\r\n"))
                if step == "hang":
                    held.append(c)
                    return
                f.write(("%s ok\r\n" % step).encode())
                f.flush()
        except OSError:
            pass
        finally:
            if c not in held:
                f.close()
                c.close()
    return handle


def main():
    mode, addr, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    s = listener(addr, port)
    if mode == "hang":
        serve(s, hang)
    elif mode == "reset":
        serve(s, reset)
    elif mode == "flap":
        serve(s, flap(sys.argv[4]))
    elif mode == "smtp":
        serve(s, smtp(sys.argv[4], sys.argv[5]))
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
