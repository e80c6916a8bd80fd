#!/usr/bin/env bash
# use_vmac between Keepalive and keepalived 2.2.7, both with a virtual MAC interface
# (macvlan vrrp.VRID), v2 over IPv4 and v3 over IPv6, each daemon in both roles. In each
# case: election, the master's crash (kill -9), its return, its wire cut and restored;
# exactly one running router holds the address after every step and for seconds after it,
# and a sampler every 100 ms never sees two in a row (see below). The address's ARP answer (IPv4) or
# neighbour advertisement (IPv6) on the bridge carries the virtual MAC, and so do the
# master's adverts. Keepalive restarted over the vmac its kill -9 left adopts it (same
# ifindex, one interface) and converges; after SIGTERM its vmac is gone. Then
# vmac_xmit_base, a vmac set down and deleted by hand, a base interface deleted and made
# again, and an interface of the vmac's name that is not ours: FAULT with the reason, and
# left alone.
source "$(dirname "$0")/lib.sh"
lab_init vmac
lab_host ka 11
lab_host kd 12
lab_host cl 20
ip -n "$(ns cl)" addr add 2001:db8::20/64 dev eth0 nodad

ip netns exec "$(ns sw)" tcpdump -i br0 -e -nn -l \
  'arp or ip proto 112 or ip6 proto 112 or (icmp6 and ip6[40] == 136)' \
  > "$LAB_DIR/wire.txt" 2> "$LAB_DIR/tcpdump.log" &
LAB_PIDS+=($!)

conf() {  # ROUTER STATE PRIORITY FAMILY [EXTRA LINE]
  local vrid=51 ver=2 vip=192.0.2.100/24
  [ "$4" = 6 ] && { vrid=52; ver=3; vip=2001:db8::100; }
  printf 'global_defs {\n  router_id %s\n}\n' "$1"
  printf 'vrrp_instance VI_%s {\n  state %s\n  interface eth0\n  virtual_router_id %s\n' "$4" "$2" "$vrid"
  printf '  priority %s\n  advert_int 1\n  version %s\n  use_vmac\n' "$3" "$ver"
  [ -n "${5:-}" ] && printf '  %s\n' "$5"
  printf '  virtual_ipaddress {\n    %s\n  }\n  notify @NOTIFY@\n}\n' "$vip"
}
start() { if [ "$1" = ka ]; then start_keepalive ka; else start_keepalived kd; fi; }
other() { [ "$1" = ka ] && echo kd || echo ka; }
# A daemon runs in the router's namespace (the sampler runs in a subshell, which does not
# see the PID_ variables of later starts; the namespace holds nothing else).
alive() { [ -n "$(ip netns pids "$(ns "$1")" 2>/dev/null)" ]; }
has() { ip -n "$(ns "$1")" -o addr show | grep -q " $2/"; }          # on any interface
on_vmac() { ip -n "$(ns "$1")" -o addr show dev "$VMAC" 2>/dev/null | grep -q " $2/"; }
# The address is on HOST's vmac, and on no interface of the other router.
only() { on_vmac "$1" "$VIP" && ! has "$(other "$1")" "$VIP"; }
steady() {  # HOST SECONDS: only HOST holds it at every poll
  local end=$(( $(date +%s) + $2 ))
  while [ "$(date +%s)" -lt "$end" ]; do only "$1" || return 1; sleep 0.1; done
}
vmac_links() { ip -n "$(ns "$1")" -o link show | grep -c " $VMAC@eth0:"; }
vmac_ifindex() { ip -n "$(ns "$1")" -o link show "$VMAC" 2>/dev/null | cut -d: -f1; }
is_vmac() {  # HOST: a private-mode macvlan on eth0 with the virtual MAC, up
  local d; d=$(ip -n "$(ns "$1")" -d link show "$VMAC" 2>/dev/null) || return 1
  grep -q "link/ether $MAC " <<<"$d" && grep -q 'macvlan mode private' <<<"$d" &&
    grep -q "$VMAC@eth0: <.*,UP,LOWER_UP>" <<<"$d"
}
sysctls() {  # HOST: the values use_vmac sets, on the vmac and its base
  local k
  for k in ipv4/conf/$VMAC/arp_ignore ipv4/conf/$VMAC/accept_local ipv4/conf/$VMAC/rp_filter \
           ipv4/conf/$VMAC/promote_secondaries ipv6/conf/$VMAC/disable_ipv6 \
           ipv6/conf/$VMAC/addr_gen_mode ipv4/conf/eth0/arp_ignore ipv4/conf/eth0/arp_filter; do
    echo "${k##*/}=$(ip netns exec "$(ns "$1")" cat /proc/sys/net/$k)"
  done
}
vmac_ll() { ip -n "$(ns "$1")" -6 -o addr show dev "$VMAC" scope link | awk '{print $4, $7, $8}'; }
base_ll() { ip -n "$(ns "$1")" -6 -o addr show dev eth0 scope link | awk '{print $4}'; }
wire_mark() { wc -l < "$LAB_DIR/wire.txt"; }
wire_since() { tail -n +"$(( $1 + 1 ))" "$LAB_DIR/wire.txt"; }
ka_json() { ctl ka status --json 2>/dev/null; }

