#!/usr/bin/env bash
# virtual_ipaddress_excluded, virtual_routes and virtual_rules follow the master: present
# on the master (routes in table 100 and in main, rules, the excluded address), absent on
# the backup, moved on failover, not stacked up when a crashed master comes back; the
# excluded address is never in an advert. Then keepalived 2.2.7 as the peer with the same
# config: exactly one router holds the routes at every step, and both mark them alike.
source "$(dirname "$0")/lib.sh"
lab_init rtvmac
lab_host r1 11
lab_host r2 12
VIP=192.0.2.100
EXCL=192.0.2.150

ip netns exec "$(ns sw)" tcpdump -i br0 -nn -l -v 'ip proto 112' \
  > "$LAB_DIR/wire.txt" 2> "$LAB_DIR/tcpdump.log" &
LAB_PIDS+=($!)

EXTRA='virtual_ipaddress_excluded {
    192.0.2.150/24
  }
  virtual_routes {
    198.51.100.0/24 via 192.0.2.1 table 100
    203.0.113.0/24 via 192.0.2.1 metric 7
    blackhole 198.51.100.128/25 table 100
  }
  virtual_rules {
    from 192.0.2.100 table 100 priority 1000
    fwmark 7 table 100 priority 1001
  }'

# Each piece on its own, so that a failure says which one.
r_table() { ip -n "$(ns "$1")" route show table 100 2>/dev/null | grep -q '^198.51.100.0/24 via 192.0.2.1 dev eth0'; }
r_black() { ip -n "$(ns "$1")" route show table 100 2>/dev/null | grep -q '^blackhole 198.51.100.128/25'; }
r_main() { ip -n "$(ns "$1")" route show | grep -q '^203.0.113.0/24 via 192.0.2.1 dev eth0 proto keepalived metric 7'; }
r_rule() { ip -n "$(ns "$1")" rule show | grep -q '^1000:[[:space:]]*from 192.0.2.100 lookup 100'; }
r_mark() { ip -n "$(ns "$1")" rule show | grep -q '^1001:[[:space:]]*from all fwmark 0x7 lookup 100'; }
r_excl() { has_vip "$1" $EXCL; }
all_of() { r_table "$1" && r_black "$1" && r_main "$1" && r_rule "$1" && r_mark "$1" && r_excl "$1" && has_vip "$1" $VIP; }
none_of() { ! r_table "$1" && ! r_black "$1" && ! r_main "$1" && ! r_rule "$1" && ! r_mark "$1" && ! r_excl "$1" && ! has_vip "$1" $VIP; }
holder() {  # MASTER BACKUP: everything on MASTER, nothing on BACKUP
  all_of "$1" && none_of "$2"
}
pieces() {  # HOST: what it holds, for the failure message
  local h=$1 p
  for p in r_table r_black r_main r_rule r_mark r_excl; do $p "$h" && printf '%s ' "$p"; done
  echo
}
expect_holder() {  # DESCRIPTION MASTER BACKUP SECONDS
  if ! wait_for "$4" holder "$2" "$3"; then
    echo "     $2 holds: $(pieces "$2"); $3 holds: $(pieces "$3")"
    ip -n "$(ns "$2")" rule show; ip -n "$(ns "$2")" route show table all | grep -v '^local\|^multicast\|^broadcast\|fe80\|ff00'
  fi
  check "$1" holder "$2" "$3"
}

vrrp_conf r1 MASTER 150 extra="$EXTRA" | lab_conf r1
vrrp_conf r2 BACKUP 100 extra="$EXTRA" | lab_conf r2
"$KEEPALIVE" -t -f "$LAB_DIR/r1.conf" > "$LAB_DIR/check.txt" 2>&1; rc=$?
check "the config is accepted (keepalive -t)" test "$rc" -eq 0
check "none of the three keywords is reported as not acted on" \
  eval "! grep -q 'not acted on' $LAB_DIR/check.txt"
start_keepalive r1
start_keepalive r2

expect_holder "r1 (150) master: routes in table 100 and main, rules, excluded address; r2 none" r1 r2 8
sleep 2
check "still so after a few adverts" holder r1 r2

