#!/usr/bin/env bash
# Faults: carrier loss (bridge port cut) and an administratively downed eth0 put the master
# in FAULT (VIP removed, notify FAULT, status FAULT) and it comes back BACKUP then MASTER;
# a VIP deleted by hand is restored at once and counted; a configured interface that does
# not exist yet gives FAULT with a reason, and the instance starts once the interface appears
# (first brought up, then given its address, as an operator or ifupdown would).
source "$(dirname "$0")/lib.sh"
lab_init faults
lab_host r1 11
lab_host r2 12
VIP=192.0.2.100


# Field of the first instance in the daemon's compact JSON status.
jfield() {  # HOST FIELD
  ctl "$1" status --json 2>/dev/null | grep -o "\"$2\":[^,}]*" | head -n 1 | cut -d: -f2- | tr -d '"'
}
state_is() { [ "$(jfield "$1" state)" = "$2" ]; }
# r1's hook lines, one word per state, in order ("BACKUP MASTER FAULT ...").
r1_states() { awk '$1 == "r1" && $3 == "VI_1" { printf "%s ", $4 }' "$LAB_DIR/notify.log" 2>/dev/null; }
states_after() {  # N EXPECTED: r1's hook states from the N+1th on are exactly EXPECTED
  [ "$(r1_states | cut -d' ' -f$(( $1 + 1 ))-)" = "$2 " ]
}
alive() { our_child "$(pid_of "$1")"; }

vrrp_conf r1 BACKUP 150 | lab_conf r1
vrrp_conf r2 BACKUP 100 | lab_conf r2
start_keepalive r1
start_keepalive r2
check "r1 (150) becomes master" wait_for 6 has_vip r1 $VIP
check "r2 is BACKUP" wait_for 2 state_is r2 BACKUP

# ---- carrier loss: the bridge port is cut --------------------------------------------
n=$(r1_states | wc -w)
lab_unplug 11
check "carrier loss: r1 goes to FAULT" wait_for 2 state_is r1 FAULT
check "carrier loss: r1 removed the VIP" wait_for 1 eval "! has_vip r1 $VIP"
check "carrier loss: status shows link_up false" test "$(jfield r1 link_up)" = false
check "carrier loss: notify ran with \$3=FAULT and \$4=150" \
  wait_for 2 grep -q "^r1 INSTANCE VI_1 FAULT 150$" "$LAB_DIR/notify.log"
check "carrier loss: r2 takes over" wait_for 5 has_vip r2 $VIP
lab_plug 11
check "carrier back: r1 leaves FAULT" wait_for 3 eval "! state_is r1 FAULT"
check "carrier back: r1 preempts and is MASTER again" wait_for 6 has_vip r1 $VIP
check "carrier back: r2 gives the VIP back" wait_for 2 eval "! has_vip r2 $VIP"
check "carrier back: r1's hooks were FAULT, BACKUP, MASTER in that order" \
  wait_for 2 states_after "$n" "FAULT BACKUP MASTER"

# ---- eth0 set down inside the router's namespace ----------------------------------------
n=$(r1_states | wc -w)
ip -n "$(ns r1)" link set eth0 down
check "eth0 down: r1 goes to FAULT" wait_for 2 state_is r1 FAULT
check "eth0 down: r1 removed the VIP" wait_for 1 eval "! has_vip r1 $VIP"
check "eth0 down: notify FAULT ran" wait_for 2 states_after "$n" "FAULT"
check "eth0 down: r2 takes over" wait_for 5 has_vip r2 $VIP
ip -n "$(ns r1)" link set eth0 up
check "eth0 up: r1 leaves FAULT" wait_for 3 eval "! state_is r1 FAULT"
check "eth0 up: r1 is MASTER again with the VIP" wait_for 6 has_vip r1 $VIP
check "eth0 up: r1's hooks were FAULT, BACKUP, MASTER in that order" \
  wait_for 2 states_after "$n" "FAULT BACKUP MASTER"
check "eth0 up: status shows MASTER, link_up true" \
  eval 'state_is r1 MASTER && [ "$(jfield r1 link_up)" = true ]'

# ---- a VIP deleted behind the master's back --------------------------------------------
check "no VIP restore counted yet" test "$(jfield r1 vip_restores)" = 0
ip -n "$(ns r1)" addr del $VIP/24 dev eth0
t0=$(date +%s%N)
wait_for 1 has_vip r1 $VIP; rc=$?
took_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
check "deleted VIP is back within a second (${took_ms} ms)" test "$rc" -eq 0
check "status vip_restores counts it" wait_for 1 eval '[ "$(jfield r1 vip_restores)" = 1 ]'
check "r1 stays MASTER through the restore" state_is r1 MASTER
check "r2 stays without the VIP" eval "! has_vip r2 $VIP"

