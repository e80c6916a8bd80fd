#!/usr/bin/env bash
# VRRPv3 between Keepalive and keepalived 2.2.7, over IPv4 and over IPv6, each daemon in
# both roles. The master advertises every 0.1 s, the backup is configured with 0.5 s: a
# v3 backup must adopt the master's interval (RFC 5798 6.4.2), so its master-down
# interval is 3 * 0.1 + skew = 0.36 s rather than 1.8 s, which the crash failover time
# shows for both daemons, and Keepalive's status shows as master_adver_int_s. In each
# case: election, the master's SIGTERM (priority 0 on the wire), preemption back, its link
# cut, its crash; after every step exactly one router holds the address. A capture on
# the bridge checks that only VRRPv3 with good checksums went over the wire.
source "$(dirname "$0")/lib.sh"
lab_init iopv3
lab_host ka 11
lab_host kd 12
MASTER_INT=0.1
BACKUP_INT=0.5
# A takeover this soon after the master's last advert shows the adopted interval: with
# the backup's own 0.5 s it would take 1.8 s; with 0.1 s it takes 0.36 s.
ADOPTED_MS=1200

# Everything VRRP on the segment, one line per advert (tcpdump checks v3 checksums), and
# the neighbour advertisements (ICMPv6 type 136) a new IPv6 master sends.
ip netns exec "$(ns sw)" tcpdump -i br0 -nn -l -v \
  'ip proto 112 or ip6 proto 112 or (icmp6 and ip6[40] == 136)' \
  > "$LAB_DIR/wire.txt" 2> "$LAB_DIR/tcpdump.log" &
LAB_PIDS+=($!)

conf() {  # ROUTER STATE PRIORITY INTERVAL VIP
  printf 'global_defs {\n  router_id %s\n}\n' "$1"
  printf 'vrrp_instance VI_3 {\n  state %s\n  interface eth0\n  virtual_router_id 33\n' "$2"
  printf '  priority %s\n  advert_int %s\n  version 3\n' "$3" "$4"
  printf '  virtual_ipaddress {\n    %s\n  }\n  notify @NOTIFY@\n}\n' "$5"
}

start() { if [ "$1" = ka ]; then start_keepalive ka; else start_keepalived kd; fi; }
other() { [ "$1" = ka ] && echo kd || echo ka; }

has() {  # HOST ADDRESS: on eth0, either family
  ip -n "$(ns "$1")" -o addr show dev eth0 | grep -q " $2/"
}
only() {  # HOST ADDRESS: HOST holds it and the other router does not
  has "$1" "$2" && ! has "$(other "$1")" "$2"
}
# The advert source of a router: its IPv4 address, or its IPv6 link-local address.
source_of() {  # HOST FAMILY
  if [ "$2" = 4 ]; then
    [ "$1" = ka ] && echo 192.0.2.11 || echo 192.0.2.12
  else
    ip -n "$(ns "$1")" -6 -o addr show dev eth0 scope link | awk '{print $4}' | cut -d/ -f1
  fi
}
wire_mark() { wc -l < "$LAB_DIR/wire.txt"; }
# A priority-0 advert from SRC among the capture lines after MARK.
sent_prio0() {  # MARK SRC
  tail -n +"$(( $1 + 1 ))" "$LAB_DIR/wire.txt" | grep -q -E "(^| )$2 > (224\.0\.0\.18|ff02::12): VRRPv3, Advertisement, vrid 33, prio 0,"
}
ka_status_has() {  # PATTERN...: every one is in Keepalive's JSON status
  local st; st=$(ctl ka status --json) || return 1
  local p; for p in "$@"; do grep -q -- "$p" <<<"$st" || return 1; done
}
# Milliseconds from SRC's last advert to NEW's first one, among the capture lines after
# MARK: the failover as the wire sees it (the crash itself, tearing keepalived's two
# processes down, takes a varying while that is no part of it). With -v an IPv4 advert's
# time stamp is on the IP header's line, the line before.
wire_gap_ms() {  # MARK SRC NEW
  tail -n +"$(( $1 + 1 ))" "$LAB_DIR/wire.txt" | awk -v old="$2 > " -v new="$3 > " '
    $1 ~ /^[0-9]+:[0-9]+:[0-9.]+$/ { split($1, t, ":"); ts = t[1] * 3600 + t[2] * 60 + t[3] }
    index($0, "VRRPv3") && index($0, old) && !first { last = ts }
    index($0, "VRRPv3") && index($0, new) && last && !first { first = ts }
    END { if (last && first) printf "%d\n", (first - last) * 1000; else print 999999 }'
}
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# The IPv6 link-local addresses must have left DAD: they are the advert sources.
for h in ka kd; do
  wait_for 5 eval "[ -n \"\$(source_of $h 6)\" ] && ! ip -n $(ns $h) -6 addr show dev eth0 | grep -q tentative"
