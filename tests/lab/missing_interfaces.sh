#!/usr/bin/env bash
# Interfaces the config names that the host does not have: keepalive -t and the start-up
# log warn once per name with its position, the daemon runs on, and `status` lists them
# (missing_interfaces) until they appear.
#   r1: MASTER on eth0; a tracked eth6 (weighted: a missing tracked interface is down, and
#   unweighted that would mean FAULT) and eth5 in linkbeat_interfaces (not acted on: a note
#   between the two warnings), neither there at start.
source "$(dirname "$0")/lib.sh"
lab_init missif
lab_host r1 11
lab_host r2 12
VIP=192.0.2.100
{
  vrrp_conf r1 MASTER 150 notify= extra=$'track_interface {\n    eth6 weight -10\n  }'
  printf 'linkbeat_interfaces {\n  eth5\n}\n'
} | lab_conf r1
lb=$(grep -n '^linkbeat_interfaces' "$LAB_DIR/r1.conf" | cut -d: -f1)

out=$(ip netns exec "$(ns r1)" "$KEEPALIVE" -t -f "$LAB_DIR/r1.conf" 2>&1); rc=$?
printf '%s\n' "$out"
check "-t exits 0: a missing interface is a warning" test $rc -eq 0
check "-t names eth5 once, with file:line:column" \
  eval '[ "$(grep -c "warning: interface .eth5. does not exist (it may appear later)" <<<"$out")" = 1 ] &&
        grep -q "^$LAB_DIR/r1.conf:[0-9]*:[0-9]*: warning: interface .eth5." <<<"$out"'
check "-t names eth6" grep -q "warning: interface .eth6. does not exist" <<<"$out"
check "-t does not name eth0, which exists" eval '! grep -q "interface .eth0. does not exist" <<<"$out"'

start_keepalive r1
check "the daemon runs: r1 becomes MASTER" wait_for 5 has_vip r1 $VIP
check "the start-up log warns about eth5" grep -q "interface 'eth5' does not exist" "$LAB_DIR/r1.log"
check "... in file order, with the notes" \
  eval 'grep -o "r1.conf:[0-9]*:[0-9]*" "$LAB_DIR/r1.log" | head -n 3 | tr "\n" " " | grep -qx "r1.conf:14:5 r1.conf:$lb:1 r1.conf:$((lb + 1)):3 "'
json=$(ctl r1 status --json)
check "status lists eth6 and eth5 (config order) as missing_interfaces" \
  eval 'grep -q "\"missing_interfaces\":\[{\"name\":\"eth6\",\"where\":\"[^\"]*r1.conf:14:5\"},{\"name\":\"eth5\"" <<<"$json"'
check "keepalivectl status shows them" eval 'ctl r1 status | grep -q "eth6 does not exist (it may appear later)"'

ip -n "$(ns r1)" link add eth5 type bridge
check "an interface created later leaves the list" \
  eval 'ctl r1 status --json | grep -q "\"missing_interfaces\":\[{\"name\":\"eth6\",\"where\":\"[^\"]*\"}\]"'
check "the daemon is still running" our_child "$(pid_of r1)"
# An address the instance cannot place (an excluded address on another interface) keeps it
# in FAULT with the reason; the status must still answer (it once crashed the daemon on a
# half-built address list).
vrrp_conf r2 BACKUP 100 notify= vrid=52 vip=192.0.2.101 \
  extra=$'virtual_ipaddress_excluded {\n    198.51.100.5/24 dev eth5\n  }' | lab_conf r2
start_keepalive r2
r2_fault_reason() { ctl r2 status --json | grep -q '"fault_reason":"[^"]*not supported yet'; }
check "r2: an excluded address on another interface is FAULT with the reason" wait_for 5 r2_fault_reason
check "r2: status answers again and the daemon runs" eval 'ctl r2 status > /dev/null && our_child "$(pid_of r2)"'
lab_done
