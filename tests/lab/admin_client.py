"""Raw admin-socket clients for tests/lab/admin_abuse.sh. Usage: admin_client.py SOCKET MODE [ARG]
  cap N          hold N clients (each answered a ping), then one more: print its first line;
                 then close one held client and print whether a new one gets pong
  nonreader S    send status requests without reading, for at most S seconds; print
                 "disconnected after T s, B bytes sent" or "still connected"
  abuser S       like nonreader, reconnecting whenever dropped, for S seconds; print the count
  partial        send half a line, wait: print "closed after T s: REPLY"
  drip           send a line one byte a second: print "closed after T s: REPLY"
  idle           ping, then nothing: print "closed after T s (from the pong): REPLY"
"""
import socket
import sys
import time

path, mode = sys.argv[1], sys.argv[2]
arg = float(sys.argv[3]) if len(sys.argv) > 3 else 0
REQ = b'{"cmd":"status"}\n'


def connect(timeout=5):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(path)
    return s


def line(s):
    out = b""
    while not out.endswith(b"\n"):
        b = s.recv(65536)
        if not b:
            break
        out += b
    return out.decode("utf-8", "replace").strip()


def until_closed(s, started):
    # Reads until the daemon closes the connection; returns (seconds, what it said).
    said = b""
    try:
        while True:
            b = s.recv(65536)
            if not b:
                break
            said += b
    except OSError:
        pass
    return time.monotonic() - started, said.decode("utf-8", "replace").strip()


def flood(seconds):
    # Writes requests without ever reading; returns (dropped?, seconds, bytes sent).
    s = connect(timeout=seconds)
    started, sent = time.monotonic(), 0
    try:
        while time.monotonic() - started < seconds:
            sent += s.send(REQ * 64)
    except OSError:  # EPIPE / ECONNRESET once dropped; a timeout when still held
        if time.monotonic() - started < seconds:
            return True, time.monotonic() - started, sent
    finally:
        s.close()
    return False, time.monotonic() - started, sent


if mode == "cap":
    held = []
    for _ in range(int(arg)):
        s = connect()
        s.sendall(b'{"cmd":"ping"}\n')
        assert "pong" in line(s)
        held.append(s)
    extra = connect()
    print("extra:", line(extra))
    held.pop().close()
    time.sleep(0.3)
    again = connect()
    again.sendall(b'{"cmd":"ping"}\n')
    print("after one left:", line(again))
elif mode == "nonreader":
    dropped, t, sent = flood(arg)
    print(f"disconnected after {t:.1f} s, {sent} bytes sent" if dropped
          else f"still connected after {t:.1f} s, {sent} bytes sent")
elif mode == "abuser":
    end, drops, sent = time.monotonic() + arg, 0, 0
    while time.monotonic() < end:
        try:
            dropped, _, n = flood(end - time.monotonic())
        except OSError:
            dropped, n = True, 0
        drops += dropped
        sent += n
    print(f"abuser: dropped {drops} times, {sent} bytes sent")
elif mode == "partial":
    s = connect(timeout=15)
    s.sendall(b'{"cmd":"sta')
    t, said = until_closed(s, time.monotonic())
    print(f"closed after {t:.1f} s: {said}")
elif mode == "drip":
    s = connect(timeout=15)
    started = time.monotonic()
    try:
        for ch in b'{"cmd":"status"}\n':
            s.send(bytes([ch]))
            time.sleep(1)
    except OSError:
        pass
    t, said = until_closed(s, started)
    print(f"closed after {t:.1f} s: {said}")
elif mode == "idle":
    s = connect(timeout=90)
    s.sendall(b'{"cmd":"ping"}\n')
    assert "pong" in line(s)
    t, said = until_closed(s, time.monotonic())
    print(f"closed after {t:.1f} s: {said}")
else:
    sys.exit(f"unknown mode {mode}")
