#!/usr/bin/env bash
# Vmacs for addresses on another interface: `use_vmac` written on an address, the
# instance's `use_vmac_addr`, and global_defs `vmac_addr_prefix`, between Keepalive and
# keepalived 2.2.7. Two segments: the instance runs on eth0 (192.0.2.0/24), one of its
# addresses is on eth1 (198.51.100.0/24). Part 1, each daemon in both roles: both routers
# have the vmac vrrp.51 on eth1 (private macvlan, MAC 00:00:5e:00:01:33, up, in BACKUP
# too), the master alone holds 198.51.100.100 on it, the ARP reply for it carries the
# virtual MAC and comes from one router, the GARPs leave from it, a failover moves the
# address, Keepalive's kill -9 and restart adopt the leftover vmac, its vmac set down by
# hand is FAULT until up, deleted by hand is FAULT for good, and SIGTERM removes it.
# Part 2: use_vmac + use_vmac_addr + vmac_addr_prefix with an IPv4 and an IPv6 address on
# eth1: Keepalive makes the same vmacs as keepalived with the same config (names, bases,
# MACs, link-local copy), and removes them all at SIGTERM. Part 3: an address vmac's base
# interface missing at start (FAULT with the reason), made later (the vmac follows, master).
source "$(dirname "$0")/lib.sh"
lab_init vmaddr
lab_host ka 11
lab_host kd 12
lab_host cl 20
lab_segment2 ka:11 kd:12 cl:20

ip netns exec "$(ns sw)" tcpdump -i br1 -e -nn -l 'arp or (icmp6 and ip6[40] == 136)' \
  > "$LAB_DIR/wire1.txt" 2> "$LAB_DIR/tcpdump.log" &
LAB_PIDS+=($!)

VIP=198.51.100.100
VMAC=vrrp.51
MAC=00:00:5e:00:01:33

conf1() {  # ROUTER STATE PRIORITY: the address on eth1 says use_vmac
  printf 'global_defs {\n  router_id %s\n}\n' "$1"
  printf 'vrrp_instance VI_1 {\n  state %s\n  interface eth0\n  virtual_router_id 51\n' "$2"
  printf '  priority %s\n  advert_int 1\n' "$3"
  printf '  virtual_ipaddress {\n    192.0.2.100/24\n    %s/24 dev eth1 use_vmac\n  }\n}\n' "$VIP"
}
start() { if [ "$1" = ka ]; then start_keepalive ka; else start_keepalived kd; fi; }
other() { [ "$1" = ka ] && echo kd || echo ka; }
has() { ip -n "$(ns "$1")" -o addr show | grep -q " $2/"; }          # on any interface
on_vmac() { ip -n "$(ns "$1")" -o addr show dev "$VMAC" 2>/dev/null | grep -q " $2/"; }
only() { on_vmac "$1" "$VIP" && ! has "$(other "$1")" "$VIP"; }
steady() {  # HOST SECONDS
  local end=$(( $(date +%s) + $2 ))
  while [ "$(date +%s)" -lt "$end" ]; do only "$1" || return 1; sleep 0.1; done
}
vmac_links() { ip -n "$(ns "$1")" -o link show | grep -c " $VMAC@eth1:"; }
vmac_ifindex() { ip -n "$(ns "$1")" -o link show "$VMAC" 2>/dev/null | cut -d: -f1; }
is_vmac() {  # HOST: a private-mode macvlan on eth1 with the virtual MAC, up
  local d; d=$(ip -n "$(ns "$1")" -d link show "$VMAC" 2>/dev/null) || return 1
  grep -q "link/ether $MAC " <<<"$d" && grep -q 'macvlan mode private' <<<"$d" &&
    grep -q "$VMAC@eth1: <.*,UP,LOWER_UP>" <<<"$d"
}
sysctls() {  # HOST: the values a vmac gets, on it and on its base eth1
  local k
  for k in ipv4/conf/$VMAC/arp_ignore ipv4/conf/$VMAC/accept_local ipv4/conf/$VMAC/rp_filter \
           ipv4/conf/$VMAC/promote_secondaries ipv6/conf/$VMAC/disable_ipv6 \
           ipv6/conf/$VMAC/addr_gen_mode ipv4/conf/eth1/arp_ignore ipv4/conf/eth1/arp_filter; do
    echo "${k##*/}=$(ip netns exec "$(ns "$1")" cat /proc/sys/net/$k)"
  done
}
wire_mark() { wc -l < "$LAB_DIR/wire1.txt"; }
wire_since() { tail -n +"$(( $1 + 1 ))" "$LAB_DIR/wire1.txt"; }
ka_json() { ctl ka status --json 2>/dev/null; }
replies() {  # MARK: ARP replies for the address seen on eth1's segment since MARK
  wire_since "$1" | grep -c "Reply $VIP is-at"
}

