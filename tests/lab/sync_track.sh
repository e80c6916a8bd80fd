#!/usr/bin/env bash
# Tracking on a vrrp_sync_group, Keepalive against keepalived 2.2.7, each in both roles.
# Two routers joined by two segments (br0: 192.0.2.0/24, br1: 198.51.100.0/24); a sync
# group G1 of VI_1 (eth0) and VI_2 (eth1), priorities 200 (master) and 100, and a
# track_script on the GROUP (not on its instances):
#   - unweighted: the master's script failing puts both its members in FAULT and the
#     other router takes both VIPs; the script succeeding again brings both back;
#   - weight -150: the master's script failing lowers both members to 50, the other
#     router (100) preempts both; succeeding again, the master preempts both back.
# Sampled every 50 ms: both VIPs on one router at every step (one sample caught between
# the two instances' netlink requests is allowed, as in sync_fifo.sh), never one VIP on
# both routers for two samples in a row.
source "$(dirname "$0")/lib.sh"
lab_init synctr
lab_host ka 11
lab_host kd 12
lab_segment2 ka:11 kd:12
VIP1=192.0.2.100
VIP2=198.51.100.100
printf '#!/bin/sh\n[ ! -e "$1" ]\n' > "$LAB_DIR/check.sh"
chmod +x "$LAB_DIR/check.sh"

conf() {  # ROUTER PRIORITY GROUP_TRACK_ENTRY
  cat <<C
global_defs {
  router_id $1
}
vrrp_script chk {
  script "@DIR@/check.sh @DIR@/fail-$1"
  interval 1
}
vrrp_sync_group G1 {
  group {
    VI_1
    VI_2
  }
  track_script {
    $3
  }
  notify @NOTIFY@
}
vrrp_instance VI_1 {
  state BACKUP
  interface eth0
  virtual_router_id 51
  priority $2
  advert_int 1
  virtual_ipaddress {
    $VIP1/24
  }
}
vrrp_instance VI_2 {
  state BACKUP
  interface eth1
  virtual_router_id 52
  priority $2
  advert_int 1
  virtual_ipaddress {
    $VIP2/24
  }
}
C
}

start() { if [ "$1" = ka ]; then start_keepalive ka; else start_keepalived kd; fi; }
other() { [ "$1" = ka ] && echo kd || echo ka; }
has() {  # HOST ADDR
  local dev=eth0; [ "$2" = "$VIP2" ] && dev=eth1
  ip -n "$(ns "$1")" -4 -o addr show dev $dev | grep -q " $2/"
}
holds_both() { has "$1" $VIP1 && has "$1" $VIP2 && ! has "$(other "$1")" $VIP1 && ! has "$(other "$1")" $VIP2; }
# Samples: time, ka's VIP1 VIP2, kd's VIP1 VIP2. A split: one VIP on each router. A
# double: one VIP on both routers. Prints the longest run of each.
runs() {
  awk '{ split_ = ($2 && $5) || ($3 && $4); dbl = ($2 && $4) || ($3 && $5)
         s = split_ ? s + 1 : 0; d = dbl ? d + 1 : 0
         if (s > ms) ms = s; if (d > md) md = d }
       END { print ms + 0, md + 0 }' "$1"
}

for master in ka kd; do
  backup=$(other $master)
  for mode in unweighted weighted; do
    tag="[master=$master, $mode]"
    entry=chk; [ $mode = weighted ] && entry="chk weight -150"
    rm -f "$LAB_DIR"/fail-*
    : > "$LAB_DIR/notify.log"
    conf $master 200 "$entry" | lab_conf $master
    conf $backup 100 "$entry" | lab_conf $backup
    start $master
    sleep 1
    start $backup
    check "$tag $master holds both VIPs" wait_for 10 eval "is_master $master && holds_both $master"
    sleep 1
    samples="$LAB_DIR/samples-$master-$mode.txt"
    sample_holders "$samples" "$VIP1,$VIP2" ka kd
    touch "$LAB_DIR/fail-$master"
    check "$tag $master's group script fails: $backup holds both VIPs" wait_for 10 holds_both $backup
    if [ $mode = unweighted ]; then
      check "$tag $master's group went to FAULT" \
        wait_for 3 eval "grep -q '^$master GROUP G1 FAULT' $LAB_DIR/notify.log"
      [ $master = ka ] && check "$tag Keepalive's status: both members FAULT, the script from the sync group" \
        eval "ctl ka status --json | jq -e '[.instances[] | select(.state == \"FAULT\")] | length == 2' >/dev/null && ctl ka status --json | grep -q '\"from_sync_group\":true'"
    else
      check "$tag $master's group went to BACKUP" \
        wait_for 3 eval "grep -q '^$master GROUP G1 BACKUP' $LAB_DIR/notify.log"
      [ $master = ka ] && check "$tag Keepalive's status: both members at effective priority 50" \
        eval "[ \"\$(ctl ka status --json | grep -o '\"effective\":50' | wc -l)\" = 2 ]"
    fi
    sleep 2
    check "$tag $backup still holds both" holds_both $backup
    rm -f "$LAB_DIR/fail-$master"
    check "$tag the script succeeds again: $master holds both VIPs again" wait_for 12 holds_both $master
    sleep 1
    kill "$LAB_SAMPLER" 2>/dev/null; wait "$LAB_SAMPLER" 2>/dev/null
    read -r split dbl <<<"$(runs "$samples")"
    check "$tag both VIPs on one router at every sample ($(wc -l < "$samples") samples; longest split $split, longest double $dbl)" \
      eval "[ $split -le 1 ] && [ $dbl -le 1 ] && [ $(wc -l < "$samples") -gt 100 ]"
    stop_router $master TERM
    stop_router $backup TERM
  done
done
lab_done
