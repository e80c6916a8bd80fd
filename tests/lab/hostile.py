#!/usr/bin/env python3
"""Crafted VRRP adverts for the hostile lab (tests/lab/hostile.sh), sent as whole Ethernet
frames on eth0 of the attacker's namespace, so that every field (TTL, checksums, lengths,
fragments) is exactly what the case says.

  hostile.py list                      cases: NAME FAMILY WHERE REASON (WHERE: instance or -)
  hostile.py send CASE COUNT           COUNT frames of one case
  hostile.py flood SECONDS             every bad case in turn, as fast as possible; prints
                                       "CASE SENT" lines and the total rate
  hostile.py reasons STATUS_JSON       "WHERE REASON COUNT" lines from `status --json`

The lab's instances: VI_4 (v2 IPv4, VRID 51, PASS "secret", 192.0.2.100), VI_O (v2 IPv4,
VRID 53, no authentication, 192.0.2.101), VI_6 (v3 IPv6, VRID 52, 2001:db8::100); all
advert_int 1. The masters have priority 200: every hostile advert says 250, so one that
got through would make the master yield, which the lab would see.
"""
import json
import logging
import socket
import struct
import sys
import time



def reasons(path):
    st = json.load(open(path))
    for i in st.get('instances', []):
        for r, n in i.get('counters', {}).get('bad', {}).items():
            print(i['name'], r, n)
    for r, n in st.get('advert', {}).get('unattributed_bad', {}).items():
        print('-', r, n)


# The lab counts in polling loops: `reasons` must not pay for scapy's import, which takes
# seconds on a loaded machine (it made the lab outlast ctest's limit).
if __name__ == '__main__' and sys.argv[1:2] == ['reasons']:
    reasons(sys.argv[2])
    sys.exit(0)

logging.getLogger('scapy.runtime').setLevel(logging.ERROR)  # no route warnings: none is used
from scapy.all import Ether, IP, IPv6, IPv6ExtHdrFragment, Raw, fragment, fragment6
from scapy.utils import checksum
from scapy.layers.inet6 import in6_chksum

V4_DST, V6_DST = '224.0.0.18', 'ff02::12'
MAC4, MAC6 = '01:00:5e:00:00:12', '33:33:00:00:00:12'
VIP4, VIP4_O, VIP6 = '192.0.2.100', '192.0.2.101', '2001:db8::100'
ME4 = '192.0.2.13'            # the attacker's own address
FORGED4 = '192.0.2.200'       # nobody's: a forged source


def v2(vrid=51, prio=250, addrs=(VIP4,), auth=1, pw=b'secret', ival=1, ver=2, typ=1,
       count=None, bad_sum=False):
    """A VRRPv2 message (RFC 3768 5.1); ver/typ/count may be made wrong."""
    a = b''.join(socket.inet_aton(x) for x in addrs)
    m = struct.pack('!BBBBBBH', (ver << 4) | typ, vrid, prio,
                    len(addrs) if count is None else count, auth, ival, 0)
    m += a + pw.ljust(8, b'\0')[:8]
    s = checksum(m)
    if bad_sum:
        s ^= 0x5a5a
    return m[:6] + struct.pack('!H', s) + m[8:]


def v3(src, dst, vrid=52, prio=250, addrs=(VIP6,), ival_cs=100, ver=3, typ=1, count=None,
       bad_sum=False, v6=True):
    """A VRRPv3 message (RFC 5798 5.1) with its pseudo-header checksum."""
    fam = socket.AF_INET6 if v6 else socket.AF_INET
    a = b''.join(socket.inet_pton(fam, x) for x in addrs)
    m = struct.pack('!BBBBHH', (ver << 4) | typ, vrid, prio,
                    len(addrs) if count is None else count, ival_cs & 0x0fff, 0) + a
    if v6:
        s = in6_chksum(112, IPv6(src=src, dst=dst, nh=112), m)
    else:
        ph = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack('!BBH', 0, 112, len(m))
        s = checksum(ph + m)
    if bad_sum:
        s ^= 0x5a5a
    return m[:6] + struct.pack('!H', s) + m[8:]


# The bridge drops frames without a valid source MAC: eth0's own.
MY_MAC = open('/sys/class/net/eth0/address').read().strip()


def f4(payload, src=ME4, ttl=255):
    return [Ether(src=MY_MAC, dst=MAC4) / IP(src=src, dst=V4_DST, ttl=ttl, proto=112) / Raw(payload)]


def f6(payload, src, hlim=255):
    return [Ether(src=MY_MAC, dst=MAC6) / IPv6(src=src, dst=V6_DST, hlim=hlim, nh=112) / Raw(payload)]


def big4():
    # 5,000 bytes of VRRP: longer than any advert can be; the kernel reassembles the
    # fragments and the daemon's receive sees more than its buffer.
    p = IP(src=ME4, dst=V4_DST, ttl=255, proto=112) / Raw(v2() + b'\0' * 4968)
    return [Ether(src=MY_MAC, dst=MAC4) / f for f in fragment(p, fragsize=1400)]


def big6(ll):
    m = v3(ll, V6_DST, addrs=(VIP6,) * 312, count=312 & 0xff)  # 8 + 312 * 16 = 5,000 bytes
    p = IPv6(src=ll, dst=V6_DST, hlim=255, nh=44) / IPv6ExtHdrFragment(nh=112) / Raw(m)
    return [Ether(src=MY_MAC, dst=MAC6) / f for f in fragment6(p, 1400)]


