#!/usr/bin/env bash
# Unicast VRRP (unicast_peer) between Keepalive and keepalived 2.2.7: v2 over IPv4 and v3
# over IPv6, each daemon in both roles: election, SIGTERM handover, preemption back, with
# exactly one holder of the address after every step. A capture on the bridge shows the
# adverts went router to router and none to the VRRP groups (224.0.0.18, ff02::12).
# Then, on Keepalive alone: an advert from a non-peer (check_unicast_src) and one from a
# peer with a TTL below its min_ttl are dropped and counted, while the same advert with
# TTL 255 from the peer is obeyed (the checks can fail); unicast_fault_no_peer with no
# peers is FAULT. Last, VRRPv3 over IPv4 with keepalived's old_unicast_checksum.
source "$(dirname "$0")/lib.sh"
lab_init iopuc
lab_host ka 11
lab_host kd 12
lab_host x 13
for h in ka:11 kd:12 x:13; do
  ip -n "$(ns ${h%:*})" -6 addr add "2001:db8::${h#*:}/64" dev eth0 nodad
done

# -e: link-layer addresses, to tell whose gratuitous ARPs / NAs a line is.
ip netns exec "$(ns sw)" tcpdump -i br0 -e -nn -l -v \
  'ip proto 112 or ip6 proto 112 or arp or (icmp6 and ip6[40] == 136)' \
  > "$LAB_DIR/wire.txt" 2> "$LAB_DIR/tcpdump.log" &
LAB_PIDS+=($!)
sleep 1

addr_of() {  # HOST FAMILY
  local o; [ "$1" = ka ] && o=11 || o=12
  [ "$2" = 4 ] && echo "192.0.2.$o" || echo "2001:db8::$o"
}
other() { [ "$1" = ka ] && echo kd || echo ka; }
start() { if [ "$1" = ka ]; then start_keepalive ka; else start_keepalived kd; fi; }
has() { ip -n "$(ns "$1")" -o addr show dev eth0 | grep -q " $2/"; }
only() { has "$1" "$2" && ! has "$(other "$1")" "$2"; }
ka_status_has() {
  local st; st=$(ctl ka status --json) || return 1
  local p; for p in "$@"; do grep -q -- "$p" <<<"$st" || return 1; done
}