conf1 ka MASTER 200 > "$LAB_DIR/check.conf"
"$KEEPALIVE" -t -f "$LAB_DIR/check.conf" > "$LAB_DIR/check.txt" 2>&1; rc=$?
check "the config is accepted (keepalive -t)" test "$rc" -eq 0
check "use_vmac on an address is not reported as not acted on" \
  eval "! grep -q 'not acted on' $LAB_DIR/check.txt"

for master in ka kd; do
  backup=$(other $master)
  tag="[use_vmac on the address, master=$master]"
  conf1 $master MASTER 200 | lab_conf $master
  conf1 $backup BACKUP 100 | lab_conf $backup
  start $backup
  sleep 1
  mark=$(wire_mark)
  start $master
  check "$tag $master is elected and holds $VIP on its vmac $VMAC@eth1" \
    wait_for 10 eval "is_master $master && only $master"
  check "$tag 192.0.2.100 stays on $master's eth0 (no use_vmac there)" \
    eval "ip -n $(ns $master) -o addr show dev eth0 | grep -q ' 192.0.2.100/24'"
  for h in ka kd; do
    check "$tag $h's $VMAC: macvlan (private) on eth1, MAC $MAC, up (backup too)" is_vmac $h
  done
  check "$tag ka's sysctls on $VMAC and eth1 are keepalived's ($(sysctls ka | tr '\n' ' '))" \
    eval "[ \"\$(sysctls ka)\" = \"\$(sysctls kd)\" ]"
  check "$tag $master's GARPs for $VIP leave from the vmac with $MAC" \
    wait_for 3 eval "wire_since $mark | grep -q '^[0-9:.]* $MAC > .*Request who-has $VIP .*tell $VIP'"
  check "$tag no GARP for $VIP from another MAC" \
    eval "! wire_since $mark | grep 'tell $VIP' | grep -v -q '^[0-9:.]* $MAC '"
  if [ $master = ka ]; then
    check "$tag Keepalive's status lists the address vmac" \
      eval "ka_json | grep -q '\"address_vmacs\":\\[{\"name\":\"$VMAC\",\"base\":\"eth1\",\"ifindex\":$(vmac_ifindex ka),\"mac\":\"$MAC\",\"up\":true,\"adopted\":false}\\]'"
  fi
  # Who answers ARP for the address: the master's vmac, one reply, the virtual MAC.
  sleep 1
  mark=$(wire_mark)
  ip -n "$(ns cl)" neigh flush all 2>/dev/null
  ip netns exec "$(ns cl)" ping -c 1 -W 2 $VIP > /dev/null
  check "$tag the ARP reply for $VIP carries the virtual MAC" \
    wait_for 2 eval "wire_since $mark | grep -q '^[0-9:.]* $MAC > .*Reply $VIP is-at $MAC'"
  sleep 0.5
  check "$tag exactly one ARP reply for $VIP (the master's; saw $(replies $mark))" test "$(replies $mark)" -eq 1
  # (The client's ARP cache may still end with the base's MAC: the router resolves the
  # client from eth1, whose route comes first, with the address as sender; keepalived
  # does the same. README, "Virtual MAC interfaces".)

  # Failover: the master stops; the address moves to the backup's vmac.
  stop_router $master TERM; rc=$?
  check "$tag $backup takes $VIP over on its vmac when $master stops" wait_for 6 eval "on_vmac $backup $VIP"
  if [ $master = ka ]; then
    check "$tag Keepalive exited 0 and removed its vmac $VMAC" \
      eval "[ $rc = 0 ] && ! ip -n $(ns ka) link show $VMAC > /dev/null 2>&1"
  else
    check "$tag keepalived removed its vmac $VMAC at SIGTERM" eval "! ip -n $(ns kd) link show $VMAC > /dev/null 2>&1"
  fi
  mark=$(wire_mark)
  ip -n "$(ns cl)" neigh flush all 2>/dev/null
  ip netns exec "$(ns cl)" ping -c 1 -W 2 $VIP > /dev/null
  sleep 0.5
  check "$tag after failover one ARP reply for $VIP, the virtual MAC (saw $(replies $mark))" \
    eval "[ $(replies $mark) -eq 1 ] && wire_since $mark | grep -q 'Reply $VIP is-at $MAC'"
  start $master
  check "$tag $master back: it preempts and the address moves back" wait_for 10 eval "is_master $master && only $master"

  if [ $master = ka ]; then
    # kill -9: the vmac and its address stay; restarted, Keepalive adopts the vmac.
    crash_router ka
    check "$tag kd takes over on ka's crash" wait_for 6 eval "on_vmac kd $VIP"
    check "$tag ka's crash left its vmac behind, with the address" \
      eval "[ $(vmac_links ka) = 1 ] && on_vmac ka $VIP"
    before_if=$(vmac_ifindex ka)
    start ka
    check "$tag ka restarted over its leftover vmac is master again, alone" \
      wait_for 10 eval "is_master ka && only ka"
    check "$tag still one $VMAC on ka, the same (ifindex $before_if -> $(vmac_ifindex ka))" \
      eval "[ $(vmac_links ka) = 1 ] && [ '$(vmac_ifindex ka)' = '$before_if' ]"
    check "$tag Keepalive adopted it (status: adopted)" \
      eval "ka_json | grep -q '\"address_vmacs\":\\[{\"name\":\"$VMAC\",\"base\":\"eth1\",\"ifindex\":$before_if,\"mac\":\"$MAC\",\"up\":true,\"adopted\":true}'"
    check "$tag only ka holds it for 3 s" steady ka 3
    # The address vmac set down by hand: FAULT until it is up again; deleted by hand:
    # FAULT, and it stays deleted (keepalived 2.2.7 does both so).
    ip -n "$(ns ka)" link set $VMAC down
    check "$tag ka's $VMAC set down by hand: ka in FAULT, kd takes the address" \
      wait_for 6 eval "ka_json | grep -q '\"state\":\"FAULT\"' && on_vmac kd $VIP && ! has ka $VIP"
    ip -n "$(ns ka)" link set $VMAC up
    check "$tag ka's $VMAC up again: ka leaves FAULT and takes the address back" \
      wait_for 10 eval "is_master ka && only ka"
    ip -n "$(ns ka)" link del $VMAC
    check "$tag ka's $VMAC deleted by hand: ka in FAULT, kd takes the address" \
      wait_for 6 eval "ka_json | grep -q '\"state\":\"FAULT\"' && on_vmac kd $VIP"
    sleep 2
    check "$tag ka stays in FAULT and does not make it again (as keepalived)" \
      eval "ka_json | grep -q '\"state\":\"FAULT\"' && [ $(vmac_links ka) = 0 ]"
  fi
  stop_router ka TERM; rc=$?
  stop_router kd TERM
  check "$tag both stopped: Keepalive exited 0, no $VMAC and no $VIP left on either" \
    eval "[ $rc = 0 ] && [ $(vmac_links ka) = 0 ] && [ $(vmac_links kd) = 0 ] && ! has ka $VIP && ! has kd $VIP"
