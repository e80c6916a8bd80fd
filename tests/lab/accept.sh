#!/usr/bin/env bash
# Accept mode against keepalived 2.2.7 (README "Accept mode and strict mode"). Two routers
# run the same instances: A (VRRPv2, no_accept), B (VRRPv3, no word: accepts), C (VRRPv3
# over IPv6, no_accept, a link-local and a global address), S (VRRPv3, strict_mode and no
# word: strict mode's default is no_accept); Keepalive's router also has O,
# an address owner (priority 255) with no_accept, which is never dropped. A client pings
# the addresses: a non-accepting master holds them (ARP and neighbour discovery still
# answered) but drops what is sent to them; an accepting one answers. Each daemon takes
# the master role in turn, exactly one router holds the addresses at every step, and the
# nftables tables a Keepalive master writes read the same as keepalived's in that role.
# Then the hostile part: Keepalive killed with -9 leaves its tables, and a restart
# replaces them (one table of each family, each address once); SIGTERM removes them.
source "$(dirname "$0")/lib.sh"
lab_init accept
lab_host ka 1
lab_host kd 2
lab_host c 9
ip -n "$(ns c)" addr add 2001:db8::9/64 dev eth0 nodad

conf() {  # ROUTER PRIORITY [owner]
  printf 'global_defs {\n  router_id %s\n}\n' "$1"
  printf 'vrrp_instance A {\n  state BACKUP\n  interface eth0\n  virtual_router_id 51\n'
  printf '  priority %s\n  advert_int 1\n  no_accept\n' "$2"
  printf '  virtual_ipaddress {\n    192.0.2.100/24\n  }\n}\n'
  printf 'vrrp_instance B {\n  state BACKUP\n  interface eth0\n  virtual_router_id 52\n'
  printf '  priority %s\n  advert_int 1\n  version 3\n' "$2"
  printf '  virtual_ipaddress {\n    192.0.2.101/24\n  }\n}\n'
  printf 'vrrp_instance C {\n  state BACKUP\n  interface eth0\n  virtual_router_id 53\n'
  printf '  priority %s\n  advert_int 1\n  version 3\n  no_accept\n' "$2"
  printf '  virtual_ipaddress {\n    fe80::1:100/64\n    2001:db8::100/64\n  }\n}\n'
  printf 'vrrp_instance S {\n  state BACKUP\n  interface eth0\n  virtual_router_id 54\n'
  printf '  priority %s\n  advert_int 1\n  version 3\n  strict_mode\n' "$2"
  printf '  virtual_ipaddress {\n    192.0.2.102/24\n  }\n}\n'
  [ "${3:-}" = owner ] &&
    printf 'vrrp_instance O {\n  interface eth0\n  virtual_router_id 60\n  priority 255\n  advert_int 1\n  no_accept\n  virtual_ipaddress {\n    192.0.2.103/24\n  }\n}\n'
  return 0
}