conf() {  # ROUTER STATE PRIORITY FAMILY [EXTRA LINES]
  local r=$1 fam=$4 ver=${CONF_VERSION:-2} vip=192.0.2.100/24
  [ "$fam" = 6 ] && { ver=3; vip=2001:db8::100/64; }
  printf 'global_defs {\n  router_id %s\n}\n' "$r"
  printf 'vrrp_instance VI_U {\n  state %s\n  interface eth0\n  virtual_router_id 61\n' "$2"
  printf '  priority %s\n  advert_int 1\n  version %s\n' "$3" "$ver"
  printf '  unicast_src_ip %s\n  unicast_peer {\n    %s\n  }\n' "$(addr_of "$r" "$fam")" \
    "$(addr_of "$(other "$r")" "$fam")"
  printf '  check_unicast_src\n'
  printf '  virtual_ipaddress {\n    %s\n  }\n  notify @NOTIFY@\n' "$vip"
  [ $# -ge 5 ] && printf '%s\n' "$5"
  printf '}\n'
}

for fam in 4 6; do
  if [ "$fam" = 4 ]; then VIP=192.0.2.100; V=VRRPv2; else VIP=2001:db8::100; V=VRRPv3; fi
  for master in ka kd; do
    backup=$(other $master)
    tag="[unicast $V IPv$fam, master=$master]"
    conf $master MASTER 200 $fam | lab_conf $master
    conf $backup BACKUP 100 $fam | lab_conf $backup
    mark=$(wc -l < "$LAB_DIR/wire.txt")
    start $backup
    sleep 1
    check "$tag $backup alone becomes master" wait_for 6 eval "is_master $backup && only $backup $VIP"
    gmark=$(wc -l < "$LAB_DIR/wire.txt")
    start $master
    check "$tag $master is elected (preempts), $backup releases" \
      wait_for 8 eval "is_master $master && only $master $VIP"
    sleep 2.5
    mac=$(ip -n "$(ns $master)" link show eth0 | awk '/link\/ether/ {print $2}')
    ng=$(tail -n +"$(( gmark + 1 ))" "$LAB_DIR/wire.txt" | grep "^[0-9:.]* $mac > " |
         grep -c -E "who-has $VIP( \([0-9a-f:]+\))? tell $VIP|neighbor advertisement, length 32, tgt is $VIP")
    check "$tag $master sent gratuitous ARPs / unsolicited NAs on becoming master ($ng)" test "$ng" -ge 1
    check "$tag $backup stays backup, only $master holds $VIP" eval "only $master $VIP && ! is_master $backup"
    if [ $master = ka ]; then
      check "$tag ka's status: unicast mode, its peer, no drops" \
        ka_status_has '"mode":"unicast"' "\"address\":\"$(addr_of kd $fam)\"" '"not_a_peer":0' '"ttl_out_of_range":0'
    fi
    stop_router $master TERM
    check "$tag $backup takes over on the master's SIGTERM" wait_for 3 only $backup $VIP
    start $master
    check "$tag $master preempts back" wait_for 8 eval "is_master $master && only $master $VIP"
    stop_router $master TERM
    stop_router $backup TERM
    check "$tag neither holds $VIP after both stopped" eval "! has ka $VIP && ! has kd $VIP"
    sleep 0.5
    seen=$(tail -n +"$(( mark + 1 ))" "$LAB_DIR/wire.txt")
    m=$(addr_of $master $fam); b=$(addr_of $backup $fam)
    # tcpdump writes "(ttl N)" for a TTL other than 255: keepalived 2.2.7 sends its IPv6
    # unicast adverts with hop limit 64 (the system default) when unicast_ttl is unset.
    n_mb=$(grep -c -E "(^| )$m > $b: $V, Advertisement, (\(ttl [0-9]+\), )?vrid 61" <<<"$seen")
    n_bm=$(grep -c -E "(^| )$b > $m: $V, Advertisement, (\(ttl [0-9]+\), )?vrid 61" <<<"$seen")
    n_ka_low=$(grep -c -E "(^| )$(addr_of ka $fam) > .*\(ttl [0-9]+\)" <<<"$seen")
    n_grp=$(grep -c -E "> (224\.0\.0\.18|ff02::12): " <<<"$seen")
    echo "     wire: $m > $b $n_mb adverts, $b > $m $n_bm, to a VRRP group $n_grp"
    check "$tag adverts went by unicast both ways" eval "[ $n_mb -ge 3 ] && [ $n_bm -ge 1 ]"
    check "$tag no advert went to a VRRP multicast group" test "$n_grp" -eq 0
    check "$tag Keepalive's adverts carried TTL/hop limit 255 (unicast_ttl default)" test "$n_ka_low" -eq 0
  done
done
check "Keepalive dropped none of keepalived's unicast adverts" eval "! grep -q 'dropped advert' $LAB_DIR/ka.log"

# --- Keepalive alone as master; adverts forged with a raw socket (TTL chosen).
cat > "$LAB_DIR/forge.py" <<'PY'
import socket, struct, sys
dst, prio, ttl = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def csum(b):
    if len(b) % 2: b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
vip = socket.inet_aton("192.0.2.100")
hdr = struct.pack("!BBBBBBH", 0x21, 61, prio, 1, 0, 1, 0) + vip + b"\0" * 8
pkt = hdr[:6] + struct.pack("!H", csum(hdr)) + hdr[8:]
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 112)
s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, ttl)
for _ in range(3):
    s.sendto(pkt, (dst, 0))
PY
conf ka MASTER 100 4 '  unicast_ttl 64' | sed 's/^    192.0.2.12$/    192.0.2.12 min_ttl 250/' | lab_conf ka
mark=$(wc -l < "$LAB_DIR/wire.txt")
grep -q 'min_ttl 250' "$LAB_DIR/ka.conf" || echo "FAIL - test setup: min_ttl not in the config"
start_keepalive ka
check "[checks] ka alone is master" wait_for 6 eval "is_master ka && has ka 192.0.2.100"
check "[unicast_ttl 64] ka's adverts to its peer carry TTL 64" wait_for 3 eval \
  "tail -n +$((mark + 1)) $LAB_DIR/wire.txt | grep -q '192.0.2.11 > 192.0.2.12: VRRPv2, Advertisement, (ttl 64), vrid 61'"
ip netns exec "$(ns x)" python3 "$LAB_DIR/forge.py" 192.0.2.11 254 255
check "[check_unicast_src] an advert (priority 254) from a non-peer is counted as not_a_peer" \
  wait_for 3 ka_status_has '"not_a_peer":[1-9]'
check "[check_unicast_src] and ignored: ka stays master" eval "sleep 1; is_master ka && has ka 192.0.2.100"
ip netns exec "$(ns kd)" python3 "$LAB_DIR/forge.py" 192.0.2.11 254 200
check "[min_ttl] the peer's advert with TTL 200 < min_ttl 250 is counted as ttl_out_of_range" \
  wait_for 3 ka_status_has '"ttl_out_of_range":[1-9]'