done

# Part 2: use_vmac + use_vmac_addr + vmac_addr_prefix; an IPv4 and an IPv6 address on eth1
# (no use_vmac on them). Each daemon on its own router with the same config, as master.
conf2() {  # ROUTER
  printf 'global_defs {\n  router_id %s\n  vmac_addr_prefix va\n}\n' "$1"
  printf 'vrrp_instance VI_1 {\n  state MASTER\n  interface eth0\n  virtual_router_id 51\n'
  printf '  priority 200\n  advert_int 1\n  use_vmac\n  use_vmac_addr\n'
  printf '  virtual_ipaddress {\n    192.0.2.100/24\n    %s/24 dev eth1\n  }\n' "$VIP"
  printf '  virtual_ipaddress_excluded {\n    2001:db8:1::100/64 dev eth1\n  }\n}\n'
}
# Each vmac as "name@base mac", and each address on a vmac as "name addr", sorted.
layout() {
  local n; n=$(ns "$1")
  {
    ip -n "$n" -o -d link show type macvlan | awk '{ sub(":$", "", $2); for (i = 1; i <= NF; i++) if ($i == "link/ether") print $2, $(i + 1) }'
    ip -n "$n" -o addr show | awk '$2 ~ /^(vrrp|va)/ { print $2, $4 }'
  } | sed 's/fe80::[0-9a-f:]*/LINK-LOCAL/' | sort
}
conf2 ka | lab_conf ka
conf2 kd | lab_conf kd
"$KEEPALIVE" -t -f "$LAB_DIR/ka.conf" > "$LAB_DIR/check2.txt" 2>&1
check "[use_vmac_addr] use_vmac_addr and vmac_addr_prefix are not reported as not acted on" \
  eval "! grep -q 'not acted on' $LAB_DIR/check2.txt"
