#!/usr/bin/env bash
# Addresses left behind by a crash: a router restarted as BACKUP (or FAULT) finds its VIP
# still on the interface while the real master holds it too. Keepalive must remove it
# itself within a second and never take it back while it is backup; its status reports
# what the kernel holds, not what it intended. Master: Keepalive, then keepalived 2.2.7.
source "$(dirname "$0")/lib.sh"
lab_init leftover
lab_host r1 11
lab_host r2 12
VIP=192.0.2.100

jfield() {  # HOST FIELD: first occurrence in the compact JSON status
  ctl "$1" status --json 2>/dev/null | grep -o "\"$2\":[^,}]*" | head -n 1 | cut -d: -f2- | tr -d '"'
}
leftover() { ip -n "$(ns "$1")" addr add $VIP/24 dev eth0; }

# Starts Keepalive on r2 (BACKUP 100) with the VIP already on eth0 beside a running master
# on r1, and watches both every 20 ms: r2's copy must be gone within 1 s, and from then on
# (5 s, past r2's master-down interval) only r1 may hold it.
leftover_beside_master() {  # TAG
  local tag=$1 t0 gone_ms="" both=0 lost=0 now_ms
  leftover r2
  check "$tag r2 has the leftover VIP before its daemon starts" has_vip r2 $VIP
  t0=$(date +%s%N)
  start_keepalive r2
  while :; do
    now_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    [ "$now_ms" -gt 6000 ] && break
    if has_vip r2 $VIP; then
      [ -n "$gone_ms" ] && both=$((both + 1))   # taken back after removing it
    else
      [ -z "$gone_ms" ] && gone_ms=$now_ms
    fi
    [ -n "$gone_ms" ] && ! has_vip r1 $VIP && lost=$((lost + 1))
    sleep 0.02
  done
  check "$tag r2 removed the leftover VIP within 1 s (${gone_ms:-never} ms)" \
    test -n "$gone_ms" -a "${gone_ms:-9999}" -le 1000
  check "$tag after that only r1 held the VIP at every poll for 5 s" \
    test "$both" -eq 0 -a "$lost" -eq 0
  check "$tag r2 is BACKUP" test "$(jfield r2 state)" = BACKUP
  check "$tag r2's status: vips_held false, nothing on the interface" \
    eval '[ "$(jfield r2 vips_held)" = false ] && ctl r2 status --json | grep -q "\"vips_on_interface\":\[\]"'
}

# ---- Keepalive master -----------------------------------------------------------------
vrrp_conf r1 MASTER 200 | lab_conf r1
vrrp_conf r2 BACKUP 100 | lab_conf r2
start_keepalive r1
check "[ka master] r1 is master" wait_for 6 eval "is_master r1 && has_vip r1 $VIP"
check "[ka master] r1's status: vips_held true (the kernel has it)" \
  eval '[ "$(jfield r1 vips_held)" = true ] && ctl r1 status --json | grep -q "\"vips_on_interface\":\[\"$VIP\"\]"'
leftover_beside_master "[ka master]"
check "[ka master] the kernel actor did not count the removal as an error" \
  eval 'ctl r2 status --json | grep -q "\"errors\":0"'

# Status follows the kernel, not the intent: an address added by hand on the backup shows.
leftover r2
check "[ka master] a VIP added by hand on backup r2 shows in its status" \
  wait_for 1 eval '[ "$(jfield r2 vips_held)" = true ]'
ip -n "$(ns r2)" addr del $VIP/24 dev eth0
check "[ka master] ... and its removal too" wait_for 1 eval '[ "$(jfield r2 vips_held)" = false ]'
stop_router r2 TERM
stop_router r1 TERM

# ---- keepalived 2.2.7 master ----------------------------------------------------------
vrrp_conf r1 MASTER 200 | lab_conf r1
start_keepalived r1
check "[kd master] keepalived on r1 is master" wait_for 6 eval "is_master r1 && has_vip r1 $VIP"
leftover_beside_master "[kd master]"
stop_router r2 TERM

# The reference: keepalived 2.2.7 restarted as backup with the leftover behaves the same.
vrrp_conf r2 BACKUP 100 | lab_conf r2
leftover r2
start_keepalived r2
check "[reference] keepalived as backup removes its leftover VIP too" \
  wait_for 2 eval "! has_vip r2 $VIP"
stop_router r2 TERM
stop_router r1 TERM

# ---- leftover at start-up with the interface down: FAULT ----------------------------------
# Carrier lost (bridge port cut): eth0 stays administratively up and keeps its addresses.
vrrp_conf r2 BACKUP 100 | lab_conf r2
leftover r2
lab_unplug 12
start_keepalive r2
t0=$(date +%s%N)
wait_for 1 eval "! has_vip r2 $VIP"; rc=$?
took=$(( ($(date +%s%N) - t0) / 1000000 ))
check "[fault, no carrier] the leftover VIP is removed within 1 s (${took} ms)" test $rc -eq 0
check "[fault, no carrier] r2 is FAULT" wait_for 2 eval '[ "$(jfield r2 state)" = FAULT ]'
check "[fault, no carrier] status: vips_held false" test "$(jfield r2 vips_held)" = false
stop_router r2 TERM
lab_plug 12
# eth0 administratively down: the kernel keeps IPv4 addresses on a downed interface.
ip -n "$(ns r2)" link set eth0 down
leftover r2
start_keepalive r2
check "[fault, eth0 down] the leftover VIP is removed within 1 s" wait_for 1 eval "! has_vip r2 $VIP"
check "[fault, eth0 down] r2 is FAULT" wait_for 2 eval '[ "$(jfield r2 state)" = FAULT ]'
ip -n "$(ns r2)" link set eth0 up
check "[fault, eth0 down] back up: r2 leaves FAULT and, alone, becomes master" \
  wait_for 8 eval "is_master r2 && has_vip r2 $VIP"
stop_router r2 TERM
check "r2 exited and left no VIP behind" eval "! has_vip r2 $VIP"
lab_done
