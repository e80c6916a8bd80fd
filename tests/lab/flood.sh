#!/usr/bin/env bash
# Hostile packets at a master: a 10.5 s flood of adverts with TTL 64 (about 1,000 a
# second) is counted in full but logged as the first drop plus one summary line per 10 s;
# a truncated packet is logged with its real sender; an advert with trailing bytes is
# dropped as bad_length. The master stays master throughout.
source "$(dirname "$0")/lib.sh"
lab_init flood
lab_host r1 11
lab_host r2 12
VIP=192.0.2.100
vrrp_conf r1 MASTER 150 | lab_conf r1
start_keepalive r1
check "r1 is master" wait_for 6 eval "is_master r1 && has_vip r1 $VIP"

# send.py MODE SECONDS: raw IPv4 packets from r2 to r1 (192.0.2.11), protocol 112.
cat > "$LAB_DIR/send.py" <<'PY'
import socket, struct, sys, time
mode, secs = sys.argv[1], float(sys.argv[2])
def csum(b):
    if len(b) % 2: b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
def vrrp(extra=b''):
    addrs = socket.inet_aton('192.0.2.100')
    m = struct.pack('!BBBBBBH', 0x21, 51, 200, 1, 0, 1, 0) + addrs + b'\0' * 8
    m = m[:6] + struct.pack('!H', csum(m)) + m[8:]
    return m + extra
def ip(payload, ttl):
    h = struct.pack('!BBHHHBBH4s4s', 0x45, 0xc0, 20 + len(payload), 0, 0, ttl, 112, 0,
                    socket.inet_aton('192.0.2.12'), socket.inet_aton('192.0.2.11'))
    return h + payload
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
dst = ('192.0.2.11', 0)
if mode == 'flood':
    pkt = ip(vrrp(), 64)
    end = time.time() + secs
    while time.time() < end:
        s.sendto(pkt, dst)
        time.sleep(0.001)
elif mode == 'short':
    s.sendto(ip(vrrp()[:4], 255), dst)
elif mode == 'trailing':
    s.sendto(ip(vrrp(b'\xde\xad\xbe\xef'), 255), dst)
PY
send() { ip netns exec "$(ns r2)" python3 "$LAB_DIR/send.py" "$@"; }
jbad() {  # REASON: r1's count for it
  ctl r1 status --json | grep -o "\"$1\":[0-9]*" | head -n 1 | cut -d: -f2
}

send flood 10.5
sleep 0.5
n=$(jbad bad_ttl)
lines=$(grep -c "dropped advert from 192.0.2.12: bad_ttl" "$LAB_DIR/r1.log")
check "flood: every packet counted (bad_ttl $n >= 3000)" test "${n:-0}" -ge 3000
check "flood: $lines drop lines for $n packets (the first, then one after 10 s)" test "$lines" -eq 2
check "flood: the summary line says how many were not logged" \
  grep -q "bad_ttl (and [0-9]* more bad_ttl drops not logged since the last line)" "$LAB_DIR/r1.log"
check "flood: r1 stayed master with its VIP" eval "is_master r1 && has_vip r1 $VIP"

send short 0
check "truncated packet: counted as too_short" wait_for 2 eval '[ "$(jbad too_short)" -ge 1 ]'
check "truncated packet: logged with its sender, not 0.0.0.0" \
  grep -q "dropped advert from 192.0.2.12: too_short" "$LAB_DIR/r1.log"
send trailing 0
check "trailing bytes: dropped as bad_length" wait_for 2 eval '[ "$(jbad bad_length)" -ge 1 ]'
check "trailing bytes: r1 stays master" eval "is_master r1 && has_vip r1 $VIP"
lab_done
