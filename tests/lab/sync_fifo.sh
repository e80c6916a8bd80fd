#!/usr/bin/env bash
# vrrp_sync_group and notify_fifo, Keepalive against keepalived 2.2.7, each in both roles.
# Two routers joined by two segments (br0: 192.0.2.0/24, br1: 198.51.100.0/24); one sync
# group G1 of VI_1 (eth0) and VI_2 (eth1). Cutting the master's eth1 must move both
# instances to the other router, and its return both back: both VIPs on one router at
# every step (sampled every 100 ms). The group's notify runs once per group transition:
# Keepalive's sequence of group hook lines must be keepalived's for the same role. Each
# router writes a notify_fifo read by its notify_fifo_script: Keepalive's lines must be
# keepalived's (same format, same transitions). Last, a FIFO nobody reads and a FIFO whose
# pipe is full do not hold Keepalive back: transitions happen and the status answers.
source "$(dirname "$0")/lib.sh"
lab_init syncff
lab_host ka 11
lab_host kd 12
lab_segment2 ka:11 kd:12
VIP1=192.0.2.100
VIP2=198.51.100.100

# The FIFO's reader, as keepalived's sample: it gets the FIFO's path as its last argument.
cat > "$LAB_DIR/fifo-reader.sh" <<'R'
#!/bin/sh
# $1: where to copy the lines; $2: the FIFO
while read -r line; do echo "$line" >> "$1"; done < "$2"
R
chmod +x "$LAB_DIR/fifo-reader.sh"