def link_local():
    with open('/proc/net/if_inet6') as f:
        for line in f:
            h, _, _, scope, _, name = line.split()
            if name == 'eth0' and scope == '20':
                return socket.inet_ntop(socket.AF_INET6, bytes.fromhex(h))
    sys.exit('no link-local address on eth0')


def cases():
    """NAME -> (family, where it is counted, reason, frames, bad?)."""
    ll = link_local()
    c = {}

    def add(name, fam, where, reason, frames, bad=True):
        c[name] = (fam, where, reason, frames, bad)
    add('ttl', 4, 'VI_4', 'bad_ttl', f4(v2(), ttl=64))
    add('checksum', 4, 'VI_4', 'bad_checksum', f4(v2(bad_sum=True)))
    add('version5', 4, 'VI_4', 'bad_version', f4(v2(ver=5)))
    add('v3_on_v2', 4, 'VI_4', 'bad_version', f4(v3(ME4, V4_DST, vrid=51, addrs=(VIP4,), v6=False)))
    add('type', 4, 'VI_4', 'bad_type', f4(v2(typ=2)))
    add('password', 4, 'VI_4', 'auth_failure', f4(v2(pw=b'guessed')))
    add('no_auth', 4, 'VI_4', 'auth_type_mismatch', f4(v2(auth=0, pw=b'')))
    add('count', 4, 'VI_4', 'bad_length', f4(v2(count=2)))
    add('interval', 4, 'VI_4', 'interval_mismatch', f4(v2(ival=2)))
    add('addresses', 4, 'VI_4', 'address_mismatch', f4(v2(addrs=('192.0.2.99',))))
    add('truncated', 4, 'VI_4', 'too_short', f4(v2()[:4]))
    add('oversized', 4, 'VI_4', 'oversized', big4())
    # Another configured instance's VRID, with its fields wrong.
    add('other_interval', 4, 'VI_O', 'interval_mismatch',
        f4(v2(vrid=53, addrs=(VIP4_O,), auth=0, pw=b'', ival=3)))
    add('other_ttl', 4, 'VI_O', 'bad_ttl', f4(v2(vrid=53, addrs=(VIP4_O,), auth=0, pw=b''), ttl=1))
    add('unknown_vrid', 4, '-', 'unknown_vrid', f4(v2(vrid=99)))
    add('hop_limit', 6, 'VI_6', 'bad_ttl', f6(v3(ll, V6_DST), ll, hlim=64))
    add('checksum6', 6, 'VI_6', 'bad_checksum', f6(v3(ll, V6_DST, bad_sum=True), ll))
    add('v2_on_v6', 6, 'VI_6', 'bad_version', f6(v2(vrid=52), ll))
    add('type6', 6, 'VI_6', 'bad_type', f6(v3(ll, V6_DST, typ=3), ll))
    add('interval0', 6, 'VI_6', 'bad_interval', f6(v3(ll, V6_DST, ival_cs=0), ll))
    add('count6', 6, 'VI_6', 'bad_length', f6(v3(ll, V6_DST, count=3), ll))
    add('addresses6', 6, 'VI_6', 'address_mismatch', f6(v3(ll, V6_DST, addrs=('2001:db8::99',)), ll))
    add('truncated6', 6, 'VI_6', 'too_short', f6(v3(ll, V6_DST)[:5], ll))
    add('oversized6', 6, 'VI_6', 'oversized', big6(ll))
    add('unknown_vrid6', 6, '-', 'unknown_vrid', f6(v3(ll, V6_DST, vrid=98), ll))
    # Forged sources, otherwise valid: RFC 3768/5798 have no source authentication, so
    # these count as a real higher (or lower) priority router's adverts.
    add('forged_bad', 4, 'VI_4', 'bad_ttl', f4(v2(), src=FORGED4, ttl=254))
    add('forged_low', 4, 'VI_4', '', f4(v2(prio=50), src=FORGED4), bad=False)
    add('forged_high', 4, 'VI_4', '', f4(v2(prio=250), src=FORGED4), bad=False)
    return c


def sock():
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind(('eth0', 0))
    return s


def main():
    cmd = sys.argv[1]
    c = cases()
    if cmd == 'list':
        for name, (fam, where, reason, _, bad) in c.items():
            if bad:
                print(name, fam, where, reason)
        return
    s = sock()
    if cmd == 'send':
        frames = [bytes(f) for f in c[sys.argv[2]][3]]
        for _ in range(int(sys.argv[3])):
            for f in frames:
                s.send(f)
            time.sleep(0.002)  # one case at a time, not a flood: every packet is counted
        return
    if cmd == 'flood':
        secs = float(sys.argv[2])
        names = [n for n, v in c.items() if v[4]]
        frames = [[bytes(f) for f in c[n][3]] for n in names]
        sent = [0] * len(names)
        t0 = time.monotonic()
        end = t0 + secs
        while time.monotonic() < end:
            for _ in range(20):
                for i, fs in enumerate(frames):
                    for f in fs:
                        try:
                            s.send(f)
                        except OSError:  # a full transmit queue: this one is not sent
                            continue
                    sent[i] += 1
        took = time.monotonic() - t0
        for n, k in zip(names, sent):
            print(n, k)
        print('TOTAL', sum(sent), round(sum(sent) / took))


if __name__ == '__main__':
    main()