check "[min_ttl] and ignored: ka stays master" eval "sleep 1; is_master ka && has ka 192.0.2.100"
ip netns exec "$(ns kd)" python3 "$LAB_DIR/forge.py" 192.0.2.11 254 255
check "[control] the same advert from the peer with TTL 255 makes ka backup" \
  wait_for 3 eval "! is_master ka && ! has ka 192.0.2.100"
check "[control] ka is master again once the forged master is silent" \
  wait_for 8 eval "is_master ka && has ka 192.0.2.100"
stop_router ka TERM

# --- unicast_fault_no_peer with no peers: FAULT, and the log says why.
conf ka MASTER 100 4 '  unicast_fault_no_peer' | sed '/unicast_peer {/,/}/d' | lab_conf ka
grep -q unicast_peer "$LAB_DIR/ka.conf" && echo "FAIL - test setup: a peer left in the config"
mark=$(wc -l < "$LAB_DIR/wire.txt")
start_keepalive ka
check "[unicast_fault_no_peer] ka is in FAULT with the reason in its status" \
  wait_for 6 ka_status_has '"state":"FAULT"' 'unicast_fault_no_peer'
check "[unicast_fault_no_peer] the log says why" wait_for 2 grep -q 'unicast_fault_no_peer and no unicast_peer' "$LAB_DIR/ka.log"
sleep 3
check "[unicast_fault_no_peer] no address taken, no advert sent (no multicast fallback)" \
  eval "! has ka 192.0.2.100 && ! tail -n +$((mark + 1)) $LAB_DIR/wire.txt | grep -q '192.0.2.11 >'"
stop_router ka TERM

# --- old_unicast_checksum, VRRPv3 over IPv4: keepalived <= 1.3.6 summed unicast adverts
# with 224.0.0.18 in the pseudo-header; keepalived 2.2.7 sends that form with
# `old_unicast_checksum` and then drops the RFC form ("Invalid VRRPv3 checksum").
old_conf() {  # ROUTER STATE PRIORITY [EXTRA]
  CONF_VERSION=3 conf "$1" "$2" "$3" 4 "${4:-}" | lab_conf "$1"
}
old_conf kd MASTER 200 '  old_unicast_checksum'
old_conf ka BACKUP 100
start_keepalived kd
check "[old checksum] keepalived (old_unicast_checksum) alone becomes master" \
  wait_for 6 eval "is_master kd && only kd 192.0.2.100"
start_keepalive ka
sleep 4
check "[old checksum] ka accepts its adverts: stays backup, only kd holds the address" \
  eval "! is_master ka && only kd 192.0.2.100"
check "[old checksum] ka took up the old form (status, log)" eval \
  "ka_status_has '\"v3_checksum\":\"old_unicast\"' && grep -q 'sums its unicast VRRPv3 adverts the old way' $LAB_DIR/ka.log"
stop_router kd TERM
check "[old checksum] ka takes over on keepalived's SIGTERM" wait_for 3 eval "is_master ka && only ka 192.0.2.100"
# keepalived back as a lower-priority backup: it drops RFC sums, so it stays backup only
# if ka's adverts now carry the old one.
old_conf kd BACKUP 50 '  old_unicast_checksum'
kmark=$(wc -l < "$LAB_DIR/kd.log")
start_keepalived kd
sleep 5
check "[old checksum] keepalived (priority 50) stays backup: ka's adverts carry the old sum" \
  eval "! is_master kd && only ka 192.0.2.100"
check "[old checksum] keepalived logged no invalid checksum" \
  eval "! tail -n +$((kmark + 1)) $LAB_DIR/kd.log | grep -q 'Invalid VRRPv3 checksum'"
stop_router kd TERM
stop_router ka TERM
# `old_unicast_checksum never`: the old form is refused, counted as bad_checksum, and the
# routers split, as two keepalived 2.2.7 do with never on one side.
old_conf kd MASTER 200 '  old_unicast_checksum'
old_conf ka BACKUP 100 '  old_unicast_checksum never'
start_keepalived kd
wait_for 6 eval "is_master kd"
start_keepalive ka
check "[old checksum never] ka counts keepalived's adverts as bad_checksum" \
  wait_for 4 ka_status_has '"bad_checksum":[1-9]'
check "[old checksum never] and, hearing no valid advert, becomes master" wait_for 6 is_master ka
check "[old checksum never] ka keeps the RFC form" ka_status_has '"v3_checksum":"rfc5798"'
stop_router ka TERM
stop_router kd TERM
lab_done