# ---- configured interface missing at start, created later ----------------------------
stop_router r2
vrrp_conf r3 BACKUP 100 iface=lan1 vrid=52 vip=192.0.2.101 | lab_conf r3
n3=$(ns r3)
ip netns add "$n3"
LAB_NS+=("$n3")
ip -n "$n3" link set lo up
start_keepalive r3
check "missing interface: r3 reports FAULT" wait_for 3 state_is r3 FAULT
check "missing interface: status gives a reason naming lan1" \
  eval 'jfield r3 fault_reason | grep -q "lan1"'
check "missing interface: the status table shows FAULT with the reason" \
  eval 'ctl r3 status | grep -q "^VI_1 *FAULT (.*lan1"'
check "missing interface: notify FAULT ran" \
  wait_for 2 grep -q "^r3 INSTANCE VI_1 FAULT 100$" "$LAB_DIR/notify.log"
sleep 1
check "missing interface: the daemon keeps running" alive r3
# lan1 appears on the bridge, comes up, and only then gets its address.
create_lan1() {
  ip link add lan1 netns "$n3" type veth peer name p13 netns "$LAB_P-sw"
  ip -n "$LAB_P-sw" link set p13 master br0 up
  ip -n "$n3" link set lan1 up
  sleep 0.5
  ip -n "$n3" addr add 192.0.2.13/24 dev lan1
}
create_lan1
check "interface created: r3 leaves FAULT" wait_for 3 eval "! state_is r3 FAULT"
check "interface created: r3 becomes MASTER and holds its VIP" \
  wait_for 6 eval "ip -n $n3 -4 -o addr show dev lan1 | grep -q ' 192.0.2.101/'"
check "interface created: no fault_reason left" eval '[ -z "$(jfield r3 fault_reason)" ]'
check "interface created: r3's hooks were FAULT, BACKUP, MASTER" \
  eval '[ "$(awk '\''$1 == "r3" { printf "%s ", $4 }'\'' "$LAB_DIR/notify.log")" = "FAULT BACKUP MASTER " ]'
check "r1 untouched by r3 (other VRID): still MASTER" state_is r1 MASTER

# ---- the interface deleted and created again (new ifindex) ------------------------------
ip -n "$n3" link del lan1
check "interface deleted: r3 goes to FAULT and its VIP is gone" wait_for 3 state_is r3 FAULT
check "interface deleted: the daemon keeps running" alive r3
create_lan1
check "interface re-created: r3 follows the new device out of FAULT" \
  wait_for 8 eval "ip -n $n3 -4 -o addr show dev lan1 | grep -q ' 192.0.2.101/'"
check "interface re-created: r3 is MASTER again" wait_for 2 state_is r3 MASTER
check "interface re-created: r3 sends adverts on the new device" \
  eval 'a=$(jfield r3 adverts_sent); sleep 1.2; [ "$(jfield r3 adverts_sent)" -gt "$a" ]'
# ---- netlink overrun: events lost, state re-read -------------------------------------------
# r1 restarted with a tiny netlink receive buffer (test hook); a burst of 600 address
# changes with the VIP's deletion in the middle overruns it (ENOBUFS). The daemon must
# re-read the state and restore the VIP whose delete event may have been lost.
stop_router r1 TERM
KA_TEST_NETLINK_RCVBUF=1024 start_keepalive r1
check "overrun: r1 is MASTER again" wait_for 8 eval "state_is r1 MASTER && has_vip r1 $VIP"
r=$(jfield r1 vip_restores)
{
  for i in $(seq 1 250); do echo "addr add 198.51.100.$i/32 dev eth0"; done
  echo "addr del $VIP/24 dev eth0"
  for i in $(seq 1 250); do echo "addr del 198.51.100.$i/32 dev eth0"; done
} > "$LAB_DIR/burst.ip"
# r1 is stopped during the burst (as a daemon stalled by a loaded machine would be), so
# that the notifications pile up in its socket and overrun it whatever the machine's speed.
kill -STOP "$(pid_of r1)"
ip -n "$(ns r1)" -batch "$LAB_DIR/burst.ip"
kill -CONT "$(pid_of r1)"
check "overrun: the monitor overran and the state was re-read" \
  wait_for 2 grep -q "netlink notifications were lost (socket overrun); state re-read" "$LAB_DIR/r1.log"
check "overrun: the VIP deleted within the burst is back within 2 s" wait_for 2 has_vip r1 $VIP
check "overrun: the restore is counted" eval '[ "$(jfield r1 vip_restores)" -gt "$r" ]'
check "overrun: r1 is still MASTER, and still alive" eval "state_is r1 MASTER && alive r1"
lab_done