# Every 100 ms: how many running routers hold the address. A restarted router may hold
# its leftover address for the moment it takes to enter BACKUP (under 1 s, leftover.sh):
# those samples are marked and not counted.
sampler() {
  while :; do
    local n=0 h
    for h in ka kd; do alive $h && has $h "$VIP" && n=$((n + 1)); done
    [ -f "$LAB_DIR/grace" ] && [ "$(date +%s%N)" -lt "$(cat "$LAB_DIR/grace")" ] && n="g$n"
    echo "$n $(date +%T.%N)" >> "$LAB_DIR/samples.txt"
    sleep 0.1
  done
}
grace() { echo $(( $(date +%s%N) + 1500000000 )) > "$LAB_DIR/grace"; }

for fam in 4 6; do
  if [ $fam = 4 ]; then VIP=192.0.2.100; VMAC=vrrp.51; MAC=00:00:5e:00:01:33
  else VIP=2001:db8::100; VMAC=vrrp.52; MAC=00:00:5e:00:02:34; fi
  for master in ka kd; do
    backup=$(other $master)
    tag="[v$([ $fam = 4 ] && echo 2 || echo 3) IPv$fam, master=$master]"
    conf $master MASTER 200 $fam | lab_conf $master
    conf $backup BACKUP 100 $fam | lab_conf $backup
    : > "$LAB_DIR/samples.txt"
    sampler & SAMPLER=$!
    LAB_PIDS+=($SAMPLER)
    mark=$(wire_mark)
    start $backup
    sleep 1
    start $master
    check "$tag $master is elected and holds $VIP on its vmac $VMAC" wait_for 10 eval "is_master $master && only $master"
    check "$tag only $master holds it for 3 s" steady $master 3
    for h in ka kd; do
      check "$tag $h's $VMAC: macvlan (private) on eth0, MAC $MAC, up" is_vmac $h
    done
    # The same sysctls as keepalived's on its own vmac and base interface.
    check "$tag ka's sysctls on $VMAC and eth0 are those keepalived sets ($(sysctls ka | tr '\n' ' '))" \
      eval "[ \"\$(sysctls ka)\" = \"\$(sysctls kd)\" ]"
    if [ $fam = 6 ]; then
      check "$tag ka's $VMAC has eth0's link-local address, nodad and deprecated, as kd's has" \
        eval "[ \"\$(vmac_ll ka)\" = \"\$(base_ll ka) nodad deprecated\" ] && [ \"\$(vmac_ll kd)\" = \"\$(base_ll kd) nodad deprecated\" ]"
    fi
    ka_if=$(vmac_ifindex ka)
    check "$tag Keepalive's status names its vmac $VMAC and its ifindex $ka_if" \
      eval "ka_json | grep -q '\"vmac\":{\"name\":\"$VMAC\",\"ifindex\":$ka_if,\"mac\":\"$MAC\",\"up\":true'"
    check "$tag $master's adverts leave from its vmac (source MAC $MAC)" \
      eval "wire_since $mark | grep -q '^[0-9:.]* $MAC > .*prio 200'"
    # Who answers for the address: the vmac, never the base interface.
    mark=$(wire_mark)
    ip -n "$(ns cl)" neigh flush all 2>/dev/null
    if [ $fam = 4 ]; then
      ip netns exec "$(ns cl)" ping -c 1 -W 2 $VIP > /dev/null
      check "$tag the ARP reply for $VIP carries the virtual MAC" \
        wait_for 2 eval "wire_since $mark | grep -q '^[0-9:.]* $MAC > .*Reply $VIP is-at $MAC'"
      check "$tag no other MAC answers ARP for $VIP" \
        eval "! wire_since $mark | grep 'Reply $VIP is-at' | grep -v -q 'is-at $MAC'"
    else
      ip netns exec "$(ns cl)" ping -6 -c 1 -W 2 $VIP > /dev/null 2>&1
      check "$tag the neighbour advertisement for $VIP carries the virtual MAC" \
        wait_for 2 eval "wire_since $mark | grep -q '^[0-9:.]* $MAC > .*neighbor advertisement, tgt is $VIP'"
      check "$tag the client's neighbour entry for $VIP is the virtual MAC" \
        eval "ip -n $(ns cl) -6 neigh show $VIP | grep -q 'lladdr $MAC'"
    fi

    # Failover: the master crashes, its leftover address stays on its vmac.
    crash_router $master
    check "$tag $backup takes over on $master's crash" wait_for 6 eval "on_vmac $backup $VIP"
    check "$tag $master's crash left its vmac behind (1 interface)" test "$(vmac_links $master)" = 1
    grace
    before_if=$(vmac_ifindex $master)
    start $master
    check "$tag $master restarted over its leftover vmac is master again, alone" \
      wait_for 10 eval "is_master $master && only $master"
    check "$tag still one $VMAC on $master (ifindex $before_if -> $(vmac_ifindex $master))" \
      eval "[ $(vmac_links $master) = 1 ] && [ '$(vmac_ifindex $master)' = '$before_if' ]"
    if [ $master = ka ]; then
      check "$tag Keepalive adopted its leftover vmac (status: adopted)" \
        eval "ka_json | grep -q '\"vmac\":{\"name\":\"$VMAC\",\"ifindex\":$before_if,[^}]*\"adopted\":true'"
    fi
    check "$tag only $master holds it for 3 s" steady $master 3

    # Failover: the master's wire is cut, then restored.
    lab_unplug "$([ $master = ka ] && echo 11 || echo 12)"
    check "$tag $backup takes over when $master's wire is cut" wait_for 6 eval "on_vmac $backup $VIP && ! has $master $VIP"
    check "$tag only $backup holds it for 2 s" steady $backup 2
    lab_plug "$([ $master = ka ] && echo 11 || echo 12)"
    check "$tag $master takes it back when its wire returns" wait_for 10 eval "is_master $master && only $master"
    check "$tag only $master holds it for 3 s" steady $master 3

    kill "$SAMPLER" 2>/dev/null; wait "$SAMPLER" 2>/dev/null
    # A sample is four `ip` commands, not one instant: at a hand-over it may see the old
    # master before its delete and the new one after its add (and a preemption has both
    # for the milliseconds between the new master's add and the old one's delete on
    # hearing it). That may show once; never twice in a row.
    two=$(grep -c '^2 ' "$LAB_DIR/samples.txt")
    grep '^2 ' "$LAB_DIR/samples.txt" | sed "s/^2 /     two holders at /"
    run=$(awk '{ if ($1 == "2") { n++; if (n > m) m = n } else n = 0 } END { print m + 0 }' "$LAB_DIR/samples.txt")
    check "$tag never two running holders in consecutive samples (longest run $run; $two of $(wc -l < "$LAB_DIR/samples.txt") samples)" \
      test "$run" -le 1

    stop_router $backup TERM; rc_backup=$?
    stop_router $master TERM; rc_master=$?
    rc_ka=$([ $master = ka ] && echo $rc_master || echo $rc_backup)
    check "$tag Keepalive exits 0 on SIGTERM and its vmac is gone" \
      eval "[ $rc_ka = 0 ] && ! ip -n $(ns ka) link show $VMAC > /dev/null 2>&1"
    check "$tag keepalived removed its vmac too" eval "! ip -n $(ns kd) link show $VMAC > /dev/null 2>&1"
  done
