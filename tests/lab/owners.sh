#!/usr/bin/env bash
# Two address owners (priority 255) for one VRID, a configuration error the RFC leaves
# open: keepalived 2.2.7 has the owner that hears the other lower itself to 254 and step
# down. Keepalive does the same, so a Keepalive and a keepalived owner (either started
# first) and two Keepalive owners end with one master, and a logged configuration error.
source "$(dirname "$0")/lib.sh"
lab_init owners
lab_host a 11
lab_host b 12
VIP=192.0.2.100
holders() { local n=0; has_vip a $VIP && n=$((n + 1)); has_vip b $VIP && n=$((n + 1)); echo $n; }
one_master_for() {  # SECONDS: exactly one holder at every poll
  local end=$(( $(date +%s) + $1 ))
  while [ "$(date +%s)" -lt "$end" ]; do [ "$(holders)" = 1 ] || return 1; sleep 0.1; done
}

for pair in "ka kd" "kd ka" "ka ka"; do
  set -- $pair
  vrrp_conf a MASTER 255 | lab_conf a
  vrrp_conf b MASTER 255 | lab_conf b
  if [ "$1" = ka ]; then start_keepalive a; else start_keepalived a; fi
  sleep 1.5
  if [ "$2" = ka ]; then start_keepalive b; else start_keepalived b; fi
  # The conflict first: until the second owner has spoken, the first is rightly alone.
  check "[$1 then $2] a configuration error is logged" \
    wait_for 4 eval 'grep -q "configuration error: .* is the address owner (priority 255) too" "$LAB_DIR/a.log" "$LAB_DIR/b.log" ||
          grep -q "both configured as address owner" "$LAB_DIR/a.log" "$LAB_DIR/b.log"'
  check "[$1 then $2] one master within 3 s" wait_for 3 eval '[ "$(holders)" = 1 ]'
  check "[$1 then $2] and only one for the next 5 s" one_master_for 5
  stop_router a TERM
  stop_router b TERM
  c=$((${c:-0} + 1))  # each case's logs kept apart
  mv "$LAB_DIR/a.log" "$LAB_DIR/case$c-a-$1.log"; mv "$LAB_DIR/b.log" "$LAB_DIR/case$c-b-$2.log"
done
lab_done
