#!/usr/bin/env python3
"""Sends valid VRRPv2 adverts (VRID 51, no authentication, 192.0.2.100) from this
namespace's eth0, one every GAP seconds, and prints the wall-clock time of each just
before it goes out, for tests/lab/prio_answers.sh to match against a capture.

  prio_answers.py PRIORITY COUNT GAP
"""
import logging
import socket
import struct
import sys
import time

logging.getLogger('scapy.runtime').setLevel(logging.ERROR)
from scapy.all import Ether, IP, Raw
from scapy.utils import checksum

prio, count, gap = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
m = struct.pack('!BBBBBBH', 0x21, 51, prio, 1, 0, 1, 0) + socket.inet_aton('192.0.2.100') + b'\0' * 8
m = m[:6] + struct.pack('!H', checksum(m)) + m[8:]
mac = open('/sys/class/net/eth0/address').read().strip()
frame = bytes(Ether(src=mac, dst='01:00:5e:00:00:12') /
              IP(src='192.0.2.13', dst='224.0.0.18', ttl=255, proto=112) / Raw(m))
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(('eth0', 0))
for i in range(count):
    if i:
        time.sleep(gap)
    print('%.6f' % time.time(), flush=True)
    s.send(frame)