conf() {  # ROUTER PRIORITY
  cat <<C
global_defs {
  router_id $1
  notify_fifo @DIR@/$1.fifo
  notify_fifo_script "@DIR@/fifo-reader.sh @DIR@/$1.fifolines"
}
vrrp_sync_group G1 {
  group {
    VI_1
    VI_2
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
  notify @NOTIFY@
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
  notify @NOTIFY@
}
C
}

start() { if [ "$1" = ka ]; then start_keepalive ka; else start_keepalived kd; fi; }
other() { [ "$1" = ka ] && echo kd || echo ka; }
octet() { [ "$1" = ka ] && echo 11 || echo 12; }
has() {  # HOST ADDR
  local dev=eth0; [ "$2" = "$VIP2" ] && dev=eth1
  ip -n "$(ns "$1")" -4 -o addr show dev $dev | grep -q " $2/"
}
holds_both() { has "$1" $VIP1 && has "$1" $VIP2 && ! has "$(other "$1")" $VIP1 && ! has "$(other "$1")" $VIP2; }

# Every 100 ms: who holds each VIP (ka, kd, both or -). A split is one VIP on one router
# and the other on the other router.
holder() {  # ADDR
  local h=-
  has ka "$1" && h=ka
  has kd "$1" && { [ $h = ka ] && h=both || h=kd; }
  echo $h
}
sampler() {
  while :; do
    echo "$(date +%s.%N) $(holder $VIP1) $(holder $VIP2)" >> "$LAB_DIR/samples.txt"
    sleep 0.1
  done
}
# Longest run of consecutive split samples. Two instances' addresses are added by two
# separate netlink requests (keepalived's too), so one sample may catch them a few ms apart.
longest_split() {
  awk '{ if ($2 != "-" && $3 != "-" && $2 != $3) { run++; if (run > max) max = run } else run = 0 }
       END { print max + 0 }' "$LAB_DIR/samples.txt"
}

for master in ka kd; do
  backup=$(other $master)
  : > "$LAB_DIR/notify.log"
  rm -f "$LAB_DIR"/*.fifolines
  conf $master 200 | lab_conf $master
  conf $backup 100 | lab_conf $backup
  tag="[master=$master]"
  : > "$LAB_DIR/samples.txt"
  sampler & SAMPLER=$!
  LAB_PIDS+=($SAMPLER)
  start $master
  sleep 1
  start $backup
  check "$tag $master holds both VIPs" wait_for 10 eval "is_master $master && holds_both $master"
  sleep 2
  check "$tag $backup stays backup" holds_both $master
  check "$tag $master's FIFO is a FIFO of mode 0600, as keepalived creates it" \
    eval "[ \"\$(stat -c %A $LAB_DIR/$master.fifo)\" = prw------- ]"

  lab_unplug_eth1() { ip -n "$LAB_P-sw" link set "q$(octet $1)" down; }
  lab_plug_eth1() { ip -n "$LAB_P-sw" link set "q$(octet $1)" up; }
  lab_unplug_eth1 $master
  check "$tag $master's eth1 cut: $backup holds both VIPs" wait_for 8 holds_both $backup
  check "$tag $master's VI_1 followed VI_2 to FAULT" \
    wait_for 3 eval "grep -q '^$master INSTANCE VI_1 FAULT' $LAB_DIR/notify.log"
  sleep 1
  lab_plug_eth1 $master
  check "$tag $master's eth1 back: $master holds both VIPs again" wait_for 10 holds_both $master
  sleep 2
  check "$tag both VIPs on one router at every step (longest split: $(longest_split) samples of 100 ms)" \
    test "$(longest_split)" -le 1
  kill $SAMPLER 2>/dev/null; wait $SAMPLER 2>/dev/null

  # The transitions so far, before the daemons' STOP.
  for r in ka kd; do
    grep "^$r GROUP " "$LAB_DIR/notify.log" | cut -d' ' -f2- > "$LAB_DIR/group-$r-$master.txt"
    cp "$LAB_DIR/$r.fifolines" "$LAB_DIR/fifo-$r-$master.txt" 2>/dev/null || : > "$LAB_DIR/fifo-$r-$master.txt"
  done
  echo "     $master's group hook (master role): $(tr '\n' ',' < "$LAB_DIR/group-$master-$master.txt")"
  echo "     $backup's group hook (backup role): $(tr '\n' ',' < "$LAB_DIR/group-$backup-$master.txt")"
  stop_router $master TERM
  stop_router $backup TERM
  check "$tag $backup holds no VIP after both stopped" eval "! has $backup $VIP1 && ! has $backup $VIP2"
  check "$tag the group's STOP hook ran once on each router" \
    eval "[ \$(grep -c '^ka GROUP G1 STOP 0' $LAB_DIR/notify.log) = 1 ] && [ \$(grep -c '^kd GROUP G1 STOP 0' $LAB_DIR/notify.log) = 1 ]"
done

# Same role, same transitions: the same group hook calls and the same FIFO lines.
same_lines() {  # FILE_A FILE_B: equal and not empty
  [ -s "$1" ] && diff "$1" "$2" > /dev/null
}
# Per instance and for the group, each in its own order (which member's line comes first
# within one group transition is a race in both daemons).
fifo_split() {  # FILE
  local k
  for k in 'GROUP "G1"' 'INSTANCE "VI_1"' 'INSTANCE "VI_2"'; do grep "^$k " "$1"; echo --; done
}
for role in master backup; do
  [ $role = master ] && { k=ka-ka; d=kd-kd; } || { k=ka-kd; d=kd-ka; }
  check "$role role: the group hook ran once per group transition, as keepalived's ($(tr '\n' ',' < "$LAB_DIR/group-$k.txt"))" \
    same_lines "$LAB_DIR/group-$k.txt" "$LAB_DIR/group-$d.txt"
  fifo_split "$LAB_DIR/fifo-$k.txt" > "$LAB_DIR/fifo-split-$k.txt"
  fifo_split "$LAB_DIR/fifo-$d.txt" > "$LAB_DIR/fifo-split-$d.txt"
  check "$role role: the FIFO got keepalived's lines ($(wc -l < "$LAB_DIR/fifo-$k.txt") lines, e.g. '$(head -n 1 "$LAB_DIR/fifo-$k.txt")')" \
    same_lines "$LAB_DIR/fifo-split-$k.txt" "$LAB_DIR/fifo-split-$d.txt"
  diff "$LAB_DIR/fifo-split-$k.txt" "$LAB_DIR/fifo-split-$d.txt" | head -n 20
done

# ---- a FIFO nobody reads, and a full one, must not hold Keepalive back ----
for case in unread full; do
  conf ka 200 | sed -e '/notify_fifo_script/d' -e "s#notify_fifo .*#vrrp_notify_fifo $LAB_DIR/$case.fifo#" | lab_conf ka
  rm -f "$LAB_DIR/$case.fifo"
  if [ $case = full ]; then
    # A reader that attached and stopped reading, after filling the pipe: every write the
    # daemon makes finds no room.
    mkfifo -m 0600 "$LAB_DIR/$case.fifo"
    python3 - "$LAB_DIR/$case.fifo" <<'P' &
import os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_NONBLOCK)
try:
    while True: os.write(fd, b"x" * 4096)
except BlockingIOError:
    pass
print("pipe full", flush=True)
time.sleep(600)
P
    LAB_PIDS+=($!)
    sleep 0.5
  fi
  : > "$LAB_DIR/ka.log"
  start_keepalive ka
  check "[$case FIFO] Keepalive becomes master of both" wait_for 10 eval "is_master ka && has ka $VIP1 && has ka $VIP2"
  t0=$(date +%s%N)
  check "[$case FIFO] the status answers" eval "ctl ka status > /dev/null"
  echo "     status took $(( ($(date +%s%N) - t0) / 1000000 )) ms"
  ip -n "$LAB_P-sw" link set q11 down
  check "[$case FIFO] a cut link still moves the group to FAULT" \
    wait_for 5 eval "! has ka $VIP1 && ! has ka $VIP2"
  ip -n "$LAB_P-sw" link set q11 up
  check "[$case FIFO] and back to MASTER" wait_for 10 eval "has ka $VIP1 && has ka $VIP2"
  if [ $case = unread ]; then
    # The lines waited in the pipe for a reader.
    timeout 2 cat "$LAB_DIR/$case.fifo" > "$LAB_DIR/$case.read" 2>/dev/null
    check "[$case FIFO] a reader attaching later gets the lines written meanwhile" \
      grep -q '^GROUP "G1" FAULT 0$' "$LAB_DIR/$case.read"
  else
    check "[$case FIFO] Keepalive says it drops lines (full pipe)" grep -q 'is full' "$LAB_DIR/ka.log"
  fi
  check "[$case FIFO] Keepalive exits cleanly" stop_router ka TERM
done

lab_done