answers() {  # ADDRESS: the client gets an echo reply
  ip netns exec "$(ns c)" ping -c 1 -W 1 "$1" > /dev/null 2>&1
}
# The client's neighbour entry for ADDRESS: a non-accepting master still answers ARP/ND.
resolves() { ip -n "$(ns c)" neigh show "$1" | grep -q lladdr; }
has() { ip -n "$(ns "$1")" -o addr show dev eth0 | grep -q " $2/"; }
holders() {  # ADDRESS: how many routers hold it
  local n=0; has ka "$1" && n=$((n + 1)); has kd "$1" && n=$((n + 1)); echo $n
}
holds_all() {  # HOST: the three shared addresses, and the other router none of them
  local other=kd; [ "$1" = kd ] && other=ka
  local a; for a in 192.0.2.100 192.0.2.101 192.0.2.102 2001:db8::100; do
    has "$1" "$a" && ! has "$other" "$a" || return 1
  done
}
one_holder_each() {
  local a; for a in 192.0.2.100 192.0.2.101 192.0.2.102 2001:db8::100; do [ "$(holders $a)" = 1 ] || return 1; done
}
tables() {  # HOST: how many tables named keepalived, both families
  ip netns exec "$(ns "$1")" nft list tables | grep -c ' keepalived$'
}
# A table as `nft list` prints it, without the element lines (the owner's set and a
# daemon's order of additions may differ) and without handles.
shape() {  # HOST FAMILY
  ip netns exec "$(ns "$1")" nft list table "$2" keepalived 2>/dev/null |
    grep -v -E '^\s*(elements = \{ [0-9a-f:.]|[0-9a-f:.]+( \. "eth0")?(,| \})$)'
}
elements() {  # HOST FAMILY SET: the set's elements, one a line
  ip netns exec "$(ns "$1")" nft -j list set "$2" keepalived "$3" 2>/dev/null |
    python3 -c 'import json,sys
for o in json.load(sys.stdin)["nftables"]:
  for e in o.get("set", {}).get("elem", []):
    print(json.dumps(e, sort_keys=True))'
}
status_says() {  # PATTERN...: every one is in Keepalive's JSON status
  local st; st=$(ctl ka status --json 2>/dev/null) || return 1
  local p; for p in "$@"; do grep -q -- "$p" <<<"$st" || return 1; done
}

conf ka 200 owner | lab_conf ka
conf kd 100 | lab_conf kd

echo "== Keepalive master, keepalived backup"
# Keepalive first: keepalived, started beside a backup, would be master for a moment.
start_keepalive ka
check "Keepalive takes every address" wait_for 10 eval 'has ka 192.0.2.100 && has ka 2001:db8::100'
start_keepalived kd
sleep 1
check "Keepalive holds every address, keepalived none" holds_all ka
check "the owner holds its own address" wait_for 5 has ka 192.0.2.103
check "no_accept v2: the master drops the client's ping" eval '! answers 192.0.2.100'
check "... but answers ARP for the address" resolves 192.0.2.100
check "VRRPv3 without a word accepts: answered" answers 192.0.2.101
check "strict_mode without a word: dropped" eval '! answers 192.0.2.102'
check "the owner (priority 255) with no_accept still answers" answers 192.0.2.103
check "no_accept over IPv6: dropped" eval '! answers 2001:db8::100'
check "... but neighbour discovery answered" resolves 2001:db8::100
check "one table of each family on the master" test "$(tables ka)" = 2
check "keepalived as backup has written no table" test "$(tables kd)" = 0
check "the IPv4 drop set holds A's and S's addresses only" \
  test "$(elements ka ip vips | tr '\n' ' ')" = '"192.0.2.100" "192.0.2.102" '
check "the IPv6 sets hold C's addresses" eval '[ "$(elements ka ip6 vips)" = "\"2001:db8::100\"" ] &&
  elements ka ip6 vips_link_local | grep -q "fe80::1:100"'
check "status: A does not accept and is dropping" status_says \
  '"name":"A".*"accept_mode":{"accept":false,"reason":"no_accept","strict_mode":false,"dropping":true}'
check "status: O accepts as the owner" status_says '"name":"O".*"accept":true,"reason":"address owner'
check "status: B accepts by default" status_says '"name":"B".*"accept":true,"reason":"default"'
check "status: S does not accept, by strict mode" status_says \
  '"name":"S".*"accept":false,"reason":"strict mode default","strict_mode":true'
check "keepalivectl status: A is dropping, and the tables are named" eval \
  'ctl ka status > "$LAB_DIR/ctl.txt" && grep -q "^A .*192.0.2.100/24 (no_accept: dropping)" "$LAB_DIR/ctl.txt" &&
   grep -q "^nftables: ip keepalived, ip6 keepalived, 4 addresses dropped" "$LAB_DIR/ctl.txt"'
