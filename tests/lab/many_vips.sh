#!/usr/bin/env bash
# More than 255 virtual addresses (300) between Keepalive and keepalived 2.2.7: an advert
# carries the first 255 (keepalived: "excess moved to eVIPs"), both sides agree on that list
# (no address_mismatch drops), the master holds all 300 and the backup none, in both roles.
source "$(dirname "$0")/lib.sh"
lab_init manyvip
lab_host ka 11
lab_host kd 12
# Every advert on the segment, one line each, to know when keepalived's adverts flow.
ip netns exec "$(ns sw)" tcpdump -i br0 -nn -l 'ip proto 112' \
  > "$LAB_DIR/wire.txt" 2> "$LAB_DIR/tcpdump.log" &
LAB_PIDS+=($!)
kd_adverts() { grep -c '192\.0\.2\.12 > 224\.0\.0\.18' "$LAB_DIR/wire.txt"; }

conf() {  # ROUTER STATE PRIORITY
  printf 'global_defs {\n  router_id %s\n}\nvrrp_instance VI_M {\n  state %s\n' "$1" "$2"
  printf '  interface eth0\n  virtual_router_id 61\n  priority %s\n  advert_int 1\n' "$3"
  printf '  virtual_ipaddress {\n'
  for i in $(seq 0 299); do printf '    198.51.%d.%d/32\n' $((100 + i / 200)) $((i % 200 + 1)); done
  printf '  }\n}\n'
}
count_vips() { ip -n "$(ns "$1")" -4 -o addr show dev eth0 | grep -c ' 198\.51\.10[01]\.'; }

conf ka MASTER 200 | lab_conf ka
conf kd BACKUP 100 | lab_conf kd
start_keepalive ka
start_keepalived kd
check "[ka master] Keepalive warns that only 255 of 300 are advertised" \
  wait_for 3 grep -q "300 virtual addresses, an advert carries at most 255" "$LAB_DIR/ka.log"
check "[ka master] ka holds all 300" wait_for 8 eval '[ "$(count_vips ka)" = 300 ]'
sleep 3  # keepalived hears several adverts: a list it rejected would make it master
check "[ka master] keepalived stays backup with none of them" \
  eval '! is_master kd && [ "$(count_vips kd)" = 0 ]'
check "[ka master] keepalived logged no address-list complaint" \
  eval '! grep -qi "address.*mismatch\|addresses mismatch\|receive an invalid ip number count" "$LAB_DIR/kd.log"'
stop_router ka TERM
check "[kd takes over] keepalived holds all 300" wait_for 6 eval '[ "$(count_vips kd)" = 300 ]'
check "[kd takes over] ka left none behind" eval '[ "$(count_vips ka)" = 0 ]'

# keepalived 2.2.7 sends no advert for several seconds after it enters MASTER with 300
# addresses (it is busy adding them and sending their gratuitous ARPs; over 7 s seen here).
# Any router would take over in that silence, so Keepalive starts once the adverts flow.
check "[kd master] keepalived's adverts are on the wire" wait_for 30 eval '[ "$(kd_adverts)" -ge 3 ]'
conf ka BACKUP 100 | lab_conf ka
start_keepalive ka
sleep 4
check "[kd master] ka stays backup with none of them" \
  eval '! is_master ka && [ "$(count_vips ka)" = 0 ]'
check "[kd master] ka accepted keepalived's 255-address adverts (no drops)" \
  eval '! ctl ka status --json | grep -o "\"bad\":{[^}]*}" | grep -q ":[1-9]"'
check "[kd master] ka received adverts" \
  eval 'ctl ka status --json | grep -q "\"adverts_received\":[1-9]"'
stop_router ka TERM
stop_router kd TERM
lab_done
