#!/usr/bin/env bash
# Tracking: Keepalive (priority 150) tracks a vrrp_script, a track_file, a
# vrrp_track_process and an unweighted track_interface; keepalived 2.2.7 (priority 100,
# no tracking) is its peer. Each tracked object in turn fails and recovers:
#   - the script starts failing once a file exists (weight -60, fall 2, rise 2): the
#     effective priority 90 is on the wire, keepalived preempts, and Keepalive preempts
#     back when the script succeeds again;
#   - the track_file's value changes (weight 1): -60 hands over, 20 raises the priority
#     to 170 while master, 0 takes it back;
#   - the tracked process (a `sleep` with a distinctive argument) is killed and started
#     again (weight -60, quorum 1);
#   - the tracked interface (a veth end, unweighted) goes down: Keepalive goes to FAULT,
#     keepalived takes over; up again: Keepalive preempts back.
# After every step exactly one router holds the address, and Keepalive's status shows the
# configured and effective priority and each tracked object's state.
source "$(dirname "$0")/lib.sh"
lab_init track
lab_host ka 11
lab_host kd 12
VIP=192.0.2.100
# The tracked interface: one end of a veth pair inside Keepalive's namespace (this kernel
# may have no dummy module); its other end stays up.
ip -n "$(ns ka)" link add eth1 type veth peer name eth1p
ip -n "$(ns ka)" link set eth1p up
ip -n "$(ns ka)" link set eth1 up

ip netns exec "$(ns sw)" tcpdump -i br0 -nn -l -v 'ip proto 112' \
  > "$LAB_DIR/wire.txt" 2> "$LAB_DIR/tcpdump.log" &
LAB_PIDS+=($!)

# The tracked process: a sleep whose argument no other process has.
PROC_ARG="86399.$$"
start_proc() { sleep "$PROC_ARG" & PROC_PID=$!; LAB_PIDS+=($PROC_PID); }
start_proc

printf '#!/bin/sh\n[ ! -e %s/fail ]\n' "$LAB_DIR" > "$LAB_DIR/check.sh"
chmod +x "$LAB_DIR/check.sh"
echo 0 > "$LAB_DIR/prio"

vrrp_conf ka BACKUP 150 vrid=61 | sed '/^vrrp_instance/i\
vrrp_script chk {\
  script @DIR@/check.sh\
  interval 1\
  weight -60\
  fall 2\
  rise 2\
}\
track_file tf {\
  file @DIR@/prio\
  weight 1\
}\
vrrp_track_process tp {\
  process sleep '"$PROC_ARG"'\
  weight -60\
  quorum 1\
}
/^  notify /a\
  track_script {\
    chk\
  }\
  track_file {\
    tf\
  }\
  track_process {\
    tp\
  }\
  track_interface {\
    eth1\
  }' | lab_conf ka
vrrp_conf kd BACKUP 100 vrid=61 | lab_conf kd

other() { [ "$1" = ka ] && echo kd || echo ka; }
only() { has_vip "$1" $VIP && ! has_vip "$(other "$1")" $VIP; }
status_has() {  # PATTERN...: every one is in Keepalive's JSON status
  local st; st=$(ctl ka status --json) || return 1
  local p; for p in "$@"; do grep -q -- "$p" <<<"$st" || return 1; done
}
prio_is() { status_has '"configured":150' "\"effective\":$1"; }
wire_mark() { wc -l < "$LAB_DIR/wire.txt"; }
ka_sent_prio() {  # MARK PRIORITY: Keepalive advertised PRIORITY after MARK
  tail -n +"$(( $1 + 1 ))" "$LAB_DIR/wire.txt" | grep -q "192.0.2.11 > 224.0.0.18: VRRPv2, Advertisement, vrid 61, prio $2,"
}
# A step: wait for the holder, then check once more after some adverts that the other one
# does not hold the address too.
holder() {  # TAG HOST
  check "$1: $2 holds the VIP alone" wait_for 15 only "$2"
  sleep 2
  check "$1: still $2 alone after more adverts" only "$2"
}

start_keepalived kd
sleep 1
start_keepalive ka
holder "start" ka
check "start: priority 150 configured and effective, four tracked objects" \
  eval "prio_is 150 && status_has '\"kind\":\"script\"' '\"kind\":\"file\"' '\"kind\":\"process\"' '\"kind\":\"interface\"'"
check "start: nothing about tracking left 'not acted on'" \
  eval "! ctl ka status --json | grep -q -E '\"keyword\":\"(track_script|vrrp_script|track_file|track_process|vrrp_track_process|track_interface)\"'"

# --- vrrp_script
mark=$(wire_mark)
touch "$LAB_DIR/fail"
check "script fails: effective priority 90" wait_for 6 prio_is 90
check "script fails: Keepalive advertises priority 90 on the wire" wait_for 3 ka_sent_prio "$mark" 90
check "script fails: status shows the script failed with its last result" \
  status_has '"name":"chk"' '"ok":false' '"last_result":"exit 1, failure'
holder "script failing" kd
rm -f "$LAB_DIR/fail"
check "script succeeds again: effective priority 150" wait_for 6 prio_is 150
holder "script succeeding" ka

# --- track_file
echo -60 > "$LAB_DIR/prio"
check "file -60: effective priority 90" wait_for 3 prio_is 90
holder "file -60" kd
echo 20 > "$LAB_DIR/prio.new" && mv "$LAB_DIR/prio.new" "$LAB_DIR/prio"  # replaced by rename
check "file 20 (renamed into place): effective priority 170" wait_for 3 prio_is 170
check "file 20: status shows the value" status_has '"value":20'
holder "file 20" ka
mark=$(wire_mark)
check "file 20: Keepalive advertises priority 170" wait_for 3 ka_sent_prio "$mark" 170
echo 0 > "$LAB_DIR/prio"
check "file 0: effective priority 150" wait_for 3 prio_is 150
holder "file 0" ka

# --- track_process
# Processes that end while the tracker reads /proc must not end the tracker: a few
# seconds of short-lived processes (a busy machine has them) before the tracked one goes.
churn_until=$(( $(date +%s) + 4 ))
while [ "$(date +%s)" -lt "$churn_until" ]; do /bin/true; done
kill "$PROC_PID"; wait "$PROC_PID" 2>/dev/null
check "process gone: effective priority 90" wait_for 4 prio_is 90
check "process gone: status says 0 running" status_has '"last_result":"0 running, quorum 1"'
holder "process gone" kd
start_proc
check "process back: effective priority 150" wait_for 4 prio_is 150
holder "process back" ka

# --- track_interface (unweighted)
ip -n "$(ns ka)" link set eth1 down
check "tracked interface down: Keepalive in FAULT" \
  wait_for 3 status_has '"state":"FAULT"' '"fault_reason":"tracked interface eth1: down"'
holder "tracked interface down" kd
ip -n "$(ns ka)" link set eth1 up
check "tracked interface up: Keepalive leaves FAULT" wait_for 3 eval "! status_has '\"state\":\"FAULT\"'"
holder "tracked interface up" ka

check "Keepalive's notify hook saw FAULT" grep -q '^ka INSTANCE VI_1 FAULT' "$LAB_DIR/notify.log"
check "keepalived's notify hook saw MASTER" grep -q '^kd INSTANCE VI_1 MASTER' "$LAB_DIR/notify.log"
stop_router ka TERM
check "ka exits on SIGTERM (trackers stopped)" eval "! our_child $(pid_of ka)"
check "kd takes over after ka's SIGTERM" wait_for 3 only kd
stop_router kd TERM
lab_done