done

for fam in 4 6; do
  if [ "$fam" = 4 ]; then VIP=192.0.2.100; VIPCONF=192.0.2.100/24; else VIP=2001:db8::100; VIPCONF=2001:db8::100; fi
  for master in ka kd; do
    backup=$(other $master)
    conf $master MASTER 200 $MASTER_INT $VIPCONF | lab_conf $master
    conf $backup BACKUP 100 $BACKUP_INT $VIPCONF | lab_conf $backup
    tag="[v3 IPv$fam, master=$master]"
    msrc=$(source_of $master $fam)
    case_mark=$(wire_mark)
    start $backup
    sleep 1
    start $master
    check "$tag $master is elected, $backup is not" \
      wait_for 8 eval "is_master $master && only $master $VIP"
    sleep 2  # twenty adverts: a wrong decision would show now
    if [ "$fam" = 6 ]; then
      # The backup was never master in this case: these are the master's.
      nas=$(tail -n +"$(( case_mark + 1 ))" "$LAB_DIR/wire.txt" |
            grep -c "$VIP > ff02::1: \[icmp6 sum ok\] ICMP6, neighbor advertisement, length 32, tgt is $VIP, Flags \[override\]")
      check "$tag $master sent unsolicited NAs for $VIP on becoming master ($nas, garp_master_repeat 5)" \
        test "$nas" -ge 5
      flags=$(ip -n "$(ns $master)" -6 -o addr show dev eth0 | grep " $VIP/" | grep -o -E 'nodad|deprecated|preferred_lft [^ ]*' | tr '\n' ' ')
      check "$tag $master's $VIP: /128, nodad, deprecated ($flags), as keepalived adds it" \
        eval "[ '$flags' = 'nodad deprecated preferred_lft 0sec ' ] && ip -n $(ns $master) -6 -o addr show dev eth0 | grep -q ' $VIP/128 '"
    fi
    check "$tag $backup stays backup, only $master holds $VIP" eval "only $master $VIP && ! is_master $backup"
    if [ $backup = ka ]; then
      check "$tag ka's status: version 3, IPv$fam, master's interval $MASTER_INT s adopted (own $BACKUP_INT s)" \
        ka_status_has '"version":3' "\"family\":\"IPv$fam\"" "\"advert_int_s\":$BACKUP_INT" \
                      "\"master_adver_int_s\":$MASTER_INT"
      echo "     ka: $(ctl ka status | grep VI_3)"
    else
      check "$tag ka's status as master: its own interval $MASTER_INT s" \
        ka_status_has '"state":"MASTER"' "\"master_adver_int_s\":$MASTER_INT"
    fi

    mark=$(wire_mark)
    stop_router $master TERM
    check "$tag $master exits on SIGTERM" test $? -eq 0
    check "$tag $backup takes over on the master's SIGTERM" wait_for 2 only $backup $VIP
    check "$tag $master sent priority 0 when stopping" sent_prio0 "$mark" "$msrc"

    start $master
    check "$tag $master preempts back" wait_for 8 eval "is_master $master && only $master $VIP"

    [ $master = ka ] && lab_unplug 11 || lab_unplug 12
    t0=$(now_ms)
    check "$tag $backup takes over when $master's link is cut" wait_for 4 has $backup $VIP
    echo "     link cut -> $backup holds $VIP after $(( $(now_ms) - t0 )) ms"
    check "$tag $master (no carrier) gives the address up" wait_for 4 eval "! has $master $VIP"
    [ $master = ka ] && lab_plug 11 || lab_plug 12
    check "$tag $master preempts back when its link returns" \
      wait_for 10 eval "is_master $master && only $master $VIP"
    sleep 1

    mark=$(wire_mark)
    sleep 0.3  # a few of the master's adverts after the mark
    crash_router $master
    check "$tag $backup takes over when $master crashes" wait_for 4 has $backup $VIP
    sleep 0.2  # tcpdump's line for the takeover advert
    took=$(wire_gap_ms "$mark" "$msrc" "$(source_of $backup $fam)")
    echo "     crash: $master's last advert -> $backup's first as master: $took ms (with its own interval: >= 1800 ms)"
    check "$tag $backup's master-down interval is the master's (taken over in $took < $ADOPTED_MS ms)" \
      test "$took" -lt "$ADOPTED_MS"
    check "$tag the crashed $master keeps its address (nobody tidies up after a crash)" has $master $VIP
    stop_router $backup TERM
    check "$tag $backup releases $VIP on SIGTERM" eval "! has $backup $VIP"
    # The next case restarts the crashed router as a backup: it removes the leftover.
  done