stop_router r1 TERM; rc=$?
check "r1 exits 0 on SIGTERM" test "$rc" -eq 0
check "r1 removed its routes, rules and excluded address on the way out" none_of r1
expect_holder "r2 took everything over" r2 r1 4

start_keepalive r1
expect_holder "r1 preempts back and everything moves with it" r1 r2 8

crash_router r1
check "r2 takes over when r1 crashes" wait_for 6 all_of r2
check "the crashed r1 keeps its routes and rules (nobody tidies up after a crash)" all_of r1
start_keepalive r1
expect_holder "r1 restarted over its leftovers becomes master again" r1 r2 10
check "no rule stacked twice after the restart" \
  test "$(ip -n "$(ns r1)" rule show | grep -c 'from 192.0.2.100 lookup 100')" -eq 1
check "no route stacked twice after the restart" \
  test "$(ip -n "$(ns r1)" route show | grep -c '^203.0.113.0/24')" -eq 1

sleep 1
# Adverts carry the VIP only: the excluded address stays out (RFC 3768 count 1).
check "adverts on the wire carry the VIP and not the excluded address" \
  eval "grep -q 'addrs: 192.0.2.100\$' $LAB_DIR/wire.txt && ! grep -q '$EXCL' $LAB_DIR/wire.txt"
stop_router r1 TERM
stop_router r2 TERM
check "both stopped routers left nothing behind" eval "none_of r1 && none_of r2"

# keepalived 2.2.7 as the peer, both roles, with the same routes and rules.
for master in r1 r2; do
  backup=$([ $master = r1 ] && echo r2 || echo r1)
  vrrp_conf $master MASTER 200 extra="$EXTRA" | lab_conf $master
  vrrp_conf $backup BACKUP 100 extra="$EXTRA" | lab_conf $backup
  if [ $master = r1 ]; then start_keepalive r1; start_keepalived r2; else start_keepalived r2; start_keepalive r1; fi
  tag="[keepalived as $([ $master = r2 ] && echo master || echo backup)]"
  check "$tag $master is elected" wait_for 8 is_master $master
  expect_holder "$tag everything on $master only" $master $backup 4
  stop_router $master TERM
  expect_holder "$tag moved to $backup on the master's SIGTERM" $backup $master 6
  if [ $master = r1 ]; then start_keepalive r1; else start_keepalived r2; fi
  expect_holder "$tag back on $master when it preempts" $master $backup 10
  stop_router r1 TERM; stop_router r2 TERM
  check "$tag nothing left behind after both stop" eval "none_of r1 && none_of r2"
done

# garp_master_refresh: a master repeats its gratuitous ARPs every N seconds (here 1, one
# each time) for as long as it is master, and stops when it is not.
ip netns exec "$(ns sw)" tcpdump -i br0 -nn -l arp > "$LAB_DIR/arp.txt" 2> "$LAB_DIR/tcpdump-arp.log" &
LAB_PIDS+=($!)
vrrp_conf r1 MASTER 150 extra="garp_master_delay 0
  garp_master_repeat 1
  garp_master_refresh 1" | lab_conf r1
# r2 takes over later, without refresh and without a second burst: every GARP after its
# first burst would be r1's.
vrrp_conf r2 BACKUP 200 extra="garp_master_delay 0" | lab_conf r2
start_keepalive r1
check "[refresh] r1 master" wait_for 8 eval "is_master r1 && has_vip r1 $VIP"
garps() { grep -c "Request who-has $VIP tell $VIP" "$LAB_DIR/arp.txt"; }
n0=$(garps)
sleep 4.5
n1=$(garps)
check "[refresh] 3 to 6 refresh GARPs in 4.5 s at 1 s (saw $((n1 - n0)))" \
  test $((n1 - n0)) -ge 3 -a $((n1 - n0)) -le 6
start_keepalive r2
check "[refresh] r2 (200) preempts r1" wait_for 8 eval "has_vip r2 $VIP && ! has_vip r1 $VIP"
sleep 1
n2=$(garps)
sleep 3
check "[refresh] r1 no longer master: its refresh stopped (r2 sends no refresh)" test "$(garps)" -eq "$n2"
lab_done
