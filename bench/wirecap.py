#!/usr/bin/env python3
"""VRRP adverts seen on an interface, with the kernel's receive time stamp (SO_TIMESTAMPNS:
taken when the frame arrived, so a loaded capture process adds no error).
  wirecap.py IFACE   -> one line per advert: "SECONDS.NANOS SRC VRID PRIORITY", flushed
"""
import socket
import struct
import sys

SO_TIMESTAMPNS = 35
ETH_P_ALL = 3

s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
s.bind((sys.argv[1], 0))
s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
out = sys.stdout
while True:
    data, anc, _, _ = s.recvmsg(256, socket.CMSG_SPACE(16))
    ts = None
    for level, typ, val in anc:
        if level == socket.SOL_SOCKET and typ == SO_TIMESTAMPNS:
            sec, nsec = struct.unpack('qq', val[:16])
            ts = '%d.%09d' % (sec, nsec)
    if ts is None or len(data) < 14:
        continue
    et = struct.unpack('!H', data[12:14])[0]
    p = data[14:]
    if et == 0x0800 and len(p) >= 24 and p[9] == 112:
        ihl = (p[0] & 0x0f) * 4
        src = socket.inet_ntop(socket.AF_INET, p[12:16])
        v = p[ihl:]
    elif et == 0x86dd and len(p) >= 44 and p[6] == 112:
        src = socket.inet_ntop(socket.AF_INET6, p[8:24])
        v = p[40:]
    else:
        continue
    if len(v) >= 3:
        out.write('%s %s %d %d\n' % (ts, src, v[1], v[2]))
        out.flush()
