#!/usr/bin/env bash
# Spacing of gratuitous ARPs and unsolicited NAs on the wire (protocol/garp_pacing.hpp):
#  r1: global_defs vrrp_garp_interval 0.2: the 6 GARPs of becoming master (2 VIPs x
#      garp_master_repeat 3) go one at a time, at least 0.2 s apart;
#  r2: a garp_group { garp_interval 0.3, interface eth0 } wins over the global 0.05;
#  r3: no spacing: all 6 at once (within 50 ms);
#  r4: vrrp_gna_interval 0.2 spaces the unsolicited NAs of two IPv6 VIPs the same way.
# keepalived 2.2.7 with vrrp_garp_interval 0.2 was seen sending only two GARPs of a burst
# of five, 0.2 s apart; Keepalive sends them all, spaced (README, "GARP").
source "$(dirname "$0")/lib.sh"
lab_init garpspace
lab_host r1 11
lab_host r2 12
lab_host r3 13
lab_host r4 14
for h in r1 r2 r3 r4; do ip netns exec "$(ns "$h")" sysctl -qw net.ipv6.conf.eth0.accept_dad=0; done

ip netns exec "$(ns sw)" tcpdump -i br0 -nn -l -tt 'arp or (icmp6 and ip6[40] == 136)' \
  > "$LAB_DIR/wire.txt" 2> "$LAB_DIR/tcpdump.log" &
LAB_PIDS+=($!)
wait_for 5 grep -q listening "$LAB_DIR/tcpdump.log"

conf() {  # ROUTER VRID GLOBAL_LINES EXTRA_TOP VIP1 VIP2
  { printf 'global_defs {\n  router_id %s\n%s\n}\n%s\n' "$1" "$3" "$4"
    printf 'vrrp_instance VI_%s {\n  state MASTER\n  interface eth0\n  virtual_router_id %s\n' "$1" "$2"
    printf '  priority 150\n  advert_int 1\n  garp_master_repeat 3\n  garp_master_delay 0\n'
    printf '  virtual_ipaddress {\n    %s\n    %s\n  }\n}\n' "$5" "$6"; } | lab_conf "$1"
}
conf r1 51 "  vrrp_garp_interval 0.2" "" 192.0.2.101/24 192.0.2.111/24
conf r2 52 "  vrrp_garp_interval 0.05" 'garp_group {
  garp_interval 0.3
  interface eth0
}' 192.0.2.102/24 192.0.2.112/24
conf r3 53 "" "" 192.0.2.103/24 192.0.2.113/24
conf r4 54 "  vrrp_gna_interval 0.2" "" 2001:db8::104/64 2001:db8::114/64
for h in r1 r2 r3 r4; do start_keepalive "$h"; done
for h in r1 r2 r3 r4; do wait_for 10 is_master "$h"; done
sleep 2.5   # r1's six spaced GARPs take 1 s, r2's 1.5 s

# The times of the messages about two addresses, and the smallest gap / the span.
times() { grep -E "(Reply|Request) $1|tgt is $1|who-has $1|, $1,|advertisement, tgt is $1" "$LAB_DIR/wire.txt" | awk '{print $1}'; }
stats() {  # ADDR ADDR: "COUNT MIN_GAP SPAN"
  { times "$1"; times "$2"; } | sort -n | awk 'NR > 1 { g = $1 - p; if (min == "" || g < min) min = g }
    NR == 1 { f = $1 } { p = $1; n++ } END { printf "%d %.3f %.3f\n", n, (min == "" ? 0 : min), p - f }'
}
read -r n g s <<< "$(stats 192.0.2.101 192.0.2.111)"
check "r1 vrrp_garp_interval 0.2: 6 GARPs (got $n)" test "$n" -eq 6
check "r1: at least 0.19 s apart (smallest gap $g s)" awk "BEGIN { exit !($g >= 0.19) }"
read -r n g s <<< "$(stats 192.0.2.102 192.0.2.112)"
check "r2 garp_group 0.3 over the global 0.05: 6 GARPs (got $n)" test "$n" -eq 6
check "r2: at least 0.29 s apart (smallest gap $g s)" awk "BEGIN { exit !($g >= 0.29) }"
read -r n g s <<< "$(stats 192.0.2.103 192.0.2.113)"
check "r3 no spacing: 6 GARPs (got $n)" test "$n" -eq 6
check "r3: all within 50 ms (span $s s)" awk "BEGIN { exit !($s <= 0.05) }"
read -r n g s <<< "$(stats 2001:db8::104 2001:db8::114)"
check "r4 vrrp_gna_interval 0.2: 6 unsolicited NAs (got $n)" test "$n" -eq 6
check "r4: at least 0.19 s apart (smallest gap $g s)" awk "BEGIN { exit !($g >= 0.19) }"
check "r1 status: 5 GARPs were sent after waiting their turn" \
  eval "[ \"\$(ctl r1 status --json | jq '.kernel.garp_spaced')\" = 5 ]"
lab_done