shape ka ip > "$LAB_DIR/ka-ip.txt"
shape ka ip6 > "$LAB_DIR/ka-ip6.txt"

echo "== SIGTERM: keepalived master, its tables beside ours"
stop_router ka
check "Keepalive's tables are gone after SIGTERM" test "$(tables ka)" = 0
check "keepalived takes every address" wait_for 10 holds_all kd
check "keepalived (no_accept v2) drops the ping too" eval '! answers 192.0.2.100'
check "keepalived (v3 default) answers" answers 192.0.2.101
check "keepalived (strict_mode default) drops the ping" eval '! answers 192.0.2.102'
check "keepalived (no_accept IPv6) drops the ping" eval '! answers 2001:db8::100'
shape kd ip > "$LAB_DIR/kd-ip.txt"
shape kd ip6 > "$LAB_DIR/kd-ip6.txt"
check "both tables were listed" eval '[ "$(grep -c "ip daddr @vips drop" "$LAB_DIR/kd-ip.txt")" = 1 ] &&
  grep -q "vips_link_local" "$LAB_DIR/ka-ip6.txt"'
check "the IPv4 table reads the same as keepalived's" diff "$LAB_DIR/ka-ip.txt" "$LAB_DIR/kd-ip.txt"
check "the IPv6 table reads the same as keepalived's" diff "$LAB_DIR/ka-ip6.txt" "$LAB_DIR/kd-ip6.txt"

echo "== Keepalive backup beside keepalived master"
conf ka 50 | lab_conf ka
start_keepalive ka
check "Keepalive runs as backup" wait_for 5 status_says '"name":"A","state":"BACKUP"'
sleep 1.5
check "keepalived keeps every address" holds_all kd
check "a backup writes no table" test "$(tables ka)" = 0
check "status: the backup is not dropping" status_says '"name":"A".*"dropping":false'
stop_router ka

echo "== Keepalive preempts keepalived; kill -9; restart over the leftover tables"
conf ka 200 owner | lab_conf ka
start_keepalive ka
check "Keepalive preempts: every address" wait_for 10 holds_all ka
check "keepalived as backup empties its set and keeps its table" \
  wait_for 3 eval '[ "$(tables kd)" = 2 ] && [ -z "$(elements kd ip vips)" ]'
check "the ping is dropped" eval '! answers 192.0.2.100'
crash_router ka
check "after kill -9 the tables stay behind" test "$(tables ka)" = 2
# A crashed master keeps its addresses (the restart removes them): keepalived must hold
# them all the same.
check "keepalived takes over" wait_for 10 eval 'has kd 192.0.2.100 && has kd 192.0.2.101 && has kd 192.0.2.102 &&
  has kd 2001:db8::100'
start_keepalive ka
# A backup with the higher priority waits out the master-down interval (3 s and more)
# before it preempts: time enough to see the leftover gone before any new table.
check "the restart removes the leftover tables at start-up" wait_for 2 eval '[ "$(tables ka)" = 0 ]'
check "the restarted Keepalive takes over" wait_for 10 holds_all ka
check "one table of each family again" test "$(tables ka)" = 2
check "each address once in the drop sets" eval '[ "$(elements ka ip vips | tr "\n" " ")" = "\"192.0.2.100\" \"192.0.2.102\" " ] &&
  [ "$(elements ka ip6 vips)" = "\"2001:db8::100\"" ] && [ "$(elements ka ip6 vips_link_local | wc -l)" = 1 ]'
check "the ping is dropped again" eval '! answers 192.0.2.100'
check "B still answers" answers 192.0.2.101
check "exactly one holder of each address" one_holder_each
stop_router ka
check "SIGTERM removes the tables" test "$(tables ka)" = 0
check "keepalived takes every address back" wait_for 10 holds_all kd
check "exactly one holder of each address at the end" one_holder_each
stop_router kd
check "keepalived removes its tables at SIGTERM too" test "$(tables kd)" = 0
lab_done