# One daemon at a time, each master on its own: the same config on both routers.
for h in kd ka; do
  start $h
  check "[use_vmac_addr] $h is master" wait_for 10 is_master $h
  check "[use_vmac_addr] $h holds $VIP and 2001:db8:1::100" wait_for 4 eval "has $h $VIP && has $h 2001:db8:1::100"
  sleep 1
  layout $h > "$LAB_DIR/layout-$h.txt"
  echo "     $h: $(tr '\n' ';' < "$LAB_DIR/layout-$h.txt")"
  if [ $h = ka ]; then
    check "[use_vmac_addr] ka: va.51 and va6.51 on eth1, vrrp.51 on eth0" \
      eval "grep -q '^va.51@eth1 00:00:5e:00:01:33' $LAB_DIR/layout-ka.txt && grep -q '^va6.51@eth1 00:00:5e:00:02:33' $LAB_DIR/layout-ka.txt && grep -q '^vrrp.51@eth0 00:00:5e:00:01:33' $LAB_DIR/layout-ka.txt"
    check "[use_vmac_addr] Keepalive's vmacs and addresses are keepalived's: names, bases, MACs, addresses" \
      diff "$LAB_DIR/layout-ka.txt" "$LAB_DIR/layout-kd.txt"
    check "[use_vmac_addr] the IPv6 vmac va6.51 carries eth1's own link-local address" \
      eval "ip -n $(ns ka) -6 -o addr show dev va6.51 scope link | grep -q \"\$(ip -n $(ns ka) -6 -o addr show dev eth1 scope link | awk '{print \$4}')\""
  fi
  stop_router $h TERM; rc=$?
  check "[use_vmac_addr] $h exited 0 and removed its vmacs and addresses" \
    eval "[ $rc = 0 ] && [ -z \"\$(layout $h)\" ]"
done
# Part 3: the base interface of an address vmac is missing at start: FAULT with the reason;
# it appears: the vmac is made on it and the instance starts (Keepalive alone).
printf 'vrrp_instance VI_1 {\n  state MASTER\n  interface eth0\n  virtual_router_id 51\n  priority 200\n  advert_int 1\n  virtual_ipaddress {\n    192.0.2.100/24\n    203.0.113.100/24 dev eth2 use_vmac\n  }\n}\n' | lab_conf ka
start_keepalive ka
check "[missing base] eth2 missing: FAULT, the reason names eth2" \
  wait_for 6 eval "ka_json | grep -q '\"state\":\"FAULT\"' && ka_json | grep -q '\"fault_reason\":\"[^\"]*eth2 does not exist'"
ip -n "$(ns ka)" link add eth2 type veth peer name eth2p
ip -n "$(ns ka)" link set eth2p up
ip -n "$(ns ka)" link set eth2 up
check "[missing base] eth2 appears: vrrp.51@eth2 made, ka master with 203.0.113.100 on it" \
  wait_for 10 eval "is_master ka && ip -n $(ns ka) -o addr show dev vrrp.51 | grep -q ' 203.0.113.100/24' && ip -n $(ns ka) -o link show vrrp.51 | grep -q 'vrrp.51@eth2'"
stop_router ka TERM; rc=$?
check "[missing base] SIGTERM: exit 0, vrrp.51 gone" eval "[ $rc = 0 ] && ! ip -n $(ns ka) link show vrrp.51 > /dev/null 2>&1"
lab_done
