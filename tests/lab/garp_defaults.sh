#!/usr/bin/env bash
# GARP counts and delays on the wire (protocol/garp_timing.hpp), Keepalive beside
# keepalived 2.2.7 with the same words: global_defs vrrp_garp_master_delay/repeat apply
# to an instance that does not set them and, unset, also give the lower-priority values;
# an instance's garp_master_* and garp_lower_prio_* override them; a master that hears a
# lower-priority advert sends garp_lower_prio_repeat GARPs, and as many again
# garp_lower_prio_delay later; vrrp_min_garp makes the defaults one GARP and no second
# burst. Each router runs one instance on its own VRID and VIP.
source "$(dirname "$0")/lib.sh"
lab_init garpdef
lab_host r1 11   # Keepalive, global words only
lab_host r2 12   # keepalived, same
lab_host r3 13   # Keepalive, instance words override
lab_host r4 14   # keepalived, same
lab_host r6 16   # Keepalive, vrrp_min_garp with an instance garp_master_delay
lab_host r7 17   # keepalived, same
lab_host r5 20   # sends the lower-priority adverts
ip -n "$(ns r5)" route add 224.0.0.0/4 dev eth0

ip netns exec "$(ns sw)" tcpdump -i br0 -nn -l -tt arp > "$LAB_DIR/arp.txt" 2> "$LAB_DIR/tcpdump.log" &
LAB_PIDS+=($!)
sleep 1

GLOBAL="  vrrp_garp_master_delay 2
  vrrp_garp_master_repeat 2"
conf() {  # ROUTER VRID VIP EXTRA: a MASTER of priority 150 with the global words above
  { printf 'global_defs {\n  router_id %s\n%s\n}\n' "$1" "$GLOBAL"
    vrrp_conf "$1" MASTER 150 vrid="$2" vip="$3" extra="$4" | sed 1,3d; } | lab_conf "$1"
}
conf r1 51 192.0.2.101 ""
conf r2 52 192.0.2.102 ""
OVERRIDE="garp_master_delay 0
  garp_master_repeat 3
  garp_lower_prio_delay 3
  garp_lower_prio_repeat 1"
conf r3 53 192.0.2.103 "$OVERRIDE"
conf r4 54 192.0.2.104 "$OVERRIDE"
GLOBAL="  vrrp_min_garp"
conf r6 56 192.0.2.106 "garp_master_delay 2"
conf r7 57 192.0.2.107 "garp_master_delay 2"
start_keepalive r1
start_keepalived r2
start_keepalive r3
start_keepalived r4
start_keepalive r6
start_keepalived r7
for h in r1 r2 r3 r4 r6 r7; do check "$h is master" wait_for 10 is_master "$h"; done
sleep 4  # every second burst (2 s) is over

# advert.py VRID VIP PRIORITY: one valid VRRPv2 advert from r5 to 224.0.0.18.
cat > "$LAB_DIR/advert.py" <<'PY'
import socket, struct, sys
vrid, vip, prio = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
def csum(b):
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
m = struct.pack('!BBBBBBH', 0x21, vrid, prio, 1, 0, 1, 0) + socket.inet_aton(vip) + b'\0' * 8
m = m[:6] + struct.pack('!H', csum(m)) + m[8:]
h = struct.pack('!BBHHHBBH4s4s', 0x45, 0xc0, 20 + len(m), 0, 0, 255, 112, 0,
                socket.inet_aton('192.0.2.20'), socket.inet_aton('224.0.0.18'))
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
import time
t = time.time()
s.sendto(h + m, ('224.0.0.18', 0))
print('%.6f' % t)
PY
# Each VIP's times count from its own advert, as the sender timed it: python's start-up
# took over 1.5 s on a loaded CI machine, so a time taken before it pushed the first burst
# out of its window.
declare -A T
for v in 51 52 53 54 56 57; do
  T[192.0.2.10$((v - 50))]=$(ip netns exec "$(ns r5)" python3 "$LAB_DIR/advert.py" "$v" "192.0.2.10$((v - 50))" 100)
done
sleep 6
for h in r1 r2 r3 r4 r6 r7; do check "$h still master" is_master "$h"; done

# GARPs for VIP captured between FROM and TO (seconds after its advert; -inf: from the start).
garps() {  # VIP FROM TO
  awk -v vip="$1" -v t="${T[$1]}" -v from="$2" -v to="$3" '
    $0 ~ ("who-has " vip " .*tell " vip ",") {
      d = $1 - t; if ((from == "-inf" || d >= from) && d < to) n++ }
    END { print n + 0 }' "$LAB_DIR/arp.txt"
}
# Seconds between the first GARP and the first one at least 1 s later, before the advert.
gap() {  # VIP
  awk -v vip="$1" -v t="${T[$1]}" '
    $0 ~ ("who-has " vip " .*tell " vip ",") && $1 < t {
      if (!f) f = $1; else if (!g && $1 - f >= 1) g = $1 }
    END { printf "%.1f\n", g ? g - f : 0 }' "$LAB_DIR/arp.txt"
}
within() { awk -v x="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(x >= lo && x <= hi) }'; }

for p in "r1 192.0.2.101 Keepalive" "r2 192.0.2.102 keepalived"; do
  set -- $p
  check "[global] $3: 2 + 2 GARPs on becoming master ($(garps "$2" -inf 0))" test "$(garps "$2" -inf 0)" -eq 4
  check "[global] $3: the second burst 2 s after the first ($(gap "$2") s)" within "$(gap "$2")" 1.7 3.2
  check "[global] $3: lower-priority advert: 2 GARPs at once ($(garps "$2" 0 1.5))" test "$(garps "$2" 0 1.5)" -eq 2
  check "[global] $3: and 2 more after 2 s ($(garps "$2" 1.5 6))" test "$(garps "$2" 1.5 6)" -eq 2
  check "[global] $3: the second lower-priority burst 1.7..3.2 s later" \
    test "$(garps "$2" 1.7 3.2)" -eq 2
done
for p in "r3 192.0.2.103 Keepalive" "r4 192.0.2.104 keepalived"; do
  set -- $p
  check "[instance] $3: 3 GARPs on becoming master, no second burst ($(garps "$2" -inf 0))" \
    test "$(garps "$2" -inf 0)" -eq 3
  check "[instance] $3: lower-priority advert: 1 GARP at once ($(garps "$2" 0 1.5))" test "$(garps "$2" 0 1.5)" -eq 1
  check "[instance] $3: and 1 more 3 s later ($(garps "$2" 2.7 4.2), $(garps "$2" 1.5 6) in 1.5..6 s)" \
    eval "[ $(garps "$2" 2.7 4.2) -eq 1 ] && [ $(garps "$2" 1.5 6) -eq 1 ]"
done
for p in "r6 192.0.2.106 Keepalive" "r7 192.0.2.107 keepalived"; do
  set -- $p
  check "[min_garp] $3: 1 + 1 GARP on becoming master ($(garps "$2" -inf 0))" test "$(garps "$2" -inf 0)" -eq 2
  check "[min_garp] $3: the second one 2 s after the first ($(gap "$2") s)" within "$(gap "$2")" 1.7 3.2
  check "[min_garp] $3: lower-priority advert: 1 GARP, no second ($(garps "$2" 0 1.5), $(garps "$2" 1.5 6))" \
    eval "[ $(garps "$2" 0 1.5) -eq 1 ] && [ $(garps "$2" 1.5 6) -eq 0 ]"
done
lab_done