done

# vmac_xmit_base: the addresses on the vmac, the adverts from the base interface.
for fam in 4 6; do
  if [ $fam = 4 ]; then VIP=192.0.2.100; VMAC=vrrp.51; MAC=00:00:5e:00:01:33
  else VIP=2001:db8::100; VMAC=vrrp.52; MAC=00:00:5e:00:02:34; fi
  tag="[vmac_xmit_base, IPv$fam]"
  conf ka MASTER 200 $fam vmac_xmit_base | lab_conf ka
  conf kd BACKUP 100 $fam vmac_xmit_base | lab_conf kd
  start kd
  sleep 1
  mark=$(wire_mark)
  start ka
  check "$tag ka is elected and holds $VIP on its vmac" wait_for 10 eval "is_master ka && only ka"
  ka_mac=$(ip -n "$(ns ka)" -o link show eth0 | grep -o 'link/ether [0-9a-f:]*' | cut -d' ' -f2)
  sleep 2
  check "$tag ka's adverts leave from eth0 (source MAC $ka_mac), none from the vmac" \
    eval "wire_since $mark | grep -q '^[0-9:.]* $ka_mac > .*prio 200' && ! wire_since $mark | grep -q '^[0-9:.]* $MAC > .*prio 200'"
  check "$tag Keepalive's status says xmit_base" eval "ka_json | grep -q '\"xmit_base\":true'"
  if [ $fam = 6 ]; then
    check "$tag no link-local address on either router's vmac, as keepalived does it" \
      eval "[ -z \"\$(vmac_ll ka)\" ] && [ -z \"\$(vmac_ll kd)\" ]"
  fi
  crash_router ka
  check "$tag kd takes over on ka's crash" wait_for 6 eval "on_vmac kd $VIP"
  start ka
  check "$tag ka restarted over its leftover vmac is master again, alone" \
    wait_for 10 eval "is_master ka && only ka"
  stop_router kd TERM
  stop_router ka TERM; rc=$?
  check "$tag Keepalive exits 0 on SIGTERM and its vmac is gone" \
    eval "[ $rc = 0 ] && ! ip -n $(ns ka) link show $VMAC > /dev/null 2>&1"