done

# A router started while its link-local address is still in DAD (about a second after the
# link comes up) has no source for its adverts yet: FAULT, then on with the address event
# that ends DAD. Alone on VRID 34, it then becomes master.
lab_host k3 13
conf k3 BACKUP 100 0.2 2001:db8::200 | sed 's/virtual_router_id 33/virtual_router_id 34/' | lab_conf k3
start_keepalive k3
check "[IPv6 DAD] k3 started with a tentative link-local address waits in FAULT" \
  wait_for 2 grep -q 'no IPv6 link-local address (or it is still tentative)' "$LAB_DIR/k3.log"
check "[IPv6 DAD] k3 becomes master once DAD is over" \
  wait_for 6 eval "is_master k3 && ip -n $(ns k3) -6 -o addr show dev eth0 | grep -q ' 2001:db8::200/'"

# Hostile IPv6 adverts at k3, from kd's namespace (keepalived is stopped): a hop limit of
# 64 (only the ancillary data tells) and a 5,000-byte message (longer than any VRRP
# advert; the kernel reassembles it, the receive sees it truncated). Both are counted
# against k3's instance and neither, though priority 250, makes it yield.
send6() {  # MODE: ttl | big
  ip netns exec "$(ns kd)" python3 - "$1" <<'PY'
import socket, struct, sys
mode = sys.argv[1]
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, 112)
ifi = socket.if_nametoindex('eth0')
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, ifi)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 64 if mode == 'ttl' else 255)
n = 1 if mode == 'ttl' else 312          # 8 + 312 * 16 = 5000 bytes
addr = socket.inet_pton(socket.AF_INET6, '2001:db8::200')
m = struct.pack('!BBBBHH', 0x31, 34, 250, n & 0xff, 100, 0) + addr * n
for _ in range(3):
    s.sendto(m, ('ff02::12', 0, 0, ifi))
PY
}
hostile_mark=$(wire_mark)  # the wire checks below end here: these are meant to be bad
send6 ttl
send6 big
check "[IPv6 hostile] k3 counts the hop-limit-64 adverts as bad_ttl" \
  wait_for 2 eval "ctl k3 status --json | grep -q '\"bad_ttl\":3'"
check "[IPv6 hostile] k3 counts the 5,000-byte adverts as oversized" \
  wait_for 2 eval "ctl k3 status --json | grep -q '\"oversized\":3'"
check "[IPv6 hostile] k3 is still master" is_master k3

for r in ka kd; do
  check "$r's notify hooks saw MASTER and BACKUP" \
    eval "grep -q '^$r INSTANCE VI_3 MASTER' $LAB_DIR/notify.log && grep -q '^$r INSTANCE VI_3 BACKUP' $LAB_DIR/notify.log"
done
check "Keepalive dropped no keepalived advert as bad" eval "! grep -q 'dropped advert' $LAB_DIR/ka.log"
check "the wire carried VRRPv3 over IPv4 and IPv6 from both routers" \
  eval "grep -q '192.0.2.11 > 224.0.0.18: VRRPv3' $LAB_DIR/wire.txt && grep -q '192.0.2.12 > 224.0.0.18: VRRPv3' $LAB_DIR/wire.txt \
        && grep -q '$(source_of ka 6) > ff02::12: VRRPv3' $LAB_DIR/wire.txt && grep -q '$(source_of kd 6) > ff02::12: VRRPv3' $LAB_DIR/wire.txt"
check "no VRRPv2 and no bad checksum on the wire (up to the hostile packets)" \
  eval "! head -n $hostile_mark $LAB_DIR/wire.txt | grep -q -E 'VRRPv2|bad vrrp cksum'"
echo "     wire: $(grep -c 'VRRPv3' "$LAB_DIR/wire.txt") v3 adverts captured"
lab_done