done

# The vmac set down by hand: FAULT until it is up again (keepalived: the same); deleted by
# hand: made again, and the address comes back on it.
VIP=192.0.2.100; VMAC=vrrp.51; MAC=00:00:5e:00:01:33
conf ka MASTER 200 4 | lab_conf ka
: > "$LAB_DIR/notify.log"
start_keepalive ka
check "[vmac by hand] ka alone is master on $VMAC" wait_for 8 eval "is_master ka && on_vmac ka $VIP"
check "[vmac by hand] no spurious FAULT at start-up" eval "! grep -q '^ka INSTANCE VI_4 FAULT' $LAB_DIR/notify.log"
ip -n "$(ns ka)" link set $VMAC down
check "[vmac by hand] $VMAC set down: FAULT, address gone" \
  wait_for 3 eval "ka_json | grep -q '\"state\":\"FAULT\"' && ! has ka $VIP"
ip -n "$(ns ka)" link set $VMAC up
check "[vmac by hand] $VMAC up again: master again" wait_for 8 eval "is_master ka && on_vmac ka $VIP"
old_if=$(vmac_ifindex ka)
ip -n "$(ns ka)" link del $VMAC
check "[vmac by hand] $VMAC deleted: made again (ifindex $old_if -> \$(vmac_ifindex ka)), master on it" \
  wait_for 8 eval "is_vmac ka && [ \"\$(vmac_ifindex ka)\" != $old_if ] && is_master ka && on_vmac ka $VIP"
check "[vmac by hand] status has the new ifindex" \
  eval "ka_json | grep -q '\"vmac\":{\"name\":\"$VMAC\",\"ifindex\":'\$(vmac_ifindex ka)"
stop_router ka TERM
check "[vmac by hand] gone after SIGTERM" eval "! ip -n $(ns ka) link show $VMAC > /dev/null 2>&1"

# The base interface deleted and made again (a VLAN or bond rebuilt): the vmac went with
# it; a new one goes on the new base, and the instance is master again on it.
mk_e1() {
  ip -n "$(ns ka)" link add e1 type veth peer name e1p
  ip -n "$(ns ka)" link set e1p up
  ip -n "$(ns ka)" addr add 198.51.100.1/24 dev e1
  ip -n "$(ns ka)" link set e1 up
}
mk_e1
printf 'vrrp_instance VI_E {\n  state MASTER\n  interface e1\n  virtual_router_id 51\n  priority 200\n  use_vmac\n  virtual_ipaddress {\n    198.51.100.100/24\n  }\n}\n' | lab_conf ka
start_keepalive ka
check "[base re-created] master on vrrp.51 over e1" wait_for 8 eval "is_master ka && on_vmac ka 198.51.100.100"
ip -n "$(ns ka)" link del e1
check "[base re-created] e1 deleted: the vmac went with it, FAULT" \
  wait_for 3 eval "! ip -n $(ns ka) link show vrrp.51 > /dev/null 2>&1 && ka_json | grep -q '\"state\":\"FAULT\"'"
mk_e1
check "[base re-created] a new vrrp.51 on the new e1, master on it" \
  wait_for 8 eval "ip -n $(ns ka) -o link show vrrp.51 | grep -q 'vrrp.51@e1:' && is_master ka && on_vmac ka 198.51.100.100"
stop_router ka TERM
check "[base re-created] gone after SIGTERM" eval "! ip -n $(ns ka) link show vrrp.51 > /dev/null 2>&1"
ip -n "$(ns ka)" link del e1

# An interface of the vmac's name that this daemon did not make: never touched.
VMAC=vrrp.51
conf ka MASTER 200 4 | lab_conf ka
ip -n "$(ns ka)" link add $VMAC type veth peer name other0
start_keepalive ka
check "[foreign $VMAC] the instance is in FAULT, saying why" \
  wait_for 5 eval "ka_json | grep -q '\"state\":\"FAULT\".*interface $VMAC exists and is not a vmac left by this daemon (it is a veth, not a macvlan)'"
check "[foreign $VMAC] the log says so" grep -q "interface $VMAC exists and is not a vmac left by this daemon" "$LAB_DIR/ka.log"
check "[foreign $VMAC] no address on it" eval "! has ka 192.0.2.100"
stop_router ka TERM
check "[foreign $VMAC] still there after SIGTERM, a veth" \
  eval "ip -n $(ns ka) -d link show $VMAC | grep -q veth"
lab_done
